"""budget approval: a budget line is submitted, then approved or returned by an officer; the fiscal
year's government envelope. Lines written before this revision were counted as approved, and stay so.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401  (autogenerate renders JSONB(astext_type=Text()))

import core.db

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('programme_fiscal_envelope',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('gov_krw', sa.BigInteger(), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('gov_krw >= 0', name=op.f('ck_programme_fiscal_envelope_gov')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_programme_fiscal_envelope'))
    )
    with op.batch_alter_table('programme_budget_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=12), server_default='submitted', nullable=False))
        batch_op.add_column(sa.Column('decided_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('decided_at', core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decision_reason', sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f('ix_programme_budget_line_status'), ['status'], unique=False)
        batch_op.create_check_constraint('status', "status IN ('submitted', 'approved', 'returned')")
    op.execute("UPDATE programme_budget_line SET status = 'approved'")



def downgrade() -> None:
    with op.batch_alter_table('programme_budget_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_programme_budget_line_status'), type_='check')
        batch_op.drop_index(batch_op.f('ix_programme_budget_line_status'))
        batch_op.drop_column('decision_reason')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decided_by')
        batch_op.drop_column('status')

    op.drop_table('programme_fiscal_envelope')
