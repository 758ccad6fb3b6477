"""The SSRF guard for webhook URLs: http(s) only, and no address that is not globally routable.

Checked when an endpoint is registered and again before every delivery, because a name may be
pointed at another address later (DNS rebinding); the delivery then connects to the address it
checked (`pinned`), so no second lookup can answer differently between the check and the connection.
An IPv6 address that embeds an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) is judged by the
IPv4 address it reaches. `allow_private` admits loopback and private ranges, for tests and closed
networks only.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from core.errors import PROBLEM_BASE, Invalid


class UnsafeUrl(Invalid):
    type = PROBLEM_BASE + "unsafe-webhook-url"
    title_ko = "허용되지 않는 웹훅 주소입니다"
    title_en = "The webhook URL is not allowed"


IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


# IPv6 prefixes whose addresses carry an IPv4 address in their last 32 bits, and which a host or a
# translator on the path turns into a connection to that IPv4 address: IPv4-compatible (::/96,
# deprecated), IPv4-mapped (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96, SIIT) and the NAT64
# well-known prefix (64:ff9b::/96, RFC 6052). `::7f00:1` is 127.0.0.1 to such a host.
_LAST_32_BITS = [ipaddress.IPv6Network(n) for n in ("::/96", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96")]
# Local-use NAT64 (RFC 8215) places the IPv4 address where the operator's prefix length says, so it
# cannot be read off the address; IANA lists it as not globally reachable.
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def embedded_ipv4(ip: IpAddress) -> list[ipaddress.IPv4Address] | None:
    """The IPv4 addresses an IPv6 address stands for (6to4 and Teredo included), or None if it embeds none."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if any(ip in net for net in _LAST_32_BITS):
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    if ip.sixtofour is not None:  # 2002::/16
        return [ip.sixtofour]
    if ip.teredo is not None:  # 2001::/32: the Teredo server and the (de-obfuscated) client
        return list(ip.teredo)
    return None


def _refused(ip: IpAddress, allow_private: bool) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip in _NAT64_LOCAL:
        return not allow_private
    # An address embedding IPv4 is judged by the IPv4 address a connection would reach.
    embedded = embedded_ipv4(ip)
    targets: list[IpAddress] = list(embedded) if embedded else [ip]
    if isinstance(ip, ipaddress.IPv6Address) and ip.teredo is not None:
        targets.append(ip)  # reached through a Teredo relay: judged as itself too (2001::/23 is not global)
    for target in targets:
        if target.is_unspecified or target.is_multicast:
            return True
        if not allow_private and not target.is_global:
            return True
    return False


def resolve(host: str, port: int) -> list[IpAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_url(url: str, *, allow_private: bool, require_resolution: bool = False) -> list[IpAddress]:
    """Raise UnsafeUrl (422) for a URL a webhook must not call; return the addresses it resolved to.

    A name that does not resolve now is accepted at registration (require_resolution=False, and no
    address is returned) and checked again at delivery, where it must resolve.
    """
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeUrl("URL 형식이 올바르지 않습니다.", "The URL is malformed.") from exc
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("http 또는 https 주소만 등록할 수 있습니다.", "Only http and https URLs are allowed.")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeUrl("호스트가 없습니다.", "The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeUrl("URL에 계정 정보를 넣을 수 없습니다.", "Credentials in the URL are not allowed.")
    if not allow_private and (host == "localhost" or host.endswith(".localhost")):
        raise UnsafeUrl("내부 주소로는 보낼 수 없습니다.", "Loopback and private addresses are refused.")
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        if require_resolution:
            raise UnsafeUrl("호스트 주소를 찾을 수 없습니다.", "The host does not resolve.") from exc
        return []
    if not addresses or any(_refused(ip, allow_private) for ip in addresses):
        raise UnsafeUrl("내부·사설·링크로컬 주소로는 보낼 수 없습니다.",
                        "Loopback, private and link-local addresses are refused.")
    return addresses


def pinned(url: str, address: IpAddress) -> tuple[str, dict[str, str], dict[str, Any]]:
    """(URL, headers, httpx extensions) that send a request for `url` to `address`, the checked one:
    the Host header keeps the URL's host and port, and for https the TLS server name (SNI) and the
    certificate check keep the URL's host name too."""
    parts = urlsplit(url)
    literal = f"[{address}]" if address.version == 6 else str(address)
    target = urlunsplit((parts.scheme, literal + (f":{parts.port}" if parts.port else ""), parts.path,
                         parts.query, ""))
    host = parts.netloc.rsplit("@", 1)[-1]
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" and parts.hostname else {}
    return target, {"host": host}, extensions
