"""outcome documents: an evidence document may support an AX project's measured outcome (성과 증빙)
instead of an application or an appeal (evidence_document.outcome_id)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('evidence_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_evidence_document_outcome_id'), ['outcome_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_evidence_document_outcome_id_programme_outcome'),
                                    'programme_outcome', ['outcome_id'], ['id'], ondelete='RESTRICT')


def downgrade() -> None:
    op.execute("DELETE FROM evidence_document WHERE outcome_id IS NOT NULL")  # outcomes' documents go with them
    with op.batch_alter_table('evidence_document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evidence_document_outcome_id_programme_outcome'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_evidence_document_outcome_id'))
        batch_op.drop_column('outcome_id')
