"""SMS gateways against a real HTTP server on 127.0.0.1: the exact request each one sends, and
how each vendor answer maps to success, a permanent failure or a transient one.

Nothing here leaves 127.0.0.1: every provider points at pytest-httpserver, and vendor URLs
that appear in payloads (status callbacks) are only data, never fetched.
"""

import json
import socket

import pytest

from apps.delivery.gateways.base import DeliveryError, Message
from apps.delivery.gateways.registry import gateway_class
from apps.delivery.gateways.sms.http import HttpSmsGateway
from apps.delivery.gateways.sms.kannel import KannelSmsGateway
from apps.delivery.gateways.sms.msg91 import Msg91SmsGateway
from apps.delivery.gateways.sms.twilio import TwilioSmsGateway
from apps.providers.models import Provider

TO = "+919876543210"
TEXT = "Your OTP is 1234"
KEY = "job-1:attempt-key"
CALLBACK = "https://fusion.example/callbacks/sms/job-1"


@pytest.fixture(scope="session")
def httpserver_listen_address():
    """Bind the test server to 127.0.0.1 itself: "localhost" may resolve to ::1."""
    return ("127.0.0.1", 0)


def url_for(httpserver, path: str = "/") -> str:
    """The server's URL by address, even when another module built the shared server on
    "localhost": the allow-list (``allow_local_http``) is 127.0.0.1 only."""
    return f"http://127.0.0.1:{httpserver.port}{path}"


def sms(**payload) -> Message:
    return Message(
        job_id="job-1",
        channel="sms",
        payload={"to": TO, "text": TEXT, **payload},
        idempotency_key=KEY,
    )


def provider(type_: str, **fields) -> Provider:
    """An unsaved provider: gateways only read its fields."""
    return Provider(name=f"{type_} test", type=type_, service_flag=4, **fields)


def the_request(httpserver):
    """The one request the server saw (a gateway must never send two)."""
    assert len(httpserver.log) == 1, httpserver.log
    return httpserver.log[0][0]


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def failure(gateway, message) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        gateway.send(message)
    return caught.value


# --- registry -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "provider_type, cls",
    [
        ("http", HttpSmsGateway),
        ("msg91", Msg91SmsGateway),
        ("twilio", TwilioSmsGateway),
        ("kannel", KannelSmsGateway),
    ],
)
def test_registry_maps_each_sms_type_to_its_gateway(provider_type, cls):
    assert gateway_class("sms", provider_type) is cls
    assert (cls.channel, cls.type) == ("sms", provider_type)


# --- generic HTTP ---------------------------------------------------------------------------

HTTP_PARAMS = {
    "user": "{username}",
    "pass": "{password}",
    "to": "{to_digits}",
    "e164": "{to}",
    "msg": "{text}",
    "from": "{sender}",
    "ref": "{idempotency_key}",
}
HTTP_SENT = {
    "user": "acme",
    "pass": "s3cret-pass",
    "to": "00919876543210",
    "e164": TO,
    "msg": TEXT,
    "from": "CRELIO",
    "ref": KEY,
}


def http_provider(httpserver, **settings) -> Provider:
    settings = {"url": url_for(httpserver, "/send"), "params": HTTP_PARAMS, **settings}
    return provider("http", username="acme", password="s3cret-pass", prefix="00", settings=settings)


def test_http_get_sends_the_template_as_query_string(httpserver, allow_local_http):
    httpserver.expect_request("/send").respond_with_data("OK: queued")
    outcome = HttpSmsGateway(http_provider(httpserver)).send(sms(sender="CRELIO"))

    request = the_request(httpserver)
    assert (request.method, request.path) == ("GET", "/send")
    assert request.args.to_dict(flat=False) == {k: [v] for k, v in HTTP_SENT.items()}
    assert outcome.provider_message_id == ""
    assert outcome.response == {"status": 200, "body": "OK: queued"}
    assert outcome.request["query"] == {**HTTP_SENT, "pass": "***"}
    assert "s3cret-pass" not in json.dumps(outcome.request)


