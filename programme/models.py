"""ORM models of the SME programme: yearly selection cohorts, AX projects with their budget lines and
spending, shortlist snapshots, consultants and consultations, measured outcomes, supply-chain groups.

Ownership follows the registry: a project belongs to its SME's `owner_org`; a supply-chain group to its
lead firm's organisation (`lead_org`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base
from core.ids import new_id


class Cohort(Base):
    """One year's selection: up to `capacity` SMEs are selected from the candidates."""

    __tablename__ = "programme_cohort"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    year: Mapped[int] = mapped_column(unique=True)
    capacity: Mapped[int]
    name_ko: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity"),)


class CohortMember(Base):
    """An SME in a cohort: candidate -> selected -> graduated | dropped, with dates and reasons."""

    __tablename__ = "programme_cohort_member"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    cohort_id: Mapped[str] = mapped_column(ForeignKey("programme_cohort.id", ondelete="CASCADE"), index=True)
    sme_id: Mapped[str] = mapped_column(ForeignKey("sme.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="candidate", index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    selected_on: Mapped[date | None] = mapped_column(Date)
    graduated_on: Mapped[date | None] = mapped_column(Date)
    dropped_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("cohort_id", "sme_id"),)


class Consultant(Base):
    """A registered expert; `sub` is the subject of their access tokens (role consultant)."""

    __tablename__ = "programme_consultant"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sub: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    # [{"name": ..., "company_id": ..., "business_number": ...}]: employers, boards, shareholdings
    affiliations: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class SupplyChainGroup(Base):
    """AX by supply chain: a large company (lead firm) and its partner SMEs share AI resources."""

    __tablename__ = "programme_group"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name_ko: Mapped[str] = mapped_column(String(200))
    lead_org: Mapped[str] = mapped_column(String(64), index=True)
    lead_name_ko: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class GroupMember(Base):
    """An SME's place in a group, by consent: the lead invites (`invited`), the SME accepts (`accepted`) or
    declines (`declined`); an admin may set `accepted` directly. Only an accepted member is a member.
    `share` is what the member agreed to show the lead: aggregates of its group projects, never rows."""

    __tablename__ = "programme_group_member"

    group_id: Mapped[str] = mapped_column(ForeignKey("programme_group.id", ondelete="CASCADE"), primary_key=True)
    sme_id: Mapped[str] = mapped_column(ForeignKey("sme.id", ondelete="CASCADE"), primary_key=True, index=True)
    joined_at: Mapped[datetime] = mapped_column(default=clock.now)  # invited (or set by an admin) at
    state: Mapped[str] = mapped_column(String(16), default="invited", server_default="invited")
    share: Mapped[list[Any]] = mapped_column(default=list, server_default=text("'[]'"))
    invited_by: Mapped[str | None] = mapped_column(String(200))
    responded_at: Mapped[datetime | None]

    __table_args__ = (CheckConstraint("state IN ('invited', 'accepted', 'declined')", name="state"),)


class SharedResource(Base):
    """An AI resource the lead firm shares with its partners, e.g. its manufacturing LLM."""

    __tablename__ = "programme_shared_resource"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ForeignKey("programme_group.id", ondelete="CASCADE"), index=True)
    name_ko: Mapped[str] = mapped_column(String(200))
    description_ko: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    solution_id: Mapped[str | None] = mapped_column(ForeignKey("solution.id", ondelete="SET NULL"))
    access_terms: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class GroupNeed(Base):
    """A need stated for the whole group (its members usually share the process)."""

    __tablename__ = "programme_group_need"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ForeignKey("programme_group.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[Any]] = mapped_column(default=list)
    budget_krw: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Project(Base):
    """An SME's AX project: its need, the chosen designated solution and supplier, budget and state."""

    __tablename__ = "programme_project"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sme_id: Mapped[str] = mapped_column(ForeignKey("sme.id", ondelete="RESTRICT"), index=True)
    need_id: Mapped[str | None] = mapped_column(ForeignKey("need.id", ondelete="SET NULL"))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("programme_group.id", ondelete="SET NULL"))
    year: Mapped[int] = mapped_column(index=True)
    title_ko: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default="planned", index=True)
    solution_id: Mapped[str | None] = mapped_column(ForeignKey("solution.id", ondelete="RESTRICT"))
    supplier_company_id: Mapped[str | None] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"),
                                                            index=True)
    stage_plan: Mapped[list[Any]] = mapped_column(default=list)
    # the AI introduction stage planned for each fiscal year: [{"year", "stage", "note_ko"}] (programme/stages.py)
    ai_stages: Mapped[list[Any]] = mapped_column(default=list, server_default=text("'[]'"))
    ai_stages_version: Mapped[str | None] = mapped_column(String(32))
    pre_consultant_id: Mapped[str | None] = mapped_column(ForeignKey("programme_consultant.id"))
    post_consultant_id: Mapped[str | None] = mapped_column(ForeignKey("programme_consultant.id"))
    contracted_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)  # the officer accepted the completion
    accepted_by: Mapped[str | None] = mapped_column(String(200))
    state_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __mapper_args__ = {"version_id_col": version}


