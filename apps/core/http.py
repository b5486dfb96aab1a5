"""The one HTTP client for user-supplied URLs (webhooks, callbacks, attachments, vendor hosts).

SSRF guard: only http and https; the address a socket actually connects to (after DNS, on
every redirect hop, on every new connection) must be public: not loopback, private,
link-local, multicast, reserved, unspecified, carrier-grade NAT or a cloud metadata address.
Checking the connected peer (not a prior DNS answer) closes the DNS-rebinding hole.
``FUSION_SSRF_ALLOWED_NETWORKS`` lists networks that are allowed anyway (tests allow their
127.0.0.1 servers this way). Environment proxies are ignored so the check sees the real peer.
"""

import ipaddress
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

# Metadata services that sit on otherwise "public-looking" or special addresses.
METADATA_ADDRESSES = {
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2::254")
}


class BlockedDestination(Exception):
    """The URL's scheme or the connected address is not allowed (reason ``blocked_destination``)."""

    reason = "blocked_destination"


class ResponseTooLarge(Exception):
    """A response body exceeded the caller's size cap."""


def _allowed_networks() -> list:
    return [
        ipaddress.ip_network(net, strict=False)
        for net in getattr(settings, "FUSION_SSRF_ALLOWED_NETWORKS", [])
    ]


def address_check(address: str) -> None:
    """Raise BlockedDestination unless ``address`` is a public unicast address (or allowed)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in net for net in _allowed_networks()):
        return
    if ip in METADATA_ADDRESSES or not ip.is_global or ip.is_multicast or ip.is_reserved:
        raise BlockedDestination(f"destination address {ip} is not allowed")


def url_check(url: str) -> None:
    """Raise BlockedDestination for anything but an http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedDestination(f"only http and https URLs are allowed: {url[:100]!r}")


def socket_peer_check(sock):
    """Close and refuse a connected socket whose peer is not allowed; else return it.

    The check is on the address actually connected, so DNS changing after a lookup cannot
    slip past it (used for HTTP here and for SMTP by the email gateway)."""
    try:
        address_check(sock.getpeername()[0])
    except BlockedDestination:
        sock.close()
        raise
    return sock


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self):
        return socket_peer_check(super()._new_conn())


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self):
        return socket_peer_check(super()._new_conn())


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """requests adapter whose connections check the peer address before any byte is sent."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)


class GuardedSession(requests.Session):
    """A requests Session with the SSRF guard on every request and redirect hop."""

    def __init__(self):
        super().__init__()
        self.trust_env = False  # no env proxies: the guard must see the real destination
        self.mount("http://", GuardedAdapter())
        self.mount("https://", GuardedAdapter())
        self.max_redirects = 5

    def send(self, request, **kwargs):
        url_check(request.url)
        kwargs["proxies"] = {}  # a proxy would be the peer checked, not the real destination
        return super().send(request, **kwargs)


def guarded_session() -> GuardedSession:
    """A new GuardedSession; use it in a ``with`` block so its connections are closed."""
    return GuardedSession()


def guarded_request(method: str, url: str, *, max_bytes: int | None = None, **kwargs):
    """One guarded request; with ``max_bytes`` the body is streamed and capped.

    Raises BlockedDestination, ResponseTooLarge or requests' own exceptions.
    """
    kwargs.setdefault("timeout", 15)
    with guarded_session() as session:
        if max_bytes is None:
            return session.request(method, url, **kwargs)
        response = session.request(method, url, stream=True, **kwargs)
        body = bytearray()
        for chunk in response.iter_content(64 * 1024):
            body.extend(chunk)
            if len(body) > max_bytes:
                response.close()
                raise ResponseTooLarge(f"response from {url[:100]} exceeds {max_bytes} bytes")
        response._content = bytes(body)
        return response