def test_http_post_defaults_to_a_form_body(httpserver, allow_local_http):
    httpserver.expect_request("/send", method="POST").respond_with_data("accepted")
    gateway = HttpSmsGateway(http_provider(httpserver, method="post", success_contains="accept"))
    outcome = gateway.send(sms(sender="CRELIO"))

    request = the_request(httpserver)
    assert request.method == "POST"
    assert request.mimetype == "application/x-www-form-urlencoded"
    assert request.args.to_dict() == {}
    assert request.form.to_dict(flat=False) == {k: [v] for k, v in HTTP_SENT.items()}
    assert outcome.request["form"]["pass"] == "***"


def test_http_json_with_host_fallback_and_message_id_path(httpserver, allow_local_http):
    httpserver.expect_request("/api/sms", method="POST").respond_with_json(
        {"status": "ok", "data": {"id": "msg-77"}}
    )
    settings = {
        "method": "POST",
        "encoding": "json",
        "params": {"number": "{to}", "body": "{text}", "unicode": 1, "apikey": "literal-key"},
        "message_id_path": "data.id",
    }
    gateway = HttpSmsGateway(
        provider("http", host=url_for(httpserver, "/api/sms"), settings=settings)
    )
    outcome = gateway.send(sms())

    request = the_request(httpserver)
    assert (request.method, request.path, request.mimetype) == (
        "POST",
        "/api/sms",
        "application/json",
    )
    assert request.get_json() == {
        "number": TO,
        "body": TEXT,
        "unicode": 1,
        "apikey": "literal-key",
    }
    assert outcome.provider_message_id == "msg-77"
    assert outcome.request["json"]["apikey"] == "***"  # secret by its name


@pytest.mark.parametrize(
    "path, expected",
    [("messages.0.id", "m-1"), ("messages.1.id", ""), ("data.id", ""), ("messages.0", "")],
)
def test_http_message_id_path_missing_is_still_a_success(
    httpserver, allow_local_http, path, expected
):
    # The vendor accepted the SMS: a missing id must not turn into a retry (a second SMS).
    httpserver.expect_request("/send").respond_with_json({"messages": [{"id": "m-1"}]})
    gateway = HttpSmsGateway(http_provider(httpserver, message_id_path=path))
    assert gateway.send(sms()).provider_message_id == expected


def test_http_200_without_the_success_text_is_permanent(httpserver, allow_local_http):
    httpserver.expect_request("/send").respond_with_data("ERROR: invalid number")
    gateway = HttpSmsGateway(http_provider(httpserver, success_contains="OK"))

    error = failure(gateway, sms())
    assert (error.permanent, error.reason) == (True, "provider_rejected")
    assert error.response["body"] == "ERROR: invalid number"


@pytest.mark.parametrize(
    "status, permanent, reason",
    [
        (400, True, "provider_rejected"),
        (401, True, "provider_rejected"),
        (429, False, "provider_unavailable"),
        (500, False, "provider_unavailable"),
        (503, False, "provider_unavailable"),
    ],
)
def test_http_status_mapping(httpserver, allow_local_http, status, permanent, reason):
    httpserver.expect_request("/send").respond_with_data("nope", status=status)
    error = failure(HttpSmsGateway(http_provider(httpserver)), sms())
    assert (error.permanent, error.reason) == (permanent, reason)
    assert error.response["status"] == status


@pytest.mark.parametrize(
    "template", ["{to.__class__}", "{text:{to.__class__}}", "{unknown}", "{0}", "{text"]
)
def test_http_bad_template_fails_before_sending(httpserver, allow_local_http, template):
    gateway = HttpSmsGateway(http_provider(httpserver, params={"to": template}))
    error = failure(gateway, sms())
    assert (error.permanent, error.reason) == (True, "provider_misconfigured")
    assert httpserver.log == []


@pytest.mark.parametrize(
    "options", [{"url": ""}, {"method": "PUT"}, {"method": "GET", "encoding": "xml"}]
)
def test_http_unusable_route_fails_before_sending(httpserver, allow_local_http, options):
    error = failure(HttpSmsGateway(http_provider(httpserver, **options)), sms())
    assert (error.permanent, error.reason) == (True, "provider_misconfigured")
    assert httpserver.log == []


