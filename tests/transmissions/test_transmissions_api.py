"""Programs and transmissions end to end: create, send through the engine, spools, retries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Account
from apps.contacts.models import Contact
from apps.content.models import Text
from apps.delivery.models import Job, OutboxMessage
from apps.programs.models import Program
from apps.providers.models import Provider
from apps.transmissions.models import Transmission
from tests.delivery.conftest import run_engine

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_setup(tenant, admin_user):
    sandbox = Provider.objects.create(client=tenant, name="sb", type="sandbox", service_flag=4 | 8)
    text = Text.objects.create(client=tenant, name="otp", data="Your code is 1234")
    contact = Contact.objects.create(client=tenant, phone="+923001234567", email="ali@example.com")
    account = Account.objects.create(
        client=tenant, owner=admin_user, username="caller", phone="+15005550006"
    )
    return {"sandbox": sandbox, "text": text, "contact": contact, "account": account}


def _program(api, text) -> int:
    response = api.post("/api/programs/sendsms", {"name": "OTP", "text_id": text.id}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["program_id"]


def _transmission(api, program_id, contact, **extra) -> int:
    body = {"program_id": program_id, "contact_id": contact.id, **extra}
    response = api.post("/api/transmissions", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["transmission_id"]


def test_program_create_validates_its_resource_and_type(admin_api, sms_setup, other_tenant):
    program_id = _program(admin_api, sms_setup["text"])
    assert Program.objects.get(pk=program_id).data == {"text_id": sms_setup["text"].id}
    theirs = Text.objects.create(client=other_tenant, name="x", data="x")
    bad = admin_api.post("/api/programs/sendsms", {"text_id": theirs.id}, format="json")
    assert bad.status_code == 412 and "text_id" in bad.json()["error"]["fields"]
    assert admin_api.post("/api/programs/sendsms", {}, format="json").status_code == 412
    assert admin_api.post("/api/programs/carrierpigeon", {}, format="json").status_code == 404
    assert [p["type"] for p in admin_api.get("/api/programs?type=sendsms").json()] == ["sendsms"]


def test_send_goes_through_the_engine_and_reports_spools(
    admin_api, sms_setup, django_capture_on_commit_callbacks
):
    tx_id = _transmission(admin_api, _program(admin_api, sms_setup["text"]), sms_setup["contact"])
    assert admin_api.get(f"/api/transmissions/{tx_id}/status").json() == {"status": "pending"}
    sent = admin_api.post(f"/api/transmissions/{tx_id}/send")
    assert sent.status_code == 200
    spool_id = sent.json()["spool_id"]
    assert admin_api.get(f"/api/transmissions/{tx_id}").json()["status"] == "processing"
    assert admin_api.post(f"/api/transmissions/{tx_id}/send").status_code == 423
    assert admin_api.get(f"/api/spools/{spool_id}/status").json() == {"status": "initiated"}
    run_engine(django_capture_on_commit_callbacks)
    body = admin_api.get(f"/api/transmissions/{tx_id}").json()
    assert body["status"] == "completed" and body["try_done"] == 1
    outbox = OutboxMessage.objects.get()
    assert outbox.payload == {
        "to": "+923001234567",
        "text": "Your code is 1234",
        "sender": "+15005550006",
    }
    spools = admin_api.get(f"/api/transmissions/{tx_id}/detail").json()
    assert [s["spool_id"] for s in spools] == [spool_id] and spools[0]["status"] == "completed"
    assert admin_api.get(f"/api/spools/{spool_id}/status").json() == {"status": "completed"}
    results = admin_api.get(f"/api/transmissions/{tx_id}/result").json()
    assert {"application"} <= {r["type"] for r in results}
    assert admin_api.post(f"/api/transmissions/{tx_id}/retry").status_code == 423


def test_transient_failures_retry_while_tries_remain_showing_pending_retry(
    admin_api, sms_setup, django_capture_on_commit_callbacks
):
    sms_setup["sandbox"].settings = {"failure_rate": 1}
    sms_setup["sandbox"].save()
    tx_id = _transmission(
        admin_api, _program(admin_api, sms_setup["text"]), sms_setup["contact"], try_allowed=2
    )
    admin_api.post(f"/api/transmissions/{tx_id}/send")
    run_engine(django_capture_on_commit_callbacks)
    assert admin_api.get(f"/api/transmissions/{tx_id}/status").json() == {"status": "pending_retry"}
    assert [
        t["transmission_id"]
        for t in admin_api.get("/api/transmissions?status=pending_retry").json()
    ] == [tx_id]
    Job.objects.update(run_at=timezone.now())
    run_engine(django_capture_on_commit_callbacks)
    body = admin_api.get(f"/api/transmissions/{tx_id}").json()
    assert body["status"] == "failed" and body["try_done"] == 2 and "sandbox" in body["response"]
    assert len(admin_api.get(f"/api/transmissions/{tx_id}/detail").json()) == 2
    assert admin_api.post(f"/api/transmissions/{tx_id}/retry").status_code == 200  # manual retry


def test_a_send_that_cannot_start_fails_with_a_reason(
    admin_api, sms_setup, tenant, django_capture_on_commit_callbacks
):
    program_id = _program(admin_api, sms_setup["text"])
    mailonly = Contact.objects.create(client=tenant, email="only@example.com")
    tx_id = _transmission(admin_api, program_id, mailonly)
    response = admin_api.post(f"/api/transmissions/{tx_id}/send")
    assert response.status_code == 412 and "contact_id" in response.json()["error"]["fields"]
    assert Transmission.objects.get(pk=tx_id).status == "failed"
    sms_setup["sandbox"].delete()
    other = _transmission(admin_api, program_id, sms_setup["contact"])
    admin_api.post(f"/api/transmissions/{other}/send")
    run_engine(django_capture_on_commit_callbacks)
    body = admin_api.get(f"/api/transmissions/{other}").json()
    assert body["status"] == "failed" and "provider" in body["response"]


def test_phone_instead_of_contact_creates_one_and_missing_ids_answer_412(
    admin_api, sms_setup, tenant
):
    program_id = _program(admin_api, sms_setup["text"])
    response = admin_api.post(
        "/api/transmissions", {"program_id": program_id, "phone": "+14155550100"}, format="json"
    )
    tx = Transmission.objects.get(pk=response.json()["transmission_id"])
    assert tx.contact.phone == "+14155550100" and tx.account == sms_setup["account"]
    assert (
        admin_api.post(
            "/api/transmissions", {"contact_id": sms_setup["contact"].id}, format="json"
        ).status_code
        == 412
    )
    missing = admin_api.post("/api/transmissions", {"program_id": program_id}, format="json")
    assert missing.status_code == 412 and "contact_id" in missing.json()["error"]["fields"]


def test_schedule_then_cancel_and_clone(admin_api, sms_setup, django_capture_on_commit_callbacks):
    tx_id = _transmission(admin_api, _program(admin_api, sms_setup["text"]), sms_setup["contact"])
    scheduled = admin_api.put(
        f"/api/transmissions/{tx_id}/schedule", {"delay": 3600}, format="json"
    )
    job = Job.objects.get(pk=scheduled.json()["schedule_id"])
    assert job.status == "scheduled" and job.run_at > timezone.now() + timedelta(minutes=59)
    assert admin_api.get(f"/api/transmissions/{tx_id}/status").json() == {"status": "pending"}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_api.delete(f"/api/transmissions/{tx_id}/schedule").status_code == 200
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert Transmission.objects.get(pk=tx_id).status == "pending"
    clone = admin_api.get(f"/api/transmissions/{tx_id}/clone").json()["transmission_id"]
    assert clone != tx_id and Transmission.objects.get(pk=clone).status == "pending"


def test_scheduled_send_runs_when_due(admin_api, sms_setup, django_capture_on_commit_callbacks):
    tx_id = _transmission(admin_api, _program(admin_api, sms_setup["text"]), sms_setup["contact"])
    admin_api.put(f"/api/transmissions/{tx_id}/schedule", {"delay": 0}, format="json")
    run_engine(django_capture_on_commit_callbacks)
    assert Transmission.objects.get(pk=tx_id).status == "completed"


def test_program_transmissions_shortcut(admin_api, sms_setup):
    program_id = _program(admin_api, sms_setup["text"])
    created = admin_api.put(
        f"/api/programs/{program_id}/transmissions",
        {"contact_id": sms_setup["contact"].id},
        format="json",
    )
    assert created.status_code == 200
    listed = admin_api.get(f"/api/programs/{program_id}/transmissions").json()
    assert [t["transmission_id"] for t in listed] == [created.json()["transmission_id"]]


def test_another_clients_transmission_and_spool_answer_404(
    admin_api, sms_setup, other_tenant, django_capture_on_commit_callbacks
):
    from tests.conftest import api_client_for
    from tests.factories import UserFactory

    tx_id = _transmission(admin_api, _program(admin_api, sms_setup["text"]), sms_setup["contact"])
    spool_id = admin_api.post(f"/api/transmissions/{tx_id}/send").json()["spool_id"]
    stranger = api_client_for(UserFactory(client=other_tenant, roles=["admin"]))
    for path in ("", "/status", "/detail", "/result", "/clone"):
        assert stranger.get(f"/api/transmissions/{tx_id}{path}").status_code == 404
    assert stranger.post(f"/api/transmissions/{tx_id}/send").status_code == 404
    assert stranger.get(f"/api/spools/{spool_id}/status").status_code == 404
    assert stranger.get("/api/transmissions").json() == []


def test_delete_cancels_what_has_not_run(admin_api, sms_setup):
    tx_id = _transmission(admin_api, _program(admin_api, sms_setup["text"]), sms_setup["contact"])
    job_id = admin_api.put(
        f"/api/transmissions/{tx_id}/schedule", {"delay": 600}, format="json"
    ).json()["schedule_id"]
    assert admin_api.delete(f"/api/transmissions/{tx_id}").status_code == 200
    assert Job.objects.get(pk=job_id).status == "cancelled"
    assert not Transmission.objects.filter(pk=tx_id).exists()


def test_a_send_held_by_the_providers_rate_keeps_its_spool(
    admin_api, sms_setup, django_capture_on_commit_callbacks
):
    """The spool answered by send is the try that finally goes out, and it is the only one."""
    from apps.delivery.models import Attempt
    from apps.providers.models import ProviderRate
    from apps.providers.rate import provider_sends_take

    sandbox = sms_setup["sandbox"]
    Provider.objects.filter(pk=sandbox.pk).update(max_per_second=0.5)
    sandbox.refresh_from_db()
    assert provider_sends_take(provider=sandbox, wanted=1).granted == 1  # the bucket is empty
    tx_id = _transmission(admin_api, _program(admin_api, sms_setup["text"]), sms_setup["contact"])
    spool_id = admin_api.post(f"/api/transmissions/{tx_id}/send").json()["spool_id"]
    run_engine(django_capture_on_commit_callbacks)
    job = Transmission.objects.get(pk=tx_id).job
    assert (job.status, job.attempts_made) == ("scheduled", 0)  # held, its try handed back
    assert Transmission.objects.get(pk=tx_id).try_done == 0
    assert admin_api.get(f"/api/transmissions/{tx_id}/status").json()["status"] == "processing"
    ProviderRate.objects.filter(pk=sandbox.pk).update(
        refilled_at=timezone.now() - timedelta(seconds=10)
    )
    Job.objects.filter(pk=job.pk).update(run_at=timezone.now())
    run_engine(django_capture_on_commit_callbacks)
    assert admin_api.get(f"/api/transmissions/{tx_id}/status").json()["status"] == "completed"
    assert Transmission.objects.get(pk=tx_id).try_done == 1  # the held try did not count
    assert list(Attempt.objects.filter(job=job).values_list("pk", "outcome")) == [
        (spool_id, "succeeded")
    ]
