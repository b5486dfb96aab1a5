"""Webhook gateway against real HTTP servers on loopback: methods, bodies, callbacks, errors."""

import json
import socket
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from apps.delivery.gateways.base import DeliveryError, Message
from apps.delivery.gateways.registry import gateway_class
from apps.delivery.gateways.webhook.http import WebhookGateway


@pytest.fixture(scope="module")
def _server():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)  # threaded: the slow handler
    server.start()
    yield server
    server.stop()


@pytest.fixture
def web(_server, allow_local_http):
    """A real HTTP server on 127.0.0.1, reachable through the SSRF guard for this test."""
    yield _server
    _server.clear()


def url(server: HTTPServer, path: str) -> str:
    return f"http://{server.host}:{server.port}{path}"


def send(**payload):
    message = Message(job_id="job-42", channel="webhook", payload=payload, idempotency_key="k")
    return WebhookGateway(None).send(message)  # the engine runs it without a provider too


def failure(**payload) -> DeliveryError:
    with pytest.raises(DeliveryError) as error:
        send(**payload)
    return error.value


def test_registered_for_webhook():
    assert gateway_class("webhook", "webhook") is WebhookGateway


def test_get_sends_args_as_query_string(web):
    web.expect_oneshot_request(
        "/hook", method="GET", query_string={"order": "17", "note": "a b&c"}
    ).respond_with_json({"ok": True})
    outcome = send(url=url(web, "/hook"), method="get", args={"order": 17, "note": "a b&c"})
    web.check_assertions()
    assert outcome.response["status"] == 200
    assert json.loads(outcome.response["body"]) == {"ok": True}
    assert isinstance(outcome.response["elapsed_ms"], int)
    assert outcome.request["method"] == "GET" and outcome.request["timeout"] == 15


def test_post_is_the_default_and_is_body_sends_args_as_json(web):
    args = {"order": 17, "items": [{"sku": "A", "qty": 2}]}
    web.expect_oneshot_request(
        "/hook", method="POST", query_string="", json=args
    ).respond_with_data("created", status=201)
    outcome = send(url=url(web, "/hook"), args=args, is_body=True)
    web.check_assertions()
    assert outcome.response["status"] == 201 and outcome.response["body"] == "created"


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_put_and_delete(web, method):
    web.expect_oneshot_request("/items/9", method=method, json={"qty": 3}).respond_with_data("")
    outcome = send(url=url(web, "/items/9"), method=method, args={"qty": 3}, is_body=1)
    web.check_assertions()
    assert outcome.response["status"] == 200


def test_custom_headers_are_passed_through(web):
    web.expect_oneshot_request(
        "/hook", headers={"X-Trace": "abc-123", "User-Agent": "Shop/2"}
    ).respond_with_data("ok")
    send(url=url(web, "/hook"), headers={"X-Trace": "abc-123", "User-Agent": "Shop/2"})
    web.check_assertions()


def test_raw_body_is_sent_byte_for_byte_as_json(web):
    body = '{"z":1,  "a":"é"}'  # odd spacing and order: any re-serialisation would show
    web.expect_oneshot_request(
        "/hook",
        method="POST",
        data=body.encode(),
        headers={"Content-Type": "application/json", "webhook-id": "msg_1"},
    ).respond_with_data("ok")
    outcome = send(url=url(web, "/hook"), body=body, headers={"webhook-id": "msg_1"})
    web.check_assertions()
    assert outcome.request["body_bytes"] == len(body.encode())


def test_secret_headers_are_masked_in_the_request_summary(web):
    secrets = {
        "Authorization": "Bearer sk-live-111",
        "Cookie": "session=cookie-222",
        "X-Api-Token": "tok-333",
        "X-Client-Secret": "sec-444",
        "webhook-signature": "v1,sig-555",
    }
    web.expect_oneshot_request("/hook", headers=secrets).respond_with_data("ok")
    outcome = send(url=url(web, "/hook"), headers={**secrets, "X-Trace": "visible"})
    web.check_assertions()  # the endpoint itself got the real values
    assert outcome.request["headers"] == {**dict.fromkeys(secrets, "***"), "X-Trace": "visible"}
    summary = json.dumps(outcome.request)
    for value in ("sk-live-111", "cookie-222", "tok-333", "sec-444", "sig-555"):
        assert value not in summary


def test_callback_url_receives_the_response(web):
    reports = []

    def callback(request):
        reports.append(request.get_json())
        return Response("thanks")

    web.expect_oneshot_request("/hook").respond_with_data(
        "created", status=201, headers={"X-Reply": "yes"}
    )
    web.expect_oneshot_request("/callback", method="POST").respond_with_handler(callback)
    outcome = send(url=url(web, "/hook"), callback_url=url(web, "/callback"))
    web.check_assertions()
    (report,) = reports
    assert report["status"] == 201 and report["body"] == "created"
    assert report["headers"]["X-Reply"] == "yes" and report["job_id"] == "job-42"
    assert "callback_error" not in outcome.response


