"""The CLI's transaction: one unit of work per job, with the registry key sealing the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from core.db import get_engine, unit_of_work
from core.keys import signing_key, tree_head_signer
from core.settings import get_settings


@contextmanager
def job() -> Iterator[Session]:
    settings = get_settings()
    with unit_of_work(get_engine(settings.database_url)) as session:
        session.info["audit_signer"] = tree_head_signer(signing_key(settings.key_file()))
        yield session
