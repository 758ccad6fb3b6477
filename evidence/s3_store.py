"""Document bytes in an S3-compatible object store (AWS S3, MinIO, Ceph RGW...) through boto3, under the
same content-addressed names as on local disk: `<prefix><sha[:2]>/<sha>`.

Each object is written with its SHA-256 as the store's own checksum (ChecksumSHA256, checked by the server
on upload) and as metadata; a put of bytes already stored under their digest writes nothing. The digest in
the key is not trusted on read: evidence.service hashes what `get` returns, so a replaced object is found.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

from evidence.store import digest

_MISSING = {"NoSuchKey", "404", "NotFound"}


class S3Store:
    def __init__(self, client: Any, bucket: str, prefix: str = "documents/") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    def connect(cls, bucket: str, *, endpoint_url: str | None = None, prefix: str = "documents/") -> S3Store:
        """A store on a shared client (boto3 clients are thread-safe and slow to build); credentials and
        region come from the standard AWS variables and files (the boto3 chain)."""
        return cls(_client(endpoint_url), bucket, prefix)

    def key(self, sha256: str) -> str:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def where(self, sha256: str) -> str:
        return f"s3://{self.bucket}/{self.key(sha256)}"

    def put(self, content: bytes) -> str:
        sha = digest(content)
        checksum = base64.b64encode(bytes.fromhex(sha)).decode()
        head = self._head(sha)
        if head is not None and head.get("ContentLength") == len(content) and (
                head.get("Metadata", {}).get("sha256") == sha or head.get("ChecksumSHA256") == checksum):
            return sha
        self.client.put_object(Bucket=self.bucket, Key=self.key(sha), Body=content, ChecksumSHA256=checksum,
                               Metadata={"sha256": sha}, ContentType="application/octet-stream")
        return sha

    def get(self, sha256: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        body: bytes = obj["Body"].read()
        return body

    def _head(self, sha256: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            head: dict[str, Any] = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256),
                                                           ChecksumMode="ENABLED")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        return head


@lru_cache(maxsize=4)
def _client(endpoint_url: str | None) -> Any:
    import boto3
    from botocore.config import Config

    # checksums only when asked (ours is SHA-256): boto3's default CRC32 trailers are refused by some
    # S3-compatible stores
    return boto3.client("s3", endpoint_url=endpoint_url, config=Config(
        request_checksum_calculation="when_required", response_checksum_validation="when_required",
        retries={"mode": "standard", "max_attempts": 3}))
