"""Run `axr` against the test database and data dir: as a real subprocess, or in process with Typer's
CliRunner (settings and the engine are cached per process, so they are cleared around the call)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

AXR = Path(sys.executable).parent / "axr"


def env_for(settings: Any) -> dict[str, str]:
    return {"AXR_DATABASE_URL": settings.database_url, "AXR_DATA_DIR": str(settings.data_dir)}


def axr(settings: Any, *args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    """`axr ARGS` in a subprocess, from the data dir so no stray .env is read; `lang` sets the locale
    (LANG, with no LC_* left to override it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AXR_")} | env_for(settings)
    if lang is not None:
        env = {k: v for k, v in env.items() if not k.startswith(("LC_", "LANG"))} | {"LANG": lang}
    return subprocess.run([str(AXR), *args], env=env, cwd=settings.data_dir, capture_output=True, text=True,
                          timeout=120, check=False)


def axr_in_process(settings: Any, *args: str) -> Any:
    """`axr ARGS` through CliRunner; returns the click Result (exit_code, stdout, stderr, output)."""
    from typer.testing import CliRunner

    from cli.main import app
    from core.db import get_engine
    from core.settings import get_settings

    def clear() -> None:
        get_settings.cache_clear()
        get_engine(settings.database_url).dispose()  # the job's engine (made lazily if it was not)
        get_engine.cache_clear()

    clear()
    try:
        return CliRunner().invoke(app, list(args), env=env_for(settings), catch_exceptions=False)
    finally:
        clear()
