"""Revision 0004 creates exactly the portal models' tables, and downgrades and upgrades again cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from core import migrate
from core.db import Base
from migrations.models import import_all

TABLES = {"webhook_endpoint", "webhook_delivery", "webhook_dispatch_state"}


def test_portal_revision_matches_the_models_and_round_trips(tmp_path):
    url = f"sqlite:///{tmp_path}/m.db"
    import_all()
    migrate.upgrade(url, "0004")
    engine = create_engine(url)
    try:
        assert TABLES <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        ours = [d for d in diff if any(t in repr(d) for t in TABLES)]
        assert ours == []
        migrate.downgrade(url, "0003")
        assert not TABLES & set(inspect(engine).get_table_names())
        migrate.upgrade(url, "0004")
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
