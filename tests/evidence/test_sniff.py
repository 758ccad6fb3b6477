"""The type of a file is read from its bytes: each accepted kind is recognised, and impostors (an
executable, a zip, an HTML page, a PNG) are told apart from what their names claim."""

from __future__ import annotations

import io
import zipfile

import pytest

from evidence import sniff
from tests.evidence.helpers import exe, pdf, png, zip_archive


def _zip(entries: list[tuple[str, str]], *, stored_first: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, text) in enumerate(entries):
            z.writestr(zipfile.ZipInfo(name), text,
                       compress_type=zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED)
    return buf.getvalue()


DOCX = _zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")])
XLSX = _zip([("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")])
HWPX = _zip([("mimetype", "application/hwp+zip"), ("Contents/section0.xml", "<hs:sec/>")], stored_first=True)
HWP = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + b"HWP Document File\x00" + b"\x00" * 200
CSV_UTF8 = "기업명,AI 인력\n한울비전,12\n".encode()
CSV_CP949 = "기업명,AI 인력\n한울비전,12\n".encode("cp949")


@pytest.mark.parametrize(("content", "name"), [
    (pdf(), "명세서.pdf"), (png(), "사진.png"), (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, "사진.JPG"),
    (DOCX, "사업계획서.docx"), (XLSX, "매출.xlsx"), (HWPX, "실적보고서.hwpx"), (HWP, "실적보고서.hwp"),
    (CSV_UTF8, "인력.csv"), (CSV_CP949, "인력.csv"),
])
def test_each_accepted_kind_is_recognised(content: bytes, name: str) -> None:
    verdict = sniff.check(content, name, None)
    assert verdict.refusal is None, verdict
    assert verdict.media_type == sniff.ACCEPTED[sniff.extension(name)]


@pytest.mark.parametrize(("content", "name", "found"), [
    (exe(), "사업자등록증.pdf", "application/x-msdownload"),
    (zip_archive(), "실적.pdf", "application/zip"),
    (zip_archive(), "실적.docx", "application/zip"),
    (DOCX, "실적보고서.hwpx", sniff.DOCX),
    (png(), "사진.jpg", sniff.PNG),
    (b"<!DOCTYPE html><script>alert(1)</script>", "인력.csv", "text/html"),
    (pdf(), "매출.xlsx", sniff.PDF),
    (b"", "빈파일.pdf", None),
])
def test_impostors_are_refused(content: bytes, name: str, found: str | None) -> None:
    verdict = sniff.check(content, name, "application/octet-stream")
    assert verdict.refusal == "content"
    assert verdict.media_type == found


def test_names_are_cleaned_and_unknown_extensions_refused() -> None:
    assert sniff.clean_filename("C:\\Users\\김\\2025 실적\t보고서.pdf") == "2025 실적 보고서.pdf"
    assert sniff.clean_filename("../../etc/passwd") == "passwd"
    assert sniff.clean_filename("  ..  ") == "document.bin"
    long = "가" * 300 + ".pdf"
    assert len(sniff.clean_filename(long)) == sniff.MAX_NAME
    assert sniff.clean_filename(long).endswith(".pdf")
    assert sniff.check(exe(), "setup.exe", None).refusal == "extension"
    assert sniff.check(pdf(), "명세서", None).refusal == "extension"
