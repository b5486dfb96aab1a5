"""Delivery receipts: with FUSION_PUBLIC_URL set, SMS jobs ask their vendor (a real local
HTTP server standing in for Twilio or Kannel) to report delivery to the attempt's receipt
URL, and the report turns the attempt, the job and the transmission delivered or failed.
Twilio's reports carry ``X-Twilio-Signature`` (computed here as Twilio documents it), which
the endpoint checks with the provider's auth token on top of the URL token."""

from urllib.parse import urlencode

import pytest

from apps.accounts.models import Account
from apps.contacts.models import Contact
from apps.content.models import Text
from apps.core.signing import url_token
from apps.delivery.models import Attempt, Event, Job
from apps.delivery.services.receipts import receipt_url
from apps.providers.models import Provider
from apps.transmissions.models import Transmission
from tests.callbacks.twilio_fake import twilio_sign
from tests.delivery.conftest import run_engine

pytestmark = pytest.mark.django_db

PUBLIC = "https://fusion.example"
TWILIO_PATH = "/2010-04-01/Accounts/AC123/Messages.json"
AUTH_TOKEN = "secret"  # the Twilio provider's password (its auth token)
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def public_url(settings):
    settings.FUSION_PUBLIC_URL = PUBLIC


def _provider(tenant, httpserver, kind: str) -> Provider:
    if kind == "twilio":
        base = f"http://127.0.0.1:{httpserver.port}"
        httpserver.expect_request(TWILIO_PATH, method="POST").respond_with_json(
            {"sid": "SM42", "status": "queued"}, status=201
        )
        return Provider.objects.create(client=tenant, name="tw", type="twilio", service_flag=4,
                                       username="AC123", password=AUTH_TOKEN,
                                       settings={"base_url": base})  # fmt: skip
    httpserver.expect_request("/cgi-bin/sendsms").respond_with_data("0: Accepted", status=202)
    return Provider.objects.create(client=tenant, name="kn", type="kannel", service_flag=4,
                                   host="127.0.0.1", port=httpserver.port, username="k",
                                   password="p")  # fmt: skip


def _transmission(api, tenant, admin_user) -> int:
    """A pending SMS transmission (sendsms program, contact, sender account)."""
    text = Text.objects.create(client=tenant, name="otp", data="Code 1234")
    contact = Contact.objects.create(client=tenant, phone="+923001234567")
    Account.objects.create(client=tenant, owner=admin_user, username="c", phone="+15005550006")
    program = api.post("/api/programs/sendsms", {"text_id": text.id}, format="json")
    body = {"program_id": program.json()["program_id"], "contact_id": contact.id}
    return api.post("/api/transmissions", body, format="json").json()["transmission_id"]


def _sent(admin_api, tenant, admin_user, capture) -> Transmission:
    """An SMS transmission sent through the engine; answers it after the vendor accepted it."""
    tx_id = _transmission(admin_api, tenant, admin_user)
    assert admin_api.post(f"/api/transmissions/{tx_id}/send").status_code == 200
    run_engine(capture)
    return Transmission.objects.select_related("job").get(pk=tx_id)


def _path(url: str) -> str:
    assert url.startswith(PUBLIC + "/api/receipts/")
    return url.removeprefix(PUBLIC)


def _twilio_post(api, callback: str, form: dict, *, token: str | None = AUTH_TOKEN):
    """Post a status callback to ``callback`` as Twilio does: a form, signed with ``token``
    over the public URL (None: no signature header at all)."""
    headers = (
        {} if token is None else {"HTTP_X_TWILIO_SIGNATURE": twilio_sign(token, callback, form)}
    )
    return api.post(_path(callback), urlencode(form), content_type=FORM, **headers)


