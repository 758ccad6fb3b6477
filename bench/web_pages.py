"""Web pages bench: every page of the web application a demo user reaches, its first-load weight and its
latency, against the API's cheapest answers in the same run.

    .venv/bin/python bench/web_pages.py [--n 50] [--warmup 3] [--json out.json]

Steps: a temporary SQLite database migrated and loaded with `axr demo load`; the API in its own uvicorn process
(one worker, bench/speed_http.server); per role (sme03, reviewer01, and any other role whose /web/<role> pages
exist: supplier01, admin) a sign-in through the real flow with httpx (/web/signin, the issuer's form at
/oauth/authorize, /web/callback); from the role's start page a crawl of the links and GET forms it can follow
under /web (the first three values of a form's checkboxes), so the demo ids come from the pages themselves;
every GET /web route of the app (discovered from its routes) is matched to the first URL of the crawl that
fits it. Each page is fetched once for its first-load bytes (the HTML plus every stylesheet, script and image it
links; the pages inline their CSS), then --n times for p50/p95 latency; the baseline is GET /v1/health and the
public /pages/companies measured the same way. A page over 100 KB or with p95 over 50 ms is flagged; a route the
crawl never reached is listed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import speed  # noqa: E402
import speed_http  # noqa: E402

ACCOUNTS = {"sme": ("sme03", "demo-password-m03"), "reviewer": ("reviewer01", "demo-password-r01"),
            "supplier": ("supplier01", "demo-password-s01"), "admin": ("admin", "demo-password-admin")}
MAX_BYTES = 100 * 1024
MAX_P95_MS = 50.0
CRAWL_LIMIT = 60  # URLs visited per role
BASELINE = ["/v1/health", "/pages/companies"]


class Page(HTMLParser):
    """The links, GET forms and linked assets of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._form: tuple[str, dict[str, list[str]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "link" and "stylesheet" in a.get("rel", "") and a.get("href"):
            self.assets.append(a["href"])
        elif tag in ("script", "img") and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "form" and a.get("method", "get").lower() == "get":
            self._form = (a.get("action", ""), {})
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and a.get("name"):
            if a.get("type") in ("checkbox", "hidden", "radio") and a.get("value"):
                self._form[1].setdefault(a["name"], []).append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def sign_in(client: httpx.Client, username: str, password: str) -> bool:
    """The authorization-code flow as a browser runs it; True when /web/callback set the session."""
    r = client.get("/web/signin", follow_redirects=False)
    if r.status_code != 303:
        return False
    form = client.get(r.headers["location"])
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', form.text))
    r = client.post("/oauth/authorize", data={**hidden, "username": username, "password": password},
                    follow_redirects=False)
    if r.status_code != 303:
        return False
    done = client.get(r.headers["location"], follow_redirects=False)
    return done.status_code == 303


def crawl(client: httpx.Client, start: str, prefix: str) -> list[str]:
    """The /web URLs under `prefix` reached from `start` by links and GET forms, in the order found."""
    seen: list[str] = []
    queue = deque([start])
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        seen.append(url)
        r = client.get(url)
        if r.status_code != 200 or not r.headers.get("content-type", "").startswith("text/html"):
            continue
        page = parse(r.text)
        found = [urljoin(url, h) for h in page.links]
        for action, fields in page.forms:
            query = urlencode([(k, v) for k, vs in fields.items() for v in vs[:3]])
            found.append(urljoin(url, action) + ("?" + query if query else ""))
        for href in found:
            path = urlsplit(href)
            if not path.netloc and path.path.startswith(prefix):
                queue.append(path.path + (f"?{path.query}" if path.query else ""))
    return seen


def web_routes() -> list[str]:
    """Every GET route of the app under /web (path templates)."""
    from fastapi.routing import iter_route_contexts  # the included routers' routes, as the authz matrix walks

    from api.app import create_app

    out = set()
    for rc in iter_route_contexts(create_app().routes):
        methods = getattr(rc, "methods", None) or set()
        if "GET" in methods and (rc.path == "/web" or rc.path.startswith("/web/")):
            out.add(rc.path)
    return sorted(out)


def template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/?]+", re.escape(template)) + r"(\?.*)?$")


def role_of(template: str) -> str | None:
    m = re.match(r"^/web/([a-z]+)", template)
    return m.group(1) if m and m.group(1) in ACCOUNTS else None


def url_for(client: httpx.Client, template: str, templates: list[str], reached: list[str]) -> str | None:
    """The first crawled URL that fits the template (and no route without parameters, e.g. needs/new for
    needs/{need_id}); failing that, the template filled with ids seen in other crawled URLs, if it answers 200."""
    static = {t for t in templates if "{" not in t}
    url = next((u for u in reached if template_regex(template).match(u)
                and ("{" not in template or u.split("?")[0] not in static)), None)
    if url is not None or "{" not in template:
        return url
    ids: dict[str, str] = {}
    for other in templates:
        names = re.findall(r"\{([a-z_]+)\}", other)
        pattern = re.compile("^" + re.sub(r"\\\{[a-z_]+\\\}", "([^/?]+)", re.escape(other)) + r"(?:\?.*)?$")
        for u in reached:
            m = pattern.match(u)
            if names and m and u.split("?")[0] not in static:
                for name, value in zip(names, m.groups(), strict=True):
                    ids.setdefault(name, value)
    try:
        candidate = re.sub(r"\{([a-z_]+)\}", lambda m: ids[m.group(1)], template)
    except KeyError:
        return None
    return candidate if client.get(candidate).status_code == 200 else None


def declared(client: httpx.Client, reached: list[str]) -> list[str]:
    """Declare no conflict on the first application of the queue if it is not declared yet (a POST with the
    page's CSRF token, as the reviewer's journey does), so that its URL shows the screening, the facts and the
    scoring; returns that URL and the documents it links."""
    app_url = next((u for u in reached if re.match(r"^/web/reviewer/applications/[^/?]+$", u)), None)
    if app_url is None:
        return []
    page = client.get(app_url).text
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page)
    if 'name="has_conflict"' in page and csrf:
        client.post(app_url + "/declaration", data={"csrf_token": csrf.group(1), "has_conflict": "no"})
    return [app_url] + [urljoin(app_url, h) for h in parse(client.get(app_url).text).links
                        if h.startswith("/web/reviewer/documents/")]


