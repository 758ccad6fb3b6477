"""Failed logins at the token endpoint, counted with the rate-limit counters (in process, or Redis).

Three fixed-window counts of failures, all in AXR_LOGIN_WINDOW_SECONDS (15 minutes by default):

- per account and address (`AXR_LOGIN_MAX_FAILURES`, 5): someone guessing one account from one place;
- per address (`AXR_LOGIN_MAX_FAILURES_IP`, 50): one place trying many accounts;
- per account from every address (`AXR_LOGIN_MAX_FAILURES_ACCOUNT`, 20): many places guessing one
  account. This one does not apply to an address the account signed in from in the last 30 days, so
  strangers cannot lock a user out of the place they work from.

Past a limit the endpoint answers 429 with Retry-After until the window ends, without checking the
password. The lock cannot be stretched: refused attempts are not counted, so it lifts when the window
ends however often it is hit, and it only ever covers that address, or unfamiliar addresses. Each
attempt is counted before the password is checked and taken back if the password was right, so a burst
of parallel guesses cannot slip past the limit. Accounts are counted by the name sent, whether or not
such an account exists, so the limits say nothing about which accounts exist.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from api.ratelimit import Counter, TooManyRequests

KNOWN_ADDRESS_SECONDS = 30 * 86400


class TooManyLogins(TooManyRequests):
    title_ko = "로그인 실패가 너무 많습니다"
    title_en = "Too many failed logins"


@dataclass
class LoginGuard:
    counter: Counter
    window: int
    per_account_address: int
    per_address: int
    per_account: int

    def attempt(self, account: str, address: str) -> LoginAttempt:
        """Count this attempt as a failure in advance; 429 when it is one too many."""
        keys = _Keys(account, address)
        limits = [(keys.pair, self.per_account_address), (keys.address, self.per_address),
                  (keys.account, self.per_account)]
        counted = [(key, limit, *self.counter.hit(key, self.window)) for key, limit in limits]
        over = [reset for key, limit, count, reset in counted if count > limit
                and not (key == keys.account and self.counter.marked(keys.known))]
        if over:
            for key, *_ in counted:
                self.counter.hit(key, self.window, by=-1)  # a refused attempt is not counted
            wait = max(over)
            raise TooManyLogins(f"로그인 실패가 너무 많습니다. {wait}초 후에 다시 시도하세요.",
                                f"Too many failed logins. Retry in {wait} seconds.",
                                headers={"Retry-After": str(wait)})
        return LoginAttempt(self, keys)


@dataclass
class LoginAttempt:
    guard: LoginGuard
    keys: _Keys

    def succeeded(self) -> None:
        """The password was right: take the attempt back, and remember the address for this account."""
        for key in (self.keys.pair, self.keys.address, self.keys.account):
            self.guard.counter.hit(key, self.guard.window, by=-1)
        self.guard.counter.mark(self.keys.known, KNOWN_ADDRESS_SECONDS)


class _Keys:
    def __init__(self, account: str, address: str) -> None:
        name = hashlib.sha256(account.encode("utf-8", "surrogatepass")).hexdigest()[:32]  # bounded, any text
        self.pair = f"login:pair:{name}:{address}"
        self.address = f"login:ip:{address}"
        self.account = f"login:account:{name}"
        self.known = f"login:known:{name}:{address}"
