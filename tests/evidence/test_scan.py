"""The clamd client against a real clamd with one signature: OK, FOUND (also across the client's chunk
boundary, so the framing is what clamd reads), the stream limit, and no daemon at all."""

from __future__ import annotations

import socket

import pytest

from evidence import scan
from tests.evidence.clamd_server import MARKER, STREAM_MAX_BYTES, ClamdServer
from tests.evidence.helpers import pdf


def test_clamd_answers_ping_and_version(clamd_server: ClamdServer):
    clamd = scan.Clamd(clamd_server.socket)
    assert clamd.ping()
    assert clamd.version().startswith("ClamAV ")


def test_clean_bytes_are_ok_and_the_marker_is_found(clamd_server: ClamdServer):
    clamd = scan.Clamd(clamd_server.socket)
    assert clamd.instream(pdf("연구개발비 명세서")) is None
    assert clamd.instream(pdf("명세서 " + MARKER.decode())) == clamd_server.signature
    verdict = clamd.scan(pdf())
    assert verdict.signature is None
    assert verdict.scanner.startswith("ClamAV ")


def test_a_marker_split_across_chunks_is_found(clamd_server: ClamdServer):
    # the marker straddles the first chunk's end: found only if the chunks arrive as one stream
    content = b"%PDF-1.7\n" + b"0" * (scan.CHUNK - 9 - len(MARKER) // 2) + MARKER + b"1" * scan.CHUNK
    assert len(content) > scan.CHUNK + len(MARKER)
    assert scan.Clamd(clamd_server.socket).instream(content) == clamd_server.signature
    assert scan.Clamd(clamd_server.socket).instream(content.replace(MARKER, b"x" * len(MARKER))) is None


def test_a_stream_over_clamds_limit_is_refused_as_too_large(clamd_server: ClamdServer):
    with pytest.raises(scan.StreamTooLarge):
        scan.Clamd(clamd_server.socket).instream(b"%PDF-1.7\n" + b"0" * (STREAM_MAX_BYTES * 2))


def test_no_daemon_is_unavailable_never_clean(tmp_path):
    dead = scan.Clamd(str(tmp_path / "no-clamd.sock"), timeout=1)
    assert not dead.ping()
    with pytest.raises(scan.ScannerUnavailable):
        dead.instream(pdf())
    with socket.socket() as s:  # a TCP port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(scan.ScannerUnavailable):
        scan.Clamd(f"tcp://127.0.0.1:{port}", timeout=1).scan(pdf())