IMAGES: dict[str, int] = {}  # page URL -> bytes of the images it links (counted apart from HTML+CSS+JS)


def first_load_bytes(client: httpx.Client, url: str) -> tuple[int, int, str]:
    """(HTML bytes, linked CSS/JS bytes, content type) of one fetch, assets fetched once each; the images a
    page links are kept in IMAGES (the issue's budget is HTML+CSS+JS; a chart's PNG is reported beside it)."""
    r = client.get(url)
    kind = r.headers.get("content-type", "").split(";")[0]
    if not kind.startswith("text/html"):
        return len(r.content), 0, kind
    assets = images = 0
    for src in dict.fromkeys(parse(r.text).assets):
        got = client.get(urljoin(url, src))
        if got.headers.get("content-type", "").startswith("image/"):
            images += len(got.content)
        else:
            assets += len(got.content)
    IMAGES[url] = images
    return len(r.content), assets, kind


def timed(client: httpx.Client, url: str, n: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        client.get(url)
    out = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url)
        out.append(time.perf_counter() - t)
        if r.status_code != 200:
            raise RuntimeError(f"{url}: {r.status_code}")
    return out


def measure(base: str, n: int, warmup: int) -> dict[str, Any]:
    routes = web_routes()
    rows: list[dict[str, Any]] = []
    unreached: list[str] = []
    with httpx.Client(base_url=base, timeout=60) as anon:
        baseline = {u: timed(anon, u, n, warmup) for u in BASELINE}
        for u in BASELINE:
            html, assets, _ = first_load_bytes(anon, u)
            rows.append({"page": u, "role": "-", "url": u, "bytes": html + assets, "assets": assets,
                         "lat": baseline[u], "baseline": True})
        # the pages before sign-in: where /web and /web/signin send a stranger (the issuer's form)
        form_url = anon.get("/web/signin", follow_redirects=False).headers["location"]
        html, assets, _ = first_load_bytes(anon, form_url)
        rows.append({"page": "/oauth/authorize (sign-in form)", "role": "-", "url": form_url,
                     "bytes": html + assets, "assets": assets, "lat": timed(anon, form_url, n, warmup)})
    for role in sorted({r for t in routes if (r := role_of(t))}):
        username, password = ACCOUNTS[role]
        with httpx.Client(base_url=base, timeout=60) as client:
            if not sign_in(client, username, password):
                unreached += [t for t in routes if role_of(t) == role]
                continue
            reached = crawl(client, f"/web/{role}", f"/web/{role}")
            if role == "reviewer":  # as the journey does: declare no conflict, so the whole application shows
                reached = declared(client, reached) + reached
            mine = [t for t in routes if role_of(t) == role]
            for template in mine:
                url = url_for(client, template, mine, reached)
                if url is None:
                    unreached.append(template)
                    continue
                html, assets, kind = first_load_bytes(client, url)
                if not kind.startswith("text/html"):
                    rows.append({"page": template, "role": username, "url": url, "bytes": html, "assets": 0,
                                 "lat": timed(client, url, n, warmup), "kind": kind})
                    continue
                rows.append({"page": template, "role": username, "url": url, "bytes": html + assets,
                             "assets": assets, "lat": timed(client, url, n, warmup)})
    redirects = [t for t in routes if role_of(t) is None]  # /web, /web/signin, /web/callback: the flow's hops
    return {"rows": rows, "unreached": sorted(set(unreached) - {r["page"] for r in rows}), "n": n,
            "redirects": redirects}


