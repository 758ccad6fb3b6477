"""The KPI charts in Korean: the adoption trajectory against its target path, designated companies
against the path to 500, budget against the envelope by fiscal year, adoption by region; and the
main chart, the four as panels of one image (`axr report kpis --chart`).

Hangul needs a font that has it (Debian fonts-nanum, which .ci/run installs, or any Noto CJK KR):
`hangul_font` looks in matplotlib's font list and then in the system's font folders. Without one the
charts are drawn with English labels and `fallback` says why, instead of boxes for every syllable."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

PREFERRED = ("NanumGothic", "NanumBarunGothic", "NanumSquare", "Noto Sans CJK KR", "Noto Sans KR",
             "Source Han Sans K", "UnDotum", "Baekmuk Gulim", "Malgun Gothic", "AppleGothic")
NAMES = ("adoption", "designated", "budget", "regions")
EOK = 100_000_000  # 억 원


@dataclass(frozen=True)
class Font:
    name: str | None  # None: no Hangul font, English labels

    @property
    def korean(self) -> bool:
        return self.name is not None


def _has_hangul(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
        return bool(font.get_char_index(ord("한"))) and bool(font.get_char_index(ord("률")))
    except (OSError, RuntimeError, ValueError):
        return False


def hangul_font() -> Font:
    """A font family with Hangul, registered with matplotlib; Font(None) when the machine has none."""
    from matplotlib import font_manager

    names = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for name in PREFERRED:
        if name in names and _has_hangul(names[name]):
            return Font(name)
    found: dict[str, str] = {}
    for path in font_manager.findSystemFonts():
        try:
            name = font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
        found.setdefault(name, path)
    for name in PREFERRED:
        if name in found and _has_hangul(found[name]):
            font_manager.fontManager.addfont(found[name])
            return Font(name)
    return Font(None)


FALLBACK_KO = "한글 글꼴을 찾지 못해 그래프를 영어로 그렸습니다 (fonts-nanum 설치: apt-get install fonts-nanum)"
FALLBACK_EN = "no Hangul font found: the charts are drawn in English (install fonts-nanum)"


def _t(font: Font, ko: str, en: str) -> str:
    return ko if font.korean else en


def _series_dates(series: dict[str, Any], horizon: date) -> tuple[list[date], list[float | None],
                                                                   list[date], list[float]]:
    """The target path (from the baseline, each year's end; the last year at the horizon) and the actuals."""
    years = series["years"]
    t_dates = [date.fromisoformat(series["baseline"]["as_of"])]
    t_values: list[float | None] = [series["baseline"]["value"]]
    for i, point in enumerate(years):
        t_dates.append(horizon if i == len(years) - 1 else date(point["year"], 12, 31))
        t_values.append(point["target"])
    a_dates = [date.fromisoformat(series["baseline"]["as_of"])]
    a_values = [float(series["baseline"]["value"])]
    for point in years:
        if point["actual"] is not None:
            a_dates.append(date.fromisoformat(point["as_of"]))
            a_values.append(float(point["actual"]))
    return t_dates, t_values, a_dates, a_values


def _trajectory(ax: Any, font: Font, report: dict[str, Any], kpi: str, scale: float, unit: str) -> None:
    traj = report["trajectory"]
    series = traj["kpis"][kpi]
    horizon = date.fromisoformat(traj["horizon"])
    t_dates, t_values, a_dates, a_values = _series_dates(series, horizon)
    ax.plot(t_dates, [None if v is None else v * scale for v in t_values], color="#999999", linestyle="-",
            marker="s", markersize=4, label=_t(font, "목표 경로", "target path"))
    ax.plot(a_dates, [v * scale for v in a_values], color="#1f77b4", marker="o", label=_t(font, "실적", "actual"))
    digits = 1 if scale != 1 else 0
    for d, v in zip(a_dates[1:], a_values[1:], strict=True):
        ax.annotate(f"{v * scale:,.{digits}f}{unit}", (d, v * scale), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=8)
    projection = series["projection"]
    if projection is not None:
        end = date.fromisoformat(projection["as_of"])
        ax.plot([a_dates[-1], end], [a_values[-1] * scale, projection["value"] * scale], color="#ff7f0e",
                linestyle="--", marker="^", label=_t(font, "전망(추정, 실적 아님)", "projection (estimate)"))
        shown = f"{projection['value'] * scale:,.{digits}f}{unit}"
        ax.annotate(_t(font, f"전망 {shown}", f"projected {shown}"),
                    (end, projection["value"] * scale), textcoords="offset points", xytext=(-10, 6), ha="right",
                    fontsize=8, color="#ff7f0e")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    ax.margins(y=0.12)
    ticks = t_dates  # the baseline, each year's end, the horizon: the dates the figures are of
    ax.set_xticks(ticks, [_t(font, f"기준\n{d.year}년 말", f"start\n{d.year}") if i == 0
                          else _t(font, f"{d.year}년 {d.month}월", f"{d.year}-{d.month:02d}") if i == len(ticks) - 1
                          else _t(font, f"{d.year}년 말", f"end {d.year}") for i, d in enumerate(ticks)], fontsize=8)


def adoption(ax: Any, font: Font, report: dict[str, Any]) -> None:
    _trajectory(ax, font, report, "adoption_rate", 100, "%")
    ax.set_title(_t(font, "AI 도입률: 실적과 목표 경로 (기준 1%에서 2030년 6월 10%까지)",
                    "AI adoption rate: actual vs target path"), fontsize=10)
    ax.set_ylabel(_t(font, "모집단 대비 도입 기업 비율(%)", "share of the registered SMEs (%)"))


def designated(ax: Any, font: Font, report: dict[str, Any]) -> None:
    _trajectory(ax, font, report, "designated_companies", 1, _t(font, "개", ""))
    ax.axhline(report["targets"]["designated_companies"], color="#d62728", linewidth=0.8, linestyle=":")
    ax.set_title(_t(font, "지정 AI 전문기업 수: 500개 목표 경로", "Designated companies vs the path to 500"),
                 fontsize=10)
    ax.set_ylabel(_t(font, "지정 유효 기업 수", "companies in force"))


def budget(ax: Any, font: Font, report: dict[str, Any]) -> None:
    years = sorted(report["budget_by_year"])
    data = report["budget_by_year"]
    bars = [(_t(font, "예산 총액(정부)", "envelope (gov)"), lambda b: b["envelope_gov_krw"] or 0, "#dddddd"),
            (_t(font, "승인 정부지원금", "approved gov"), lambda b: b["approved"]["gov"], "#1f77b4"),
            (_t(font, "승인 자부담", "approved own"), lambda b: b["approved"]["own"], "#aec7e8"),
            (_t(font, "집행 정부지원금", "spent gov"), lambda b: b["spent"]["gov"], "#2ca02c"),
            (_t(font, "집행 자부담", "spent own"), lambda b: b["spent"]["own"], "#98df8a")]
    width = 0.16
    for i, (label, value, colour) in enumerate(bars):
        xs = [j + (i - 2) * width for j in range(len(years))]
        drawn = ax.bar(xs, [value(data[y]) / EOK for y in years], width, label=label, color=colour)
        ax.bar_label(drawn, fmt="%.1f", fontsize=6)
    ax.set_xticks(range(len(years)), years)
    ax.set_title(_t(font, "연도별 예산: 사업 예산 총액 대비 승인·집행 (정부 대 자부담)",
                    "Budget by fiscal year vs the envelope (gov vs own)"), fontsize=10)
    ax.set_ylabel(_t(font, "억 원", "100M KRW"))
    ax.legend(fontsize=7, loc="upper right")


def regions(ax: Any, font: Font, report: dict[str, Any]) -> None:
    by_region = report["adoption"]["by_region"]
    keys = sorted(by_region, key=lambda k: (-(by_region[k]["adoption_rate"] or 0), k))
    values = [(by_region[k]["adoption_rate"] or 0) * 100 for k in keys]
    labels = keys if font.korean else [f"R{i + 1}" for i in range(len(keys))]
    bars = ax.bar(labels, values, color="#1f77b4")
    ax.bar_label(bars, labels=[f"{by_region[k]['adopted_smes']}/{by_region[k]['population']}" for k in keys],
                 fontsize=7)
    ax.axhline(report["targets"]["adoption_rate"] * 100, color="#d62728", linestyle=":",
               label=_t(font, "2030년 목표 10%", "2030 target"))
    ax.set_title(_t(font, "지역별 AI 도입률 (도입 기업 / 모집단)", "AI adoption by region (adopted / registered)"),
                 fontsize=10)
    ax.set_ylabel(_t(font, "도입률(%)", "adoption (%)"))
    ax.legend(fontsize=8)
    ax.tick_params(axis="x", labelsize=8)


DRAW = {"adoption": adoption, "designated": designated, "budget": budget, "regions": regions}


def _figure(font: Font, size: tuple[float, float]) -> Any:
    """A figure of matplotlib's object API (no pyplot state: the API server draws from worker threads)."""
    import matplotlib
    from matplotlib.figure import Figure

    if font.name:
        matplotlib.rcParams["font.family"] = font.name  # the same value on every call
    matplotlib.rcParams["axes.unicode_minus"] = False  # Nanum fonts lack U+2212
    return Figure(figsize=size)


def _png(fig: Any, out: Path | BinaryIO) -> None:
    fig.tight_layout()
    if isinstance(out, Path):
        out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="png", dpi=100)


