"""Providers' inbound webhooks end to end: a received SMS, email or fax becomes an inbound
transmission of the account's receiving program, and faxtoemail / emailtofax send it on
through the engine (sandbox provider, engine run in-process)."""

from urllib.parse import urlencode

import pytest
from django.core.files.storage import default_storage

from apps.contacts.models import Contact
from apps.delivery.models import Job, OutboxMessage
from apps.providers.inbound import provider_inbound_url
from apps.transmissions.models import Transmission
from tests.delivery.conftest import run_engine
from tests.inbound.conftest import DID, MAILBOX, b64, pdf_bytes, program_for

pytestmark = pytest.mark.django_db

SENDER = "+14155550123"


def _form(api, url, data):
    return api.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def _received(response) -> Transmission:
    assert response.status_code == 200, response.content
    return Transmission.objects.get(pk=response.json()["transmission_id"])


def test_a_twilio_sms_completes_an_inbound_transmission_of_receivesms(
    admin_api, anon_api, account, inbound_url
):
    program_id = program_for(admin_api, "receivesms", account)
    twilio = {"From": SENDER, "To": DID, "Body": "STOP", "MessageSid": "SM123", "NumMedia": "0"}
    response = _form(anon_api, f"{inbound_url}/sms", twilio)
    assert response.json()["status"] == "completed"
    tx = _received(response)
    assert (tx.direction, tx.status, tx.origin, tx.program_id) == (
        "inbound", "completed", "receivesms", program_id,
    )  # fmt: skip
    assert tx.account == account and tx.contact.phone == SENDER and tx.service_flag == 4
    assert tx.data["text"] == "STOP" and tx.data["provider_message_id"] == "SM123"
    assert (tx.data["from"], tx.data["to"]) == (SENDER, DID)
    # The generic JSON shape; the same sender is the same contact.
    again = anon_api.post(
        f"{inbound_url}/sms/", {"from": SENDER, "to": "2135550100", "text": "hi"}, format="json"
    )  # a national spelling of the DID still reaches the account (region US)
    assert _received(again).contact_id == tx.contact_id
    assert Contact.objects.filter(phone=SENDER).count() == 1
    listed = admin_api.get("/api/transmissions?direction=inbound&origin=receivesms").json()
    assert [t["status"] for t in listed] == ["completed", "completed"]


def test_an_email_is_stored_with_its_attachments(admin_api, anon_api, account, inbound_url, stored):
    program_for(admin_api, "receiveemail", account)
    body = {
        "from": "Ann <ann@example.org>", "to": [f"Desk <{MAILBOX.upper()}>"], "subject": "Hello",
        "text": "plain", "html": "<p>rich</p>",
        "attachments": [{"filename": "../notes.txt", "content_type": "text/plain",
                         "content_base64": b64(b"some notes")}],
    }  # fmt: skip
    tx = _received(anon_api.post(f"{inbound_url}/email", body, format="json"))
    assert tx.status == "completed" and tx.contact.email == "ann@example.org"
    expected = {"subject": "Hello", "text": "plain", "html": "<p>rich</p>"}
    assert {key: tx.data[key] for key in expected} == expected
    [entry] = tx.data["files"]
    assert entry["name"].startswith(f"inbound/{tx.client_id}/email/")
    assert (entry["filename"], entry["mimetype"]) == ("notes.txt", "text/plain")
    assert stored() == {entry["name"]}
    assert default_storage.open(entry["name"]).read() == b"some notes"


def test_a_fax_is_stored_as_a_pdf_with_its_pages_counted(
    admin_api, anon_api, account, inbound_url, stored
):
    program_for(admin_api, "receivefax", account)
    body = {"from": SENDER, "to": DID, "document_base64": b64(pdf_bytes(pages=2))}
    tx = _received(anon_api.post(f"{inbound_url}/fax", body, format="json"))
    assert (tx.status, tx.origin, tx.service_flag, tx.data["pages"]) == (
        "completed", "receivefax", 2, 2,
    )  # fmt: skip
    [entry] = tx.data["files"]
    assert entry["mimetype"] == "application/pdf" and entry["name"].endswith(".pdf")
    assert default_storage.open(entry["name"]).read() == pdf_bytes(pages=2)
    assert stored() == {entry["name"]}
    assert not Job.objects.exists()  # receivefax only stores


def test_faxtoemail_emails_the_received_fax_to_the_account(
    admin_api, anon_api, account, inbound_url, django_capture_on_commit_callbacks
):
    program_for(admin_api, "faxtoemail", account)
    body = {"from": SENDER, "to": DID, "pages": 1, "document_base64": b64(pdf_bytes())}
    with django_capture_on_commit_callbacks(execute=False):
        tx = _received(anon_api.post(f"{inbound_url}/fax", body, format="json"))
    assert tx.status == "completed" and tx.data["forward"]["channel"] == "email"
    run_engine(django_capture_on_commit_callbacks)

    mail = OutboxMessage.objects.get()
    assert (mail.channel, mail.recipient) == ("email", MAILBOX)
    assert mail.payload["stored_files"] == tx.data["files"]
    assert mail.payload["stored_files"][0]["mimetype"] == "application/pdf"
    assert SENDER in mail.payload["subject"]
    job = Job.objects.get(uuid=tx.data["forward"]["job_id"])
    assert (job.origin, job.status, job.meta["transmission_id"]) == ("comms", "succeeded", tx.id)
    spools = admin_api.get(f"/api/transmissions/{tx.id}/detail").json()
    assert [s["status"] for s in spools] == ["completed"]  # the email is the fax's spool
    assert admin_api.get(f"/api/transmissions/{tx.id}/status").json() == {"status": "completed"}


