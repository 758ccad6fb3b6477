"""`axr notices due [--today YYYY-MM-DD]` (date-driven notices, then delivery) and `axr notices send`."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

from cli.errors import USAGE, CliError
from cli.jobs import job

notices = typer.Typer(help="Notices to suppliers: inbox and e-mail", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def parse_today(value: str | None) -> date:
    from core import clock
    from core.korean import kst

    if value is None:
        return kst(clock.now()).date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CliError(f"--today는 YYYY-MM-DD 형식의 날짜입니다 ({value!r})",
                       f"--today is a date as YYYY-MM-DD ({value!r})", code=USAGE) from exc


def dispatch_once() -> str:
    from core.db import get_engine
    from core.settings import get_settings
    from notices.dispatch import Dispatcher

    settings = get_settings()
    r = Dispatcher(get_engine(settings.database_url), settings).step()
    return (f"delivered {r.delivered} to inboxes; e-mail sent {r.sent}, retrying {r.retrying}, "
            f"failed {r.failed}, skipped {r.skipped}")


@notices.command("due")
def notices_due(
        today: str | None = typer.Option(None, "--today", help="The day to run for (default: today in KST)"),
        send: bool = typer.Option(True, "--send/--no-send", help="Deliver what is pending afterwards")) -> None:
    """Enqueue the renewal-window, 30-day and report-due notices for the day, once each (run it daily)."""
    from notices.due import enqueue_due

    day = parse_today(today)
    with job() as session:
        made = enqueue_due(session, today=day)
    out.print(f"{day.isoformat()}: enqueued {len(made)} notice(s)" + (": " + ", ".join(made) if made else ""))
    if send:
        out.print(dispatch_once())


@notices.command("send")
def notices_send() -> None:
    """One delivery round: pending notices into inboxes, their e-mail over SMTP (retries included)."""
    out.print(dispatch_once())
