"""`axr monitoring due [--today YYYY-MM-DD]`: open a suspension case for every annual performance report not
submitted by its due date plus the grace period (`AXR_REPORT_GRACE_DAYS`); `axr worker` runs it once a day."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

from cli.jobs import job
from cli.notices import dispatch_once, parse_today

monitoring = typer.Typer(help="Monitoring after designation: missed annual reports", no_args_is_help=True)
out = Console()


def open_cases(day: date) -> list[str]:
    """The day's step, in one transaction: '<certificate id>:<year>' of each case opened."""
    from certification import reports
    from core.settings import get_settings

    with job() as session:
        cases = reports.open_overdue(session, today=day, grace_days=get_settings().report_grace_days)
        return [f"{c.certificate_id}:{c.year}" for c in cases]


@monitoring.command("due")
def monitoring_due(
        today: str | None = typer.Option(None, "--today", help="The day to run for (default: today in KST)"),
        send: bool = typer.Option(True, "--send/--no-send", help="Deliver the notices afterwards")) -> None:
    """Open the suspension cases of reports missed past the grace period, once each (run it daily)."""
    day = parse_today(today)
    opened = open_cases(day)
    out.print(f"{day.isoformat()}: opened {len(opened)} suspension case(s)")
    if send:
        out.print(dispatch_once())
