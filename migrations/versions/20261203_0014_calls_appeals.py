"""calls and appeals: calls for applications (공고) that applications name, appeals (이의신청) with their
panels, and evidence documents that belong to an appeal

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import core.db
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('appeal',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('company_id', sa.String(length=36), nullable=False),
    sa.Column('applicant_org', sa.String(length=64), nullable=False),
    sa.Column('subject_type', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('decision_seq', sa.BigInteger(), nullable=False),
    sa.Column('decision_action', sa.String(length=24), nullable=False),
    sa.Column('decided_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reasons_ko', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('outcome_reason', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('outcome_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome_seq', sa.BigInteger(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_appeal_company_id_company'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal')),
    sa.UniqueConstraint('decision_seq', name=op.f('uq_appeal_decision_seq'))
    )
    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_applicant_org'), ['applicant_org'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeal_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeal_state'), ['state'], unique=False)

    op.create_table('call',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title_ko', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=True),
    sa.Column('summary_ko', sa.Text(), nullable=True),
    sa.Column('opens_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('criteria_version', sa.String(length=40), nullable=False),
    sa.Column('rubric_version', sa.String(length=40), nullable=False),
    sa.Column('quotas', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_call_window')),
    sa.ForeignKeyConstraint(['criteria_version'], ['criteria_version.version'], name=op.f('fk_call_criteria_version_criteria_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call'))
    )
    op.create_table('appeal_seat',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('appeal_id', sa.String(length=36), nullable=False),
    sa.Column('reviewer_sub', sa.String(length=200), nullable=False),
    sa.Column('assigned_by', sa.String(length=200), nullable=False),
    sa.Column('assigned_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeal.id'], name=op.f('fk_appeal_seat_appeal_id_appeal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_sub'], ['reviewer_profile.sub'], name=op.f('fk_appeal_seat_reviewer_sub_reviewer_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_seat')),
    sa.UniqueConstraint('appeal_id', 'reviewer_sub', name=op.f('uq_appeal_seat_appeal_id'))
    )
    with op.batch_alter_table('appeal_seat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_seat_appeal_id'), ['appeal_id'], unique=False)

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('call_field', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_application_call_id'), ['call_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_application_call_id_call'), 'call', ['call_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('evidence_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appeal_id', sa.String(length=36), nullable=True))
        batch_op.alter_column('application_id',
               existing_type=sa.VARCHAR(length=36),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_evidence_document_appeal_id'), ['appeal_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_evidence_document_appeal_id_appeal'), 'appeal', ['appeal_id'], ['id'], ondelete='RESTRICT')



def downgrade() -> None:
    op.execute("DELETE FROM evidence_document WHERE appeal_id IS NOT NULL")  # appeals' documents go with them
    with op.batch_alter_table('evidence_document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evidence_document_appeal_id_appeal'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_evidence_document_appeal_id'))
        batch_op.alter_column('application_id',
               existing_type=sa.VARCHAR(length=36),
               nullable=False)
        batch_op.drop_column('appeal_id')

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_application_call_id_call'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_application_call_id'))
        batch_op.drop_column('call_field')
        batch_op.drop_column('call_id')

    with op.batch_alter_table('appeal_seat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_seat_appeal_id'))

    op.drop_table('appeal_seat')
    op.drop_table('call')
    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_state'))
        batch_op.drop_index(batch_op.f('ix_appeal_company_id'))
        batch_op.drop_index(batch_op.f('ix_appeal_applicant_org'))

    op.drop_table('appeal')
