"""The blob store and the virus scanner the settings name: local disk or an S3-compatible store
(AXR_DOCUMENTS_STORE), clamd when AXR_CLAMD_SOCKET is set."""

from __future__ import annotations

from core.settings import Settings
from evidence.scan import Clamd
from evidence.store import BlobStore, LocalDiskStore


def blob_store(settings: Settings) -> BlobStore:
    if settings.documents_store == "s3":
        from evidence.s3_store import S3Store

        if not settings.s3_bucket:
            raise ValueError("AXR_DOCUMENTS_STORE=s3 needs AXR_S3_BUCKET (S3 저장소에는 버킷 이름이 필요합니다)")
        return S3Store.connect(settings.s3_bucket, endpoint_url=settings.s3_endpoint_url, prefix=settings.s3_prefix)
    return LocalDiskStore(settings.documents_path())


def scanner(settings: Settings) -> Clamd | None:
    return Clamd(settings.clamd_socket, settings.clamd_timeout_seconds) if settings.clamd_socket else None
