"""supply-chain group membership by consent: invited -> accepted | declined, and what the member shares

Memberships made before this revision were never consented to: they become invitations, which the
SME accepts (choosing what it shares) or declines.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import core.db

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('programme_group_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=16), server_default='invited', nullable=False))
        batch_op.add_column(sa.Column('share', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'),
                                      server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('invited_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('responded_at', core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(op.f('ck_programme_group_member_state'),
                                         "state IN ('invited', 'accepted', 'declined')")


def downgrade() -> None:
    with op.batch_alter_table('programme_group_member', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_programme_group_member_state'), type_='check')
        batch_op.drop_column('responded_at')
        batch_op.drop_column('invited_by')
        batch_op.drop_column('share')
        batch_op.drop_column('state')
