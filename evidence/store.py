"""Where document bytes live: content-addressed by SHA-256 in a folder on local disk (the default,
`AXR_DATA_DIR/documents` or `AXR_DOCUMENTS_DIR`). The digest is the name, so the same file stored twice
is one file, and a file whose bytes no longer hash to its name has been replaced.

A blob is written (to a temporary name, then renamed) before the transaction that records it commits;
a transaction that rolls back leaves an unreferenced blob, which is harmless and never served.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class BlobStore(Protocol):
    def put(self, content: bytes) -> str: ...
    def get(self, sha256: str) -> bytes | None: ...
    def where(self, sha256: str) -> str: ...


class LocalDiskStore:
    """Blobs as files `<root>/<first two hex digits>/<sha256>`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def where(self, sha256: str) -> str:
        return str(self._path(sha256))

    def put(self, content: bytes) -> str:
        sha = digest(content)
        path = self._path(sha)
        if path.exists() and digest(path.read_bytes()) == sha:
            return sha
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def get(self, sha256: str) -> bytes | None:
        try:
            return self._path(sha256).read_bytes()
        except FileNotFoundError:
            return None
