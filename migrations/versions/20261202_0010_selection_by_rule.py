"""selection by rule: SME profiles (scale, confirmed level), selection rule versions, runs with the
digest of their ordered result, and one decision with reasons per applicant

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401  (autogenerate renders JSONB(astext_type=Text()))
from sqlalchemy.dialects import postgresql
import core.db

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('programme_selection_rule',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('loaded_by', sa.String(length=200), nullable=False),
    sa.Column('loaded_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_selection_rule')),
    sa.UniqueConstraint('year', 'version', name=op.f('uq_programme_selection_rule_year'))
    )
    with op.batch_alter_table('programme_selection_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_selection_rule_year'), ['year'], unique=False)

    op.create_table('programme_selection_run',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('cohort_id', sa.String(length=36), nullable=False),
    sa.Column('rule_id', sa.String(length=36), nullable=False),
    sa.Column('run_by', sa.String(length=200), nullable=False),
    sa.Column('run_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('applicants', sa.Integer(), nullable=False),
    sa.Column('selected', sa.Integer(), nullable=False),
    sa.Column('waitlisted', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('elapsed_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['programme_cohort.id'], name=op.f('fk_programme_selection_run_cohort_id_programme_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_id'], ['programme_selection_rule.id'], name=op.f('fk_programme_selection_run_rule_id_programme_selection_rule'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_selection_run'))
    )
    with op.batch_alter_table('programme_selection_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_selection_run_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('programme_sme_profile',
    sa.Column('sme_id', sa.String(length=36), nullable=False),
    sa.Column('sales_krw', sa.BigInteger(), nullable=False),
    sa.Column('employees', sa.Integer(), nullable=False),
    sa.Column('founded_year', sa.Integer(), nullable=True),
    sa.Column('confirmed_level', sa.String(length=16), nullable=True),
    sa.Column('diagnosis_score', sa.Float(), nullable=True),
    sa.Column('supply_chain', sa.Boolean(), nullable=False),
    sa.Column('prior_support', sa.Boolean(), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('employees >= 0', name=op.f('ck_programme_sme_profile_employees')),
    sa.CheckConstraint('sales_krw >= 0', name=op.f('ck_programme_sme_profile_sales')),
    sa.ForeignKeyConstraint(['sme_id'], ['sme.id'], name=op.f('fk_programme_sme_profile_sme_id_sme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sme_id', name=op.f('pk_programme_sme_profile'))
    )
    op.create_table('programme_selection_decision',
    sa.Column('run_id', sa.String(length=36), nullable=False),
    sa.Column('sme_id', sa.String(length=36), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('waitlist_position', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('groups', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('reasons', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('promoted_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("outcome IN ('selected', 'waitlisted', 'refused')", name=op.f('ck_programme_selection_decision_outcome')),
    sa.ForeignKeyConstraint(['run_id'], ['programme_selection_run.id'], name=op.f('fk_programme_selection_decision_run_id_programme_selection_run'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sme_id'], ['sme.id'], name=op.f('fk_programme_selection_decision_sme_id_sme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'sme_id', name=op.f('pk_programme_selection_decision'))
    )
    with op.batch_alter_table('programme_selection_decision', schema=None) as batch_op:
        batch_op.create_index('ix_programme_selection_decision_run_outcome', ['run_id', 'outcome', 'waitlist_position'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('programme_selection_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_programme_selection_decision_run_outcome')

    op.drop_table('programme_selection_decision')
    op.drop_table('programme_sme_profile')
    with op.batch_alter_table('programme_selection_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_selection_run_cohort_id'))

    op.drop_table('programme_selection_run')
    with op.batch_alter_table('programme_selection_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_selection_rule_year'))

    op.drop_table('programme_selection_rule')
