"""What a file is, from its bytes: the accepted types, their magic numbers, and the filename cleaned.

A file is accepted only when its extension, its declared media type (when the client sends one) and its
content agree. Content is read by `filetype` (magic numbers, and the parts inside OOXML zips); the two
Korean word-processor formats it does not know are checked here: HWP 5 is an OLE2 compound file holding
the stream signature "HWP Document File", HWPX an OPC zip whose first entry `mimetype` says hwp+zip.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import filetype

PDF, PNG, JPEG, CSV = "application/pdf", "image/png", "image/jpeg", "text/csv"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HWP, HWPX = "application/x-hwp", "application/hwp+zip"

# extension -> the media type its content must be
ACCEPTED: dict[str, str] = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "docx": DOCX, "xlsx": XLSX,
                            "hwp": HWP, "hwpx": HWPX, "csv": CSV}
# what a refusal calls the content it found, in a sentence a supplier understands
KIND_KO = {PDF: "PDF 문서", PNG: "PNG 이미지", JPEG: "JPEG 이미지", DOCX: "워드 문서(DOCX)", XLSX: "엑셀 문서(XLSX)",
           HWP: "한글 문서(HWP)", HWPX: "한글 문서(HWPX)", CSV: "CSV 표",
           "application/x-msdownload": "Windows 실행 파일", "application/x-executable": "실행 파일",
           "application/zip": "ZIP 압축 파일", "application/x-rar-compressed": "RAR 압축 파일",
           "application/x-7z-compressed": "7z 압축 파일", "application/gzip": "gzip 압축 파일",
           "text/html": "HTML 문서", "image/gif": "GIF 이미지", "application/msword": "이전 형식의 워드 문서(DOC)"}
KIND_EN = {PDF: "a PDF document", PNG: "a PNG image", JPEG: "a JPEG image", DOCX: "a Word document (DOCX)",
           XLSX: "an Excel workbook (XLSX)", HWP: "a Hangul document (HWP)", HWPX: "a Hangul document (HWPX)",
           CSV: "a CSV table", "application/x-msdownload": "a Windows executable",
           "application/x-executable": "an executable", "application/zip": "a ZIP archive",
           "application/x-rar-compressed": "a RAR archive", "application/x-7z-compressed": "a 7z archive",
           "application/gzip": "a gzip archive", "text/html": "an HTML document", "image/gif": "a GIF image",
           "application/msword": "an old-format Word document (DOC)"}
# declared types clients send for "I don't know"
_UNSPECIFIC = {"", "application/octet-stream", "binary/octet-stream", "application/x-download"}
_ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "application/x-pdf": PDF, "application/haansofthwp": HWP,
            "application/vnd.hancom.hwp": HWP, "application/vnd.hancom.hwpx": HWPX, "application/csv": CSV,
            "text/comma-separated-values": CSV}
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]")
MAX_NAME = 120


@dataclass(frozen=True)
class Verdict:
    """The sniffed media type; `refusal` says why the file is refused (None: accepted)."""

    media_type: str | None
    refusal: str | None = None  # "extension" (not an accepted type), "content" (not what it claims)
    claimed: str | None = None  # the type the name or the declaration claims


def detect(content: bytes) -> str | None:
    """The media type the bytes are, among the accepted ones and the usual impostors; None: unknown."""
    if content.startswith(_OLE2) and b"HWP Document File" in content:
        return HWP
    if content[:4] == b"PK\x03\x04" and content[30:38] == b"mimetype" and content[38:57] == HWPX.encode():
        return HWPX
    if content.startswith(b"MZ"):
        return "application/x-msdownload"
    kind = filetype.guess(content)
    if kind is not None:
        return str(kind.mime)
    head = content[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<script")):
        return "text/html"
    return CSV if _is_text(content) else None


def _is_text(content: bytes) -> bool:
    if not content or b"\x00" in content:
        return False
    for encoding in ("utf-8-sig", "cp949"):  # Korean spreadsheets export CSV in either
        try:
            content.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def check(content: bytes, filename: str, declared: str | None) -> Verdict:
    """Accept the file when its extension is an accepted type and its content (and the declared media
    type, unless it is unspecific) is that type."""
    claimed = ACCEPTED.get(extension(filename))
    if claimed is None:
        return Verdict(detect(content), "extension")
    found = detect(content)
    if found != claimed:
        return Verdict(found, "content", claimed)
    said = (declared or "").split(";")[0].strip().lower()
    said = _ALIASES.get(said, said)
    if said not in _UNSPECIFIC and said != claimed and not (claimed == CSV and said == "text/plain"):
        return Verdict(found, "content", said)
    return Verdict(found)


def clean_filename(name: str | None, media_type: str | None = None) -> str:
    """A filename safe to store and to send back: no folders, no control or reserved characters, NFC
    Korean, at most 120 characters with the extension kept."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE.sub("_", re.sub(r"\s+", " ", base)).strip(" .")  # tabs and newlines read as spaces
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        keep = f".{ext}" if dot and len(ext) <= 8 else ""
        base = (stem if keep else base)[: MAX_NAME - len(keep)].rstrip(" .") + keep
    if not base:
        ext = next((e for e, t in ACCEPTED.items() if t == media_type), "bin")
        base = f"document.{ext}"
    return base
