"""The per-request account check: a token is only as good as the account it speaks for, right now.

Verified tokens are cached for their whole validity (api/auth/tokens.py), so this check runs after that
cache, on every request: the account (user or OAuth client, core/accounts.py) must be active and must
not have revoked tokens issued before a moment (disable, secret rotation). Its standing is cached per
process for AXR_ACCOUNT_CHECK_SECONDS (at most 5 s); the process that makes a change forgets its entry
at once, other workers within that time.

Which tokens name an account (AccountRef, set by tokens.py): those of the token endpoint (user id with
client_id axr-local; client:<id> for a client) must find their account, or they are refused: a deleted
account's tokens stop working. Tokens printed by `axr token create` are operator tokens (whoever holds
the signing key can mint any token): their subject (`cli:...` by default) names no account, and they
are accepted as signed; when `--sub` names an existing account, that account's standing applies.
Tokens of an external issuer (AXR_OIDC_ISSUER) are that issuer's to revoke.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from api.auth.tokens import InvalidToken
from core.accounts import OAuthClient, UserAccount
from core.principal import AccountRef, Principal


class AccountRefused(InvalidToken):
    title_ko = "이 토큰의 계정을 사용할 수 없습니다"
    title_en = "The account of this token cannot be used"


@dataclass(frozen=True)
class Standing:
    active: bool
    tokens_not_before: int | None


class AccountGate:
    def __init__(self, engine: Engine, ttl: float, size: int = 10_000) -> None:
        self._engine = engine
        self._ttl = ttl
        self._size = size
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, str], tuple[float, Standing | None]] = OrderedDict()

    def cached(self, account: AccountRef) -> tuple[bool, Standing | None]:
        """(found fresh in the cache, the standing): no I/O, for the event loop."""
        with self._lock:
            hit = self._cache.get((account.kind, account.id))
        if hit is not None and time.monotonic() - hit[0] < self._ttl:
            return True, hit[1]
        return False, None

    def load(self, account: AccountRef) -> Standing | None:
        """Read the account's standing from the database (None: no such account) and cache it."""
        model = UserAccount if account.kind == "user" else OAuthClient
        key = UserAccount.id if account.kind == "user" else OAuthClient.client_id
        with Session(self._engine) as session:
            row = session.execute(select(model.active, model.tokens_not_before).where(key == account.id)).first()
        standing = Standing(bool(row.active), row.tokens_not_before) if row is not None else None
        with self._lock:
            self._cache[(account.kind, account.id)] = (time.monotonic(), standing)
            self._cache.move_to_end((account.kind, account.id))
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return standing

    def forget(self, kind: str, account_id: str) -> None:
        """This process changed the account: its next request reads the standing afresh."""
        with self._lock:
            self._cache.pop((kind, account_id), None)

    def forget_after_commit(self, session: Session, kind: str, account_id: str) -> None:
        """Forget the account's standing once `session` commits the change to it (the admin's API routes and
        pages), so the account's next request here is judged by it; other workers follow within the ttl."""
        event.listen(session, "after_commit", lambda _: self.forget(kind, account_id), once=True)

    def check(self, principal: Principal, standing: Standing | None) -> None:
        """Refuse the principal (401) unless its account, as `standing` describes it, lets it in."""
        account = principal.account
        if account is None:
            return
        if standing is None:
            if account.required:
                raise AccountRefused("토큰의 계정이 더 이상 없습니다.", "The token's account no longer exists.")
            return
        if not standing.active:
            raise AccountRefused("사용이 중지된 계정입니다.", "The account is disabled.")
        if standing.tokens_not_before is not None and principal.issued_at < standing.tokens_not_before:
            raise AccountRefused("이 토큰은 폐기되었습니다. 새 토큰을 받으세요.",
                                 "This token was revoked; get a new one.")

    def admit(self, principal: Principal) -> None:
        """check() with the standing from the cache or, when stale, the database (in the calling thread)."""
        if principal.account is None:
            return
        fresh, standing = self.cached(principal.account)
        self.check(principal, standing if fresh else self.load(principal.account))
