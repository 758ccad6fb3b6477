"""Who is calling: the subject, role, organisation and scopes taken from a verified access token."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AccountRef:
    """The local account (user or OAuth client) a token speaks for; `required`: minted by the token
    endpoint for that account, so the account must still exist. Checked on every request (api/auth)."""

    kind: str  # "user" | "client"
    id: str
    required: bool = False


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    org: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    client_id: str | None = None
    account: AccountRef | None = None  # None: a token of an external issuer, or no token at all
    issued_at: int = 0  # the token's `iat`

    @property
    def is_staff(self) -> bool:
        """Ministry staff see every record."""
        return self.role in ("reviewer", "admin")

    def owns(self, owner_org: str | None) -> bool:
        return self.org is not None and owner_org is not None and self.org == owner_org


SYSTEM = Principal(sub="system", role="admin", org=None, scopes=frozenset({"admin"}))
