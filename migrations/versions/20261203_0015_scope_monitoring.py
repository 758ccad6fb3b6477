"""scope and monitoring: the fields a certificate covers (and an application asks for), annual performance
reports with evidence files, suspension cases for missed reports, flags on edits to designated listings

Existing certificates get the categories of their company's published solutions as their scope (what the
designation covered in practice until now: every published solution).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

import core.db
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    return core.db.JSONType


def upgrade() -> None:
    with op.batch_alter_table('certificate') as batch:
        batch.add_column(sa.Column('scope', _json(), nullable=True))
    with op.batch_alter_table('application') as batch:
        batch.add_column(sa.Column('requested_scope', _json(), nullable=True))
    conn = op.get_bind()
    certs = conn.execute(sa.text("SELECT id, company_id FROM certificate")).all()
    rows = conn.execute(sa.text("SELECT DISTINCT company_id, category FROM solution WHERE status = 'published'")).all()
    fields: dict[str, set[str]] = {}
    for company_id, category in rows:
        fields.setdefault(company_id, set()).add(category)
    cert_table = sa.table('certificate', sa.column('id', sa.String), sa.column('scope', _json()))
    for cert_id, company_id in certs:
        conn.execute(cert_table.update().where(cert_table.c.id == cert_id)
                     .values(scope=sorted(fields.get(company_id, set()))))
    with op.batch_alter_table('certificate') as batch:
        batch.alter_column('scope', existing_type=_json(), nullable=False)

    op.create_table(
        'performance_report',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('certificate_id', sa.String(length=36), nullable=False),
        sa.Column('company_id', sa.String(length=36), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('deployments', sa.Integer(), nullable=False),
        sa.Column('manufacturing_ai_revenue_krw', sa.BigInteger(), nullable=False),
        sa.Column('ai_staff', sa.Integer(), nullable=False),
        sa.Column('summary_ko', sa.Text(), nullable=True),
        sa.Column('created_by', sa.String(length=200), nullable=False),
        sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('submitted_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('on_time', sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'],
                                name=op.f('fk_performance_report_certificate_id_certificate'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['company_id'], ['company.id'],
                                name=op.f('fk_performance_report_company_id_company'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_report')),
        sa.UniqueConstraint('certificate_id', 'year', name=op.f('uq_performance_report_certificate_id')),
    )
    op.create_index(op.f('ix_performance_report_certificate_id'), 'performance_report', ['certificate_id'])
    op.create_index(op.f('ix_performance_report_company_id'), 'performance_report', ['company_id'])
    op.create_table(
        'report_document',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('report_id', sa.String(length=36), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by', sa.String(length=200), nullable=False),
        sa.Column('audit_seq', sa.BigInteger(), nullable=False),
        sa.Column('uploaded_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['performance_report.id'],
                                name=op.f('fk_report_document_report_id_performance_report'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_document')),
    )
    op.create_index(op.f('ix_report_document_report_id'), 'report_document', ['report_id'])
    op.create_table(
        'suspension_case',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('certificate_id', sa.String(length=36), nullable=False),
        sa.Column('company_id', sa.String(length=36), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('opened_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=True),
        sa.Column('decided_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'],
                                name=op.f('fk_suspension_case_certificate_id_certificate'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['company_id'], ['company.id'],
                                name=op.f('fk_suspension_case_company_id_company'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suspension_case')),
        sa.UniqueConstraint('certificate_id', 'year', name=op.f('uq_suspension_case_certificate_id')),
    )
    op.create_index(op.f('ix_suspension_case_certificate_id'), 'suspension_case', ['certificate_id'])
    op.create_index('ix_suspension_case_state', 'suspension_case', ['state'])
    op.create_table(
        'listing_edit',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('company_id', sa.String(length=36), nullable=False),
        sa.Column('certificate_number', sa.String(length=40), nullable=False),
        sa.Column('resource', sa.String(length=16), nullable=False),
        sa.Column('resource_id', sa.String(length=36), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('changes', _json(), nullable=False),
        sa.Column('in_scope', sa.Boolean(), nullable=True),
        sa.Column('edited_by', sa.String(length=200), nullable=False),
        sa.Column('edited_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('acknowledged_by', sa.String(length=200), nullable=True),
        sa.Column('acknowledged_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['company_id'], ['company.id'],
                                name=op.f('fk_listing_edit_company_id_company'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_edit')),
    )
    op.create_index('ix_listing_edit_open', 'listing_edit', ['acknowledged_at', 'edited_at'])
    op.create_index('ix_listing_edit_company', 'listing_edit', ['company_id', 'edited_at'])


def downgrade() -> None:
    op.drop_index('ix_listing_edit_company', table_name='listing_edit')
    op.drop_index('ix_listing_edit_open', table_name='listing_edit')
    op.drop_table('listing_edit')
    op.drop_index('ix_suspension_case_state', table_name='suspension_case')
    op.drop_index(op.f('ix_suspension_case_certificate_id'), table_name='suspension_case')
    op.drop_table('suspension_case')
    op.drop_index(op.f('ix_report_document_report_id'), table_name='report_document')
    op.drop_table('report_document')
    op.drop_index(op.f('ix_performance_report_company_id'), table_name='performance_report')
    op.drop_index(op.f('ix_performance_report_certificate_id'), table_name='performance_report')
    op.drop_table('performance_report')
    with op.batch_alter_table('application') as batch:
        batch.drop_column('requested_scope')
    with op.batch_alter_table('certificate') as batch:
        batch.drop_column('scope')
