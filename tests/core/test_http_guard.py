"""The SSRF guard (apps.core.http) against real servers on 127.0.0.x; nothing leaves the host."""

import socket

import pytest
import urllib3.util.connection
from pytest_httpserver import HTTPServer

from apps.core.http import (
    BlockedDestination,
    ResponseTooLarge,
    address_check,
    guarded_request,
    url_check,
)

BLOCKED = [
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # AWS/GCP/Azure metadata
    "100.100.100.200",  # Alibaba metadata
    "100.64.0.1",  # carrier-grade NAT
    "224.0.0.1",
    "0.0.0.0",
    "127.0.0.1",
    "::1",
    "fe80::1",
    "fe80::1%eth0",
    "fc00::1",
    "::ffff:127.0.0.1",
    "fd00:ec2::254",
]


@pytest.fixture(scope="session")
def httpserver_listen_address():
    """Bind the shared test server to 127.0.0.1 itself: "localhost" may resolve to ::1."""
    return ("127.0.0.1", 0)


@pytest.fixture
def no_allow_list(settings):
    settings.FUSION_SSRF_ALLOWED_NETWORKS = []  # whatever the environment configured


@pytest.fixture
def server(httpserver):
    """The plugin's server, by address (the allow-lists below name 127.0.0.1)."""
    httpserver.expect_request("/").respond_with_data("hello")
    return f"http://127.0.0.1:{httpserver.port}"


@pytest.fixture
def second_server():
    """Another loopback server, on 127.0.0.2 (outside the 127.0.0.1/32 allow-list)."""
    with HTTPServer(host="127.0.0.2", port=0) as other:
        other.expect_request("/landing").respond_with_data("landed")
        yield other


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("address_check must not touch the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)


def test_loopback_is_refused_without_the_allow_list(httpserver, server, no_allow_list):
    with pytest.raises(BlockedDestination, match="127.0.0.1"):
        guarded_request("GET", f"{server}/")

    assert httpserver.log == []  # refused after connect, before a byte was sent


def test_loopback_is_allowed_when_its_network_is_listed(httpserver, server, settings):
    settings.FUSION_SSRF_ALLOWED_NETWORKS = ["127.0.0.1/32"]

    response = guarded_request("GET", f"{server}/")

    assert (response.status_code, response.text) == (200, "hello")
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/_x"]
)
def test_only_http_and_https_urls(url, allow_local_http):
    with pytest.raises(BlockedDestination, match="only http and https"):
        guarded_request("GET", url)


def test_url_check_wants_a_host():
    url_check("https://example.com/x")  # no exception
    with pytest.raises(BlockedDestination):
        url_check("http:///x")


@pytest.mark.parametrize("address", BLOCKED)
def test_address_check_refuses_internal_addresses(address, no_allow_list, no_network):
    with pytest.raises(BlockedDestination):
        address_check(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111"])
def test_address_check_accepts_public_addresses(address, no_allow_list, no_network):
    address_check(address)  # no exception


def test_allow_list_opens_exactly_the_listed_network(settings, no_network):
    settings.FUSION_SSRF_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    address_check("10.20.3.4")
    address_check("::ffff:10.20.3.4")  # the IPv4-mapped form is the same host
    with pytest.raises(BlockedDestination):
        address_check("10.21.0.1")


def test_redirect_to_a_disallowed_address_is_refused(httpserver, second_server, settings):
    settings.FUSION_SSRF_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    target = f"http://127.0.0.2:{second_server.port}/landing"
    httpserver.expect_request("/go").respond_with_data("", status=302, headers={"Location": target})

    with pytest.raises(BlockedDestination, match="127.0.0.2"):
        guarded_request("GET", f"http://127.0.0.1:{httpserver.port}/go")

    assert [request.path for request, _ in httpserver.log] == ["/go"]
    assert second_server.log == []


def test_redirect_is_followed_when_the_target_is_allowed(httpserver, second_server, settings):
    """Control for the test above: the second server is reachable when allowed."""
    settings.FUSION_SSRF_ALLOWED_NETWORKS = ["127.0.0.1/32", "127.0.0.2/32"]
    target = f"http://127.0.0.2:{second_server.port}/landing"
    httpserver.expect_request("/go").respond_with_data("", status=302, headers={"Location": target})

    response = guarded_request("GET", f"http://127.0.0.1:{httpserver.port}/go")

    assert response.text == "landed"
    assert len(second_server.log) == 1


def test_redirect_to_another_scheme_is_refused(httpserver, allow_local_http):
    httpserver.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )

    with pytest.raises(BlockedDestination, match="only http and https"):
        guarded_request("GET", f"http://127.0.0.1:{httpserver.port}/go")


@pytest.fixture
def rebind_dns(monkeypatch):
    """Make "rebind.test" resolve to 127.0.0.1 for urllib3's connection code (only that name)."""
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        return real("127.0.0.1" if host == "rebind.test" else host, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection.socket, "getaddrinfo", resolve)


def test_name_resolving_to_loopback_is_refused(httpserver, server, rebind_dns, no_allow_list):
    """The check is on the connected peer, so a public-looking name cannot smuggle loopback."""
    with pytest.raises(BlockedDestination, match="127.0.0.1"):
        guarded_request("GET", f"http://rebind.test:{httpserver.port}/")

    assert httpserver.log == []


def test_name_resolving_to_an_allowed_address_connects(httpserver, server, rebind_dns, settings):
    """Control for the test above: the fake name really does reach the local server."""
    settings.FUSION_SSRF_ALLOWED_NETWORKS = ["127.0.0.1/32"]

    assert guarded_request("GET", f"http://rebind.test:{httpserver.port}/").text == "hello"


def test_explicit_proxies_cannot_bypass_the_check(httpserver, server, no_allow_list):
    """A proxy would be the peer the guard checks; the guarded session never uses one."""
    with pytest.raises(BlockedDestination, match="127.0.0.1"):
        guarded_request("GET", f"{server}/", proxies={"http": server, "https": server})

    assert httpserver.log == []


def test_max_bytes_caps_the_body(httpserver, allow_local_http):
    httpserver.expect_request("/big").respond_with_data(b"x" * 200_000)
    url = f"http://127.0.0.1:{httpserver.port}/big"

    with pytest.raises(ResponseTooLarge):
        guarded_request("GET", url, max_bytes=100_000)
    assert len(guarded_request("GET", url, max_bytes=200_000).content) == 200_000
