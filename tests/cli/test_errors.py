"""Ordinary mistakes at the command line, as a newcomer makes them: each ends in one line on stderr, in
Korean (English with LANG=en_US.UTF-8 or --lang en), naming the file/line/field at fault, with exit
code 2 for a wrong command line and 1 for wrong data, and never a traceback. Real `axr` processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from certification.criteria_store import DATA_DIR as CRITERIA_DIR
from tests.cli.runner import AXR, env_for

HANGUL = re.compile(r"[가-힣]")


def run(settings: Any, *args: str, cwd: Path | None = None, stdin: str | None = None,
        env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AXR_", "LC_", "LANG"))}
    env = {**base, "LANG": "C.UTF-8", **env_for(settings), **(env or {})}
    return subprocess.run([*prefix, str(AXR), *args], env=env, cwd=cwd or settings.data_dir, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


def one_line(result: subprocess.CompletedProcess[str], *, lang: str = "ko") -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == "", result.stdout
    line = lines[0]
    if lang == "ko":
        assert line.startswith("오류: "), line
        assert HANGUL.search(line.removeprefix("오류: ")), line
    else:
        assert line.startswith("error: "), line
        assert not HANGUL.search(line), line
    return line


def catalogue(**changes: Any) -> dict[str, Any]:
    item = {"id": "T01", "supplier": {"name": "딥비전랩", "designation": "active", "region": "경기"},
            "category": "vision_inspection", "industries": ["C22"], "min_level": "basic",
            "price_million_krw": {"min": 80, "max": 180},
            "title": {"ko": "사출 부품 비전 불량 검출", "en": "Vision defect detection for molded parts"},
            "description": {"ko": "산업용 카메라와 딥러닝으로 사출 성형품의 미성형과 스크래치를 검출합니다.",
                            "en": "Detects short shots and scratches on molded parts with cameras."}}
    item.update(changes)
    return {"solutions": [item]}


def write(tmp: Path, name: str, content: str | bytes) -> Path:
    path = tmp / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _missing_key() -> str:
    doc = catalogue()
    del doc["solutions"][0]["category"]
    return json.dumps(doc, ensure_ascii=False)


# (name, files to write, argv (with {file} for the first file), exit code, text the line must contain)
CASES: list[tuple[str, dict[str, str | bytes], list[str], int, list[str]]] = [
    ("catalogue: malformed JSON", {"cat.json": '{"solutions": [\n  {"id": "T01",}\n]}'},
     ["import-catalogue", "{file}"], 1, ["cat.json", "2번째 줄", "JSON"]),
    ("catalogue: no solutions key", {"cat.json": '{"items": []}'},
     ["import-catalogue", "{file}"], 1, ["cat.json", "solutions"]),
    ("catalogue: empty solutions", {"cat.json": '{"solutions": []}'},
     ["import-catalogue", "{file}"], 1, ["cat.json", "비어"]),
    ("catalogue: a missing key", {"cat.json": _missing_key()},
     ["import-catalogue", "{file}"], 1, ["cat.json", "solutions[0].category", "필수"]),
    ("catalogue: a bad category", {"cat.json": json.dumps(catalogue(category="vision"), ensure_ascii=False)},
     ["import-catalogue", "{file}"], 1, ["cat.json", "solutions[0].category", "허용된 값"]),
    ("catalogue: a directory", {}, ["import-catalogue", "{dir}"], 2, ["폴더"]),
    ("catalogue: no such file", {}, ["import-catalogue", "{dir}/none.json"], 2, ["none.json", "없습니다"]),
    ("cohort: English headers", {"c.csv": "business_number,name_ko,ksic,region,smart_factory_level\n"
                                          "1248100998,한빛정밀,C29,경남,기초\n"},
     ["cohort", "import", "{file}", "--year", "2027"], 1, ["c.csv", "1번째 줄", "사업자등록번호", "스마트공장수준"]),
    ("cohort: empty file", {"c.csv": ""}, ["cohort", "import", "{file}", "--year", "2027"], 1, ["c.csv", "비어"]),
    ("cohort: binary file", {"c.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"},
     ["cohort", "import", "{file}", "--year", "2027"], 1, ["c.csv", "바이너리"]),
    ("cohort: a directory", {}, ["cohort", "import", "{dir}", "--year", "2027"], 2, ["폴더"]),
    ("token: a scope the role lacks", {}, ["token", "create", "--role", "sme", "--scope", "admin"], 2,
     ["--scope", "admin", "sme"]),
    ("token: negative lifetime", {}, ["token", "create", "--role", "sme", "--ttl", "-5"], 2, ["--ttl", "-5"]),
    ("token: unknown role", {}, ["token", "create", "--role", "boss"], 2, ["--role", "boss"]),
    ("token: no role", {}, ["token", "create"], 2, ["--role", "--help"]),
    ("unknown option", {}, ["token", "create", "--rol", "sme"], 2, ["--rol", "--help"]),
    ("unknown command", {}, ["import-catalog", "x.json"], 2, ["--help"]),
    ("criteria: broken YAML", {"v9.yaml": "version: v9\ncriteria: [unclosed\n"},
     ["criteria", "load", "{file}"], 1, ["v9.yaml", "YAML"]),
    ("match: nothing on stdin", {}, ["match"], 1, ["stdin", "비어"]),
    ("match: the API's field misspelt", {}, ["match", "<", '{"text": "불량 검출", "budget": 5}'], 1,
     ["'budget'", "허용되지 않는"]),
    ("match: two budgets", {}, ["match", "<", '{"text": "불량", "budget_krw": 1, "budget_million_krw": 1}'], 1,
     ["budget_krw", "budget_million_krw"]),
    # set up by SETUP below: a version loaded before, a file nobody may read, a folder with no key
    ("criteria: a version that exists", {}, ["criteria", "load", str(CRITERIA_DIR / "criteria-v1.yaml")], 1,
     ["v1", "이미"]),
    ("catalogue: an unreadable file", {"catalogue.json": json.dumps(catalogue(), ensure_ascii=False)},
     ["import-catalogue", "{file}"], 2, ["catalogue.json", "권한"]),
    ("cohort: an unreadable file", {"c.csv": "사업자등록번호,기업명,업종,지역,스마트공장수준\n"},
     ["cohort", "import", "{file}", "--year", "2027"], 2, ["c.csv", "권한"]),
    ("token: outside the server's folder, no key", {}, ["token", "create", "--role", "sme"], 2,
     ["signing-key.json", "AXR_DATA_DIR"]),
]
# root reads anything: run the command as root without the capabilities that override permissions
NO_OVERRIDE = ("setpriv", "--bounding-set=-dac_override,-dac_read_search") if os.geteuid() == 0 else ()


@pytest.mark.parametrize(("files", "argv", "code", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_mistake_is_one_korean_line_and_an_exit_code(settings, tmp_path: Path, files: dict[str, str | bytes],
                                                        argv: list[str], code: int, says: list[str],
                                                        request: pytest.FixtureRequest) -> None:
    paths = [write(tmp_path, name, content) for name, content in files.items()]
    stdin = None
    if "<" in argv:
        argv, stdin = argv[:argv.index("<")], argv[argv.index("<") + 1]
    if argv == ["match"]:
        stdin = stdin or ""
    args = [a.replace("{file}", str(paths[0]) if paths else "").replace("{dir}", str(tmp_path)) for a in argv]
    kw: dict[str, Any] = {}
    if "an unreadable file" in request.node.callspec.id:
        paths[0].chmod(0o000)
        kw["prefix"] = NO_OVERRIDE
    elif "outside the server's folder" in request.node.callspec.id:  # run elsewhere: no new key made there
        (tmp_path / "elsewhere").mkdir()
        kw.update(cwd=tmp_path / "elsewhere", env={"AXR_DATA_DIR": "./var"})
    elif args[:2] == ["token", "create"]:  # a server's data folder, with its key: the mistake is the request
        from core.keys import signing_key

        signing_key(settings.key_file())
    if args[:2] == ["criteria", "load"] and "exists" in request.node.callspec.id:
        request.getfixturevalue("engine")
        run(settings, *args)  # the first load (or the version is already there)
    result = run(settings, *args, stdin=stdin, **kw)
    line = one_line(result)
    assert result.returncode == code, (result.returncode, line)
    for text in says:
        assert text in line, (text, line)
    if "outside the server's folder" in request.node.callspec.id:
        assert not (tmp_path / "elsewhere" / "var").exists()


def test_english_with_an_english_locale_or_lang_en(settings, tmp_path: Path) -> None:
    bad = write(tmp_path, "cat.json", '{"solutions": [\n  {"id": "T01",}\n]}')
    for env, args in (({"LANG": "en_US.UTF-8"}, []), ({}, ["--lang", "en"])):
        result = run(settings, *args, "import-catalogue", str(bad), env=env)
        line = one_line(result, lang="en")
        assert result.returncode == 1
        assert f"{bad}, line 2, column 16: not valid JSON" in line, line
