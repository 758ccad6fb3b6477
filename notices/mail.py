"""E-mail over SMTP with the standard library: `smtp://host:port` (STARTTLS when the server offers it),
`smtps://host:port` (TLS from the start), optional `user:password@`. Korean first, English after."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit


class MailConfigError(ValueError):
    pass


def build(*, sender: str, to: str, subject_ko: str, subject_en: str, body_ko: str, body_en: str,
          notice_id: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr(("AX 레지스트리", sender))
    msg["To"] = to
    msg["Subject"] = f"{subject_ko} / {subject_en.removeprefix('[AX Registry] ')}"
    msg["Message-ID"] = make_msgid(idstring=notice_id.replace("-", ""), domain=sender.rsplit("@", 1)[-1])
    msg["Content-Language"] = "ko, en"
    msg.set_content(f"{body_ko}\n\n---\n\n{body_en}\n", charset="utf-8")
    return msg


def send(url: str, msg: EmailMessage, *, timeout: float = 10.0) -> None:
    """Send one message; raises OSError or smtplib.SMTPException on failure (the caller retries)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailConfigError("AXR_SMTP_URL must look like smtp://host:port or smtps://host:port")
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    cls = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with cls(parts.hostname, port, timeout=timeout) as smtp:
        if parts.scheme == "smtp":
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(msg)
