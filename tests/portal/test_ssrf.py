"""The SSRF guard: http(s) only, nothing that is not globally routable unless private ranges are allowed."""

from __future__ import annotations

import pytest

from portal.ssrf import UnsafeUrl, check_url

REFUSED = [
    "http://127.0.0.1/hook", "http://localhost:8080/hook", "http://api.localhost/hook", "http://[::1]/hook",
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/hook", "http://172.16.3.4/hook",
    "http://192.168.1.10/hook", "http://100.64.0.1/hook", "http://0.0.0.0/hook", "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1]/hook", "http://[fd00::1]/hook", "http://2130706433/hook", "http://0x7f.1/hook",
    "ftp://portal.example.kr/hook", "file:///etc/passwd", "gopher://portal.example.kr/", "javascript:alert(1)",
    "https://user:pw@portal.example.kr/hook", "http:///nohost", "http://224.0.0.1/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_refused_by_default(url):
    with pytest.raises(UnsafeUrl):
        check_url(url, allow_private=False)


@pytest.mark.parametrize("url", ["https://8.8.8.8/hook", "http://1.1.1.1:8443/axr", "https://[2606:4700::1111]/h"])
def test_public_addresses_pass(url):
    check_url(url, allow_private=False)


def test_allow_private_admits_loopback_but_not_other_schemes():
    check_url("http://127.0.0.1:9000/hook", allow_private=True)
    check_url("http://10.1.2.3/hook", allow_private=True)
    with pytest.raises(UnsafeUrl):
        check_url("ftp://127.0.0.1/hook", allow_private=True)


def test_unresolvable_names_wait_for_delivery_time():
    check_url("https://no-such-host.invalid/hook", allow_private=False)
    with pytest.raises(UnsafeUrl):
        check_url("https://no-such-host.invalid/hook", allow_private=False, require_resolution=True)
