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


def test_pinned_request_keeps_the_host_name_for_http_and_tls():
    import ipaddress

    from portal.ssrf import pinned

    assert pinned("https://portal.example.kr:8443/hook?x=1", ipaddress.ip_address("203.0.113.7")) == (
        "https://203.0.113.7:8443/hook?x=1", {"host": "portal.example.kr:8443"},
        {"sni_hostname": "portal.example.kr"})
    assert pinned("http://포털.example.kr/hook", ipaddress.ip_address("2001:db8::7")) == (
        "http://[2001:db8::7]/hook", {"host": "포털.example.kr"}, {})


def test_a_delivery_connects_to_the_address_it_checked(monkeypatch):
    """DNS rebinding: the name answers a checked address first and another one afterwards. The
    delivery must not look the name up again between the check and the connection."""
    import socket

    import httpx

    from portal import delivery, signing
    from tests.portal.receiver import Receiver

    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            answer = "127.0.0.1" if len(lookups) == 1 else "10.255.255.1"  # the second answer is a trap
            return real(answer, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with Receiver() as receiver, httpx.Client(timeout=3) as http:
        port = receiver.url.split(":")[2].split("/")[0]
        attempt = delivery.Attempt(id="msg_1", url=f"http://rebind.test:{port}/hooks/axr", secret=signing.new_secret(),
                                   body='{"resource": "solution"}', cursor="1")
        code, error = delivery.send(http, attempt, allow_private=True)
    assert (code, error) == (204, None)
    assert lookups == ["rebind.test"]  # checked once, connected to what was checked
    assert len(receiver.accepted) == 1
