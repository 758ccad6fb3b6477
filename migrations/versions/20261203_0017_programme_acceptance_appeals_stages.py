"""programme: the officer's acceptance of a completed project, an SME's appeal of its selection result,
and the AI introduction stage planned for each fiscal year (named by each budget line)

Existing data: every completed project that already has a post-consultant evaluation is treated as accepted
by this migration (state 'accepted', accepted_on = the evaluation's date, accepted_by 'migration:0017'), since
until now the KPIs counted "completed and evaluated" as accepted; completed projects without an evaluation stay
completed and wait for the officer. Existing budget lines name no stage (stage NULL); projects start with an
empty stage plan. Downgrading turns accepted projects back into completed ones (the acceptance is lost).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

import core.db
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('programme_project') as batch:
        batch.add_column(sa.Column('ai_stages', core.db.JSONType, server_default=sa.text("'[]'"), nullable=False))
        batch.add_column(sa.Column('ai_stages_version', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('accepted_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('accepted_by', sa.String(length=200), nullable=True))
    with op.batch_alter_table('programme_budget_line') as batch:
        batch.add_column(sa.Column('stage', sa.String(length=24), nullable=True))

    conn = op.get_bind()
    evaluated = conn.execute(sa.text(
        "SELECT p.id, c.recorded_at FROM programme_project p JOIN programme_consultation c "
        "ON c.project_id = p.id AND c.kind = 'post' WHERE p.state = 'completed'")).all()
    project = sa.table('programme_project', sa.column('id', sa.String), sa.column('state', sa.String),
                       sa.column('accepted_on', sa.Date), sa.column('accepted_by', sa.String))
    for project_id, recorded_at in evaluated:
        day = (recorded_at if isinstance(recorded_at, datetime) else datetime.fromisoformat(str(recorded_at))).date()
        conn.execute(project.update().where(project.c.id == project_id)
                     .values(state='accepted', accepted_on=day, accepted_by='migration:0017'))

    op.create_table(
        'programme_selection_appeal',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('cohort_id', sa.String(length=36), nullable=False),
        sa.Column('run_id', sa.String(length=36), nullable=False),
        sa.Column('sme_id', sa.String(length=36), nullable=False),
        sa.Column('outcome_before', sa.String(length=12), nullable=False),
        sa.Column('reason_ko', sa.Text(), nullable=False),
        sa.Column('filed_by', sa.String(length=200), nullable=False),
        sa.Column('filed_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=True),
        sa.Column('decided_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=True),
        sa.Column('outcome_after', sa.String(length=12), nullable=True),
        sa.Column('waitlist_position', sa.Integer(), nullable=True),
        sa.CheckConstraint("state IN ('submitted', 'upheld', 'dismissed')",
                           name=op.f('ck_programme_selection_appeal_state')),
        sa.ForeignKeyConstraint(['cohort_id'], ['programme_cohort.id'],
                                name=op.f('fk_programme_selection_appeal_cohort_id_programme_cohort'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['programme_selection_run.id'],
                                name=op.f('fk_programme_selection_appeal_run_id_programme_selection_run'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sme_id'], ['sme.id'], name=op.f('fk_programme_selection_appeal_sme_id_sme'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_selection_appeal')),
        sa.UniqueConstraint('cohort_id', 'sme_id', name=op.f('uq_programme_selection_appeal_cohort_id')),
    )
    op.create_index(op.f('ix_programme_selection_appeal_cohort_id'), 'programme_selection_appeal', ['cohort_id'])
    op.create_index(op.f('ix_programme_selection_appeal_sme_id'), 'programme_selection_appeal', ['sme_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_programme_selection_appeal_sme_id'), table_name='programme_selection_appeal')
    op.drop_index(op.f('ix_programme_selection_appeal_cohort_id'), table_name='programme_selection_appeal')
    op.drop_table('programme_selection_appeal')
    op.execute("UPDATE programme_project SET state = 'completed' WHERE state = 'accepted'")
    with op.batch_alter_table('programme_budget_line') as batch:
        batch.drop_column('stage')
    with op.batch_alter_table('programme_project') as batch:
        batch.drop_column('accepted_by')
        batch.drop_column('accepted_on')
        batch.drop_column('ai_stages_version')
        batch.drop_column('ai_stages')
