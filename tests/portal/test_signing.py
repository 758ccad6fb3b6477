"""Standard Webhooks signatures: the published test vector, and the README's receiver code agrees."""

from __future__ import annotations

import pytest

from portal import signing
from tests.portal.receiver import verify_webhook

# From the Standard Webhooks specification's reference libraries.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = b'{"test": 2432232314}'
EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_matches_the_standard_webhooks_vector():
    assert signing.sign(SECRET, MSG_ID, TIMESTAMP, BODY) == EXPECTED


def test_readme_verifier_accepts_genuine_and_refuses_tampered_or_stale():
    headers = signing.headers(SECRET, MSG_ID, TIMESTAMP, BODY)
    assert verify_webhook(SECRET, headers, BODY, now=TIMESTAMP + 10) == {"test": 2432232314}
    assert signing.verify(SECRET, MSG_ID, str(TIMESTAMP), BODY, headers["webhook-signature"], now=TIMESTAMP)
    with pytest.raises(ValueError, match="signature"):
        verify_webhook(SECRET, headers, BODY.replace(b"2", b"3"), now=TIMESTAMP)
    with pytest.raises(ValueError, match="signature"):
        verify_webhook(SECRET, {**headers, "webhook-id": "msg_other"}, BODY, now=TIMESTAMP)
    with pytest.raises(ValueError, match="tolerance"):
        verify_webhook(SECRET, headers, BODY, now=TIMESTAMP + 600)
    other = signing.new_secret()
    with pytest.raises(ValueError, match="signature"):
        verify_webhook(other, headers, BODY, now=TIMESTAMP)
    # several signatures (key rotation): any v1 that matches is enough
    rotated = {**headers, "webhook-signature": "v1,bm9wZQ== " + headers["webhook-signature"]}
    assert verify_webhook(SECRET, rotated, BODY, now=TIMESTAMP)


def test_new_secrets_are_whsec_base64_of_24_bytes():
    import base64

    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret[6:])) == 24


def test_the_readme_code_is_the_code_the_receiver_runs():
    import inspect
    import re
    from pathlib import Path

    from tests.portal import receiver

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "def verify_webhook" in b)
    namespace: dict = {}
    exec(block, namespace)  # noqa: S102 - the README's own example
    headers = signing.headers(SECRET, MSG_ID, TIMESTAMP, BODY)
    assert namespace["verify_webhook"](SECRET, headers, BODY, now=TIMESTAMP) == {"test": 2432232314}
    code = inspect.getsource(receiver.verify_webhook)
    assert code.replace("headers: Any", "headers") in block
