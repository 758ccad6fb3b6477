"""The registry's signing key (Ed25519): made once, kept in a file, published at /.well-known/jwks.json."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from joserfc.jwk import KeySet, OKPKey

ALG = "Ed25519"  # fully-specified EdDSA algorithm name of RFC 9864


@lru_cache
def signing_key(path: Path) -> OKPKey:
    """Load the private key, creating it (mode 0600) on first use."""
    if path.exists():
        return OKPKey.import_key(json.loads(path.read_text()))
    key = OKPKey.generate_key("Ed25519", parameters={"use": "sig", "alg": ALG})
    data = key.as_dict(private=True)
    data["kid"] = key.thumbprint()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)
    return OKPKey.import_key(data)


def kid(key: OKPKey) -> str:
    return key.kid or key.thumbprint()


def public_jwks(key: OKPKey) -> dict[str, Any]:
    public = key.as_dict(private=False)
    public.update({"kid": kid(key), "use": "sig", "alg": ALG})
    return {"keys": [public]}


def keyset(key: OKPKey) -> KeySet:
    return KeySet([key])


def sign_compact(key: OKPKey, payload: bytes, *, typ: str) -> str:
    """A compact JWS over `payload` with the registry key (used for statements and tree heads)."""
    from joserfc import jws

    return jws.serialize_compact({"alg": ALG, "kid": kid(key), "typ": typ}, payload, key, algorithms=[ALG])


def tree_head_signer(key: OKPKey) -> Callable[[bytes], str]:
    return lambda payload: sign_compact(key, payload, typ="axr-tree-head+jws")


def verify_compact(key: OKPKey, payload: bytes, token: str) -> bool:
    """True when `token` is a compact JWS by `key` over exactly `payload`."""
    from joserfc import jws
    from joserfc.errors import JoseError

    try:
        return jws.deserialize_compact(token, key, algorithms=[ALG]).payload == payload
    except (JoseError, ValueError):
        return False
