"""Behavioural contract of a `BlobStore`, run on every implementation: on local disk (always) and on an
S3-compatible object store (only when AXR_S3_ENDPOINT_URL and AXR_S3_BUCKET name a real one; otherwise
pytest reports them as skipped). Nothing here fakes S3.

Each S3 run writes under a prefix of its own and deletes what it wrote.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from evidence import service
from evidence.backends import blob_store
from evidence.store import BlobStore, LocalDiskStore, digest
from tests.api.designation_builders import Desk
from tests.evidence.helpers import pdf, upload

S3_ENDPOINT = os.environ.get("AXR_S3_ENDPOINT_URL")
S3_BUCKET = os.environ.get("AXR_S3_BUCKET")
needs_s3 = pytest.mark.skipif(
    not (S3_ENDPOINT and S3_BUCKET),
    reason="no S3 endpoint configured (AXR_S3_ENDPOINT_URL, with AXR_S3_BUCKET) for the S3 store contract tests")


@pytest.fixture(params=["local", pytest.param("s3", marks=needs_s3)])
def configured(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The settings of one store implementation (a folder, or a prefix in the bucket, of the test's own)."""
    if request.param == "local":
        yield {"documents_dir": tmp_path / "documents"}
        return
    prefix = f"axr-contract-{uuid.uuid4().hex[:12]}/"
    yield {"documents_store": "s3", "s3_bucket": S3_BUCKET, "s3_endpoint_url": S3_ENDPOINT, "s3_prefix": prefix}
    from evidence.s3_store import S3Store

    s3 = S3Store.connect(str(S3_BUCKET), endpoint_url=S3_ENDPOINT, prefix=prefix)
    listed = s3.client.list_objects_v2(Bucket=s3.bucket, Prefix=s3.prefix).get("Contents", [])
    for obj in listed:
        s3.client.delete_object(Bucket=s3.bucket, Key=obj["Key"])


@pytest.fixture
def store(configured: dict[str, Any], settings: Any) -> Any:
    """The store the factory builds from those settings (evidence.backends, as the API and CLI do)."""
    return blob_store(settings.model_copy(update=configured))


def _replace(store: Any, sha: str, content: bytes) -> None:
    """Put other bytes under an existing digest's name, as a tampering operator would."""
    if isinstance(store, LocalDiskStore):
        Path(store.where(sha)).write_bytes(content)
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.key(sha), Body=content)


def test_put_then_get_round_trips_under_the_digest(store: BlobStore):
    content = pdf("2025년 연구개발비 집행 내역")
    sha = store.put(content)
    assert sha == digest(content)
    assert store.get(sha) == content
    assert sha in store.where(sha)
    assert store.put(content) == sha  # the same bytes again: one object
    assert store.get(sha) == content


def test_a_missing_object_is_none(store: BlobStore):
    assert store.get(digest(secrets.token_bytes(32))) is None


def test_a_name_that_is_no_digest_is_refused(store: BlobStore):
    with pytest.raises(ValueError, match="SHA-256"):
        store.get("../../etc/passwd")


def test_a_put_over_replaced_bytes_restores_them(store: BlobStore):
    content = pdf("원본")
    sha = store.put(content)
    _replace(store, sha, b"%PDF-1.7\n%%EOF\n")
    assert store.put(content) == sha
    assert store.get(sha) == content


def test_replaced_bytes_are_found_by_verify(store: Any, configured: dict[str, Any], app: Any, client: Any,
                                            mint: Any, engine: Any, session: Session):
    app.state.settings = app.state.settings.model_copy(update=configured)  # uploads go to the store under test
    desk = Desk.open(client, mint, engine, n_reviewers=0)
    s, app_id = desk.draft()
    content = pdf("검증할 문서")
    r = upload(client, app_id, s.token, content, "검증할_문서.pdf", criterion="E3")
    assert r.status_code == 201, r.text
    doc = r.json()
    assert store.get(doc["sha256"]) == content
    assert client.get(doc["download"], headers=s.token).content == content
    assert service.verify(session, store) == (1, [])

    _replace(store, doc["sha256"], pdf("바뀐 내용"))
    checked, problems = service.verify(session, store)
    assert checked == 1
    assert [p.document_id for p in problems] == [doc["id"]]
    assert "bytes were replaced" in problems[0].detail_en
    assert store.where(doc["sha256"]) in problems[0].detail_en
    assert client.get(doc["download"], headers=s.token).status_code == 503  # never served
