"""Fixtures of the evidence tests: a real clamd (tests/evidence/clamd_server.py) and the app scanning with it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.evidence.clamd_server import ClamdServer, clamd_server  # noqa: F401 - the session's clamd


@pytest.fixture
def scanning(app: Any, clamd_server: ClamdServer) -> ClamdServer:  # noqa: F811
    """The test's app configured with AXR_CLAMD_SOCKET pointing at the session's clamd."""
    app.state.settings = app.state.settings.model_copy(update={"clamd_socket": clamd_server.socket})
    return clamd_server