def test_http_network_error_is_transient_and_hides_secrets(allow_local_http):
    url = f"http://127.0.0.1:{closed_port()}/send"
    params = {**HTTP_PARAMS, "api_key": "literal key/with+symbols"}
    gateway = HttpSmsGateway(
        provider("http", password="s3cret-pass", settings={"url": url, "params": params})
    )
    error = failure(gateway, sms())
    assert (error.permanent, error.reason) == (False, "network")
    assert "/send?" in str(error)  # requests quotes the URL, query string included...
    assert "s3cret-pass" not in str(error)  # ...but not our secrets
    assert "literal" not in str(error)
    assert error.__suppress_context__


# --- MSG91 ----------------------------------------------------------------------------------


def msg91_provider(httpserver, **settings) -> Provider:
    settings = {"base_url": url_for(httpserver), "template_id": "tmpl-1", **settings}
    return provider("msg91", password="msg91-authkey", settings=settings)


def test_msg91_posts_the_flow_request(httpserver, allow_local_http):
    httpserver.expect_request("/api/v5/flow/", method="POST").respond_with_json(
        {"type": "success", "message": "5762846b4f8d285d378b4567"}
    )
    gateway = Msg91SmsGateway(msg91_provider(httpserver, sender="DEFLT"))
    outcome = gateway.send(sms(sender="CRELIO", otp="1234"))

    request = the_request(httpserver)
    assert (request.method, request.path) == ("POST", "/api/v5/flow/")
    assert request.headers["authkey"] == "msg91-authkey"
    assert request.mimetype == "application/json"
    assert request.get_json() == {
        "template_id": "tmpl-1",
        "short_url": "0",
        "sender": "CRELIO",
        "recipients": [{"mobiles": "919876543210", "message": TEXT, "otp": "1234"}],
    }
    assert outcome.provider_message_id == "5762846b4f8d285d378b4567"
    assert "msg91-authkey" not in json.dumps(outcome.request)


def test_msg91_sender_from_settings_and_template_vars(httpserver, allow_local_http):
    httpserver.expect_request("/api/v5/flow/").respond_with_json(
        {"type": "success", "message": "req-2"}
    )
    gateway = Msg91SmsGateway(msg91_provider(httpserver, sender="DEFLT"))
    gateway.send(sms(vars={"name": "Asha", "mobiles": "must-not-win"}))

    assert the_request(httpserver).get_json() == {
        "template_id": "tmpl-1",
        "short_url": "0",
        "sender": "DEFLT",
        "recipients": [{"mobiles": "919876543210", "message": TEXT, "name": "Asha"}],
    }


@pytest.mark.parametrize(
    "status, body, permanent, reason",
    [
        (401, {"type": "error", "message": "Authentication failure"}, True, "provider_rejected"),
        (200, {"type": "error", "message": "invalid authkey"}, True, "provider_rejected"),
        (200, {"type": "error", "message": "Mobile number is invalid"}, True, "invalid_recipient"),
        (
            200,
            {"type": "error", "code": "418", "message": "IP not whitelisted"},
            True,
            "provider_rejected",
        ),  # fmt: skip
        (
            200,
            {"type": "error", "code": "301", "message": "Insufficient balance"},
            False,
            "provider_unavailable",
        ),  # fmt: skip
        (500, {"type": "error", "message": "Internal error"}, False, "provider_unavailable"),
        (503, {"type": "error", "message": "auth service down"}, False, "provider_unavailable"),
        (502, "<html>Bad gateway</html>", False, "provider_unavailable"),
    ],
)
def test_msg91_error_mapping(httpserver, allow_local_http, status, body, permanent, reason):
    respond = httpserver.expect_request("/api/v5/flow/")
    if isinstance(body, dict):
        respond.respond_with_json(body, status=status)
    else:
        respond.respond_with_data(body, status=status)
    error = failure(Msg91SmsGateway(msg91_provider(httpserver)), sms())
    assert (error.permanent, error.reason) == (permanent, reason)


def test_msg91_without_template_id_fails_before_sending(httpserver, allow_local_http):
    gateway = Msg91SmsGateway(msg91_provider(httpserver, template_id=""))
    error = failure(gateway, sms())
    assert (error.permanent, error.reason) == (True, "provider_misconfigured")
    assert httpserver.log == []


