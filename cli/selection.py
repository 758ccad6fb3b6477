"""`axr selection rule load FILE` and `axr selection run YEAR`: selection of a cohort by a rule."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer
from rich.console import Console

from cli.errors import CliError, Where, read_json
from cli.jobs import job
from core.principal import Principal

selection = typer.Typer(help="Selection of SMEs by rule (programme officer)", no_args_is_help=True)
rule_app = typer.Typer(help="Selection rule versions", no_args_is_help=True)
selection.add_typer(rule_app, name="rule")
err = Console(stderr=True)
OFFICER = Principal(sub="cli:selection", role="admin", org="ministry")


@rule_app.command("load")
def rule_load(file: Path = typer.Argument(..., readable=False, help="JSON selection rule")) -> None:
    """Load a new version of a year's selection rule (eligibility, capacity, quotas, weights)."""
    from core.errors import Invalid
    from programme import selection as svc

    document = read_json(file)
    try:
        with job() as session:
            rule = svc.load_rule(session, document=document, p=OFFICER)
            out = {"year": rule.year, "version": rule.version, "digest": rule.digest}
    except Invalid as exc:
        raise CliError("선정 규칙 파일이 올바르지 않습니다", "invalid selection rule file", where=Where(file=str(file)),
                       notes=exc.extra.get("problems", [])) from exc
    err.print(f"loaded the {out['year']} selection rule, version {out['version']} (digest {out['digest'][:12]})")
    sys.stdout.write(json.dumps(out) + "\n")


@selection.command("run")
def run(year: int = typer.Argument(..., min=2026, max=2030, help="The cohort's year")) -> None:
    """Rank the year's applications by its current rule; select within capacity and quotas, keep a waiting
    list, record every decision with its reasons; prints the counts and the SHA-256 digest of the result."""
    from core.errors import AppError
    from programme import selection as svc

    started = time.perf_counter()
    try:
        with job() as session:
            r = svc.run(session, year=year, p=OFFICER)
            out = {"year": year, "run_id": r.id, "applicants": r.applicants, "selected": r.selected,
                   "waitlisted": r.waitlisted, "refused": r.refused, "digest": r.digest}
    except AppError as exc:
        raise CliError(exc.detail_ko or exc.title_ko, exc.detail_en or exc.title_en) from exc
    out["seconds"] = round(time.perf_counter() - started, 2)
    err.print(f"{year}: {out['selected']:,} selected, {out['waitlisted']:,} waitlisted, {out['refused']:,} refused "
              f"of {out['applicants']:,} in {out['seconds']} s; digest {out['digest']}")
    sys.stdout.write(json.dumps(out) + "\n")