def draw(report: dict[str, Any], name: str, out: Path | BinaryIO, font: Font | None = None) -> None:
    """Chart `name` (`kpis`, the main chart, or one of NAMES) as PNG into a file or a binary stream."""
    font = font or hangul_font()
    if name == "kpis":
        fig = _figure(font, (15, 9))
        for ax, one in zip(fig.subplots(2, 2).flat, NAMES, strict=True):
            DRAW[one](ax, font, report)
        fig.suptitle(_t(font, f"제조 AI 도입 지원사업 성과지표 ({report['as_of']} 기준, 2030년 목표 대비)",
                        f"AX programme KPIs as of {report['as_of']}, against the 2030 targets"))
    else:
        fig = _figure(font, (9, 5))
        DRAW[name](fig.subplots(), font, report)
    _png(fig, out)


def main_chart(report: dict[str, Any], path: Path, font: Font | None = None) -> Path:
    """The four charts as panels of one image."""
    draw(report, "kpis", path, font)
    return path


def all_charts(report: dict[str, Any], folder: Path, font: Font | None = None) -> list[Path]:
    """kpis.png (the main chart) and one PNG per chart."""
    font = font or hangul_font()
    paths = [folder / f"{name}.png" for name in ("kpis", *NAMES)]
    for path in paths:
        draw(report, path.stem, path, font)
    return paths


def png(report: dict[str, Any], name: str) -> bytes:
    """Chart `name` as PNG bytes (the report API's chart route and the officer's dashboard serve these)."""
    buf = io.BytesIO()
    draw(report, name, buf)
    return buf.getvalue()
