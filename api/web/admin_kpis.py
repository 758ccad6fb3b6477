"""The programme officer's KPI dashboard: the report of GET /v1/reports/kpis (programme.report.build) as
Korean tables, the trajectory to June 2030 with its projection labelled as one, and the report's Korean
charts, served as PNG through the same function as GET /v1/reports/kpis/charts/{name} (charts.png), each
with a Korean text alternative that states what the figure shows (the numbers are in the tables too)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.routers.programme import chart_response
from api.web.admin import AdminUser
from api.web.render import render
from programme import report
from programme.kpis import STATE_KO
from programme.rules import ProgrammeRules

router = APIRouter(prefix="/web/admin/kpis", include_in_schema=False)
ChartName = Literal["adoption", "designated", "budget", "regions"]
EOK = 100_000_000


def pct(x: float | None) -> str:
    """A share as a Korean percentage (0.1675 -> 16.8%); '-' when there is no figure."""
    if x is None:
        return "-"
    return f"{x * 100:,.1f}%".replace(".0%", "%")


def eok(krw: int | None) -> str:
    return "-" if krw is None else f"{krw / EOK:,.1f}억 원".replace(".0억", "억")


def _series_text(series: dict[str, Any], show: Any) -> str:
    parts = [f"기준 {show(series['baseline']['value'])}({series['baseline']['as_of'][:4]}년 말)"]
    parts += [f"{y['year']}년 실적 {show(y['actual'])}(목표 {show(y['target'])})"
              for y in series["years"] if y["actual"] is not None]
    projection = series.get("projection")
    if projection:
        parts.append(f"2030년 6월 전망(추정, 실적 아님) {show(projection['value'])}(목표 {show(projection['target'])})")
    return ", ".join(parts)


def alt_texts(data: dict[str, Any]) -> dict[str, str]:
    """What each chart shows, in Korean, from the same report the chart is drawn from."""
    kpis = data["trajectory"]["kpis"]
    years = sorted(data["budget_by_year"])
    budget = "; ".join(f"{y}년 예산 총액 {eok(b['envelope_gov_krw'])}, 승인 정부지원금 {eok(b['approved']['gov'])}, "
                       f"집행 정부지원금 {eok(b['spent']['gov'])}"
                       for y in years if (b := data["budget_by_year"][y])["envelope_gov_krw"] or b["approved"]["gov"])
    regions = data["adoption"]["by_region"]
    top = sorted(regions, key=lambda k: (-(regions[k]["adoption_rate"] or 0), k))
    return {
        "adoption": "AI 도입률 추이 선 그래프(목표 경로와 실적): " + _series_text(kpis["adoption_rate"], pct) + ".",
        "designated": "지정 AI 전문기업 수 추이 선 그래프(500개 목표 경로와 실적): "
                      + _series_text(kpis["designated_companies"], lambda v: "-" if v is None else f"{v:,.0f}개") + ".",
        "budget": "연도별 예산 막대 그래프(사업 예산 총액 대비 승인·집행): " + (budget or "승인된 예산 없음") + ".",
        "regions": f"지역별 AI 도입률 막대 그래프({len(regions)}개 지역): "
                   + ", ".join(f"{k} {pct(regions[k]['adoption_rate'])}" for k in top[:5])
                   + (" 순이며 나머지는 표에 있습니다." if len(top) > 5 else "."),
    }


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep, user: AdminUser) -> HTMLResponse:
    data = report.build(session, ProgrammeRules())
    return render(request, "admin/kpis.html", user=user, r=data, pct=pct, eok=eok, alts=alt_texts(data),
                  chart_names=("adoption", "designated", "budget", "regions"), state_ko=STATE_KO)


@router.get("/charts/{name}.png")
def chart(name: ChartName, session: SessionDep, user: AdminUser) -> Response:
    """The API's chart (GET /v1/reports/kpis/charts/{name}): the same report, the same drawing."""
    return chart_response(session, ProgrammeRules(), name)
