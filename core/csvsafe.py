"""CSV writers that spreadsheets cannot be made to execute: every CSV the project writes goes through here.

A text cell starting with = + - @ tab or CR is read by Excel, LibreOffice and Google Sheets as a formula
(`=HYPERLINK(...)`, `=cmd|...`, DDE). Following OWASP's CSV-injection guidance, such a cell is written
with a leading single quote, which the spreadsheet shows as text. Numbers are written as they are: a
value the program computed (a negative change, -0.05) is not text anyone typed, and stays a number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


def cell(value: Any) -> Any:
    """The value as a spreadsheet will take it as text: formula-looking strings get a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class Writer:
    """csv.writer whose rows are neutralised cell by cell."""

    def __init__(self, out: _Writable, **fmt: Any) -> None:
        self._w = csv.writer(out, **fmt)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._w.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter:
    """csv.DictWriter whose rows (and header) are neutralised cell by cell."""

    def __init__(self, out: _Writable, fieldnames: Sequence[str], **fmt: Any) -> None:
        self._w = csv.DictWriter(out, fieldnames=fieldnames, **fmt)
        self.fieldnames = fieldnames

    def writeheader(self) -> Any:
        return self._w.writerow({name: cell(name) for name in self.fieldnames})

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._w.writerow({k: cell(v) for k, v in row.items()})
