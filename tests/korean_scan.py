"""The Korean-text scan (a pytest plugin loaded by tests/conftest.py): every Korean problem title/detail,
validation message, match reason and page string that the suite's in-process app renders is collected
where Starlette renders a response body, written to the run's output folder (korean-text.json), and
checked by tests/test_korean_text.py, which runs after every other test of the run. What the `axr`
processes of the run print (the suite's subprocesses) is read in too (tests/korean_capture.py).

What fails the check inside a Korean string: an "이(가)"-style particle placeholder, an ISO timestamp,
an ASCII identifier of an internal enum (snake_case codes, state names such as under_review), and an
English phrase (four English words in a row, as a library's message pasted into Korean).
Text the user typed and the message quotes back ('...') is not the registry's wording and is skipped,
unless it is one of the internal codes itself ('under_review'); a code quoted back from the request's own
path or query (a fuzzer asking for /v1/projects/resume_review) is the caller's input and is skipped too."""

from __future__ import annotations

import contextvars
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from tests import korean_capture

ROOT = Path(__file__).resolve().parents[1]
OUTPUT_DIR = Path(os.environ.get("AXR_TEST_OUTPUT_DIR", ROOT / "test-artifacts"))
REPORT = OUTPUT_DIR / "korean-text.json"
SCAN_TEST = "test_korean_text.py::test_the_suite_produced_no_machine_korean"

