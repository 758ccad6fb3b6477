"""Certificate validity: issue period, status as seen at a moment (expiry evaluated on read), and the
renewal window that keeps the number."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TypeVar

from certification.errors import RenewalNotOpen
from certification.lifecycle import CertState

_D = TypeVar("_D", date, datetime)

DEFAULT_VALIDITY_YEARS = 3
DEFAULT_RENEWAL_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class Certificate:
    number: str
    status: str  # stored state; an expiry may not have been written yet
    valid_from: datetime
    valid_until: datetime  # exclusive: expired at this instant


def add_years(at: _D, years: int) -> _D:
    """Same calendar day `years` later; 29 February becomes 28 February in a common year."""
    year = at.year + years
    day = min(at.day, calendar.monthrange(year, at.month)[1])
    return at.replace(year=year, day=day)


def validity(issued_at: datetime, years: int = DEFAULT_VALIDITY_YEARS) -> tuple[datetime, datetime]:
    if years < 1:
        raise ValueError("validity must be at least one year")
    return issued_at, add_years(issued_at, years)


def effective_status(cert: Certificate, now: datetime) -> str:
    """What a verifier should see at `now`: active or suspended certificates past valid_until are
    expired even before a job writes it; revoked stays revoked."""
    if cert.status in (CertState.active, CertState.suspended) and now >= cert.valid_until:
        return CertState.expired.value
    return cert.status


def renewal_opens_at(cert: Certificate, window: timedelta = DEFAULT_RENEWAL_WINDOW) -> datetime:
    return cert.valid_until - window


def renewal_open(cert: Certificate, now: datetime, window: timedelta = DEFAULT_RENEWAL_WINDOW) -> bool:
    """A renewal application may be filed from `window` before expiry while the certificate is active;
    after expiry the supplier applies anew and gets a new number."""
    return (effective_status(cert, now) == CertState.active
            and renewal_opens_at(cert, window) <= now < cert.valid_until)


def check_renewal_open(cert: Certificate, now: datetime, window: timedelta = DEFAULT_RENEWAL_WINDOW) -> None:
    if not renewal_open(cert, now, window):
        raise RenewalNotOpen(renewal_opens_at(cert, window).isoformat(), cert.valid_until.isoformat())


def renewed(cert: Certificate, years: int = DEFAULT_VALIDITY_YEARS) -> Certificate:
    """The certificate after an approved renewal: same number, the new period starting where the old
    one ends, so early renewal neither loses days nor leaves a gap. Approval may come after the
    window closed (review takes time), so this does not re-check the window: the application did."""
    if cert.status != CertState.active:
        raise ValueError("only an active certificate can be renewed")
    return replace(cert, valid_until=add_years(cert.valid_until, years))
