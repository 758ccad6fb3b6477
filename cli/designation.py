"""`axr criteria load`, `axr certificates expire` and `axr audit verify`."""

from __future__ import annotations

from pathlib import Path

import typer
import yaml
from rich.console import Console

from cli.errors import CliError, Where, read_json, read_text
from cli.jobs import job

criteria = typer.Typer(help="Eligibility criteria versions", no_args_is_help=True)
certificates = typer.Typer(help="Designation certificates", no_args_is_help=True)
audit = typer.Typer(help="The tamper-evident audit log", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@criteria.command("load")
def criteria_load(file: Path = typer.Argument(..., readable=False, help="YAML or JSON criteria file")) -> None:
    """Load a new criteria version; applications already screened keep the version they used."""
    from certification import criteria_store
    from certification.errors import CriteriaFileInvalid

    where = Where(file=str(file))
    if file.suffix == ".json":
        document = read_json(file)
    else:
        try:
            document = yaml.safe_load(read_text(file))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise CliError("심사 기준 파일의 YAML 형식이 올바르지 않습니다", "invalid criteria file: not valid YAML",
                           where=Where(file=str(file), line=mark.line + 1 if mark else None)) from exc
    try:
        with job() as session:
            loaded = criteria_store.load_version(session, document=document, loaded_by="cli")
    except CriteriaFileInvalid as exc:
        raise CliError(f"심사 기준 파일이 올바르지 않습니다 (문제 {len(exc.problems)}건)",
                       f"invalid criteria file ({len(exc.problems)} problems)", where=where,
                       notes=exc.problems) from exc
    out.print(f"loaded criteria {loaded.version} (effective {loaded.effective_from}, "
              f"digest {loaded.digest[:12]})")


@certificates.command("expire")
def certificates_expire() -> None:
    """Move every certificate past valid_until to expired (idempotent; run it daily)."""
    from certification import designations

    with job() as session:
        expired = designations.expire_due(session)
    out.print(f"expired {len(expired)} certificate(s)" + (": " + ", ".join(expired) if expired else ""))


@audit.command("verify")
def audit_verify(documents: bool = typer.Option(
        True, "--documents/--no-documents",
        help="Also hash every stored evidence document against the digest its audit event recorded")) -> None:
    """Recompute the audit Merkle tree, check each row's query columns against its entry, replay every
    certificate and application through its lifecycle, and hash every evidence document; exit 1 naming
    the first bad event, every row whose state its events do not support and every document whose bytes
    are not the ones recorded."""
    from rich.markup import escape

    from certification import audit_log, reports
    from certification.audit import PROBLEM_KO
    from core.keys import signing_key, verify_compact
    from core.settings import get_settings
    from evidence import service as evidence
    from evidence.backends import blob_store

    settings = get_settings()
    key = signing_key(settings.key_file())
    with job() as session:
        check = audit_log.verify(session, lambda payload, sig: verify_compact(key, payload, sig))
        size, _ = audit_log.current_head(session)
        states = audit_log.verify_states(session)
        store = blob_store(settings)
        n_docs, doc_problems = evidence.verify(session, store) if documents else (0, [])
        n_report_docs, report_problems = reports.verify_documents(session, store) if documents else (0, [])
        n_docs += n_report_docs
    failed = False
    if check.problem is not None:
        p = check.problem
        err.print(f"[red]audit log check FAILED[/] at event {p.seq} ({p.kind.value}): {escape(p.detail_en)}",
                  soft_wrap=True)
        err.print(f"감사 로그 검증 실패: 이벤트 {p.seq}({PROBLEM_KO[p.kind]}): {escape(p.detail_ko)}", soft_wrap=True)
        failed = True
    elif check.checked < size:
        err.print(f"[red]audit log check FAILED[/] at event {check.checked} (deleted): the log head records "
                  f"{size} events but only {check.checked} are stored", soft_wrap=True)
        err.print(f"감사 로그 검증 실패: 이벤트 {check.checked}(삭제): 트리 헤드에는 {size}건이 기록되어 있으나 "
                  f"저장된 이벤트는 {check.checked}건입니다", soft_wrap=True)
        failed = True
    for sp in states:
        at = f" (event {sp.seq})" if sp.seq is not None else ""
        err.print(f"[red]state check FAILED[/] for {sp.subject_type} {sp.subject_id}{at}: {escape(sp.detail_en)}",
                  soft_wrap=True)
        err.print(f"상태 검증 실패: {escape(sp.detail_ko)}", soft_wrap=True)
        failed = True
    for dp in doc_problems:
        owner_en, owner_ko = ((f"appeal {dp.appeal_id}", f"이의신청 {dp.appeal_id}") if dp.appeal_id
                              else (f"project outcome {dp.outcome_id}", f"과제 성과 {dp.outcome_id}") if dp.outcome_id
                              else (f"application {dp.application_id}", f"신청 {dp.application_id}"))
        err.print(f"[red]document check FAILED[/] for document {dp.document_id} of "
                  f"{owner_en}: {escape(dp.detail_en)}", soft_wrap=True)
        err.print(f"문서 검증 실패: {owner_ko}의 문서 {dp.document_id}('{escape(dp.filename)}'): "
                  f"{escape(dp.detail_ko)}", soft_wrap=True)
        failed = True
    for doc, en, ko in report_problems:
        err.print(f"[red]document check FAILED[/] for document {doc.id} of performance report {doc.report_id}: "
                  f"{escape(en)}", soft_wrap=True)
        err.print(f"문서 검증 실패: 실적 보고 {doc.report_id}의 문서 {doc.id}('{escape(doc.filename)}'): {escape(ko)}",
                  soft_wrap=True)
        failed = True
    if failed:
        raise typer.Exit(1)
    docs = f"; {n_docs} document(s) match their recorded digests" if documents else ""
    out.print(f"audit log OK: {check.checked} events, root {check.root.hex()}, "
              f"{check.heads_verified} signed tree head(s) verified; states of certificates and applications "
              f"agree with their events{docs}", soft_wrap=True)
