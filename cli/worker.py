"""`axr worker`: webhook delivery (outbox -> signed POSTs) in its own process, until interrupted."""

from __future__ import annotations

import signal
import threading

import typer
from rich.console import Console

from core import migrate
from core.settings import get_settings

err = Console(stderr=True)


def worker(once: bool = typer.Option(False, "--once", help="Do one round and exit (for cron and checks)")) -> None:
    """Run the outbox and webhook delivery worker outside the API process."""
    from core.db import get_engine
    from portal.delivery import DeliveryWorker

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    delivery = DeliveryWorker(get_engine(settings.database_url), settings)
    try:
        if once:
            result = delivery.step()
            err.print(f"fanned out {result.fanned_out}, attempted {result.attempted}, "
                      f"delivered {result.delivered}, failed {result.failed}")
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        err.print("webhook worker running (Ctrl-C to stop)")
        delivery.run(stop)
    finally:
        delivery.close()
