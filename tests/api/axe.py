"""Accessibility checks with axe-core (vendored under tests/vendor/axe-core/, nothing downloaded at test
time): inject axe into a Playwright page and fail the test on any violation of WCAG 2.0 / 2.1 level A or AA,
listing each violation's rule id, impact, help text and the selectors of the offending elements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Closed <details> are opened for the run (and closed again), so that what a disclosure hides is checked too.
RUN = """async (tags) => {
  const closed = [...document.querySelectorAll('details:not([open])')];
  closed.forEach(d => { d.open = true; });
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  const found = result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(' '))}));
  closed.forEach(d => { d.open = false; });
  return found;
}"""


def violations(page: Any) -> list[dict[str, Any]]:
    """The WCAG A/AA violations axe-core finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    found: list[dict[str, Any]] = page.evaluate(RUN, TAGS)
    return found


def assert_accessible(page: Any, name: str = "") -> None:
    """Fail, listing every violation, when axe-core finds any WCAG 2.0/2.1 A or AA violation on the page."""
    found = violations(page)
    if found:
        lines = [f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"]) for v in found]
        where = f"{name} ({page.url})" if name else page.url
        raise AssertionError(f"axe-core: {len(found)} WCAG A/AA violation(s) on {where}:\n" + "\n".join(lines))

