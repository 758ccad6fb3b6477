"""Pydantic schemas of supply-chain groups: the group, consented membership and what a member shares,
shared AI resources, group-level needs, and group-aware matches."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from registry.fields import Krw, LongText, Name, Read, ShortText, Strict
from registry.reference import Category


class ShareKind(StrEnum):
    """What an accepted member may agree to show its lead firm: aggregates of its projects in the group."""

    projects = "projects"  # how many of its group projects are in each state
    outcomes = "outcomes"  # confirmed outcomes per metric: how many and the mean relative change


class MembershipState(StrEnum):
    invited = "invited"
    accepted = "accepted"
    declined = "declined"


class GroupCreate(Strict):
    name_ko: Name = Field(examples=["현대모비스 협력사 AX 얼라이언스"])
    lead_name_ko: Name = Field(examples=["대한모빌리티 주식회사"])
    lead_org: str | None = Field(None, max_length=64, description="Admin only: the lead firm's organisation")


class GroupRead(Read):
    id: str
    name_ko: str
    lead_org: str
    lead_name_ko: str
    members: list[str] = Field(default_factory=list, description=(
        "Accepted members the caller may see: all of them for the lead firm and staff, only itself for a member"))
    membership: MembershipState | None = Field(None, description="The calling SME's own membership, if any")


class GroupMemberAdd(Strict):
    sme_id: str = Field(max_length=36)
    share: list[ShareKind] | None = Field(None, max_length=len(ShareKind), description=(
        "Admin only, setting an accepted membership directly (e.g. from a signed agreement): what it shares. "
        "A lead firm invites; only the SME itself chooses what it shares when it accepts."))


class MembershipAccept(Strict):
    share: list[ShareKind] = Field(default_factory=list, max_length=len(ShareKind), description=(
        "What the lead firm may see of your projects in this group, as aggregates; nothing when empty. "
        "Accepting again changes it."), examples=[["projects", "outcomes"]])


class MetricSummary(Read):
    confirmed: int
    mean_change: float | None = Field(description="Mean of (after - before) / before over the confirmed figures")


class MemberSummary(Read):
    """Only the parts the member shares are present; never budget lines, spending, consultations or rows."""

    projects: dict[str, int] | None = Field(None, description="Group projects per state")
    outcomes: dict[str, MetricSummary] | None = Field(None, description="Confirmed outcomes per metric")


class MembershipRead(Read):
    group_id: str
    sme_id: str
    state: MembershipState
    share: list[ShareKind]
    name_ko: str | None = Field(None, description="The SME's name, once it has accepted")
    joined_at: datetime
    responded_at: datetime | None
    summary: MemberSummary | None = None


class SharedResourceCreate(Strict):
    name_ko: Name = Field(examples=["제조 특화 LLM '모빌리티GPT'"])
    description_ko: LongText = Field(examples=["작업표준서·설비 매뉴얼을 학습한 사내 LLM을 협력사에 API로 공유합니다."])
    category: Category = Field(examples=["manufacturing_llm"])
    solution_id: str | None = Field(None, max_length=36, description="A published solution of the catalogue")
    access_terms: ShortText | None = Field(None, examples=["협력사 무상, 월 10만 토큰"])


class SharedResourceRead(Read):
    id: str
    group_id: str
    name_ko: str
    description_ko: str
    category: str
    solution_id: str | None
    access_terms: str | None


class GroupNeedCreate(Strict):
    text: LongText = Field(examples=["협력사 공통으로 작업표준서 검색과 불량 원인 분석에 LLM을 쓰고 싶습니다"])
    categories: list[Category] = Field(default_factory=list, max_length=12)
    budget_krw: Krw | None = None


class GroupNeedRead(Read):
    id: str
    group_id: str
    text: str
    categories: list[str]
    budget_krw: int | None


class ProgrammeMatch(Read):
    kind: str = Field(description="shared_resource (of a group you accepted, listed first) or solution")
    id: str
    title_ko: str
    group_id: str | None = None
    company_id: str | None = None
    supplier_name: str | None = None
    score: float | None = None
    breakdown: dict[str, float] | None = None
    reasons_ko: list[str] = []


class ProgrammeMatches(Read):
    need_id: str
    items: list[ProgrammeMatch]
