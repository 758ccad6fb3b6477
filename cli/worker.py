"""`axr worker`: webhook delivery (outbox -> signed POSTs) and notices (date-driven notices once a day,
inbox and e-mail delivery) in their own process, until interrupted; once a day (and on every --once) it
also deletes expired web sessions and authorization codes (core/signin.py)."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import date

import typer
from rich.console import Console

from core import migrate
from core.settings import get_settings

err = Console(stderr=True)
log = logging.getLogger("axr.worker")


def worker(once: bool = typer.Option(False, "--once", help="Do one round and exit (for cron and checks)"),
           today: str | None = typer.Option(None, "--today", help="With --once: the day the date-driven "
                                                                   "notices are enqueued for (YYYY-MM-DD)")) -> None:
    """Run the outbox, webhook and notice delivery worker outside the API process."""
    from cli.jobs import job
    from cli.monitoring import open_cases
    from cli.notices import parse_today
    from core import signin
    from core.db import get_engine
    from notices.dispatch import Dispatcher
    from notices.due import enqueue_due
    from portal.delivery import DeliveryWorker

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    engine = get_engine(settings.database_url)
    delivery = DeliveryWorker(engine, settings)
    dispatcher = Dispatcher(engine, settings)
    last_day: list[date] = []

    cases: list[int] = [0]
    purged: list[tuple[int, int]] = [(0, 0)]

    def notices_round(day: date) -> tuple[int, bool]:
        made = 0
        if not last_day or last_day[0] != day:  # the date-driven notices once a day (idempotent anyway)
            with job() as session:
                made = len(enqueue_due(session, today=day))
            cases[0] = len(open_cases(day))  # missed annual reports past the grace period
            with job() as session:
                purged[0] = signin.purge_expired(session)
            last_day[:] = [day]
        return made, not dispatcher.step().idle

    try:
        if once:
            result = delivery.step()
            made, _ = notices_round(parse_today(today))
            err.print(f"fanned out {result.fanned_out}, attempted {result.attempted}, "
                      f"delivered {result.delivered}, failed {result.failed}; notices enqueued {made}; "
                      f"suspension cases opened {cases[0]}; expired web sessions deleted {purged[0][0]}, "
                      f"expired authorization codes deleted {purged[0][1]}", soft_wrap=True)
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        err.print("webhook and notice worker running (Ctrl-C to stop)")
        while not stop.is_set():
            busy = False
            try:
                busy = not delivery.step().idle
                busy = notices_round(parse_today(None))[1] or busy
            except Exception:  # noqa: BLE001 - a worker outlives a bad round (database restart, ...)
                log.exception("worker round failed")
            if not busy:
                stop.wait(settings.worker_poll_seconds)
    finally:
        delivery.close()
