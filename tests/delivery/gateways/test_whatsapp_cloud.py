"""WhatsApp Cloud API gateway against a real local server: exact requests and error mapping."""

import pytest

from apps.delivery.gateways.base import DeliveryError, Message
from apps.delivery.gateways.registry import gateway_class
from apps.delivery.gateways.whatsapp.whatsapp_cloud import WhatsAppCloudGateway
from apps.providers.models import Provider

TOKEN = "EAAG-test-token"
PATH = "/v21.0/106540352242922/messages"
ACCEPTED = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": "15551234567", "wa_id": "15551234567"}],
    "messages": [{"id": "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI"}],
}


@pytest.fixture(scope="session")
def httpserver_listen_address():
    """Bind the shared test server to 127.0.0.1 itself: "localhost" may resolve to ::1."""
    return ("127.0.0.1", 0)


@pytest.fixture
def base_url(httpserver, allow_local_http):
    # By address even if another module built the shared server: the allow-list is 127.0.0.1.
    return f"http://127.0.0.1:{httpserver.port}"


@pytest.fixture
def gateway(base_url):
    provider = Provider(
        type="whatsapp_cloud",
        password=TOKEN,
        settings={"base_url": base_url, "phone_number_id": "106540352242922"},
    )
    return WhatsAppCloudGateway(provider)


def whatsapp(**payload) -> Message:
    return Message(job_id="job-1", channel="whatsapp", payload=payload, idempotency_key="k-1")


def test_registered_for_whatsapp_cloud():
    assert gateway_class("whatsapp", "whatsapp_cloud") is WhatsAppCloudGateway


def test_text_message_exact_request(httpserver, gateway):
    httpserver.expect_request(
        PATH,
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "15551234567",
            "type": "text",
            "text": {"body": "Your code is 1234"},
        },
    ).respond_with_json(ACCEPTED)

    outcome = gateway.send(whatsapp(to="+15551234567", text="Your code is 1234"))

    httpserver.check_assertions()
    assert outcome.provider_message_id == "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI"
    assert outcome.request == {"type": "text", "to": "15551234567"}
    assert len(httpserver.log) == 1


def test_document_message_exact_request(httpserver, gateway):
    httpserver.expect_request(
        PATH,
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "923001234567",
            "type": "document",
            "document": {
                "link": "https://files.example.com/invoice.pdf",
                "filename": "invoice.pdf",
                "caption": "Your invoice",
            },
        },
    ).respond_with_json(ACCEPTED)

    outcome = gateway.send(
        whatsapp(
            to="+923001234567",
            text="Your invoice",
            document={"url": "https://files.example.com/invoice.pdf", "filename": "invoice.pdf"},
        )
    )

    httpserver.check_assertions()
    assert outcome.provider_message_id == "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI"


def test_phone_number_id_falls_back_to_username_and_version_is_configurable(httpserver, base_url):
    provider = Provider(
        type="whatsapp_cloud",
        username="999000",
        password=TOKEN,
        settings={"base_url": base_url, "version": "v19.0"},
    )
    httpserver.expect_request("/v19.0/999000/messages", method="POST").respond_with_json(ACCEPTED)

    WhatsAppCloudGateway(provider).send(whatsapp(to="+15551234567", text="hi"))

    httpserver.check_assertions()
    assert [request.path for request, _ in httpserver.log] == ["/v19.0/999000/messages"]


def graph_error(code: int, subcode: int | None = None) -> dict:
    error = {"message": "m", "type": "OAuthException", "code": code, "fbtrace_id": "A1"}
    if subcode:
        error["error_subcode"] = subcode
    return {"error": error}


@pytest.mark.parametrize(
    ("status", "code", "reason"),
    [
        (400, 131026, "invalid_recipient"),
        (400, 131047, "reengagement_required"),
        (400, 131051, "provider_rejected"),
        (400, 100, "provider_rejected"),
        (401, 190, "bad_credentials"),
        (400, 131009, "provider_rejected"),  # an unlisted 4xx code: permanent by status
    ],
)
def test_permanent_errors(httpserver, gateway, status, code, reason):
    httpserver.expect_request(PATH, method="POST").respond_with_json(
        graph_error(code, 2494010), status=status
    )

    with pytest.raises(DeliveryError) as failure:
        gateway.send(whatsapp(to="+15551234567", text="hi"))

    assert (failure.value.permanent, failure.value.reason) == (True, reason)


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, 4),
        (400, 80007),
        (400, 130429),
        (400, 131048),
        (400, 131056),
        (400, 131000),
        (500, 131001),
        (500, 131002),
        (503, None),  # no Graph body at all
    ],
)
def test_transient_errors(httpserver, gateway, status, code):
    handler = httpserver.expect_request(PATH, method="POST")
    if code is None:
        handler.respond_with_data("<html>Service Unavailable</html>", status=status)
    else:
        handler.respond_with_json(graph_error(code), status=status)

    with pytest.raises(DeliveryError) as failure:
        gateway.send(whatsapp(to="+15551234567", text="hi"))

    assert failure.value.permanent is False


def test_recipient_without_digits_is_refused_before_any_request(httpserver, gateway):
    with pytest.raises(DeliveryError) as failure:
        gateway.send(whatsapp(to="+", text="hi"))

    assert (failure.value.permanent, failure.value.reason) == (True, "invalid_recipient")
    assert httpserver.log == []
