"""Telnyx fax gateway against a real HTTP server on 127.0.0.1 standing in for Telnyx: the
exact request, the error mapping, and that the vendor can fetch the media URL it is given
(from this Django server, running as ``live_server``)."""

import base64
import io
import json
import socket

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfReader
from werkzeug import Response

from apps.delivery.gateways.base import DeliveryError, Message
from apps.delivery.gateways.fax.telnyx import TelnyxFaxGateway
from apps.delivery.gateways.registry import gateway_class
from apps.providers.models import Provider
from tests.content.builders import pdf_bytes

FAXES = "/v2/faxes"
PUBLIC = "https://fusion.example"
KEY = "job-7"
QUEUED = {"data": {"record_type": "fax", "id": "fx-0ccc", "status": "queued"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path, allow_local_http):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FUSION_PUBLIC_URL = PUBLIC


def stored_pdf(pages: int = 2, name: str = "content/3/documents/f1.pdf") -> dict:
    saved = default_storage.save(name, ContentFile(pdf_bytes(pages)))
    return {"name": saved, "filename": "f1.pdf", "mimetype": "application/pdf"}


def gateway(httpserver, **settings) -> TelnyxFaxGateway:
    settings = {"base_url": f"http://127.0.0.1:{httpserver.port}", "connection_id": "234423",
                **settings}  # fmt: skip
    provider = Provider(name="tx", type="telnyx", service_flag=2, password="KEY-v2",
                        settings=settings)  # fmt: skip
    return TelnyxFaxGateway(provider)


def fax(*files, **payload) -> Message:
    payload = {"to": "+13127367276", "from": "+13125790015", "header": "Invoice",
               "stored_files": list(files), **payload}  # fmt: skip
    return Message(job_id="j7", channel="fax", payload=payload, idempotency_key=KEY)


def failure(gateway_, message) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        gateway_.send(message)
    return caught.value


def test_the_registry_serves_fax_through_telnyx():
    assert gateway_class("fax", "telnyx") is TelnyxFaxGateway


def test_the_request_is_the_telnyx_send_fax_call(httpserver):
    httpserver.expect_request(FAXES, method="POST").respond_with_json(QUEUED, status=202)
    document = stored_pdf()
    outcome = gateway(httpserver, quality="high").send(
        fax(document, callback_url=f"{PUBLIC}/api/receipts/5/abc")
    )
    [(request, _)] = httpserver.log
    assert request.headers["Authorization"] == "Bearer KEY-v2"
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.data)
    media_url = body.pop("media_url")
    assert media_url.startswith(f"{PUBLIC}/api/media/") and media_url.endswith(document["name"])
    assert body == {
        "connection_id": "234423",
        "to": "+13127367276",
        "from": "+13125790015",
        "client_state": base64.b64encode(KEY.encode()).decode(),
        "quality": "high",
        "webhook_url": f"{PUBLIC}/api/receipts/5/abc",
    }
    assert outcome.provider_message_id == "fx-0ccc" and not outcome.delivered
    assert outcome.response["status"] == 202
    # The attempt row names the document, never the signed URLs (credentials for 24 h).
    assert outcome.request["document"] == document["name"]
    assert "api/media" not in json.dumps(outcome.request)
    assert "receipts" not in json.dumps(outcome.request)


@pytest.mark.django_db(transaction=True)
def test_telnyx_can_fetch_the_pdf_it_was_given(httpserver, live_server, settings):
    settings.FUSION_PUBLIC_URL = live_server.url
    fetched = []

    def telnyx(request):
        media = requests.get(json.loads(request.data)["media_url"], timeout=10)
        fetched.append((media.status_code, media.headers["Content-Type"], media.content))
        return Response(json.dumps(QUEUED), status=202, content_type="application/json")

    httpserver.expect_request(FAXES, method="POST").respond_with_handler(telnyx)
    gateway(httpserver).send(fax(stored_pdf()))
    assert fetched == [(200, "application/pdf", pdf_bytes(2))]


@pytest.mark.django_db(transaction=True)
def test_several_pdfs_go_as_one_joined_document(httpserver, live_server, settings):
    settings.FUSION_PUBLIC_URL = live_server.url
    pages = []

    def telnyx(request):
        media = requests.get(json.loads(request.data)["media_url"], timeout=10)
        pages.append(len(PdfReader(io.BytesIO(media.content)).pages))
        return Response(json.dumps(QUEUED), status=202, content_type="application/json")

    httpserver.expect_request(FAXES, method="POST").respond_with_handler(telnyx)
    first, second = stored_pdf(2, "content/3/a.pdf"), stored_pdf(3, "content/3/b.pdf")
    gateway(httpserver).send(fax(first, second))
    assert pages == [5]


@pytest.mark.parametrize(
    "status, permanent, reason",
    [
        (401, True, "provider_rejected"),
        (403, True, "provider_rejected"),
        (422, True, "provider_rejected"),
        (429, False, "provider_unavailable"),
        (500, False, "provider_unavailable"),
        (503, False, "provider_unavailable"),
    ],
)
def test_http_errors_map_to_permanent_or_transient(httpserver, status, permanent, reason):
    errors = {"errors": [{"code": "10015", "title": "Invalid value", "detail": "to"}]}
    httpserver.expect_request(FAXES, method="POST").respond_with_json(errors, status=status)
    error = failure(gateway(httpserver), fax(stored_pdf()))
    assert (error.permanent, error.reason) == (permanent, reason)
    assert error.response["status"] == status and "10015" in error.response["body"]


def test_an_unreachable_telnyx_is_transient(httpserver):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = failure(gateway(httpserver, base_url=f"http://127.0.0.1:{port}"), fax(stored_pdf()))
    assert not error.permanent and error.reason == "network"


def test_without_a_public_url_nothing_is_sent_and_the_job_fails(httpserver, settings):
    settings.FUSION_PUBLIC_URL = ""
    error = failure(gateway(httpserver), fax(stored_pdf()))
    assert error.permanent and error.reason == "no_public_url"
    assert httpserver.log == []


@pytest.mark.parametrize(
    "settings_, files, reason",
    [
        ({"connection_id": ""}, "ok", "provider_misconfigured"),
        ({}, "none", "no_document"),
        ({}, "missing", "attachment_unavailable"),
    ],
)
def test_what_cannot_be_faxed_fails_permanently_before_any_request(
    httpserver, settings_, files, reason
):
    entries = {"ok": [stored_pdf()], "none": [], "missing": [{"name": "content/3/gone.pdf"}]}
    error = failure(gateway(httpserver, **settings_), fax(*entries[files]))
    assert error.permanent and error.reason == reason
    assert httpserver.log == []
