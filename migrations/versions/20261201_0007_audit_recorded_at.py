"""audit_log.recorded_at holds the entry's own time, so `axr audit verify` can check it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Data only: rows written before this revision took recorded_at from the database clock a few
microseconds after the entry's "at"; verification now requires the two to be equal, so each row gets
its entry's time. Nothing to undo on downgrade (the old code never read the column).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    audit = sa.table('audit_log', sa.column('seq', sa.BigInteger()), sa.column('entry', sa.LargeBinary()),
                     sa.column('recorded_at', core.db.UTCDateTime(timezone=True)))
    conn = op.get_bind()
    after = -1
    while True:
        rows = conn.execute(sa.select(audit.c.seq, audit.c.entry).where(audit.c.seq > after)
                            .order_by(audit.c.seq).limit(BATCH)).all()
        if not rows:
            break
        updates = []
        for seq, entry in rows:
            try:
                at = datetime.fromisoformat(json.loads(entry)["at"])
            except (ValueError, KeyError, TypeError):
                continue  # not an entry this code wrote: left for `axr audit verify` to name
            updates.append({"b_seq": seq, "b_at": at})
        if updates:
            conn.execute(audit.update().where(audit.c.seq == sa.bindparam('b_seq'))
                         .values(recorded_at=sa.bindparam('b_at')), updates)
        after = rows[-1][0]


def downgrade() -> None:
    pass
