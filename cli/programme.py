"""`axr report kpis` and `axr cohort import`: the policy KPI report and the bulk import of candidates."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress

from cli.errors import USAGE, CliError, Where, language, read_bytes
from cli.jobs import job
from core import migrate
from core.principal import Principal
from core.settings import get_settings

report = typer.Typer(help="Policy reports", no_args_is_help=True)
cohort = typer.Typer(help="Selection cohorts of the SME programme", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)  # one line per row, however long
IMPORTER = Principal(sub="cli:cohort-import", role="admin", org="ministry")
SNAPSHOT = Principal(sub="cli:kpi-snapshot", role="admin", org="ministry")


@report.command("kpis")
def kpis(fmt: str = typer.Option("json", "--format", help="json or csv"),
         chart: Path | None = typer.Option(None, "--chart", help="Also draw the main chart (four panels) to this PNG"),
         charts: Path | None = typer.Option(None, "--charts", help="Also write every chart as a PNG into this folder")
         ) -> None:
    """The policy KPI report: adoption among the registered SMEs, designated companies, budget against the
    envelope, outcomes, accidents per 1,000 workers; by year, region, KSIC and size; the trajectory to 2030."""
    from programme import charts as kpi_charts
    from programme import report as kpi_report

    if fmt not in ("json", "csv"):
        raise CliError(f"--format 값은 json 또는 csv여야 합니다 (받은 값 '{fmt}')",
                       f"--format must be json or csv (got {fmt!r})", code=USAGE)
    with job() as session:
        data = kpi_report.build(session)
    sys.stdout.write(kpi_report.to_csv(data) if fmt == "csv" else json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    if chart is None and charts is None:
        return
    en = language(sys.argv[1:]) == "en"
    font = kpi_charts.hangul_font()
    if not font.korean:
        err.print(kpi_charts.FALLBACK_EN if en else kpi_charts.FALLBACK_KO)
    written = []
    if chart is not None:
        written.append(kpi_charts.main_chart(data, chart, font))
    if charts is not None:
        written += kpi_charts.all_charts(data, charts, font)
    for path in written:
        err.print(f"wrote {path}" if en else f"그래프를 저장했습니다: {path}", highlight=False)


@report.command("snapshot")
def snapshot(year: int | None = typer.Option(None, "--year", help="The programme year (default: this year)")) -> None:
    """Store the year's headline KPI figures (as of the year's end, or today within the year), so the
    trajectory keeps them instead of recomputing history from today's data."""
    from core import clock
    from programme import report as kpi_report

    migrate.upgrade(get_settings().database_url)
    with job() as session:
        row = kpi_report.take_snapshot(session, year=year or clock.now().date().year, p=SNAPSHOT)
        f: dict[str, Any] = dict(row.figures)
        out = {"id": row.id, "year": row.year, "as_of": row.as_of.isoformat(), "figures": f}
    rate = "-" if f["adoption_rate"] is None else f"{f['adoption_rate'] * 100:.2f}%"
    if language(sys.argv[1:]) == "en":
        err.print(f"{out['year']} snapshot as of {out['as_of']}: adoption {rate}, "
                  f"{f['designated_companies']} designated companies", highlight=False)
    else:
        err.print(f"{out['year']}년 성과지표 스냅숏({out['as_of']} 기준)을 저장했습니다: AI 도입률 {rate}, "
                  f"지정 기업 {f['designated_companies']}개", highlight=False)
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


def read_csv(file: Path) -> bytes:
    """The CSV's bytes, refused whole (one line naming the file) when it is empty, binary, in another
    encoding or lacks a required Korean header."""
    import csv
    import io

    from core.errors import AppError
    from programme.cohorts import HEADER_KO, HEADERS, REQUIRED, decode

    raw = read_bytes(file)
    where = Where(file=str(file))
    if not raw.strip():
        raise CliError("파일이 비어 있습니다", "the file is empty", where=where)
    if b"\x00" in raw:
        raise CliError("CSV 텍스트 파일이 아닙니다 (바이너리 파일)", "not a CSV text file (binary content)",
                       where=where)
    try:
        text, _ = decode(raw)
    except AppError as exc:
        raise CliError(exc.detail_ko or exc.title_ko, exc.detail_en or exc.title_en, where=where) from exc
    header = next(csv.reader(io.StringIO(text)), [])
    found = {HEADERS.get(h.strip()) for h in header}
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        names = ", ".join(HEADER_KO[k] for k in missing)
        wanted = ", ".join(HEADER_KO[k] for k in REQUIRED)
        raise CliError(f"필수 열이 없습니다: {names}. 첫 줄의 머리글은 한국어로 적습니다: {wanted}",
                       f"missing columns: {names}; the first line holds the Korean headers {wanted}",
                       where=Where(file=str(file), line=1))
    return raw


@cohort.command("import")
def import_file(file: Path = typer.Argument(..., readable=False,
                                            help="CSV with Korean headers (사업자등록번호, 기업명, 업종, "
                                                 "지역, 스마트공장수준), UTF-8 or CP949"),
                year: int = typer.Option(..., "--year", min=2020, max=2100, help="The cohort's year")) -> None:
    """Import candidates into the year's cohort (created with capacity 12,000 if missing); bad rows are
    reported with their line numbers and the good ones are kept. Exits 1 when any row was refused."""
    from sqlalchemy import select

    from programme import cohorts
    from programme.models import Cohort
    from programme.schemas import CohortCreate

    raw = read_csv(file)  # the file is checked before the database is touched
    migrate.upgrade(get_settings().database_url)
    with job() as session, Progress(console=err) as progress:
        found = session.scalars(select(Cohort).where(Cohort.year == year)).one_or_none()
        target = found or cohorts.create_cohort(session, data=CohortCreate(
            year=year, capacity=12_000, name_ko=f"{year}년 제조 AX 중소기업"))
        task = progress.add_task(f"{file.name}", total=None)
        result = cohorts.import_candidates(session, cohort=target, raw=raw, p=IMPORTER,
                                           progress=lambda done, total: progress.update(task, completed=done,
                                                                                        total=total))
    encoding = {"utf-8-sig": "UTF-8", "cp949": "CP949"}.get(result.encoding, result.encoding)
    if language(sys.argv[1:]) == "en":
        for e in result.errors:
            err.print(f"[red]{file.name}, line {e.line}[/] {e.business_number or ''}: {'; '.join(e.reasons_en)}",
                      markup=True, highlight=False)
        err.print(f"{result.imported} imported, {result.already_candidates} already candidates, "
                  f"{len(result.errors)} refused ({encoding})", highlight=False)
    else:
        for e in result.errors:
            err.print(f"[red]{file.name} {e.line}번째 줄[/] {e.business_number or ''}: {'; '.join(e.reasons)}",
                      markup=True, highlight=False)
        err.print(f"등록 {result.imported}건, 이미 후보 {result.already_candidates}건, 거부 {len(result.errors)}건 "
                  f"(인코딩 {encoding})", highlight=False)
    sys.stdout.write(result.model_dump_json() + "\n")
    if result.errors:
        raise typer.Exit(1)