def test_callback_body_is_truncated(web):
    reports = []
    web.expect_oneshot_request("/hook").respond_with_data("x" * 20000)
    web.expect_oneshot_request("/callback").respond_with_handler(
        lambda request: reports.append(request.get_json()) or Response("ok")
    )
    outcome = send(url=url(web, "/hook"), callback=True, callback_url=url(web, "/callback"))
    assert len(reports[0]["body"]) == 10000
    assert len(outcome.response["body"]) == 2000


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("target", ["500", "closed-port", "missing"])
def test_a_failed_callback_is_recorded_and_does_not_fail_the_job(web, target):
    web.expect_request("/hook").respond_with_data("ok")
    web.expect_request("/callback").respond_with_data("down", status=500)
    callback_url = {
        "500": url(web, "/callback"),
        "closed-port": f"http://127.0.0.1:{_closed_port()}/callback",
        "missing": None,
    }[target]
    outcome = send(url=url(web, "/hook"), callback=True, callback_url=callback_url)
    assert outcome.response["status"] == 200
    error = outcome.response["callback_error"]
    expected = {"500": "HTTP 500", "closed-port": "network", "missing": "callback_url"}[target]
    assert expected in error


@pytest.mark.parametrize(
    ("status", "permanent"),
    [(404, True), (400, True), (302, True), (408, False), (429, False), (503, False)],
)
def test_status_mapping(web, status, permanent):
    web.expect_request("/hook").respond_with_data("nope", status=status)  # 302: no Location
    error = failure(url=url(web, "/hook"))
    assert error.permanent is permanent
    assert error.reason == ("provider_rejected" if permanent else "provider_unavailable")
    assert error.response["status"] == status


def test_no_callback_after_a_failed_call(web):
    web.expect_request("/hook").respond_with_data("nope", status=404)
    web.expect_request("/callback").respond_with_data("ok")
    failure(url=url(web, "/hook"), callback_url=url(web, "/callback"))
    assert [entry[0].path for entry in web.log] == ["/hook"]


def test_timeout_is_transient(web):
    def slow(request):
        time.sleep(2)
        return Response("late")

    web.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    error = failure(url=url(web, "/slow"), timeout=1)
    assert not error.permanent and error.reason == "timeout"
    assert time.monotonic() - started < 1.9


@pytest.mark.parametrize(("given", "used"), [(600, 60), ("5", 5), ("soon", 15), (None, 15)])
def test_timeout_is_capped_at_60_seconds(web, given, used):
    web.expect_request("/hook").respond_with_data("ok")
    assert send(url=url(web, "/hook"), timeout=given).request["timeout"] == used


def test_redirects_are_followed_on_allowed_hosts(web):
    web.expect_request("/old").respond_with_data("", status=302, headers={"Location": "/new"})
    web.expect_request("/new").respond_with_data("moved here")
    assert send(url=url(web, "/old"), method="GET").response["body"] == "moved here"


@pytest.fixture
def second_loopback():
    """A server on 127.0.0.2: loopback too, but outside the allowed 127.0.0.1/32."""
    server = HTTPServer(host="127.0.0.2", port=0)
    try:
        server.start()
    except OSError:  # e.g. macOS only configures 127.0.0.1
        pytest.skip("127.0.0.2 is not available on this machine")
    yield server
    server.stop()


def test_redirect_to_a_private_address_is_blocked(web, second_loopback):
    second_loopback.expect_request("/").respond_with_data("internal")
    target = f"http://127.0.0.2:{second_loopback.port}/"
    web.expect_request("/hook").respond_with_data("", status=302, headers={"Location": target})
    error = failure(url=url(web, "/hook"), method="GET")
    assert error.permanent and error.reason == "blocked_destination"
    assert "127.0.0.2" in str(error)
    assert second_loopback.log == []  # refused after connect, before a byte was sent
    assert len(web.log) == 1


def test_private_address_is_blocked_without_the_allowance(_server):
    _server.expect_request("/hook").respond_with_data("ok")
    try:
        error = failure(url=url(_server, "/hook"))  # no allow_local_http
        assert error.permanent and error.reason == "blocked_destination"
        assert _server.log == []
    finally:
        _server.clear()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"method": "PATCH"}, "invalid_request"),
        ({"url": ""}, "invalid_request"),
        ({"headers": {"X-Bad": "a\r\nInjected: 1"}}, "invalid_request"),
        ({"body": {"not": "a string"}}, "invalid_request"),
        ({"url": "file:///etc/passwd"}, "blocked_destination"),
    ],
    ids=["method", "no-url", "header-injection", "body-not-string", "scheme"],
)
def test_invalid_requests_are_permanent_and_send_nothing(web, payload, reason):
    web.expect_request("/hook").respond_with_data("ok")
    error = failure(**{"url": url(web, "/hook"), **payload})
    assert error.permanent and error.reason == reason
    assert web.log == []


def test_oversized_response_is_not_read_into_memory(web, monkeypatch):
    from apps.delivery.gateways.webhook import http as module

    monkeypatch.setattr(module, "MAX_RESPONSE_BYTES", 1000)
    web.expect_request("/hook").respond_with_data("x" * 5000)
    error = failure(url=url(web, "/hook"))
    assert error.permanent and error.reason == "response_too_large"