def test_twilio_gets_the_attempts_receipt_url_and_undelivered_fails_the_transmission(
    admin_api, anon_api, tenant, admin_user, httpserver, allow_local_http, public_url,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _provider(tenant, httpserver, "twilio")
    tx = _sent(admin_api, tenant, admin_user, django_capture_on_commit_callbacks)
    attempt = Attempt.objects.get(job=tx.job)
    assert tx.status == "completed" and tx.job.status == "succeeded"
    [(request, _)] = httpserver.log
    callback = request.form["StatusCallback"]
    assert callback == receipt_url(attempt_id=attempt.id)
    assert callback.startswith(f"{PUBLIC}/api/receipts/{attempt.id}/")

    status = {"MessageSid": "SM42", "MessageStatus": "sent", "AccountSid": "AC123"}
    sent = _twilio_post(anon_api, callback, status)
    assert sent.json() == {"state": "pending", "recorded": False}
    assert Transmission.objects.get(pk=tx.pk).status == "completed"

    status.update(MessageStatus="undelivered", ErrorCode="30003")
    with django_capture_on_commit_callbacks(execute=True):
        response = _twilio_post(anon_api, callback, status)
    assert response.status_code == 200 and response.json()["state"] == "undelivered"
    job, attempt = Job.objects.get(pk=tx.job_id), Attempt.objects.get(pk=attempt.pk)
    assert (job.status, job.reason) == ("failed", "undelivered") and "30003" in job.last_error
    assert attempt.outcome == "failed" and attempt.response["receipt"]["state"] == "undelivered"
    assert attempt.response["body"]["sid"] == "SM42"  # the vendor's answer is kept
    changed = admin_api.get(f"/api/transmissions/{tx.id}").json()
    assert changed["status"] == "failed" and "undelivered" in changed["response"]
    assert admin_api.get(f"/api/spools/{attempt.id}/status").json() == {"status": "failed"}
    assert Event.objects.filter(job=job, kind="undelivered").count() == 1
    again = _twilio_post(anon_api, callback, status)
    assert again.json()["recorded"] is False  # vendors repeat callbacks: no second event
    assert Event.objects.filter(job=job, kind="undelivered").count() == 1


def test_twilio_delivered_marks_the_job_delivered(
    admin_api, anon_api, tenant, admin_user, httpserver, allow_local_http, public_url,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _provider(tenant, httpserver, "twilio")
    tx = _sent(admin_api, tenant, admin_user, django_capture_on_commit_callbacks)
    callback = httpserver.log[0][0].form["StatusCallback"]
    response = _twilio_post(anon_api, callback, {"SmsStatus": "delivered"})
    assert response.json() == {"state": "delivered", "recorded": True}
    job = Job.objects.get(pk=tx.job_id)
    assert job.status == "succeeded" and job.result["delivered"] is True
    assert job.result["provider_message_id"] == "SM42"
    assert Event.objects.filter(job=job, kind="delivered").exists()
    assert Transmission.objects.get(pk=tx.pk).status == "completed"


@pytest.mark.parametrize("forgery", ["unsigned", "other token", "request's own URL",
                                     "fields changed", "json body"])  # fmt: skip
def test_a_twilio_receipt_without_a_valid_signature_is_refused_and_records_nothing(
    admin_api, anon_api, tenant, admin_user, httpserver, allow_local_http, public_url,
    django_capture_on_commit_callbacks, forgery,
):  # fmt: skip
    _provider(tenant, httpserver, "twilio")
    tx = _sent(admin_api, tenant, admin_user, django_capture_on_commit_callbacks)
    callback = httpserver.log[0][0].form["StatusCallback"]  # the right URL, token included
    status = {"MessageSid": "SM42", "MessageStatus": "undelivered", "ErrorCode": "30003"}
    if forgery == "unsigned":
        response = _twilio_post(anon_api, callback, status, token=None)
    elif forgery == "other token":
        response = _twilio_post(anon_api, callback, status, token="another-accounts-token")
    elif forgery == "request's own URL":  # what Django sees, not what Twilio requested
        signature = twilio_sign(AUTH_TOKEN, "http://testserver" + _path(callback), status)
        response = anon_api.post(_path(callback), urlencode(status), content_type=FORM,
                                 HTTP_X_TWILIO_SIGNATURE=signature)  # fmt: skip
    elif forgery == "fields changed":  # a genuine signature of a "delivered" report
        signature = twilio_sign(AUTH_TOKEN, callback, {**status, "MessageStatus": "delivered"})
        response = anon_api.post(_path(callback), urlencode(status), content_type=FORM,
                                 HTTP_X_TWILIO_SIGNATURE=signature)  # fmt: skip
    else:  # the URL alone is signed: a JSON body would ride on any captured signature
        signature = twilio_sign(AUTH_TOKEN, callback)
        response = anon_api.post(_path(callback), status, format="json",
                                 HTTP_X_TWILIO_SIGNATURE=signature)  # fmt: skip
    assert response.status_code == 403 and response.json()["error"]["code"] == 403
    attempt = Attempt.objects.get(job=tx.job)
    assert attempt.outcome == "succeeded" and "receipt" not in attempt.response
    assert Job.objects.get(pk=tx.job_id).status == "succeeded"
    assert not Event.objects.filter(job=tx.job, kind__in=["delivered", "undelivered"]).exists()
    assert Transmission.objects.get(pk=tx.pk).status == "completed"


def test_a_twilio_receipt_signed_over_the_standard_port_is_accepted(
    admin_api, anon_api, tenant, admin_user, httpserver, allow_local_http, public_url,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Twilio's libraries accept a signature of the URL with or without :443; so do we."""
    _provider(tenant, httpserver, "twilio")
    tx = _sent(admin_api, tenant, admin_user, django_capture_on_commit_callbacks)
    callback = httpserver.log[0][0].form["StatusCallback"]
    status = {"MessageStatus": "delivered"}
    signed = twilio_sign(AUTH_TOKEN, callback.replace(PUBLIC, PUBLIC + ":443"), status)
    response = anon_api.post(_path(callback), urlencode(status), content_type=FORM,
                             HTTP_X_TWILIO_SIGNATURE=signed)  # fmt: skip
    assert response.json() == {"state": "delivered", "recorded": True}
    assert Job.objects.get(pk=tx.job_id).result["delivered"] is True


@pytest.mark.parametrize("kind, tx_status, delivered", [("16", "failed", False),
                                                        ("1", "completed", True),
                                                        ("8", "completed", False)])  # fmt: skip
def test_kannel_reports_on_its_dlr_url(
    admin_api, anon_api, tenant, admin_user, httpserver, allow_local_http, public_url,
    django_capture_on_commit_callbacks, kind, tx_status, delivered,
):  # fmt: skip
    _provider(tenant, httpserver, "kannel")
    tx = _sent(admin_api, tenant, admin_user, django_capture_on_commit_callbacks)
    attempt = Attempt.objects.get(job=tx.job)
    dlr_url = httpserver.log[0][0].args["dlr-url"]
    assert dlr_url == receipt_url(attempt_id=attempt.id) + "?type=%d"
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_api.get(_path(dlr_url.replace("%d", kind)))  # as Kannel calls it
    assert response.status_code == 200
    job = Job.objects.get(pk=tx.job_id)
    assert Transmission.objects.get(pk=tx.pk).status == tx_status
    assert job.result["delivered"] is delivered  # False: accepted only, as the gateway said
    assert job.status == ("failed" if tx_status == "failed" else "succeeded")


def test_a_bad_token_answers_404_and_a_non_receipt_412(
    admin_api, anon_api, tenant, admin_user, httpserver, allow_local_http, public_url,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _provider(tenant, httpserver, "twilio")
    tx = _sent(admin_api, tenant, admin_user, django_capture_on_commit_callbacks)
    attempt = Attempt.objects.get(job=tx.job)
    other_token = _path(receipt_url(attempt_id=attempt.id + 1)).rsplit("/", 1)[1]
    for path in (
        f"/api/receipts/{attempt.id}/{'f' * 32}",
        f"/api/receipts/{attempt.id}/{other_token}",  # another attempt's token
        _path(receipt_url(attempt_id=attempt.id + 1)),  # an attempt that does not exist
    ):
        response = anon_api.post(path, {"MessageStatus": "undelivered"}, format="json")
        assert response.status_code == 404 and response.json()["error"]["code"] == 404
    nothing = _twilio_post(anon_api, receipt_url(attempt_id=attempt.id), {"hello": "world"})
    assert nothing.status_code == 412
    assert Job.objects.get(pk=tx.job_id).status == "succeeded"


def test_a_receipt_before_the_attempt_ended_answers_409(admin_api, anon_api, tenant, admin_user):
    Provider.objects.create(client=tenant, name="sb", type="sandbox", service_flag=4)
    tx_id = _transmission(admin_api, tenant, admin_user)
    spool_id = admin_api.post(f"/api/transmissions/{tx_id}/send").json()["spool_id"]
    path = f"/api/receipts/{spool_id}/{url_token('receipt', spool_id)}"
    response = anon_api.post(path, {"MessageStatus": "delivered"}, format="json")
    assert response.status_code == 409  # the worker has not recorded the acceptance yet
    assert "receipt" not in Attempt.objects.get(pk=spool_id).response


def test_without_a_public_url_no_receipt_is_requested(
    admin_api, tenant, admin_user, httpserver, allow_local_http, django_capture_on_commit_callbacks
):
    _provider(tenant, httpserver, "twilio")
    _sent(admin_api, tenant, admin_user, django_capture_on_commit_callbacks)
    assert "StatusCallback" not in httpserver.log[0][0].form
