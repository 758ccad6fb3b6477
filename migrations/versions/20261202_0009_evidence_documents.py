"""evidence documents attached to applications, stored by SHA-256 (the digest also in the audit log);
the facts an application is screened on, frozen at submission

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

import core.db
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'evidence_document',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('application_id', sa.String(length=36), nullable=False),
        sa.Column('purpose', sa.String(length=16), nullable=False),
        sa.Column('criterion', sa.String(length=16), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by', sa.String(length=200), nullable=False),
        sa.Column('audit_seq', sa.BigInteger(), nullable=False),
        sa.Column('uploaded_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                                name=op.f('fk_evidence_document_application_id_application'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_document')),
    )
    op.create_index('ix_evidence_document_application', 'evidence_document', ['application_id', 'uploaded_at'],
                    unique=False)
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facts', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('facts')
    op.drop_index('ix_evidence_document_application', table_name='evidence_document')
    op.drop_table('evidence_document')
