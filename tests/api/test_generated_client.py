"""openapi.yaml is the portals' contract: openapi-python-client generates a client from it, and that client
runs a portal's flow against the app on a real port (token, designated list, feed, verification)."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.live_server import live_server
from tests.api.portal_helpers import designated, portal_client

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> str:
    exe = Path(sys.executable).parent / "openapi-python-client"
    found = str(exe) if exe.exists() else shutil.which("openapi-python-client")
    if not found:
        pytest.skip("pip install openapi-python-client")
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    config = out / "config.json"
    config.write_text(json.dumps({"package_name_override": "axr_client", "post_hooks": []}))
    run = subprocess.run([_generator(), "generate", "--path", str(ROOT / "openapi.yaml"), "--output-path",
                          str(out / "axr_client"), "--meta", "none", "--config", str(config)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("axr_client")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == "axr_client" or m.startswith("axr_client.")]:
            del sys.modules[name]


def test_a_portal_flow_with_the_generated_client(generated, app, client, mint):
    from axr_client import AuthenticatedClient, Client
    from axr_client.api.auth import token_v1_oauth_token_post as token_op
    from axr_client.api.feed import feed_changes
    from axr_client.api.public import export_designated_companies as designated_op
    from axr_client.api.public import verify_certificate_v1_public_certificates_number_get as verify_op
    from axr_client.api.webhooks import webhook_create
    from axr_client.models import BodyTokenV1OauthTokenPost, FeedPage, Problem, PublicCertificate, TokenResponse
    from axr_client.models.export_designated_companies_format import ExportDesignatedCompaniesFormat
    from axr_client.models.webhook_endpoint_create import WebhookEndpointCreate

    client_id, secret = portal_client(client, mint)
    _, company, _, cert = designated(client, mint, name_ko="한빛비전 주식회사")

    with live_server(app) as base:
        anonymous = Client(base_url=base, raise_on_unexpected_status=True)
        token = token_op.sync(client=anonymous, body=BodyTokenV1OauthTokenPost(
            grant_type="client_credentials", client_id=client_id, client_secret=secret,
            scope="catalogue:read feed:read"))
        assert isinstance(token, TokenResponse)
        assert token.scope == "catalogue:read feed:read"
        portal = AuthenticatedClient(base_url=base, token=token.access_token, raise_on_unexpected_status=True)

        listing = designated_op.sync(client=portal, format_=ExportDesignatedCompaniesFormat.JSON)
        items = json.loads(listing)["items"]
        assert [i["name_ko"] for i in items] == ["한빛비전 주식회사"]
        assert items[0]["certificate_number"] == cert["number"]

        events, cursor = [], None
        while True:
            page = feed_changes.sync(client=portal, cursor=cursor, limit=2)
            assert isinstance(page, FeedPage)
            events += page.items
            cursor = page.cursor
            if not page.has_more:
                break
        assert events[0].type_ == "company.created"
        assert events[0].resource_id == company["id"]
        issued = [e for e in events if e.type_ == "certificate.issue"]
        assert issued
        assert issued[0].data.additional_properties["number"] == cert["number"]
        again = feed_changes.sync(client=portal, cursor=cursor)
        assert isinstance(again, FeedPage)
        assert again.items == []
        assert again.cursor == cursor

        verified = verify_op.sync(number=cert["number"], client=anonymous)
        assert isinstance(verified, PublicCertificate)
        assert verified.status == "active"
        assert verified.company_name_ko == "한빛비전 주식회사"
        assert verified.statement.count(".") == 2

        refused = webhook_create.sync(client=portal, body=WebhookEndpointCreate(
            url="http://169.254.169.254/latest", event_types=["*"]))
        assert isinstance(refused, Problem)
        assert refused.status == 422
