"""The one error path of the `axr` command line: every mistake in the user's input ends as one line on
stderr, in Korean (English with `LANG=en*`/`LC_ALL=en*` or `axr --lang en`), naming the file, line and
field at fault, with exit code 2 for a wrong command line and 1 for wrong data. Never a traceback
(`AXR_DEBUG=1` shows it for an unexpected error).

`AxrGroup` is the root command's class: its `main` runs the command and turns what it raised into
that line. Commands raise `CliError` (or a domain `AppError`, a pydantic `ValidationError`, an `OSError`
on a file) and read their files with `read_bytes` / `read_text` / `read_json`."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
import typer.core
from pydantic import ValidationError
from typer._click import exceptions as click  # Typer's own copy of click: its errors are these

from core.errors import AppError

USAGE, DATA = 2, 1


def language(argv: Sequence[str] = ()) -> str:
    """`--lang en`/`--lang=en` on the command line, else the locale (LC_ALL, LC_MESSAGES, LANG): en or ko."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1].lower().startswith("en") else "ko"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1].lower().startswith("en") else "ko"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "ko"
    return "ko"


@dataclass(frozen=True)
class Where:
    """What is at fault: a file, a line (and column) in it, a field."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def ko(self) -> str:
        parts = [self.file or ""]
        if self.line is not None:
            parts.append(f"{self.line}번째 줄" + (f" {self.column}번째 글자" if self.column else ""))
        if self.field:
            parts.append(f"{self.field} 옵션" if self.field.startswith("--") else f"'{self.field}' 항목")
        return " ".join(p for p in parts if p)

    def en(self) -> str:
        parts = [self.file or ""]
        if self.line is not None:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.field:
            parts.append(f"option {self.field}" if self.field.startswith("--") else f"field '{self.field}'")
        return ", ".join(p for p in parts if p)


class CliError(Exception):
    """A mistake in what the user gave the command: shown as one line, exit `code` (2 usage, 1 data)."""

    def __init__(self, ko: str, en: str, *, where: Where | None = None, code: int = DATA,
                 notes: Sequence[str] = ()) -> None:
        super().__init__(en)
        self.ko, self.en, self.where, self.code, self.notes = ko, en, where, code, list(notes)

    def line(self, lang: str) -> str:
        text = self.en if lang == "en" else self.ko
        place = (self.where.en() if lang == "en" else self.where.ko()) if self.where else ""
        return f"{place}: {text}" if place else text


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _field(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_error(exc: ValidationError, *, file: str | None = None, prefix: Sequence[Any] = (),
                     line: int | None = None) -> CliError:
    """The first problem of a pydantic error, with its field; how many more there are."""
    from api.problems import _KO_MESSAGES  # pydantic's error types in Korean, as the API words them

    errors = exc.errors()
    first = errors[0]
    kind = str(first.get("type", "value_error"))
    en = _one_line(str(first.get("msg", "invalid value")))
    ko = _KO_MESSAGES.get(kind, "값이 올바르지 않습니다")
    ctx = first.get("ctx") or {}
    if kind in ("enum", "literal_error") and ctx.get("expected"):  # the values the file takes, to type
        values = _one_line(str(ctx["expected"])).replace(" or ", ", ").replace("'", "")
        ko += f" (가능한 값: {values})"
    elif kind in ("greater_than_equal", "greater_than") and ("ge" in ctx or "gt" in ctx):
        ko = f"{ctx.get('ge', ctx.get('gt'))} 이상이어야 합니다"
    elif kind in ("less_than_equal", "less_than") and ("le" in ctx or "lt" in ctx):
        ko = f"{ctx.get('le', ctx.get('lt'))} 이하여야 합니다"
    more = len(errors) - 1
    if more:
        ko += f" (그 밖에 {more}건)"
        en += f" (and {more} more)"
    field = _field([*prefix, *first.get("loc", ())]) or None
    return CliError(ko, en, where=Where(file=file, line=line, field=field))


def _file_error(exc: OSError) -> CliError:
    name = exc.filename or ""
    if isinstance(exc, FileNotFoundError):
        return CliError("파일이 없습니다", "no such file", where=Where(file=name), code=USAGE)
    if isinstance(exc, IsADirectoryError):
        return CliError("파일이 아니라 폴더입니다", "is a directory, not a file", where=Where(file=name), code=USAGE)
    if isinstance(exc, PermissionError):
        return CliError("파일을 읽을 권한이 없습니다", "permission denied", where=Where(file=name), code=USAGE)
    return CliError(f"파일을 읽을 수 없습니다 ({exc.strerror or exc})", f"cannot read the file ({exc.strerror or exc})",
                    where=Where(file=name), code=USAGE)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable or directory path is a usage error naming it."""
    if path.is_dir():
        raise CliError("파일이 아니라 폴더입니다", "is a directory, not a file", where=Where(file=str(path)),
                       code=USAGE)
    try:
        return path.read_bytes()
    except OSError as exc:
        exc.filename = exc.filename or str(path)
        raise _file_error(exc) from exc


