"""Authentication: access tokens (tokens.py), the per-request account check (account_gate.py) and the
guard on failed logins at the token endpoint (login_guard.py)."""

from __future__ import annotations

from typing import Any


def install(app: Any) -> None:
    """Put the account check and the login guard on the app's state; the guard counts with the public
    rate limiter's counters (in process, or Redis with AXR_REDIS_URL)."""
    from api.auth.account_gate import AccountGate
    from api.auth.login_guard import LoginGuard

    settings = app.state.settings
    app.state.account_gate = AccountGate(app.state.engine, settings.account_check_seconds)
    app.state.login_guard = LoginGuard(app.state.public_limiter.counter, settings.login_window_seconds,
                                       per_account_address=settings.login_max_failures,
                                       per_address=settings.login_max_failures_ip,
                                       per_account=settings.login_max_failures_account)
