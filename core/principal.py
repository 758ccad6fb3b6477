"""Who is calling: the subject, role, organisation and scopes taken from a verified access token."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    org: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    client_id: str | None = None

    @property
    def is_staff(self) -> bool:
        """Ministry staff see every record."""
        return self.role in ("reviewer", "admin")

    def owns(self, owner_org: str | None) -> bool:
        return self.org is not None and owner_org is not None and self.org == owner_org


SYSTEM = Principal(sub="system", role="admin", org=None, scopes=frozenset({"admin"}))
