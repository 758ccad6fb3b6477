"""Edits to a designated company's listing, flagged for a reviewer to acknowledge (as the UK Digital
Marketplace does with live listings): a change to the company's facts or TIPS stage, or a solution
published, changed while published, or withdrawn, by a company holding a live (active or suspended)
certificate.

The API's company and solution routes call `flag` after the registry has applied the edit, with the values
the edited fields had before it; the registry itself knows nothing of designation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification import audit_log, designations
from certification.monitoring_models import ListingEdit
from core import clock
from core.errors import Conflict, NotFound
from core.korean import josa, quoted
from core.principal import Principal
from registry.models import Company, Solution


def before(obj: Company | Solution, fields: dict[str, Any]) -> dict[str, Any]:
    """The current values of the fields an edit is about to change (call it before the edit)."""
    return {k: _plain(getattr(obj, k, None)) for k in fields}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def flag(session: Session, *, obj: Company | Solution, was: dict[str, Any], p: Principal,
         created: bool = False, was_published: bool = True) -> ListingEdit | None:
    """Record the edit when the company is designated and something a buyer sees changed."""
    company = obj if isinstance(obj, Company) else session.get_one(Company, obj.company_id)
    cert = designations.live_certificate(session, company.id)
    if cert is None:
        return None
    if isinstance(obj, Solution) and not (was_published or obj.status == "published"):
        return None  # a draft is nobody's business but the supplier's
    changes = [{"field": k, "before": None if created else v, "after": _plain(getattr(obj, k, None))}
               for k, v in was.items() if created or v != _plain(getattr(obj, k, None))]
    if not changes:
        return None
    edit = ListingEdit(company_id=company.id, certificate_number=cert.number,
                       resource="company" if isinstance(obj, Company) else "solution", resource_id=obj.id,
                       action="created" if created else "updated", changes=changes,
                       in_scope=None if isinstance(obj, Company) else obj.category in cert.scope,
                       edited_by=p.sub, edited_at=clock.now())
    session.add(edit)
    session.flush()
    return edit


def flag_tips(session: Session, *, company: Company, linkage_id: str, before: str | None, after: str,
              p: Principal) -> ListingEdit | None:
    """A TIPS linkage added (before None) or moved to another stage, for a designated company."""
    cert = designations.live_certificate(session, company.id)
    if cert is None or before == after:
        return None
    edit = ListingEdit(company_id=company.id, certificate_number=cert.number, resource="tips",
                       resource_id=linkage_id, action="created" if before is None else "updated",
                       changes=[{"field": "stage", "before": before, "after": after}], edited_by=p.sub,
                       edited_at=clock.now())
    session.add(edit)
    session.flush()
    return edit


def load(session: Session, edit_id: str, *, lock: bool = False) -> ListingEdit:
    stmt = select(ListingEdit).where(ListingEdit.id == edit_id)
    edit = session.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if edit is None:
        raise NotFound(f"변경 기록 {josa(quoted(edit_id), '을')} 찾을 수 없습니다.", f"Edit {edit_id} was not found.")
    return edit


def acknowledge(session: Session, *, edit: ListingEdit, p: Principal, note: str | None) -> ListingEdit:
    """A reviewer or admin acknowledges the edit (once), with an optional note; audited."""
    if edit.acknowledged_at is not None:
        raise Conflict("이미 확인한 변경입니다.", "The edit was already acknowledged.")
    edit.acknowledged_by, edit.acknowledged_at, edit.note = p.sub, clock.now(), note
    audit_log.append(session, actor=p, subject_type="listing_edit", subject_id=edit.id, action="acknowledge",
                     from_state="open", to_state="acknowledged", reason=note,
                     payload={"company_id": edit.company_id, "certificate": edit.certificate_number,
                              "resource": edit.resource, "resource_id": edit.resource_id})
    session.flush()
    return edit