def test_emailtofax_faxes_the_pdf_to_the_number_in_the_recipient(
    admin_api, anon_api, account, inbound_url, django_capture_on_commit_callbacks
):
    program_for(admin_api, "emailtofax", account)
    body = {
        "from": MAILBOX, "to": "12135551234@fax.example.com", "subject": "Contract",
        "attachments": [{"filename": "contract.pdf", "content_type": "application/pdf",
                         "content_base64": b64(pdf_bytes())}],
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False):
        tx = _received(anon_api.post(f"{inbound_url}/email", body, format="json"))
    assert (tx.status, tx.origin, tx.account_id) == ("completed", "emailtofax", account.id)
    run_engine(django_capture_on_commit_callbacks)

    fax = OutboxMessage.objects.get()
    assert (fax.channel, fax.recipient) == ("fax", "+12135551234")
    assert fax.payload["from"] == DID and fax.payload["header"] == "Contract"
    assert fax.payload["stored_files"] == tx.data["files"]
    assert Job.objects.get().status == "succeeded"


@pytest.mark.parametrize(
    "attachments, reason",
    [
        ([], "no attachment"),
        ([{"filename": "fake.pdf", "content_type": "application/pdf",
           "content_base64": b64(b"not a pdf at all")}], "Only PDF"),
    ],
)  # fmt: skip
def test_emailtofax_without_a_pdf_fails_with_a_reason(
    admin_api, anon_api, account, inbound_url, attachments, reason
):
    program_for(admin_api, "emailtofax", account)
    body = {"from": MAILBOX, "to": "12135551234@fax.example.com", "attachments": attachments}
    response = anon_api.post(f"{inbound_url}/email", body, format="json")
    tx = _received(response)
    assert response.json()["status"] == "failed" and tx.status == "failed"
    assert reason in tx.response
    assert not Job.objects.exists()


def test_a_wrong_token_or_provider_answers_404_and_stores_nothing(
    admin_api, anon_api, account, sandbox, stored
):
    program_for(admin_api, "receivefax", account)
    body = {"from": SENDER, "to": DID, "document_base64": b64(pdf_bytes())}
    for url in (
        f"/api/inbound/{sandbox.id}/{'0' * 32}/fax",
        f"/api/inbound/{sandbox.id + 1000}/{'0' * 32}/fax",
    ):
        response = anon_api.post(url, body, format="json")
        assert response.status_code == 404 and response.json()["error"]["code"] == 404
    sandbox.active = False
    sandbox.save()
    inactive = anon_api.post(f"{provider_inbound_url(sandbox.id)}/fax", body, format="json")
    assert inactive.status_code == 404
    assert not Transmission.objects.exists() and stored() == set()


def test_an_unknown_account_answers_404_and_stores_nothing(
    admin_api, anon_api, account, inbound_url, stored
):
    program_for(admin_api, "receivefax", account)
    program_for(admin_api, "receiveemail", account)
    contacts = Contact.objects.count()
    cases = [
        ("fax", {"from": SENDER, "to": "+12135550999", "document_base64": b64(pdf_bytes())}),
        ("sms", {"from": SENDER, "to": DID, "text": "no receivesms program"}),
        ("email", {"from": "a@example.org", "to": "nobody@acme.example",
                   "attachments": [{"filename": "a.txt", "content_base64": b64(b"x")}]}),
    ]  # fmt: skip
    for kind, body in cases:
        response = anon_api.post(f"{inbound_url}/{kind}", body, format="json")
        assert response.status_code == 404, (kind, response.content)
        assert response.json()["error"]["code"] == 404
    assert not Transmission.objects.exists() and stored() == set()
    assert Contact.objects.count() == contacts


def test_bad_bodies_answer_412_naming_the_field(admin_api, anon_api, account, inbound_url):
    program_for(admin_api, "receivefax", account)
    not_pdf = {"from": SENDER, "to": DID, "document_base64": b64(b"hello")}
    response = anon_api.post(f"{inbound_url}/fax", not_pdf, format="json")
    assert response.status_code == 412 and "document_base64" in response.json()["error"]["fields"]
    bad64 = anon_api.post(f"{inbound_url}/fax", {**not_pdf, "document_base64": "@@"}, format="json")
    assert bad64.status_code == 412
    no_to = anon_api.post(f"{inbound_url}/sms", {"from": SENDER, "text": "x"}, format="json")
    assert no_to.status_code == 412 and "to" in no_to.json()["error"]["fields"]
    assert not Transmission.objects.exists()


def test_the_provider_shows_its_inbound_url(admin_api, sandbox, settings):
    shown = admin_api.get(f"/api/providers/{sandbox.id}").json()["inbound_url"]
    assert shown.startswith(f"/api/inbound/{sandbox.id}/") and len(shown.rsplit("/", 1)[1]) == 32
    settings.FUSION_PUBLIC_URL = "https://fusion.example"
    absolute = admin_api.get(f"/api/providers/{sandbox.id}").json()["inbound_url"]
    assert absolute == "https://fusion.example" + shown


def test_the_providers_admin_page_shows_its_inbound_url(client, global_staff, sandbox):
    client.force_login(global_staff)
    page = client.get(f"/admin/providers/provider/{sandbox.id}/change/")
    assert page.status_code == 200
    assert provider_inbound_url(sandbox.id) in page.content.decode()
