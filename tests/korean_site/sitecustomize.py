"""Loaded by every Python process the test suite starts (tests/korean_capture.py puts this folder on
PYTHONPATH): an `axr` process copies each line it writes to stdout or stderr that holds Hangul into the
run's capture file ($KOREAN_SCAN_CAPTURE, one JSON object a line), so the Korean-text scan also reads
what the command line prints. Nothing the process writes is changed; any other process is left alone.
The sitecustomize this one shadows (Debian's, say) is run after it."""

from __future__ import annotations

import os
import sys


def _install() -> None:
    target = os.environ.get("KOREAN_SCAN_CAPTURE")
    if not target or os.path.basename(sys.argv[0] if sys.argv else "") != "axr":
        return
    if _english(sys.argv[1:]):  # an English run's lines are English (a Korean file name in them is data)
        return
    import json
    import re

    hangul = re.compile("[가-힣]")
    test = os.environ.get("KOREAN_SCAN_TEST", "(outside a test)")
    argv = sys.argv[1:]

    def record(stream: str, line: str, body: object = None) -> None:
        if body is None and not hangul.search(line):
            return
        entry = {"pid": os.getpid(), "stream": stream, "text": line, "test": test, "argv": argv}
        if body is not None:
            entry["body"] = body
        try:
            with open(target, "a", encoding="utf-8") as out:
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        except OSError:
            pass

    class Tee:
        """Writes go to the real stream first; completed lines are recorded."""

        def __init__(self, stream: object, name: str) -> None:
            self._stream, self._name, self._pending = stream, name, ""
            self._all: list[str] | None = [] if name == "stdout" else None  # a JSON document, read whole
            self._size = 0

        def write(self, text: str) -> int:
            n = self._stream.write(text)  # type: ignore[attr-defined]
            try:
                if isinstance(text, str) and self._all is not None:
                    self._size += len(text)
                    self._all.append(text)
                    if self._size > 4_000_000:
                        self._all = None
                if isinstance(text, str):
                    *lines, self._pending = (self._pending + text).split("\n")
                    for line in lines:
                        record(self._name, line)
            except Exception:  # noqa: BLE001 - the copy must never change what the process does
                pass
            return n

        def writelines(self, lines: object) -> None:
            for line in lines:  # type: ignore[attr-defined]
                self.write(line)

        def flush(self) -> None:
            self._stream.flush()  # type: ignore[attr-defined]

        def close_pending(self) -> None:
            if self._pending:
                record(self._name, self._pending)
                self._pending = ""
            whole = "".join(self._all or ()).strip()
            if whole[:1] in ("{", "[") and hangul.search(whole):
                try:
                    record("stdout-json", "", body=json.loads(whole))
                except ValueError:
                    pass

        def __getattr__(self, name: str) -> object:
            return getattr(self._stream, name)

    import atexit

    tees = [Tee(sys.stdout, "stdout"), Tee(sys.stderr, "stderr")]
    sys.stdout, sys.stderr = tees  # type: ignore[assignment]
    for tee in tees:
        atexit.register(tee.close_pending)


def _english(argv: list[str]) -> bool:
    """As cli/errors.language decides: --lang en on the command line, else the locale."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1].lower().startswith("en")
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1].lower().startswith("en")
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            return os.environ[var].lower().startswith("en")
    return False


def _shadowed() -> None:
    """Run the next sitecustomize on sys.path, the one this file hides."""
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    for folder in sys.path:
        path = os.path.join(folder or ".", "sitecustomize.py")
        if os.path.abspath(folder or ".") != here and os.path.isfile(path):
            spec = importlib.util.spec_from_file_location("_shadowed_sitecustomize", path)
            if spec and spec.loader:
                try:
                    spec.loader.exec_module(importlib.util.module_from_spec(spec))
                except Exception:  # noqa: BLE001 - as site.py does with a failing sitecustomize
                    pass
            return


try:
    _install()
except Exception:  # noqa: BLE001
    pass
_shadowed()
