"""accounts and clients can revoke the tokens issued before a moment (disable, secret rotation)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tokens_not_before', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('oauth_client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tokens_not_before', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('oauth_client', schema=None) as batch_op:
        batch_op.drop_column('tokens_not_before')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('tokens_not_before')