HANGUL = re.compile("[가-힣]")
PLACEHOLDER = re.compile(r"\((?:이|가|을|를|은|는|과|와|으|이나|이라)\)")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]\d{2}:\d{2}")
# ASCII words; a Hangul particle right after one (under_review입니다) still ends it
SNAKE = re.compile(r"(?<![A-Za-z0-9_/.@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_/.@-])")
WORD = re.compile(r"(?<![A-Za-z0-9_/.@'-])[a-z][a-z0-9]+(?![A-Za-z0-9_/.@'-])")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”|`[^`]*`")
URL = re.compile(r"https?://\S+|/[\w./{}-]+")
# four English words in a row (hyphenated words count as one)
ENGLISH = re.compile(r"(?<![A-Za-z0-9_-])[a-z]+(?:-[a-z]+)*(?: [a-z]+(?:-[a-z]+)*){3,}(?![A-Za-z0-9_])")
SCOPES = re.compile(r"scope\)?: [a-z:_ ]+")  # OAuth scope names: the protocol's public values, as a client sends them
# the values a command-line option or a file's field takes, listed for the user to type ("가능한 역할: supplier,
# sme, ..."): the interface's own vocabulary, as scopes are; only a bare list of such values counts
CHOICES = re.compile(r"가능한 [가-힣]+: [a-z0-9_:.-]+(?:, [a-z0-9_:.-]+)*")
# keys of JSON bodies whose strings are the registry's own Korean sentences (not what a user typed)
REASON_KEYS = frozenset({"reasons", "reasons_ko", "reason_ko", "detail_ko", "message_ko", "summary_ko",
                         "subject_ko", "body_ko"})


def internal_codes() -> frozenset[str]:
    """Values of the domain's enums and code tables: words that must never show inside Korean text."""
    import enum

    import certification.lifecycle
    import registry.reference as ref

    try:  # the other domains' enums, where they load
        import programme.models  # noqa: F401
        import programme.schemas  # noqa: F401
        import registry.schemas  # noqa: F401
    except ImportError:  # pragma: no cover - a domain that does not import is another test's failure
        pass
    codes: set[str] = set(ref.LEVEL_LABELS) | set(ref.CATEGORY_LABELS)
    try:  # the columns a cohort CSV's Korean headers stand for (업종 is ksic inside)
        from programme.cohorts import HEADERS

        codes |= set(HEADERS.values())
    except ImportError:  # pragma: no cover
        pass
    try:  # the state machines' tables: states and actions that are no enum
        import programme.lifecycle

        tables = [*certification.lifecycle.TABLES.values(), *programme.lifecycle.TABLES.values()]
    except ImportError:  # pragma: no cover
        tables = list(certification.lifecycle.TABLES.values())
    for table in tables:
        for (state, action), rule in table.items():
            codes |= {state, action, rule.next_state}

    def walk(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    for cls in walk(enum.Enum):
        if cls.__module__.split(".")[0] in ("certification", "registry", "programme", "matching", "portal",
                                            "core", "api"):
            codes |= {str(m.value) for m in cls if isinstance(m.value, str)}
    return frozenset(c for c in codes if re.fullmatch(r"[a-z][a-z0-9_]{3,}", c))


def findings(text: str, codes: frozenset[str], echoed: frozenset[str] = frozenset()) -> list[str]:
    """What is wrong with one Korean string; [] when it is fine (or not Korean at all). `echoed` are quoted
    values the request itself carried (its path or query): the caller's words, whatever they look like."""
    if not HANGUL.search(text):
        return []
    out = []
    if m := PLACEHOLDER.search(text):
        out.append(f"particle placeholder {m.group()!r}")
    quoted = [q.group()[1:-1] for q in QUOTED.finditer(text)]
    if inside := [q for q in quoted if q in codes and q not in echoed]:  # a quoted state or action name is still a code
        out.append(f"internal code {inside[0]!r}")
    # the registry's words: no quoted input, path, scope or list of values to type
    own = CHOICES.sub(" ", SCOPES.sub(" ", URL.sub(" ", QUOTED.sub(" ", text))))
    if m := ISO_TIME.search(own):
        out.append(f"ISO timestamp {m.group()!r}")
    if inside:
        pass
    elif m := SNAKE.search(own):
        out.append(f"internal code {m.group()!r}")
    elif words := [w for w in WORD.findall(own) if w in codes]:
        out.append(f"internal code {words[0]!r}")
    if m := ENGLISH.search(own):
        out.append(f"English inside Korean {m.group()!r}")
    return out


@dataclass
class Collector:
    """Korean strings rendered during the run, each with the first test that produced it."""

    strings: dict[str, dict[str, Any]] = field(default_factory=dict)
    current: str = "(outside a test)"
    responses: int = 0
    cli_lines: int = 0
    cli_loaded: bool = False

    def add(self, text: str, source: str, *, request: str | None = None, test: str | None = None) -> None:
        """One Korean string; `request` is what the caller sent (the path and query, or a command's
        arguments), whose quoted values are the caller's words; `test` the test that produced it."""
        text = " ".join(str(text).split())
        if not text or not HANGUL.search(text):
            return
        seen = self.strings.get(text)
        if seen is None:
            request = REQUEST_TARGET.get() if request is None else request
            echoed = sorted({q for m in QUOTED.finditer(text) if (q := m.group()[1:-1]) and q in request})
            self.strings[text] = {"source": source, "test": test or self.current, "count": 1, "echoed": echoed}
        else:
            seen["count"] += 1

    def from_json(self, media_type: str | None, content: Any, *, source: str = "", test: str | None = None) -> None:
        if not isinstance(content, dict):
            if isinstance(content, list):
                for item in content:
                    self.from_json(None, item, source=source, test=test)
            return
        self.responses += 1
        where = f"{source} " if source else ""
        if media_type == "application/problem+json":
            for key in ("title", "detail"):
                if isinstance(content.get(key), str):
                    self.add(content[key], f"{where}problem {key}", test=test)
            for err in content.get("errors") or []:
                if isinstance(err, dict) and isinstance(err.get("detail"), str):
                    self.add(err["detail"], f"{where}validation detail", test=test)
        self._reasons(content, source=where, test=test)

    def _reasons(self, node: Any, depth: int = 0, *, source: str = "", test: str | None = None) -> None:
        if depth > 6:
            return
        if isinstance(node, dict):
            for key, value in node.items():
                if key in REASON_KEYS:
                    for text in value if isinstance(value, list) else [value]:
                        if isinstance(text, str):
                            self.add(text, f"{source}json {key}", test=test)
                elif isinstance(value, dict | list):
                    self._reasons(value, depth + 1, source=source, test=test)
        elif isinstance(node, list):
            for item in node[:200]:
                self._reasons(item, depth + 1, source=source, test=test)

    def from_html(self, content: Any) -> None:
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        if not isinstance(content, str) or "<" not in content:
            return
        self.responses += 1
        parser = _Text()
        parser.feed(content)
        for text in parser.texts:
            self.add(text, "page")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name in ("placeholder", "aria-label", "title", "alt") and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data)


COLLECTOR = Collector()
# the path and query of the request whose response is being rendered (set where the app receives it)
REQUEST_TARGET: contextvars.ContextVar[str] = contextvars.ContextVar("korean_scan_request", default="")


def _install() -> None:
    """Wrap Starlette's body rendering: every JSON and HTML response the in-process app builds passes here,
    including FastAPI's fast path for typed routes (a plain Response of JSON bytes)."""
    from fastapi import FastAPI
    from starlette.responses import JSONResponse, Response

    base_render, json_render = Response.render, JSONResponse.render
    if getattr(base_render, "_korean_scan", False):
        return
    base_call = FastAPI.__call__

    async def call(self: FastAPI, scope: Any, receive: Any, send: Any) -> None:
        token = None
        if scope.get("type") == "http":
            query = scope.get("query_string", b"").decode("latin-1")
            token = REQUEST_TARGET.set(unquote(scope.get("path", "")) + "?" + unquote(query))
        try:
            await base_call(self, scope, receive, send)
        finally:
            if token is not None:
                REQUEST_TARGET.reset(token)

    def render(self: Response, content: Any) -> bytes | memoryview:
        body = base_render(self, content)
        try:
            media = (self.media_type or "").split(";")[0]
            if media == "text/html":
                COLLECTOR.from_html(body)
            elif (media == "application/json" or media.endswith("+json")) and 0 < len(body) < 4_000_000:
                COLLECTOR.from_json(media, json.loads(bytes(body)))
        except Exception:  # noqa: BLE001 - the scan must never change what a test sees
            pass
        return body

    def render_json(self: JSONResponse, content: Any) -> bytes:
        body = json_render(self, content)
        try:
            COLLECTOR.from_json(self.media_type, content)
        except Exception:  # noqa: BLE001
            pass
        return body

    render._korean_scan = True  # type: ignore[attr-defined]
    Response.render = render  # type: ignore[method-assign]
    JSONResponse.render = render_json  # type: ignore[method-assign]
    FastAPI.__call__ = call  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    _install()
    korean_capture.start(OUTPUT_DIR)  # and what `axr` prints in the suite's subprocesses


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """The scan runs after every other test of the run, so it sees all that they rendered."""
    last = [i for i in items if i.nodeid.endswith(SCAN_TEST)]
    items[:] = [i for i in items if not i.nodeid.endswith(SCAN_TEST)] + last


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    COLLECTOR.current = item.nodeid
    korean_capture.current_test(item.nodeid)


def collect_cli() -> None:
    """Read what the run's `axr` processes printed so far (tests/korean_capture.py), once."""
    if not COLLECTOR.cli_loaded:
        COLLECTOR.cli_lines = korean_capture.load(COLLECTOR)
        COLLECTOR.cli_loaded = True


def write_report(problems: list[dict[str, Any]] | None = None) -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    codes = internal_codes()
    if problems is None:
        problems = [{"text": t, **meta, "findings": f} for t, meta in COLLECTOR.strings.items()
                    if (f := findings(t, codes, frozenset(meta.get("echoed", ()))))]
    REPORT.write_text(json.dumps({"responses": COLLECTOR.responses, "cli_lines": COLLECTOR.cli_lines,
                                  "strings": len(COLLECTOR.strings),
                                  "findings": problems,
                                  "collected": [{"text": t, **meta} for t, meta in COLLECTOR.strings.items()]},
                                 ensure_ascii=False, indent=1), encoding="utf-8")
    return REPORT


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    collect_cli()
    if COLLECTOR.strings:
        write_report()
