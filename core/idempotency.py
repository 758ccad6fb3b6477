"""Stored outcomes of POSTs sent with an Idempotency-Key (IETF httpapi-idempotency-key-header draft).

A record is first a reservation (`in_flight`) held for a short lease, then the stored response (`done`)
kept for the TTL. The stored body is encrypted (AES-GCM, bound to the caller and the key): a response
may carry a secret shown once (a client secret, a webhook secret), and a replay record must not keep
it readable in the database, its backups or replicas.
"""

from __future__ import annotations

import base64
import os
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_record"

    principal: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="in_flight")  # in_flight | done
    status: Mapped[int | None]
    headers: Mapped[list[Any]] = mapped_column(default=list)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)  # sealed (see `seal`)
    # When the reservation was made; it also tells one reservation of a key from a later one, because a
    # reservation is reclaimed only after its lease, so the later one always starts later.
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    # in_flight: the end of the lease, after which a retry may take the key over; done: end of the TTL
    expires_at: Mapped[datetime]


SEALED = b"\x00axr-sealed-1\x00"  # no JSON or text response starts with NUL


class Unreadable(Exception):
    """A stored body sealed under another key (the registry's signing key was replaced since)."""


def replay_key(signing_key_material: bytes) -> bytes:
    """The AES-256 key for replay records, derived from the registry's signing key: it lives where that
    key lives (the data directory), and every API worker that verifies tokens can read the records."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"axr idempotency replay records v1").derive(signing_key_material)


def _aad(principal: str, key: str) -> bytes:
    return principal.encode("utf-8", "surrogatepass") + b"\n" + key.encode("utf-8", "surrogatepass")


def seal(secret: bytes, principal: str, key: str, body: bytes) -> bytes:
    nonce = os.urandom(12)
    return SEALED + nonce + AESGCM(secret).encrypt(nonce, body, _aad(principal, key))


def unseal(secret: bytes, principal: str, key: str, stored: bytes | None) -> bytes:
    if not stored:
        return b""
    if not stored.startswith(SEALED):
        return stored  # written before bodies were sealed
    nonce, ciphertext = stored[len(SEALED):len(SEALED) + 12], stored[len(SEALED) + 12:]
    try:
        return AESGCM(secret).decrypt(nonce, ciphertext, _aad(principal, key))
    except InvalidTag as exc:
        raise Unreadable from exc


def okp_private_bytes(jwk_d: str) -> bytes:
    """The private scalar of an OKP JWK (`d`, base64url without padding)."""
    return base64.urlsafe_b64decode(jwk_d + "=" * (-len(jwk_d) % 4))
