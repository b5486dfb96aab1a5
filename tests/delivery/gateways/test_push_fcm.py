"""FCM HTTP v1 gateway against a real local server: token exchange, send, caching, errors."""

import json
from urllib.parse import parse_qs

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from apps.delivery.gateways.base import DeliveryError, Message
from apps.delivery.gateways.push.fcm import GRANT_TYPE, SCOPE, FcmGateway
from apps.delivery.gateways.registry import gateway_class
from apps.providers.models import Provider

PROJECT = "demo-project"
SEND_PATH = f"/v1/projects/{PROJECT}/messages:send"


@pytest.fixture(scope="session")
def httpserver_listen_address():
    """Bind the shared test server to 127.0.0.1 itself: "localhost" may resolve to ::1."""
    return ("127.0.0.1", 0)


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def base_url(httpserver, allow_local_http):
    # By address even if another module built the shared server: the allow-list is 127.0.0.1.
    return f"http://127.0.0.1:{httpserver.port}"


@pytest.fixture
def account(rsa_key, base_url):
    pem = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {
        "type": "service_account",
        "project_id": PROJECT,
        "private_key_id": "key-1",
        "private_key": pem,
        "client_email": "fusion@demo-project.iam.gserviceaccount.com",
        "token_uri": f"{base_url}/token",
    }


@pytest.fixture
def gateway(account, base_url):
    provider = Provider(type="fcm", password=json.dumps(account), settings={"base_url": base_url})
    return FcmGateway(provider)


def push(**payload) -> Message:
    return Message(job_id="job-1", channel="push", payload=payload, idempotency_key="k-1")


def token_answer(token="ya29.first", expires_in=3600) -> dict:
    return {"access_token": token, "expires_in": expires_in, "token_type": "Bearer"}


def requests_to(httpserver, path: str) -> list:
    return [request for request, _ in httpserver.log if request.path == path]


def test_registered_for_push_fcm():
    assert gateway_class("push", "fcm") is FcmGateway


def test_exchanges_a_signed_jwt_then_sends_the_exact_v1_request(
    httpserver, gateway, account, rsa_key
):
    httpserver.expect_request("/token", method="POST").respond_with_json(token_answer())
    expected = {
        "message": {
            "token": "device-token-1",
            "notification": {"title": "Hello", "body": "World"},
            "data": {"order": "42", "paid": "True"},
        }
    }
    httpserver.expect_request(
        SEND_PATH,
        method="POST",
        headers={"Authorization": "Bearer ya29.first"},
        json=expected,
    ).respond_with_json({"name": f"projects/{PROJECT}/messages/0:1500415314455276"})

    outcome = gateway.send(
        push(token="device-token-1", title="Hello", body="World", data={"order": 42, "paid": True})
    )

    httpserver.check_assertions()
    assert outcome.provider_message_id == f"projects/{PROJECT}/messages/0:1500415314455276"
    assert outcome.request["body"] == expected
    assert "ya29" not in json.dumps(outcome.request)  # the summary holds no secret
    (token_request,) = requests_to(httpserver, "/token")
    form = parse_qs(token_request.get_data(as_text=True))
    assert form["grant_type"] == [GRANT_TYPE]
    claims = jwt.decode(
        form["assertion"][0],
        rsa_key.public_key(),
        algorithms=["RS256"],
        audience=account["token_uri"],
    )
    assert claims["iss"] == account["client_email"]
    assert claims["scope"] == SCOPE
    assert claims["exp"] - claims["iat"] == 3600
    assert jwt.get_unverified_header(form["assertion"][0])["kid"] == "key-1"


def test_topic_message_without_notification(httpserver, gateway):
    httpserver.expect_request("/token", method="POST").respond_with_json(token_answer())
    httpserver.expect_request(
        SEND_PATH, method="POST", json={"message": {"topic": "news", "data": {"k": "v"}}}
    ).respond_with_json({"name": "projects/demo-project/messages/7"})

    outcome = gateway.send(push(topic="/topics/news", data={"k": "v"}))

    httpserver.check_assertions()
    assert outcome.provider_message_id == "projects/demo-project/messages/7"


def test_access_token_is_cached_between_sends(httpserver, gateway):
    httpserver.expect_request("/token", method="POST").respond_with_json(token_answer())
    httpserver.expect_request(
        SEND_PATH, method="POST", headers={"Authorization": "Bearer ya29.first"}
    ).respond_with_json({"name": "projects/demo-project/messages/1"})

    gateway.send(push(token="a", title="t", body="b"))
    gateway.send(push(token="b", title="t", body="b"))

    assert len(requests_to(httpserver, "/token")) == 1
    assert len(requests_to(httpserver, SEND_PATH)) == 2


