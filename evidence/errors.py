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


class DocumentInfected(Invalid):
    """clamd found a signature in the bytes: the upload is refused and nothing is stored."""

    type = PROBLEM_BASE + "document-infected"
    title_ko = "악성코드가 발견된 파일입니다"
    title_en = "Malware was found in the file"

    def __init__(self, filename: str, signature: str) -> None:
        super().__init__(f"{quoted(filename)} 파일에서 악성코드({signature})가 발견되어 받지 않았습니다. "
                         "파일을 검사한 뒤 다시 올려 주세요.",
                         f"Malware ({signature}) was found in the file; it was not accepted. Check the file and "
                         "upload it again.", filename=filename, signature=signature)


class DocumentTooLargeToScan(AppError):
    """Under our size limit but over the virus scanner's (clamd StreamMaxLength): it cannot be scanned, so it
    is not taken."""

    status = 413
    type = PROBLEM_BASE + "document-too-large-to-scan"
    title_ko = "바이러스 검사를 할 수 없을 만큼 큰 파일입니다"
    title_en = "The file is too large for the virus scanner"

    def __init__(self, filename: str) -> None:
        super().__init__(f"{quoted(filename)} 파일은 바이러스 검사기가 받을 수 있는 크기를 넘어 받지 않았습니다. "
                         "파일을 나누거나 줄여서 올려 주세요.",
                         "The file is over the size the virus scanner accepts; it was not accepted. Split or "
                         "shrink it and upload it again.", filename=filename)


class ScannerUnavailable(AppError):
    """Scanning is configured but clamd gave no verdict. The upload is refused rather than stored unscanned:
    a configured scanner promises every stored file was scanned, and a retry costs the user one click."""

    status = 503
    type = PROBLEM_BASE + "virus-scanner-unavailable"
    title_ko = "바이러스 검사기에 연결할 수 없습니다"
    title_en = "The virus scanner is unavailable"
    RETRY_SECONDS = 30

    def __init__(self) -> None:
        super().__init__("바이러스 검사를 할 수 없어 파일을 받지 않았습니다. 잠시 후 다시 올려 주세요.",
                         "The file could not be virus-scanned and was not accepted. Upload it again in a moment.",
                         headers={"Retry-After": str(self.RETRY_SECONDS)})
