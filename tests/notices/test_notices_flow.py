"""A supplier is told at each step of its designation (screening, supplement request, decision, suspension):
the notices reach its in-app inbox and, over a real SMTP server on loopback, its contact e-mail in Korean
first with English; another organisation sees none of them; the admin log shows each one's delivery."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy import func, select

from certification.models import Certificate
from core.korean import date_ko
from notices.dispatch import Dispatcher
from notices.models import Notice
from tests.api.designation_builders import APPROVE, SCORES, Desk
from tests.conftest import bearer
from tests.korean_scan import findings, internal_codes

MAIL = "cert-team@deepvision.kr"


def _body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()  # type: ignore[no-any-return]


def _walk_to_suspension(desk: Desk) -> tuple[dict[str, str], str, str]:
    s = desk.supplier(contact_email=MAIL)
    _, app_id = desk.draft(s)
    desk.post(f"/v1/applications/{app_id}/submit", s.token)
    desk.post(f"/v1/applications/{app_id}/panel", desk.admin, {"reviewers": [sub for sub, _ in desk.reviewers[:3]]})
    for _, tok in desk.reviewers[:2]:
        desk.post(f"/v1/applications/{app_id}/declaration", tok, {"has_conflict": False})
    desk.post(f"/v1/applications/{app_id}/supplement-request", desk.reviewer,
              {"message": "불량률 측정 근거 자료를 보완해 주세요."})
    desk.post(f"/v1/applications/{app_id}/resubmit", s.token, {"answer": "측정 보고서를 첨부합니다."})
    for _, tok in desk.reviewers[:2]:
        desk.post(f"/v1/applications/{app_id}/reviews", tok, {"scores": SCORES}, expect=201)
    desk.post(f"/v1/applications/{app_id}/decision", desk.reviewer, APPROVE)
    number = desk.client.get(f"/v1/certificates?company_id={s.company['id']}", headers=desk.admin).json()[
        "items"][0]["number"]
    desk.post(f"/v1/certificates/{number}/suspend", desk.admin, {"reason": "현장 점검 결과 확인 중"})
    return s.token, app_id, number


def test_each_step_reaches_the_inbox_and_the_mailbox_in_korean(client, mint, engine, settings, smtp):
    desk = Desk.open(client, mint, engine)
    token, app_id, number = _walk_to_suspension(desk)

    # written with the events, not yet delivered: the inbox shows what the dispatcher has delivered
    assert client.get("/v1/me/notices", headers=token).json()["items"] == []
    result = Dispatcher(engine, settings.model_copy(update={"smtp_url": smtp.url})).step()
    assert (result.delivered, result.sent, result.failed) == (4, 4, 0)

    mails = smtp.to(MAIL)
    assert [m["Subject"] for m in mails] == [
        "[AX 레지스트리] 자격 요건 검토 통과 / Eligibility screening passed",
        "[AX 레지스트리] 지정 신청 보완 요청 / Supplement requested",
        f"[AX 레지스트리] 지정 승인 (지정서 {number}) / Designation approved ({number})",
        f"[AX 레지스트리] 지정 정지 (지정서 {number}) / Designation suspended ({number})"]
    assert all(m["From"] == "AX 레지스트리 <noreply@axr.go.kr>" for m in mails)
    cert = _certificate(engine, number)
    approved = _body(mails[2])
    assert f"지정서 번호는 {number}, 유효기간은 {date_ko(cert.valid_from)}부터 {date_ko(cert.valid_until)}까지" \
        in approved
    assert "Certificate " + number in approved  # English after the Korean
    assert "“불량률 측정 근거 자료를 보완해 주세요.”" in _body(mails[1])
    suspended = _body(mails[3])
    assert f"지정서 {number}" in suspended
    assert "지정 효력이 없습니다" in suspended
    codes = internal_codes()
    for m in mails:
        korean = _body(m).split("\n---\n")[0]
        assert findings(korean, codes) == [], korean

    # the inbox: the same four, oldest first, paginated with {"items", "next"}
    first = client.get("/v1/me/notices", params={"limit": 3}, headers=token).json()
    assert [n["kind"] for n in first["items"]] == ["screening_result", "supplement_requested", "decision"]
    rest = client.get(first["next"], headers=token).json()
    assert [n["kind"] for n in rest["items"]] == ["suspension"]
    assert rest["next"] is None
    assert first["items"][2]["link"] == f"/v1/applications/{app_id}"

    # mark read: the unread view drops it; marking again changes nothing
    notice_id = first["items"][0]["id"]
    r = client.post(f"/v1/me/notices/{notice_id}/read", headers=token)
    assert r.status_code == 200
    assert r.json()["read_at"] is not None
    again = client.post(f"/v1/me/notices/{notice_id}/read", headers=token).json()
    assert again["read_at"] == r.json()["read_at"]
    unread = client.get("/v1/me/notices", params={"unread": "true"}, headers=token).json()["items"]
    assert notice_id not in [n["id"] for n in unread]
    assert len(unread) == 3

    # a second round sends nothing again
    assert Dispatcher(engine, settings.model_copy(update={"smtp_url": smtp.url})).step().idle
    assert len(smtp.to(MAIL)) == 4

    # the admin log: every notice with its e-mail status and attempts; suppliers may not read it
    log = client.get("/v1/admin/notices", params={"email_status": "sent"}, headers=desk.admin).json()["items"]
    assert [(n["kind"], n["email_to"], n["attempts"], n["last_error"]) for n in log] == [
        (k, MAIL, 1, None) for k in ("screening_result", "supplement_requested", "decision", "suspension")]
    assert client.get("/v1/admin/notices", headers=token).status_code == 403


def test_another_organisations_notice_is_not_found(client, mint, engine, settings):
    desk = Desk.open(client, mint, engine)
    token, _, _ = _walk_to_suspension(desk)
    Dispatcher(engine, settings).step()  # no SMTP configured: inbox only, e-mail recorded as skipped
    mine = client.get("/v1/me/notices", headers=token).json()["items"]
    assert len(mine) == 4
    other = bearer(mint("supplier"))
    assert client.get("/v1/me/notices", headers=other).json() == {"items": [], "next": None}
    r = client.post(f"/v1/me/notices/{mine[0]['id']}/read", headers=other)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "찾을 수 없습니다" in r.json()["title"] + (r.json().get("detail") or "")
    r = client.post(f"/v1/me/notices/{mine[0]['id']}/read", headers={**other, "Accept-Language": "en"})
    assert r.status_code == 404
    # nothing was marked read by the refused request
    assert client.get("/v1/me/notices", params={"unread": "true"}, headers=token).json()["items"] == mine
    log = client.get("/v1/admin/notices", headers=desk.admin).json()["items"]
    assert {(n["email_status"], n["last_error"]) for n in log} == {("skipped", "AXR_SMTP_URL is not set")}


def test_a_refused_mail_is_retried_with_the_attempt_and_error_kept(client, mint, engine, settings, smtp):
    from datetime import timedelta

    from core import clock

    desk = Desk.open(client, mint, engine)
    s = desk.supplier(contact_email=MAIL)
    _, app_id = desk.draft(s)
    desk.post(f"/v1/applications/{app_id}/submit", s.token)  # one notice: the screening result
    dispatcher = Dispatcher(engine, settings.model_copy(update={"smtp_url": smtp.url}))
    smtp.refuse = True
    first = dispatcher.step()
    assert (first.delivered, first.sent, first.retrying) == (1, 0, 1)
    row = client.get("/v1/admin/notices", headers=desk.admin).json()["items"][0]
    assert row["email_status"] == "pending"
    assert row["attempts"] == 1
    assert "451" in row["last_error"]
    # the inbox has it even while e-mail fails
    assert len(client.get("/v1/me/notices", headers=s.token).json()["items"]) == 1
    smtp.refuse = False
    assert dispatcher.step().idle  # not due before the back-off
    clock.advance(timedelta(minutes=2))
    assert dispatcher.step().sent == 1
    row = client.get("/v1/admin/notices", headers=desk.admin).json()["items"][0]
    assert (row["email_status"], row["attempts"], row["last_error"]) == ("sent", 2, None)
    assert len(smtp.to(MAIL)) == 1
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Notice)) == 1


def _certificate(engine, number):
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        return s.scalars(select(Certificate).where(Certificate.number == number)).one()