def read_text(path: Path) -> str:
    """The file as UTF-8 text (a BOM is dropped); empty and binary files are refused."""
    raw = read_bytes(path)
    if not raw.strip():
        raise CliError("파일이 비어 있습니다", "the file is empty", where=Where(file=str(path)))
    if b"\x00" in raw:
        raise CliError("텍스트 파일이 아닙니다 (바이너리 파일)", "not a text file (binary content)",
                       where=Where(file=str(path)))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise CliError("UTF-8 텍스트가 아닙니다", "not UTF-8 text", where=Where(file=str(path), line=line)) from exc


def read_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"JSON 형식이 올바르지 않습니다 ({_json_hint_ko(exc.msg)})", f"not valid JSON ({exc.msg})",
                       where=Where(file=str(path), line=exc.lineno, column=exc.colno)) from exc


def _json_hint_ko(msg: str) -> str:
    hints = {"Expecting property name enclosed in double quotes": "항목 이름은 큰따옴표로 감싸야 합니다",
             "Expecting ',' delimiter": "쉼표가 빠졌습니다", "Expecting ':' delimiter": "콜론(:)이 빠졌습니다",
             "Expecting value": "값이 있어야 할 자리입니다", "Extra data": "JSON 값 뒤에 다른 내용이 있습니다",
             "Unterminated string starting at": "문자열의 따옴표가 닫히지 않았습니다",
             "Invalid control character at": "문자열 안에 줄바꿈 같은 제어 문자가 있습니다"}
    return next((ko for en, ko in hints.items() if msg.startswith(en)), "문법 오류")


def _usage_error(exc: click.UsageError) -> CliError:
    """click's own refusals (unknown option, missing or bad value), said in Korean with the help to read."""
    cmd = exc.ctx.command_path if exc.ctx else "axr"
    help_ko, help_en = f"`{cmd} --help`에서 사용법을 확인하세요", f"see `{cmd} --help`"
    message = _one_line(exc.format_message())
    if isinstance(exc, click.NoSuchOption):
        ko = f"알 수 없는 옵션입니다: {exc.option_name}"
    elif isinstance(exc, click.MissingParameter) and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx) if exc.ctx else exc.param.name
        ko = f"꼭 주어야 하는 값이 없습니다: {hint}"
    elif isinstance(exc, click.BadParameter) and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx) if exc.ctx else exc.param.name
        ko = f"{hint}의 값이 올바르지 않습니다"
    elif message.startswith("No such command"):
        ko = "그런 명령이 없습니다: " + message.removeprefix("No such command").strip(" .'")
    else:
        ko = "명령줄이 올바르지 않습니다"
    return CliError(f"{ko}. {help_ko}", f"{message} ({help_en})", code=USAGE)


def describe(exc: BaseException) -> CliError | None:
    """The one-line form of an exception raised by a command; None for a bug (not the user's input)."""
    if isinstance(exc, CliError):
        return exc
    if isinstance(exc, click.UsageError):
        return _usage_error(exc)
    if isinstance(exc, AppError):
        return CliError(_one_line(exc.detail_ko or exc.title_ko), _one_line(exc.detail_en or exc.title_en),
                        notes=exc.extra.get("problems", []))
    if isinstance(exc, ValidationError):
        return validation_error(exc)
    if isinstance(exc, OSError) and exc.filename:
        return _file_error(exc)
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, OperationalError):
        from sqlalchemy.engine import make_url

        from core.settings import get_settings

        url = make_url(get_settings().database_url).render_as_string(hide_password=True)
        return CliError(f"데이터베이스에 연결할 수 없습니다: {url} (AXR_DATABASE_URL을 확인하세요)",
                        f"cannot reach the database {url} (check AXR_DATABASE_URL)")
    return None


def report(exc: BaseException, lang: str) -> int:
    """Print the line for `exc` on stderr and return the exit code."""
    error = describe(exc)
    if error is None:
        if os.environ.get("AXR_DEBUG"):
            raise exc
        error = CliError(f"예기치 못한 오류입니다 ({type(exc).__name__}: {_one_line(str(exc))[:200]}). "
                         "AXR_DEBUG=1로 다시 실행하면 자세한 내용이 나옵니다",
                         f"unexpected error ({type(exc).__name__}: {_one_line(str(exc))[:200]}); "
                         "run again with AXR_DEBUG=1 for details")
    prefix = "error: " if lang == "en" else "오류: "
    sys.stderr.write(prefix + error.line(lang) + "\n")
    for note in error.notes:  # a list of problems (a criteria file) follows the line, one per line
        sys.stderr.write(f"  - {_one_line(note)}\n")
    sys.stderr.flush()
    return error.code


class AxrGroup(typer.core.TyperGroup):
    """The root `axr` group: runs the command without click's own error printing, then says what went
    wrong in one line (see the module docstring)."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        lang = language(argv)
        try:
            rv = super().main(args=argv, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                              **extra)
        except click.NoArgsIsHelpError as exc:  # `axr` or `axr token` alone: the help
            if exc.ctx is not None:
                sys.stderr.write(exc.ctx.get_help() + "\n")
            code = USAGE
        except typer.Abort:
            sys.stderr.write("\n")
            code = 130
        except Exception as exc:  # noqa: BLE001 - the one place where a command's failure becomes a line
            code = report(exc, lang)
        else:
            code = rv if isinstance(rv, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)
