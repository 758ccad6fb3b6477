"""Alembic: empty -> head, one step down and up again, and autogenerate at head finds no difference,
on SQLite and (when the suite runs there) PostgreSQL, in a database of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from core import migrate
from core.db import Base, make_engine
from migrations.models import import_all
from tests.conftest import ON_POSTGRES, TEST_URL


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    url = make_url(TEST_URL)
    name = f"{url.database}_migrations"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _diff(url: str) -> list[object]:
    import_all()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(ctx, Base.metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_and_no_drift(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    import_all()
    assert {t.name for t in Base.metadata.sorted_tables} <= _tables(empty_url)
    assert _diff(empty_url) == []

    script = ScriptDirectory.from_config(migrate.alembic_config(empty_url))
    head = script.get_current_head()
    migrate.downgrade(empty_url, "-1")
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() != head
    engine.dispose()
    migrate.upgrade(empty_url)
    assert _diff(empty_url) == []


def test_every_revision_downgrades_to_empty(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    migrate.downgrade(empty_url, "base")
    assert _tables(empty_url) <= {"alembic_version"}
