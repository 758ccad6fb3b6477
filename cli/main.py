"""The `axr` command line: serve, migrate, demo data, tokens, and the operator jobs of each domain."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from cli import designation, programme
from cli import worker as worker_cli
from core import migrate
from core.settings import Settings, get_settings

app = typer.Typer(help="AX Registry: 제조 AI 전문기업 지정·매칭 등록부", no_args_is_help=True,
                  pretty_exceptions_show_locals=False)
db = typer.Typer(help="Database migrations (Alembic) on AXR_DATABASE_URL", no_args_is_help=True)
demo = typer.Typer(help="Bilingual demo data", no_args_is_help=True)
token = typer.Typer(help="Access tokens from the embedded issuer", no_args_is_help=True)
app.add_typer(db, name="db")
app.add_typer(demo, name="demo")
app.add_typer(token, name="token")
app.add_typer(designation.criteria, name="criteria")
app.add_typer(designation.certificates, name="certificates")
app.add_typer(designation.audit, name="audit")
app.add_typer(programme.report, name="report")
app.add_typer(programme.cohort, name="cohort")
app.command("worker")(worker_cli.worker)
err = Console(stderr=True)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
          port: int = typer.Option(8000, help="TCP port"),
          demo_data: bool = typer.Option(False, "--demo", help="Load the demo data into an empty database first"),
          workers: int = typer.Option(1, help="Worker processes (PostgreSQL deployments)")) -> None:
    """Run the API (uvicorn), migrating the database to the latest schema first."""
    os.environ.setdefault("AXR_WORKER_EMBEDDED", "true")  # webhooks delivered in-process
    os.environ.setdefault("AXR_SEARCH_WARM", "true")  # Kiwi and the index load at start-up, not on first search
    import uvicorn

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.database_url)
    if demo_data:
        from cli.demo import load_demo

        loaded = load_demo(only_if_empty=True)
        err.print(f"[green]demo data[/] {loaded}")
    err.print(f"AX Registry on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info",
                **proxy_options(settings))


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's forwarded-header handling: X-Forwarded-For/-Proto are believed only from the proxies in
    AXR_FORWARDED_ALLOW_IPS. uvicorn's own default believes them from 127.0.0.1 (and FORWARDED_ALLOW_IPS),
    so anyone on the machine, or a local proxy that passes the header on, could pick the client address
    that the per-IP rate limit counts."""
    trusted = settings.forwarded_allow_ips.strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or ""}


@db.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Upgrade the schema (default: to the latest revision)."""
    migrate.upgrade(get_settings().database_url, revision)


@db.command("downgrade")
def db_downgrade(revision: str = typer.Argument("-1")) -> None:
    """Downgrade the schema (default: one step)."""
    migrate.downgrade(get_settings().database_url, revision)


@db.command("current")
def db_current() -> None:
    """Show the current revision."""
    migrate.current(get_settings().database_url)


@demo.command("load")
def demo_load() -> None:
    """Load the bilingual demo data (suppliers, solutions, SMEs, needs, TIPS); running it twice adds nothing."""
    from cli.demo import load_demo

    migrate.upgrade(get_settings().database_url)
    err.print(load_demo(only_if_empty=False))


@token.command("create")
def token_create(role: str = typer.Option(..., help="supplier, sme, reviewer, admin, portal or consultant"),
                 org: str | None = typer.Option(None, help="Organisation id (default: a new one for supplier/sme)"),
                 scope: list[str] = typer.Option(None, help="Scopes (default: all of the role's)"),
                 sub: str | None = typer.Option(None, help="Subject (default: cli:<random>)"),
                 ttl: int | None = typer.Option(None, help="Lifetime in seconds")) -> None:
    """Mint an access token and print it alone on stdout."""
    from api.auth.tokens import TokenService
    from core.accounts import ROLES
    from core.keys import signing_key

    if role not in ROLES:
        err.print(f"[red]unknown role {role!r}[/]; one of {', '.join(ROLES)}")
        raise typer.Exit(2)
    settings = get_settings()
    service = TokenService(key=signing_key(settings.key_file()), issuer=settings.token_issuer,
                           audience=settings.token_audience, ttl=settings.token_ttl_seconds)
    if org is None and role in ("supplier", "sme"):
        org = "org_" + secrets.token_hex(8)
    jwt, _ = service.mint(sub=sub or "cli:" + secrets.token_hex(4), role=role, org=org, scopes=scope or None,
                          ttl=ttl or 3600)
    sys.stdout.write(jwt + "\n")


@app.command("import-catalogue")
def import_catalogue(file: Path = typer.Argument(..., exists=True, readable=True,
                                                 help="A catalogue like shared/eval/catalogue.json")) -> None:
    """Import suppliers (with their designation state) and solutions; each solution keeps its id as `ref`."""
    from cli.catalogue import import_catalogue as run

    migrate.upgrade(get_settings().database_url)
    counts = run(file)
    err.print(f"imported {counts['solutions']} solutions ({counts['skipped']} already there), "
              f"{counts['companies']} new suppliers")


@app.command("match")
def match(limit: int = typer.Option(50, min=1, max=50, help="How many matches at most")) -> None:
    """Read one need as JSON on stdin; print {"matches": [...]} best first."""
    import json

    from cli.catalogue import match_stdin

    sys.stdout.write(json.dumps(match_stdin(limit), ensure_ascii=False) + "\n")


@app.command("reindex")
def reindex() -> None:
    """Rebuild the search index from the database."""
    from rich.progress import Progress

    from api.search_runtime import build_search_service
    from matching.engine import IndexBusy

    search = build_search_service()
    try:
        with Progress(console=err) as progress:
            task = progress.add_task("reindexing", total=None)
            count = search.rebuild(lambda done, total: progress.update(task, completed=done, total=total))
    except IndexBusy as exc:
        err.print(f"[red]cannot reindex:[/] {exc}. Stop the server (it rebuilds an empty or outdated index "
                  "folder on its own) and run `axr reindex` again.")
        raise typer.Exit(1) from exc
    err.print(f"indexed {count} solutions")


@app.command("openapi")
def openapi_export(output: str = typer.Option("openapi.yaml", help="Where to write the spec ('-' for stdout)")) -> None:
    """Write the served OpenAPI spec as YAML (the repository's openapi.yaml is this output)."""
    from api.openapi import spec_yaml

    text = spec_yaml()
    if output == "-":
        sys.stdout.write(text)
    else:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        err.print(f"wrote {output}")


if __name__ == "__main__":
    app()
