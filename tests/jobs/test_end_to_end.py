"""From POST /queue/ through the engine (in-process) into the sandbox outbox, per channel."""

import pytest

from apps.delivery.models import Job, OutboxMessage
from tests.jobs.conftest import NUMBER, email_task, sms_task

pytestmark = pytest.mark.django_db

WHATSAPP_BILL = {
    "task": 6,
    "task_type": 2,
    "data": {
        "contact": 9876543210,
        "countryCode": 91,
        "message": "Your bill",
        "file": "https://files.example.com/b-17.pdf",
    },
}


def enqueue_and_run(api, run_engine, task: dict) -> Job:
    response = api.post("/queue/", [task], format="json")
    assert response.status_code == 200, response.json()
    run_engine()
    return Job.objects.get(uuid=response.json()["job_ids"][0])


def test_sms_reaches_the_outbox_in_e164(user_api, run_engine, sandbox_for):
    provider = sandbox_for("sms")
    data = {"contact": "98765 43210", "countryCode": "91", "message": "OTP 1234", "senderId": "CRL"}
    job = enqueue_and_run(user_api, run_engine, sms_task(data=data))
    assert job.status == "succeeded" and job.attempts.get().provider == provider
    outbox = OutboxMessage.objects.get(job_uuid=job.uuid)
    assert outbox.channel == "sms" and outbox.recipient == NUMBER
    assert outbox.payload == {"to": NUMBER, "text": "OTP 1234", "sender": "CRL"}


def test_sms_config_provider_pins_the_provider(user_api, run_engine, sandbox_for):
    sandbox_for("sms", name="first", weight=1)
    pinned = sandbox_for("sms", name="second", weight=1000)
    data = {"contact": NUMBER, "message": "hi", "config": {"provider": "second"}}
    job = enqueue_and_run(user_api, run_engine, sms_task(data=data))
    assert job.status == "succeeded" and job.attempts.get().provider == pinned


def test_email_reaches_the_outbox(user_api, run_engine, sandbox_for):
    sandbox_for("email")
    job = enqueue_and_run(user_api, run_engine, email_task())
    assert job.status == "succeeded"
    outbox = OutboxMessage.objects.get(job_uuid=job.uuid)
    assert outbox.recipient == "user@example.com" and outbox.payload["html"] == "<p>Hello</p>"


def test_push_reaches_the_outbox(user_api, run_engine, sandbox_for):
    sandbox_for("push")
    task = {"task": 3, "task_type": 1, "data": {"topic": "reports", "title": "Ready"}}
    job = enqueue_and_run(user_api, run_engine, task)
    assert job.status == "succeeded"
    assert OutboxMessage.objects.get(job_uuid=job.uuid).payload == {
        "topic": "reports",
        "title": "Ready",
    }


def test_webhook_reaches_the_outbox(user_api, run_engine, sandbox_for):
    sandbox_for("webhook")
    task = {"task": 4, "task_type": 3, "data": {"url": "https://api.example.com/x", "args": {}}}
    job = enqueue_and_run(user_api, run_engine, task)
    assert job.status == "succeeded"
    payload = OutboxMessage.objects.get(job_uuid=job.uuid).payload
    assert payload["method"] == "PUT" and payload["url"] == "https://api.example.com/x"


def test_whatsapp_with_file_reaches_the_outbox(user_api, run_engine, sandbox_for):
    sandbox_for("whatsapp")
    job = enqueue_and_run(user_api, run_engine, WHATSAPP_BILL)
    assert job.status == "succeeded"
    assert OutboxMessage.objects.get(job_uuid=job.uuid).payload == {
        "to": NUMBER,
        "text": "Your bill",
        "document": {"url": "https://files.example.com/b-17.pdf", "filename": "b-17.pdf"},
    }


def test_hooks_of_a_finished_job_become_callback_jobs(user_api, run_engine, sandbox_for):
    sandbox_for("sms")
    hooks = {
        "subscribe": "https://cb.example.com/n",
        "success_task_handler": "https://cb.example.com/s",
    }
    job = enqueue_and_run(user_api, run_engine, sms_task(**hooks))
    assert job.status == "succeeded"
    urls = sorted(hook.payload["url"] for hook in job.hook_jobs.all())
    assert urls == ["https://cb.example.com/n", "https://cb.example.com/s"]


# --- WhatsApp consent -------------------------------------------------------------------


def opt(api, kind: str, key: str) -> None:
    response = api.post("/update_consent/", {"type": kind, "cache_key": key}, format="json")
    assert response.status_code == 200


def test_an_opted_out_number_gets_no_whatsapp(user_api, run_engine, sandbox_for):
    sandbox_for("whatsapp")
    opt(user_api, "opt_out", NUMBER)
    job = enqueue_and_run(user_api, run_engine, WHATSAPP_BILL)
    assert job.status == "failed" and job.reason == "no_consent"
    assert job.attempts_made == 1  # permanent: not retried
    assert not OutboxMessage.objects.exists()


def test_the_cache_key_decides_consent_when_given(user_api, run_engine, sandbox_for):
    sandbox_for("whatsapp")
    opt(user_api, "opt_out", "patient-42")
    task = {
        **WHATSAPP_BILL,
        "data": {**WHATSAPP_BILL["data"], "cache_key": "patient-42"},
        "retry": 3,
    }
    job = enqueue_and_run(user_api, run_engine, task)
    assert job.status == "failed" and job.reason == "no_consent" and job.attempts_made == 1
    assert not OutboxMessage.objects.exists()


def test_opting_in_again_lets_whatsapp_through(user_api, run_engine, sandbox_for):
    sandbox_for("whatsapp")
    opt(user_api, "opt_out", NUMBER)
    opt(user_api, "subscribe", NUMBER)
    job = enqueue_and_run(user_api, run_engine, WHATSAPP_BILL)
    assert job.status == "succeeded" and OutboxMessage.objects.count() == 1


def test_another_clients_opt_out_does_not_block(user_api, run_engine, sandbox_for, other_tenant):
    from apps.jobs.services import consent_record

    sandbox_for("whatsapp")
    consent_record(client_id=other_tenant.id, cache_key=NUMBER, state="opted_out", details={})
    assert enqueue_and_run(user_api, run_engine, WHATSAPP_BILL).status == "succeeded"


def test_consent_only_concerns_whatsapp(user_api, run_engine, sandbox_for):
    sandbox_for("sms")
    opt(user_api, "opt_out", NUMBER)
    assert enqueue_and_run(user_api, run_engine, sms_task()).status == "succeeded"
