"""The `axr` command line: serve, migrate, demo data, tokens, and the operator jobs of each domain."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from cli import designation, programme, selection
from cli import worker as worker_cli
from cli.errors import USAGE, AxrGroup, CliError, Where
from cli.monitoring import monitoring as monitoring_cli
from cli.notices import notices as notices_cli
from core import migrate
from core.settings import Settings, get_settings

app = typer.Typer(help="AX Registry: 제조 AI 전문기업 지정·매칭 등록부", no_args_is_help=True,
                  pretty_exceptions_show_locals=False, cls=AxrGroup)
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
app.add_typer(selection.selection, name="selection")
app.add_typer(notices_cli, name="notices")
app.add_typer(monitoring_cli, name="monitoring")
app.command("worker")(worker_cli.worker)
err = Console(stderr=True)
TOKEN_TTL_MAX = 86_400


@app.callback()
def root(lang: str = typer.Option("ko", "--lang", help="Language of messages: ko or en (default: ko; en when "
                                                        "LANG/LC_ALL starts with en)")) -> None:
    """AX Registry: 제조 AI 전문기업 지정·매칭 등록부. Errors are one line, Korean by default (`--lang en`)."""
    if lang not in ("ko", "en"):
        raise CliError(f"--lang은 ko 또는 en입니다 ({lang!r})", f"--lang is ko or en ({lang!r})", code=USAGE)


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
    base_url = served_base_url(settings, host, port)
    if base_url is not None:  # links in the feed, webhooks and exports point at this server, not at :8000
        os.environ["AXR_PUBLIC_BASE_URL"] = base_url  # read again by the app (and by every worker process)
        get_settings.cache_clear()
        settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.database_url)
    if demo_data:
        from cli.demo import load_demo

        os.environ.setdefault("AXR_DEMO_SIGN_IN_HINT", "true")  # the sign-in form names the demo accounts
        get_settings.cache_clear()

        loaded = load_demo(only_if_empty=True)
        err.print(f"[green]demo data[/] {loaded}")
    err.print(f"AX Registry on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    hint = "  (로그인 화면에 역할별 데모 계정이 있습니다)" if demo_data else ""
    err.print(f"웹 화면: http://{host}:{port}/web{hint}")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info",
                **proxy_options(settings))


def served_base_url(settings: Settings, host: str, port: int) -> str | None:
    """The base URL of links when `axr serve` listens on HOST:PORT, or None when AXR_PUBLIC_BASE_URL (the
    environment or .env) says it already: behind a proxy only the operator knows the public address. A
    wildcard host (0.0.0.0, ::) is reached on this machine at the loopback address."""
    if "public_base_url" in settings.model_fields_set:
        return None
    name = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{name}]:{port}" if ":" in name else f"http://{name}:{port}"


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
    from core.accounts import ROLE_SCOPES, ROLES
    from core.keys import signing_key
    from core.korean import josa

    if role not in ROLES:
        raise CliError(f"알 수 없는 역할입니다: {role!r} (가능한 역할: {', '.join(ROLES)})",
                       f"unknown role {role!r}; one of {', '.join(ROLES)}", where=Where(field="--role"), code=USAGE)
    allowed = ROLE_SCOPES[role]
    refused = [s for s in scope or [] if s not in allowed]
    if refused:
        raise CliError(f"'{role}' 역할에는 없는 권한 범위입니다: {', '.join(repr(s) for s in refused)} "
                       f"(가능한 범위: {', '.join(allowed)})",
                       f"the {role} role has no scope {', '.join(refused)}; it has {', '.join(allowed)}",
                       where=Where(field="--scope"), code=USAGE)
    if ttl is not None and not 1 <= ttl <= TOKEN_TTL_MAX:
        raise CliError(f"유효 시간은 1초에서 {TOKEN_TTL_MAX:,}초 사이여야 합니다 ({ttl}초)",
                       f"the lifetime must be 1 to {TOKEN_TTL_MAX:,} seconds ({ttl})", where=Where(field="--ttl"),
                       code=USAGE)
    settings = get_settings()
    key_file = settings.key_file().resolve()
    if not key_file.exists():  # a new key would sign tokens that the server (with its own key) refuses
        raise CliError(
            f"서명 키 {josa(key_file, '이')} 없습니다. 서버와 같은 데이터 폴더에서 실행하거나 AXR_DATA_DIR(또는 "
            "AXR_SIGNING_KEY_FILE)로 서버의 폴더를 지정하세요. 새 설치라면 `axr serve`가 키를 만듭니다",
            f"no signing key at {key_file}: run where the server runs, or point AXR_DATA_DIR (or "
            "AXR_SIGNING_KEY_FILE) at the server's data folder; on a new install `axr serve` makes the key",
            code=USAGE)
    service = TokenService(key=signing_key(key_file), issuer=settings.token_issuer,
                           audience=settings.token_audience, ttl=settings.token_ttl_seconds)
    if org is None and role in ("supplier", "sme"):
        org = "org_" + secrets.token_hex(8)
    jwt, _ = service.mint(sub=sub or "cli:" + secrets.token_hex(4), role=role, org=org, scopes=scope or None,
                          ttl=ttl or 3600)
    sys.stdout.write(jwt + "\n")


@app.command("import-catalogue")
def import_catalogue(file: Path = typer.Argument(..., readable=False,  # read (and refused) by cli.errors
                                                 help="A catalogue like shared/eval/catalogue.json")) -> None:
    """Import suppliers (with their designation state) and solutions; each solution keeps its id as `ref`."""
    from cli.catalogue import import_items, read_catalogue

    items = read_catalogue(file)  # the whole file is checked before the database is touched
    migrate.upgrade(get_settings().database_url)
    counts = import_items(items)
    err.print(f"imported {counts['solutions']} solutions ({counts['skipped']} already there), "
              f"{counts['companies']} new suppliers")


@app.command("match")
def match(limit: int | None = typer.Option(
        None, min=1, max=50, help="How many matches at most (default: the need's limit, else 50)")) -> None:
    """Read one need as JSON on stdin (the API's AdHocNeed, or budget_million_krw instead of budget_krw);
    print {"matches": [...]} best first, with the API's fields and `reasons` (the Korean reasons)."""
    import json

    from cli.match import match as run

    sys.stdout.write(json.dumps(run(sys.stdin.read(), limit), ensure_ascii=False) + "\n")


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
