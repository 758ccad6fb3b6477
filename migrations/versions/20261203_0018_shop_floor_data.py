"""shop-floor data: data profile vocabulary versions, the data a solution needs, an SME's data inventory
(confirmed by its pre-consultant) and datasets shared for AI (private / group / public)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('data_profile_version',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('document', core.db.JSONType, nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_data_profile_version')),
    sa.UniqueConstraint('version', name=op.f('uq_data_profile_version_version'))
    )
    op.create_table('shared_dataset',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_org', sa.String(length=64), nullable=False),
    sa.Column('sme_id', sa.String(length=36), nullable=True),
    sa.Column('group_id', sa.String(length=36), nullable=True),
    sa.Column('title_ko', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=True),
    sa.Column('description_ko', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=True),
    sa.Column('keywords', core.db.JSONType, nullable=False),
    sa.Column('profile_code', sa.String(length=48), nullable=False),
    sa.Column('industry', sa.String(length=8), nullable=True),
    sa.Column('licence', sa.String(length=100), nullable=False),
    sa.Column('temporal_start', sa.Date(), nullable=True),
    sa.Column('temporal_end', sa.Date(), nullable=True),
    sa.Column('spatial', sa.String(length=100), nullable=True),
    sa.Column('media_format', sa.String(length=100), nullable=False),
    sa.Column('access', sa.String(length=8), nullable=False),
    sa.Column('anonymisation_ko', sa.Text(), nullable=False),
    sa.Column('file_uri', sa.String(length=2000), nullable=True),
    sa.Column('document_id', sa.String(length=36), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("access <> 'group' OR group_id IS NOT NULL", name=op.f('ck_shared_dataset_group_named')),
    sa.CheckConstraint("access IN ('private', 'group', 'public')", name=op.f('ck_shared_dataset_access')),
    sa.ForeignKeyConstraint(['group_id'], ['programme_group.id'],
                            name=op.f('fk_shared_dataset_group_id_programme_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sme_id'], ['sme.id'], name=op.f('fk_shared_dataset_sme_id_sme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_dataset'))
    )
    with op.batch_alter_table('shared_dataset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shared_dataset_access'), ['access'], unique=False)
        batch_op.create_index(batch_op.f('ix_shared_dataset_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shared_dataset_owner_org'), ['owner_org'], unique=False)
        batch_op.create_index(batch_op.f('ix_shared_dataset_profile_code'), ['profile_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_shared_dataset_sme_id'), ['sme_id'], unique=False)
    op.create_table('sme_data_holding',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('sme_id', sa.String(length=36), nullable=False),
    sa.Column('profile_code', sa.String(length=48), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('volume', sa.BigInteger(), nullable=True),
    sa.Column('collection', sa.String(length=8), nullable=False),
    sa.Column('sampling_rate_hz', sa.Float(), nullable=True),
    sa.Column('labelled', sa.Boolean(), nullable=False),
    sa.Column('note_ko', sa.String(length=500), nullable=True),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_by', sa.String(length=200), nullable=True),
    sa.Column('confirmed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("collection IN ('manual', 'plc', 'mes', 'sensor')", name=op.f('ck_sme_data_holding_collection')),
    sa.ForeignKeyConstraint(['sme_id'], ['sme.id'], name=op.f('fk_sme_data_holding_sme_id_sme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sme_data_holding')),
    sa.UniqueConstraint('sme_id', 'profile_code', name=op.f('uq_sme_data_holding_sme_id'))
    )
    with op.batch_alter_table('sme_data_holding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sme_data_holding_sme_id'), ['sme_id'], unique=False)
    op.create_table('solution_data_requirement',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('solution_id', sa.String(length=36), nullable=False),
    sa.Column('profile_code', sa.String(length=48), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('min_sampling_rate_hz', sa.Float(), nullable=True),
    sa.Column('min_volume', sa.BigInteger(), nullable=True),
    sa.Column('labelling_needed', sa.Boolean(), nullable=False),
    sa.Column('note_ko', sa.String(length=500), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['solution_id'], ['solution.id'],
                            name=op.f('fk_solution_data_requirement_solution_id_solution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solution_data_requirement')),
    sa.UniqueConstraint('solution_id', 'profile_code', name=op.f('uq_solution_data_requirement_solution_id'))
    )
    with op.batch_alter_table('solution_data_requirement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solution_data_requirement_solution_id'), ['solution_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('solution_data_requirement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solution_data_requirement_solution_id'))
    op.drop_table('solution_data_requirement')
    with op.batch_alter_table('sme_data_holding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sme_data_holding_sme_id'))
    op.drop_table('sme_data_holding')
    with op.batch_alter_table('shared_dataset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shared_dataset_sme_id'))
        batch_op.drop_index(batch_op.f('ix_shared_dataset_profile_code'))
        batch_op.drop_index(batch_op.f('ix_shared_dataset_owner_org'))
        batch_op.drop_index(batch_op.f('ix_shared_dataset_group_id'))
        batch_op.drop_index(batch_op.f('ix_shared_dataset_access'))
    op.drop_table('shared_dataset')
    op.drop_table('data_profile_version')