def report(result: dict[str, Any]) -> None:
    rows = result["rows"]
    base = next(r for r in rows if r["page"] == "/v1/health")
    base50 = speed.pct(base["lat"], 50) * 1000
    print(f"{'page':<44} {'as':<11} {'KB':>7} {'img KB':>7} {'p50 ms':>7} {'p95 ms':>7} {'p50/health':>10}  flags")
    for r in rows:
        p50, p95 = speed.pct(r["lat"], 50) * 1000, speed.pct(r["lat"], 95) * 1000
        flags = []
        if r["bytes"] > MAX_BYTES and not r.get("kind"):
            flags.append("OVER 100 KB")
        if p95 > MAX_P95_MS:
            flags.append("P95 OVER 50 ms")
        if r.get("kind"):
            flags.append(f"download ({r['kind']})")
        print(f"{r['page'][:44]:<44} {r['role']:<11} {r['bytes'] / 1024:>7.1f} "
              f"{IMAGES.get(r['url'], 0) / 1024:>7.1f} {p50:>7.1f} {p95:>7.1f} "
              f"{p50 / base50:>9.1f}x  {', '.join(flags)}")
    print(f"n={result['n']} fetches per page after warm-up; KB = first load of HTML + linked CSS/JS (inline CSS "
          f"counted in the HTML; no page links any script); img KB = the images it links, fetched once")
    print("not pages (the sign-in flow's redirects, exercised by every sign-in above): "
          + ", ".join(result["redirects"]))
    if result["unreached"]:
        print("not reached by the crawl from the demo accounts: " + ", ".join(result["unreached"]))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = speed.configure(f"sqlite:///{tmp}/axr.db", tmp / "var")
        subprocess.run([sys.executable, "-c", "from cli.main import app; app()", "demo", "load"], cwd=ROOT,
                       env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, check=True, capture_output=True)
        with speed_http.server({**env, "AXR_SEARCH_WARM": "1"}) as (base, _):
            result = measure(base, args.n, args.warmup)
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
