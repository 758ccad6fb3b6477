"""Local user accounts and OAuth2 clients of the embedded authorization server; secrets are stored hashed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base
from core.ids import new_id

ROLES = ("supplier", "sme", "reviewer", "admin", "portal", "consultant")

# What each role may do; a route declares the scope it needs.
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    "supplier": ("catalogue:read", "registry:read", "registry:write", "designation:apply"),
    "sme": ("catalogue:read", "registry:read", "registry:write", "match"),
    "reviewer": ("catalogue:read", "registry:read", "designation:review", "reports:read"),
    "admin": ("catalogue:read", "registry:read", "registry:write", "designation:review", "reports:read",
              "admin", "match"),
    "portal": ("catalogue:read", "feed:read"),
    # programme experts: read the projects they are assigned to, write their consultations
    "consultant": ("catalogue:read", "registry:read", "registry:write"),
}


class UserAccount(Base):
    __tablename__ = "user_account"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    org_id: Mapped[str | None] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class OAuthClient(Base):
    __tablename__ = "oauth_client"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="portal")
    org_id: Mapped[str | None] = mapped_column(String(64))
    scopes: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


def hash_secret(secret: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=2**14, r=8, p=1)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_secret(secret: str, stored: str) -> bool:
    try:
        _, salt_b64, digest_b64 = stored.split("$")
        digest = hashlib.scrypt(secret.encode(), salt=base64.b64decode(salt_b64), n=2**14, r=8, p=1)
    except ValueError:
        return False
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))