# --- Twilio ---------------------------------------------------------------------------------

TWILIO_PATH = "/2010-04-01/Accounts/AC123/Messages.json"


def twilio_provider(httpserver, **settings) -> Provider:
    settings = {"base_url": url_for(httpserver), "from": "+15005550006", **settings}
    return provider("twilio", username="AC123", password="twilio-token", settings=settings)


def test_twilio_posts_a_message_with_basic_auth_and_idempotency(httpserver, allow_local_http):
    httpserver.expect_request(TWILIO_PATH, method="POST").respond_with_json(
        {"sid": "SM0123456789", "status": "queued"}, status=201
    )
    gateway = TwilioSmsGateway(twilio_provider(httpserver, status_callback="https://x.example"))
    outcome = gateway.send(sms(callback_url=CALLBACK))

    request = the_request(httpserver)
    assert (request.method, request.path) == ("POST", TWILIO_PATH)
    assert request.form.to_dict(flat=False) == {
        "To": [TO],
        "From": ["+15005550006"],
        "Body": [TEXT],
        "StatusCallback": [CALLBACK],  # the job's callback wins over the provider's
    }
    assert (request.authorization.username, request.authorization.password) == (
        "AC123",
        "twilio-token",
    )
    assert request.headers["I-Twilio-Idempotency-Token"] == KEY
    assert outcome.provider_message_id == "SM0123456789"
    assert "twilio-token" not in json.dumps(outcome.request)


def test_twilio_sender_and_settings_callback(httpserver, allow_local_http):
    httpserver.expect_request(TWILIO_PATH).respond_with_json({"sid": "SM2"}, status=201)
    gateway = TwilioSmsGateway(twilio_provider(httpserver, status_callback="https://x.example"))
    gateway.send(sms(sender="CRELIO"))

    assert the_request(httpserver).form.to_dict() == {
        "To": TO,
        "From": "CRELIO",
        "Body": TEXT,
        "StatusCallback": "https://x.example",
    }


def test_twilio_without_any_callback_sends_none(httpserver, allow_local_http):
    httpserver.expect_request(TWILIO_PATH).respond_with_json({"sid": "SM3"}, status=201)
    TwilioSmsGateway(twilio_provider(httpserver)).send(sms())
    assert "StatusCallback" not in the_request(httpserver).form


@pytest.mark.parametrize(
    "status, code, permanent, reason",
    [
        (400, 21211, True, "invalid_recipient"),
        (400, 21214, True, "invalid_recipient"),
        (400, 21610, True, "invalid_recipient"),
        (400, 21612, True, "invalid_recipient"),
        (400, 21614, True, "invalid_recipient"),
        (400, 21408, True, "provider_rejected"),
        (401, 20003, True, "provider_rejected"),
        (404, 20404, True, "provider_rejected"),
        (429, 20429, False, "provider_unavailable"),
        (400, 20429, False, "provider_unavailable"),  # the code outranks the status
        (500, 20500, False, "provider_unavailable"),
        (503, None, False, "provider_unavailable"),
    ],
)
def test_twilio_error_mapping(httpserver, allow_local_http, status, code, permanent, reason):
    body = {"code": code, "message": "error", "status": status} if code else {}
    httpserver.expect_request(TWILIO_PATH).respond_with_json(body, status=status)
    error = failure(TwilioSmsGateway(twilio_provider(httpserver)), sms())
    assert (error.permanent, error.reason) == (permanent, reason)


# --- Kannel ---------------------------------------------------------------------------------


def kannel_provider(httpserver, **settings) -> Provider:
    return provider(
        "kannel",
        host="127.0.0.1",
        port=httpserver.port,
        username="kuser",
        password="kannel-pass",
        prefix="00",
        settings=settings,
    )


