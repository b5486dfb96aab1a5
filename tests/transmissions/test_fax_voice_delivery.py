"""sendfax and voicetts transmissions delivered by real vendors' gateways (Telnyx fax, Twilio
voice) through the engine, against a local HTTP server standing in for the vendor; Telnyx's
fax webhooks then complete or fail the transmission through its receipt URL."""

import json
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from werkzeug import Response

from apps.accounts.models import Account
from apps.contacts.models import Contact
from apps.content.models import Document, Recording
from apps.delivery.models import Attempt, Job
from apps.delivery.services.receipts import receipt_url
from apps.providers.models import Provider
from apps.transmissions.models import Transmission
from tests.content.builders import pdf_bytes, wav_bytes
from tests.delivery.conftest import run_engine

pytestmark = pytest.mark.django_db

PUBLIC = "https://fusion.example"
CONTACT, CALLER = "+923001234567", "+15005550006"


@pytest.fixture(autouse=True)
def media(settings, tmp_path, allow_local_http):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FUSION_PUBLIC_URL = PUBLIC


@pytest.fixture
def people(tenant, admin_user):
    contact = Contact.objects.create(client=tenant, phone=CONTACT)
    Account.objects.create(client=tenant, owner=admin_user, username="fax", phone=CALLER)
    return contact


def _send(api, program: str, body: dict, contact, capture) -> Transmission:
    """Create the program and a transmission of it, send it and run the engine."""
    program_id = api.post(f"/api/programs/{program}", body, format="json").json()["program_id"]
    tx = {"program_id": program_id, "contact_id": contact.id}
    tx_id = api.post("/api/transmissions", tx, format="json").json()["transmission_id"]
    assert api.post(f"/api/transmissions/{tx_id}/send").status_code == 200
    run_engine(capture)
    return Transmission.objects.select_related("job").get(pk=tx_id)


def _fax_sent(admin_api, tenant, people, httpserver, capture):
    Provider.objects.create(
        client=tenant, name="telnyx", type="telnyx", service_flag=2, password="KEY-v2",
        settings={"base_url": f"http://127.0.0.1:{httpserver.port}", "connection_id": "c-1"},
    )  # fmt: skip
    queued = {"data": {"id": "fx-1", "status": "queued"}}
    httpserver.expect_request("/v2/faxes", method="POST").respond_with_json(queued, status=202)
    document = Document(client=tenant, name="Invoice 7")
    document.file.save("invoice.pdf", ContentFile(pdf_bytes(2)))
    tx = _send(admin_api, "sendfax", {"document_id": document.id}, people, capture)
    [(request, _)] = httpserver.log
    return tx, json.loads(request.data), document


def test_a_sendfax_transmission_is_faxed_by_telnyx_and_delivered(
    admin_api, anon_api, tenant, people, httpserver, django_capture_on_commit_callbacks
):
    tx, sent, document = _fax_sent(
        admin_api, tenant, people, httpserver, django_capture_on_commit_callbacks
    )
    attempt = Attempt.objects.get(job=tx.job)
    assert (sent["to"], sent["from"], sent["connection_id"]) == (CONTACT, CALLER, "c-1")
    assert sent["webhook_url"] == receipt_url(attempt_id=attempt.id)
    media = anon_api.get(urlsplit(sent["media_url"]).path)  # what Telnyx downloads
    assert media.status_code == 200 and media["Content-Type"] == "application/pdf"
    with document.file.open("rb") as handle:
        assert b"".join(media.streaming_content) == handle.read()
    assert tx.status == "completed" and attempt.provider_message_id == "fx-1"

    webhook = urlsplit(sent["webhook_url"]).path
    event = {"data": {"event_type": "fax.sending.started", "payload": {"fax_id": "fx-1"}}}
    assert anon_api.post(webhook, event, format="json").json()["state"] == "pending"
    event["data"].update(event_type="fax.delivered")
    answer = anon_api.post(webhook, event, format="json")
    assert answer.json() == {"state": "delivered", "recorded": True}
    job = Job.objects.get(pk=tx.job_id)
    assert job.status == "succeeded" and job.result["delivered"] is True
    assert Transmission.objects.get(pk=tx.pk).status == "completed"


