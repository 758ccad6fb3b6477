"""kpi snapshots: the headline KPI figures of a programme year, stored when taken (axr report snapshot)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import core.db

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('programme_kpi_snapshot',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('taken_by', sa.String(length=200), nullable=False),
    sa.Column('taken_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('figures', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_kpi_snapshot'))
    )
    op.create_index('ix_programme_kpi_snapshot_year_taken', 'programme_kpi_snapshot', ['year', 'taken_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_programme_kpi_snapshot_year_taken', table_name='programme_kpi_snapshot')
    op.drop_table('programme_kpi_snapshot')
