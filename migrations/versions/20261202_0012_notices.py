"""notices: the outbox of messages to organisations (inbox and e-mail), one per (event, recipient)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

import core.db
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'notice',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('event_key', sa.String(length=120), nullable=False),
        sa.Column('recipient_org', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('subject_ko', sa.String(length=300), nullable=False),
        sa.Column('subject_en', sa.String(length=300), nullable=False),
        sa.Column('body_ko', sa.Text(), nullable=False),
        sa.Column('body_en', sa.Text(), nullable=False),
        sa.Column('link', sa.String(length=300), nullable=True),
        sa.Column('email_to', sa.String(length=254), nullable=True),
        sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('delivered_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('read_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('email_status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('next_attempt_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
        sa.UniqueConstraint('event_key', 'recipient_org', name='uq_notice_event_recipient'),
    )
    op.create_index('ix_notice_inbox', 'notice', ['recipient_org', 'id'], unique=False)
    op.create_index('ix_notice_pending', 'notice', ['email_status', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_notice_pending', table_name='notice')
    op.drop_index('ix_notice_inbox', table_name='notice')
    op.drop_table('notice')
