"""Refusals of an upload: too large (413), not an accepted type, or not what its name claims (422)."""

from __future__ import annotations

from core.errors import PROBLEM_BASE, AppError, Conflict, Invalid
from core.korean import josa, quoted
from evidence.sniff import ACCEPTED, KIND_EN, KIND_KO

_ACCEPTED_NAMES = ", ".join(sorted({e.upper() for e in ACCEPTED} - {"JPEG"}))


def _size_ko(n: int) -> str:
    return f"{n / 1_000_000:g}MB" if n >= 1_000_000 else f"{n / 1000:g}KB"


class DocumentTooLarge(AppError):
    status = 413
    type = PROBLEM_BASE + "document-too-large"
    title_ko = "파일이 너무 큽니다"
    title_en = "The file is too large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"증빙 파일은 {_size_ko(limit)}까지 올릴 수 있습니다.",
                         f"Evidence files may be at most {_size_ko(limit)}.", max_bytes=limit)


class DocumentTypeNotAccepted(Invalid):
    type = PROBLEM_BASE + "document-type-not-accepted"
    title_ko = "받지 않는 파일 형식입니다"
    title_en = "This file type is not accepted"

    def __init__(self, filename: str) -> None:
        super().__init__(f"{josa(quoted(filename), '은')} 받을 수 있는 형식이 아닙니다. 받는 형식: {_ACCEPTED_NAMES}",
                         f"The file is not an accepted type. Accepted: {_ACCEPTED_NAMES}",
                         filename=filename, accepted=sorted(ACCEPTED))


class DocumentContentMismatch(Invalid):
    """The bytes are not what the name or the declared type says (an executable named .pdf). The English
    text leaves the (often Korean) filename to the `filename` member."""

    type = PROBLEM_BASE + "document-content-mismatch"
    title_ko = "파일 내용이 이름이나 형식과 다릅니다"
    title_en = "The file's content is not what its name or type claims"

    def __init__(self, filename: str, claimed: str, found: str | None) -> None:
        found_ko = KIND_KO.get(found or "", "알 수 없는 형식의 파일")
        found_en = KIND_EN.get(found or "", "a file of unknown type")
        claimed_ko = KIND_KO.get(claimed, claimed)
        claimed_en = KIND_EN.get(claimed, claimed)
        super().__init__(f"{quoted(filename)} 파일은 {claimed_ko}라고 되어 있으나 내용은 {found_ko}입니다. "
                         "파일을 확인해 주세요.",
                         f"The file claims to be {claimed_en} but its content is {found_en}.",
                         filename=filename, claimed_type=claimed, detected_type=found)


class DocumentEmpty(Invalid):
    type = PROBLEM_BASE + "document-empty"
    title_ko = "빈 파일입니다"
    title_en = "The file is empty"


class DocumentsClosed(Conflict):
    """Evidence is attached while the record is open to it: a draft, or an open supplement request."""

    type = PROBLEM_BASE + "documents-closed"
    title_ko = "지금은 증빙 파일을 올릴 수 없습니다"
    title_en = "Documents cannot be attached now"