def test_kannel_sendsms_query_with_delivery_reports(httpserver, allow_local_http):
    httpserver.expect_request("/cgi-bin/sendsms").respond_with_data(
        "0: Accepted for delivery", status=202
    )
    gateway = KannelSmsGateway(kannel_provider(httpserver))
    outcome = gateway.send(sms(sender="CRELIO", callback_url=CALLBACK))

    request = the_request(httpserver)
    assert (request.method, request.path) == ("GET", "/cgi-bin/sendsms")
    assert request.args.to_dict(flat=False) == {
        "username": ["kuser"],
        "password": ["kannel-pass"],
        "from": ["CRELIO"],
        "to": ["00919876543210"],
        "text": [TEXT],
        "dlr-mask": ["31"],
        "dlr-url": [CALLBACK + "?type=%d"],  # Kannel puts the report type in place of %d
    }
    assert outcome.response == {"status": 202, "body": "0: Accepted for delivery"}
    assert "kannel-pass" not in json.dumps(outcome.request)


@pytest.mark.parametrize(
    "options, path",
    [
        ({"url": "BASE/", "path": "/kannel/send"}, "/kannel/send"),
        ({"url": "BASE/custom/sendsms"}, "/custom/sendsms"),  # the URL's own path wins
    ],
)
def test_kannel_settings_url_overrides_host_and_port(httpserver, allow_local_http, options, path):
    httpserver.expect_request(path).respond_with_data("3: Queued for later delivery", status=202)
    options = {**options, "url": options["url"].replace("BASE/", url_for(httpserver))}
    kannel = kannel_provider(httpserver, **options)
    kannel.host, kannel.port = "unused.invalid", 1
    outcome = KannelSmsGateway(kannel).send(sms())

    request = the_request(httpserver)
    assert request.path == path
    assert set(request.args) == {"username", "password", "to", "text"}  # no from, no dlr
    assert outcome.response["body"] == "3: Queued for later delivery"


def test_kannel_non_ascii_text_goes_as_ucs2(httpserver, allow_local_http):
    httpserver.expect_request("/cgi-bin/sendsms").respond_with_data("0: Accepted", status=202)
    KannelSmsGateway(kannel_provider(httpserver, **{"from": "CRELIO"})).send(
        sms(text="आपका OTP 1234 है")
    )

    args = the_request(httpserver).args
    assert (args["text"], args["coding"], args["charset"]) == ("आपका OTP 1234 है", "2", "UTF-8")
    assert args["from"] == "CRELIO"


def test_kannel_network_error_is_transient_and_hides_the_password(allow_local_http):
    kannel = provider("kannel", host="127.0.0.1", port=closed_port(), password="p@ss word/1")
    error = failure(KannelSmsGateway(kannel), sms())
    assert (error.permanent, error.reason) == (False, "network")
    assert "sendsms?…" in str(error)  # the query string (with the password) is dropped
    assert "p%40ss" not in str(error) and "p@ss" not in str(error)


def test_kannel_default_port_and_path():
    gateway = KannelSmsGateway(provider("kannel", host="kannel.internal"))
    assert gateway._url() == "http://kannel.internal:13013/cgi-bin/sendsms"


@pytest.mark.parametrize(
    "status, body, permanent",
    [
        (403, "Authorization failed for sendsms", True),
        (400, "Sender missing and no global set, rejected", True),
        (503, "Temporal failure, try again later.", False),
        (500, "Internal error", False),
    ],
)
def test_kannel_error_mapping(httpserver, allow_local_http, status, body, permanent):
    httpserver.expect_request("/cgi-bin/sendsms").respond_with_data(body, status=status)
    error = failure(KannelSmsGateway(kannel_provider(httpserver)), sms())
    assert error.permanent is permanent
    assert error.reason == ("provider_rejected" if permanent else "provider_unavailable")
    assert error.response == {"status": status, "body": body}


# --- SSRF guard -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda server: HttpSmsGateway(http_provider(server)),
        lambda server: Msg91SmsGateway(msg91_provider(server)),
        lambda server: TwilioSmsGateway(twilio_provider(server)),
        lambda server: KannelSmsGateway(kannel_provider(server)),
    ],
    ids=["http", "msg91", "twilio", "kannel"],
)
def test_loopback_is_refused_without_the_allowance(httpserver, settings, make):
    settings.FUSION_SSRF_ALLOWED_NETWORKS = []  # whatever the environment says

    error = failure(make(httpserver), sms())
    assert (error.permanent, error.reason) == (True, "blocked_destination")
    assert httpserver.log == []