def test_a_fax_telnyx_reports_failed_fails_the_transmission(
    admin_api, anon_api, tenant, people, httpserver, django_capture_on_commit_callbacks
):
    tx, sent, _ = _fax_sent(
        admin_api, tenant, people, httpserver, django_capture_on_commit_callbacks
    )
    event = {"data": {"event_type": "fax.failed", "payload": {
        "fax_id": "fx-1", "status": "failed", "failure_reason": "fax_initial_communication_timeout"
    }}}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        answer = anon_api.post(urlsplit(sent["webhook_url"]).path, event, format="json")
    assert answer.json() == {"state": "undelivered", "recorded": True}
    job = Job.objects.get(pk=tx.job_id)
    assert (job.status, job.reason) == ("failed", "undelivered")
    assert "fax_initial_communication_timeout" in job.last_error
    body = admin_api.get(f"/api/transmissions/{tx.id}").json()
    assert body["status"] == "failed" and "undelivered" in body["response"]


def test_a_fax_without_a_public_url_fails_with_that_reason(
    admin_api, tenant, people, httpserver, settings, django_capture_on_commit_callbacks
):
    settings.FUSION_PUBLIC_URL = ""
    Provider.objects.create(client=tenant, name="telnyx", type="telnyx", service_flag=2,
                            password="k", settings={"connection_id": "c-1"})  # fmt: skip
    document = Document(client=tenant, name="Invoice")
    document.file.save("invoice.pdf", ContentFile(pdf_bytes(1)))
    tx = _send(admin_api, "sendfax", {"document_id": document.id}, people,
               django_capture_on_commit_callbacks)  # fmt: skip
    assert tx.status == "failed" and tx.job.reason == "no_public_url"
    assert "FUSION_PUBLIC_URL" in admin_api.get(f"/api/transmissions/{tx.id}").json()["response"]


def test_a_voicetts_transmission_is_a_twilio_call_that_speaks_the_text(
    admin_api, tenant, people, httpserver, django_capture_on_commit_callbacks
):
    Provider.objects.create(
        client=tenant, name="tw", type="twilio", service_flag=1, username="AC1", password="t",
        settings={"base_url": f"http://127.0.0.1:{httpserver.port}", "poll_seconds": 0.01},
    )  # fmt: skip
    account = "/2010-04-01/Accounts/AC1"
    httpserver.expect_request(f"{account}/Calls.json", method="POST").respond_with_json(
        {"sid": "CA5", "status": "queued"}, status=201
    )
    done = {"sid": "CA5", "status": "completed", "duration": "9"}
    httpserver.expect_request(f"{account}/Calls/CA5.json").respond_with_handler(
        lambda request: Response(json.dumps(done), content_type="application/json")
    )
    text = {"text": "Your appointment is at 5"}
    tx = _send(admin_api, "voicetts", text, people, django_capture_on_commit_callbacks)
    create = httpserver.log[0][0]
    assert (create.form["To"], create.form["From"]) == (CONTACT, CALLER)
    assert create.form["Twiml"] == "<Response><Say>Your appointment is at 5</Say></Response>"
    assert tx.status == "completed" and tx.job.result["provider_message_id"] == "CA5"
    assert tx.job.result["response"]["duration"] == 9


@pytest.mark.parametrize(
    ("program", "body"), [("voicetts", {"text": "Your parcel is here"}), ("voicemessage", None)]
)
def test_voice_messages_are_delivered_by_the_default_setups_simulator(
    admin_api, tenant, people, program, body, django_capture_on_commit_callbacks
):
    """``client_bootstrap --sandbox`` (``make run``) sends voice to the telephony simulator."""
    Provider.objects.create(client=tenant, name="Simulator", type="simulator", service_flag=1,
                            settings={"min_seconds": 0, "max_seconds": 0})  # fmt: skip
    if body is None:
        recording = Recording(client=tenant, name="greeting")
        recording.file.save("greeting.wav", ContentFile(wav_bytes()))
        body = {"recording_id": recording.id}
    tx = _send(admin_api, program, body, people, django_capture_on_commit_callbacks)
    attempt = Attempt.objects.get(job=tx.job)
    assert tx.status == "completed", attempt.error
    assert tx.updated_at >= tx.last_run > tx.created_at  # status changes touch updated_at
    assert attempt.response["legs"][0]["number"] == CONTACT
    assert attempt.response["hangup_cause"] == "NORMAL_CLEARING"


def test_an_unanswered_voice_message_fails_with_the_calls_outcome(
    admin_api, tenant, people, django_capture_on_commit_callbacks
):
    Provider.objects.create(client=tenant, name="Simulator", type="simulator", service_flag=1,
                            settings={"patterns": {"busy": "*567"}})  # fmt: skip
    tx = _send(admin_api, "voicetts", {"text": "Hi"}, people, django_capture_on_commit_callbacks)
    assert tx.status == "failed"
    assert (tx.job.status, tx.job.reason) == ("failed", "busy")