class ShortlistSnapshot(Base):
    """The matches as they were when shortlisted: later catalogue changes cannot rewrite them."""

    __tablename__ = "programme_shortlist"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("programme_project.id", ondelete="CASCADE"), index=True)
    taken_by: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[datetime] = mapped_column(default=clock.now)
    query: Mapped[dict[str, Any]] = mapped_column(default=dict)
    items: Mapped[list[Any]] = mapped_column(default=list)


class FiscalEnvelope(Base):
    """The ministry-wide government money of a fiscal year: approved government lines never exceed it."""

    __tablename__ = "programme_fiscal_envelope"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    gov_krw: Mapped[int] = mapped_column(BigInteger)
    set_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (CheckConstraint("gov_krw >= 0", name="gov"),)


class BudgetLine(Base):
    """An amount for one year and one source (government or the SME's own investment), submitted by the
    SME; it counts toward the caps, the envelope and the contract only once an officer approved it."""

    __tablename__ = "programme_budget_line"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("programme_project.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    source: Mapped[str] = mapped_column(String(8))  # gov | own
    amount_krw: Mapped[int] = mapped_column(BigInteger)
    stage: Mapped[str | None] = mapped_column(String(24))  # the year's planned AI stage (None before 0017)
    note: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    status: Mapped[str] = mapped_column(String(12), default="submitted", server_default="submitted", index=True)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (CheckConstraint("amount_krw > 0", name="amount"),
                      CheckConstraint("source IN ('gov', 'own')", name="source"),
                      CheckConstraint("status IN ('submitted', 'approved', 'returned')", name="status"))


class Expenditure(Base):
    __tablename__ = "programme_expenditure"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("programme_project.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    source: Mapped[str] = mapped_column(String(8))
    amount_krw: Mapped[int] = mapped_column(BigInteger)
    spent_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (CheckConstraint("amount_krw > 0", name="amount"),
                      CheckConstraint("source IN ('gov', 'own')", name="source"))


class Consultation(Base):
    """Pre-consulting (diagnosis) or post-consulting (evaluation of the result) on a project."""

    __tablename__ = "programme_consultation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("programme_project.id", ondelete="CASCADE"), index=True)
    consultant_id: Mapped[str] = mapped_column(ForeignKey("programme_consultant.id"))
    kind: Mapped[str] = mapped_column(String(8))  # pre | post
    assessed_level: Mapped[str | None] = mapped_column(String(16))
    recommended_stages: Mapped[list[Any]] = mapped_column(default=list)
    priority_needs: Mapped[list[Any]] = mapped_column(default=list)
    evaluation_ko: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None]
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (UniqueConstraint("project_id", "kind"),)


class Outcome(Base):
    """A measured before/after figure of a project, entered by the SME, confirmed by the post-consultant."""

    __tablename__ = "programme_outcome"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("programme_project.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(String(24))
    unit: Mapped[str] = mapped_column(String(16))
    before: Mapped[float] = mapped_column(Float)
    after: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(String(500))
    entered_by: Mapped[str] = mapped_column(String(200))
    entered_at: Mapped[datetime] = mapped_column(default=clock.now)
    confirmed_by: Mapped[str | None] = mapped_column(ForeignKey("programme_consultant.id"))
    confirmed_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("project_id", "metric"),
                      Index("ix_programme_outcome_confirmed", "confirmed_at"))
