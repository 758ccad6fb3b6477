"""Files for the evidence tests: small real-looking documents of each kind, unique per call so a test
that tampers with one stored blob touches no other test's."""

from __future__ import annotations

import secrets
from typing import Any


def pdf(text: str = "연구개발비 명세서") -> bytes:
    body = f"1 0 obj << /Title ({secrets.token_hex(8)}) >> endobj % {text}".encode()
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + body + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
            + secrets.token_bytes(16))


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00" + \
        secrets.token_bytes(64)


def zip_archive() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("payload.txt", secrets.token_hex(8))
    return buf.getvalue()


def upload(client: Any, app_id: str, headers: dict[str, str], content: bytes, filename: str,
           media_type: str = "application/pdf", **form: str) -> Any:
    data = {"purpose": "criterion", "criterion": "E3", **form}
    return client.post(f"/v1/applications/{app_id}/documents", headers=headers, data=data,
                       files={"file": (filename, content, media_type)})