def test_token_about_to_expire_is_not_cached(httpserver, gateway):
    httpserver.expect_request("/token", method="POST").respond_with_json(
        token_answer(expires_in=60)  # inside the safety margin
    )
    httpserver.expect_request(SEND_PATH, method="POST").respond_with_json({"name": "n"})

    gateway.send(push(token="a", title="t"))
    gateway.send(push(token="a", title="t"))

    assert len(requests_to(httpserver, "/token")) == 2


def fcm_error(code: int, status: str, error_code: str | None = None) -> dict:
    details = [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError"}]
    if error_code:
        details[0]["errorCode"] = error_code
    return {"error": {"code": code, "message": "m", "status": status, "details": details}}


@pytest.mark.parametrize(
    ("status", "answer", "reason"),
    [
        (404, fcm_error(404, "NOT_FOUND", "UNREGISTERED"), "invalid_recipient"),
        (400, fcm_error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT"), "provider_rejected"),
        (403, fcm_error(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH"), "provider_rejected"),
    ],
)
def test_permanent_errors(httpserver, gateway, status, answer, reason):
    httpserver.expect_request("/token", method="POST").respond_with_json(token_answer())
    httpserver.expect_request(SEND_PATH, method="POST").respond_with_json(answer, status=status)

    with pytest.raises(DeliveryError) as failure:
        gateway.send(push(token="gone"))

    assert failure.value.permanent is True
    assert failure.value.reason == reason


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (429, fcm_error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED")),
        (503, fcm_error(503, "UNAVAILABLE", "UNAVAILABLE")),
        (500, fcm_error(500, "INTERNAL", "INTERNAL")),
        (502, {}),  # a bare gateway error, no FCM body
    ],
)
def test_transient_errors(httpserver, gateway, status, answer):
    httpserver.expect_request("/token", method="POST").respond_with_json(token_answer())
    httpserver.expect_request(SEND_PATH, method="POST").respond_with_json(answer, status=status)

    with pytest.raises(DeliveryError) as failure:
        gateway.send(push(token="t"))

    assert failure.value.permanent is False


def test_401_drops_the_cached_token_and_is_transient(httpserver, gateway):
    # Oneshot handlers answer in the order they were added.
    httpserver.expect_oneshot_request("/token").respond_with_json(token_answer("ya29.first"))
    httpserver.expect_oneshot_request("/token").respond_with_json(token_answer("ya29.second"))
    httpserver.expect_request(
        SEND_PATH, headers={"Authorization": "Bearer ya29.first"}
    ).respond_with_json(fcm_error(401, "UNAUTHENTICATED"), status=401)
    httpserver.expect_request(
        SEND_PATH, headers={"Authorization": "Bearer ya29.second"}
    ).respond_with_json({"name": "projects/demo-project/messages/2"})

    with pytest.raises(DeliveryError) as failure:
        gateway.send(push(token="t"))
    assert failure.value.permanent is False
    assert failure.value.reason == "unauthenticated"

    outcome = gateway.send(push(token="t"))
    assert outcome.provider_message_id == "projects/demo-project/messages/2"
    assert len(requests_to(httpserver, "/token")) == 2


@pytest.mark.parametrize("password", ["", "not json", '["a list"]', '{"project_id": "p"}'])
def test_unparsable_service_account_is_permanent_bad_credentials(httpserver, base_url, password):
    gateway = FcmGateway(Provider(type="fcm", password=password, settings={"base_url": base_url}))

    with pytest.raises(DeliveryError) as failure:
        gateway.send(push(token="t"))

    assert (failure.value.permanent, failure.value.reason) == (True, "bad_credentials")
    assert httpserver.log == []


def test_unusable_private_key_is_permanent_bad_credentials(httpserver, account, base_url):
    account["private_key"] = "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n"
    provider = Provider(type="fcm", password=json.dumps(account), settings={"base_url": base_url})

    with pytest.raises(DeliveryError) as failure:
        FcmGateway(provider).send(push(token="t"))

    assert (failure.value.permanent, failure.value.reason) == (True, "bad_credentials")
    assert httpserver.log == []


def test_rejected_assertion_is_permanent_bad_credentials(httpserver, gateway):
    httpserver.expect_request("/token", method="POST").respond_with_json(
        {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}, status=400
    )

    with pytest.raises(DeliveryError) as failure:
        gateway.send(push(token="t"))

    assert (failure.value.permanent, failure.value.reason) == (True, "bad_credentials")
    assert requests_to(httpserver, SEND_PATH) == []
