"""Certificate validity: expiry on read, the renewal window that keeps the number."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from certification.certificates import (
    Certificate,
    add_years,
    check_renewal_open,
    effective_status,
    renewal_open,
    renewed,
    validity,
)
from certification.errors import RenewalNotOpen

ISSUED = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)


def cert(status: str = "active", years: int = 3) -> Certificate:
    start, end = validity(ISSUED, years)
    return Certificate("AXR-2026-ABCD-EFGH-J", status, start, end)


def test_default_validity_is_three_years() -> None:
    assert cert().valid_until == datetime(2029, 4, 1, tzinfo=UTC)
    assert add_years(datetime(2028, 2, 29, tzinfo=UTC), 3) == datetime(2031, 2, 28, tzinfo=UTC)


def test_expiry_is_evaluated_on_read() -> None:
    c = cert()
    assert effective_status(c, c.valid_until - timedelta(seconds=1)) == "active"
    assert effective_status(c, c.valid_until) == "expired"
    assert effective_status(cert("suspended"), c.valid_until + timedelta(days=1)) == "expired"
    assert effective_status(cert("revoked"), c.valid_until + timedelta(days=1)) == "revoked"


def test_renewal_window_opens_90_days_before_expiry() -> None:
    c = cert()
    assert not renewal_open(c, c.valid_until - timedelta(days=91))
    assert renewal_open(c, c.valid_until - timedelta(days=90))
    assert renewal_open(c, c.valid_until - timedelta(seconds=1))
    assert not renewal_open(c, c.valid_until)
    assert not renewal_open(cert("suspended"), c.valid_until - timedelta(days=10))
    with pytest.raises(RenewalNotOpen) as exc:
        check_renewal_open(c, ISSUED)
    assert exc.value.status == 409
    assert exc.value.extra["opens_at"].startswith("2029-01-01")


def test_renewal_keeps_the_number_and_continues_the_period() -> None:
    c = cert()
    r = renewed(c)
    assert r.number == c.number
    assert r.valid_from == c.valid_from
    assert r.valid_until == datetime(2032, 4, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="only an active"):
        renewed(cert("revoked"))
