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


# IPv6 addresses that embed an IPv4 address are judged by the IPv4 address a connection reaches.
EMBEDDED = [
    # (URL, refused, what it is)
    ("http://[::7f00:1]/", True, "IPv4-compatible ::/96 -> 127.0.0.1"),
    ("http://[::127.0.0.1]/", True, "IPv4-compatible, dotted -> 127.0.0.1"),
    ("http://[::a9fe:a9fe]/", True, "IPv4-compatible -> 169.254.169.254 (cloud metadata)"),
    ("http://[::808:808]/", False, "IPv4-compatible -> 8.8.8.8"),
    ("http://[::ffff:a9fe:a9fe]/", True, "IPv4-mapped -> 169.254.169.254"),
    ("http://[::ffff:808:808]/", False, "IPv4-mapped -> 8.8.8.8"),
    ("http://[::ffff:0:7f00:1]/", True, "IPv4-translated (SIIT) -> 127.0.0.1"),
    ("http://[64:ff9b::7f00:1]/", True, "NAT64 well-known prefix -> 127.0.0.1"),
    ("http://[64:ff9b::a9fe:a9fe]/", True, "NAT64 -> 169.254.169.254"),
    ("http://[64:ff9b::a00:5]/", True, "NAT64 -> 10.0.0.5"),
    ("http://[64:ff9b::808:808]/", False, "NAT64 -> 8.8.8.8"),
    ("http://[64:ff9b:1::808:808]/", True, "local-use NAT64 64:ff9b:1::/48: not globally reachable"),
    ("http://[2002:7f00:1::]/", True, "6to4 2002::/16 -> 127.0.0.1"),
    ("http://[2002:a9fe:a9fe::1]/", True, "6to4 -> 169.254.169.254"),
    ("http://[2002:c0a8:101::1]/", True, "6to4 -> 192.168.1.1"),
    ("http://[2002:808:808::1]/", False, "6to4 -> 8.8.8.8"),
    ("http://[2001:0:4136:e378:8000:63bf:80f5:f7f7]/", True, "Teredo, client 127.10.8.8"),
    ("http://[2001:0:4136:e378:8000:63bf:f5f5:f7f7]/", True, "Teredo, client 10.10.8.8"),
    ("http://[2001:0:808:808:8000:63bf:f7f7:f7f7]/", True, "Teredo, public server and client: 2001::/23 not global"),
]


@pytest.mark.parametrize(("url", "refused", "what"), EMBEDDED, ids=[e[2] for e in EMBEDDED])
def test_embedded_ipv4_decides(url, refused, what):
    if refused:
        with pytest.raises(UnsafeUrl):
            check_url(url, allow_private=False)
    else:
        check_url(url, allow_private=False)


def test_embedded_loopback_is_admitted_only_where_private_addresses_are():
    check_url("http://[::7f00:1]:9000/hook", allow_private=True)
    check_url("http://[2002:7f00:1::]/hook", allow_private=True)
    with pytest.raises(UnsafeUrl):
        check_url("http://[64:ff9b::]/hook", allow_private=True)  # 0.0.0.0: never a destination


def test_a_name_resolving_to_embedded_loopback_is_refused(monkeypatch):
    import socket

    real = socket.getaddrinfo

    def aaaa(host, port, *args, **kwargs):
        if host == "sneaky.example.kr":
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::7f00:1", port, 0, 0))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", aaaa)
    with pytest.raises(UnsafeUrl):
        check_url("https://sneaky.example.kr/hook", allow_private=False)
