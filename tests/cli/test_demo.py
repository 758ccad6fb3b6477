"""`axr demo load` on a fresh database: designations in every state, reached through the real workflow,
an audit log that verifies, and a second load that adds nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from certification.models import Application, Certificate
from core.db import Base
from tests.cli.runner import axr_in_process


def _counts(engine: Any) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_demo_load_fills_every_designation_state_once(settings, engine) -> None:
    assert _counts(engine)["company"] == 0

    result = axr_in_process(settings, "demo", "load")
    assert result.exit_code == 0, result.output

    with engine.connect() as conn:
        apps = Counter(conn.scalars(select(Application.state)))
        certs = Counter(conn.scalars(select(Certificate.status)))
    assert {"approved", "rejected", "supplement_requested"} <= set(apps), apps
    assert set(certs) == {"active", "suspended", "revoked", "expired"}, certs
    assert certs["active"] >= 5
    assert apps["approved"] == sum(certs.values())  # every certificate came from an approval

    verified = axr_in_process(settings, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "audit log OK" in verified.output

    first = _counts(engine)
    again = axr_in_process(settings, "demo", "load")
    assert again.exit_code == 0, again.output
    assert _counts(engine) == first
    assert axr_in_process(settings, "audit", "verify").exit_code == 0
