"""document scan: the virus scan result of each evidence document and report document (clamd, evidence/scan.py)

Existing rows were never scanned: they get "not_scanned" (never "clean" unless clamd said so).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

import core.db
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('evidence_document', 'report_document')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('scan_status', sa.String(length=16), server_default='not_scanned',
                                       nullable=False))
            batch.add_column(sa.Column('scanned_at', core.db.UTCDateTime(timezone=True), nullable=True))
            batch.add_column(sa.Column('scanner', sa.String(length=200), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('scanner')
            batch.drop_column('scanned_at')
            batch.drop_column('scan_status')
