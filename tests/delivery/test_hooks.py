"""Callbacks: signed Standard-Webhooks deliveries to a real local receiver, retried, recorded."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from werkzeug import Response

from apps.accounts.services import client_webhook_secret_rotate
from apps.delivery.models import Job
from apps.delivery.services.jobs import JobSpec, job_cancel, jobs_create
from tests.delivery.conftest import run_engine

pytestmark = pytest.mark.django_db

SMS = {"to": "+919876543210", "text": "hello"}


def _verify(secret: str, headers, body: bytes) -> bool:
    """A receiver's check, written from the Standard Webhooks spec (not from our code)."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(sig.split(",", 1)[1] == expected for sig in headers["webhook-signature"].split())


def _job(tenant, httpserver, **hooks):
    urls = {name: httpserver.url_for(f"/{name}") for name in hooks}
    spec = JobSpec(channel="sms", payload=SMS, hooks=urls, log_tag="SMS_OTP", meta={"task": 1})
    return jobs_create(client_id=tenant.id, specs=[spec])[0]


def test_success_fires_subscribe_and_success_handler_signed(
    tenant, sandbox, httpserver, allow_local_http, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/subscribe", method="POST").respond_with_data("ok")
    httpserver.expect_request("/success_task_handler", method="POST").respond_with_data("ok")
    job = _job(tenant, httpserver, subscribe=1, success_task_handler=1, failed_task_handler=1)
    run_engine(django_capture_on_commit_callbacks)
    paths = sorted(request.path for request, _ in httpserver.log)
    assert paths == ["/subscribe", "/success_task_handler"]
    for request, _ in httpserver.log:
        assert _verify(tenant.webhook_secret, request.headers, request.get_data())
        assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
        body = json.loads(request.get_data())
        assert body["job_id"] == str(job.uuid) and body["status"] == "succeeded"
        assert (
            body["log_tag"] == "SMS_OTP" and body["attempts"] == 1 and body["meta"] == {"task": 1}
        )
        assert body["result"]["provider_message_id"].startswith("sandbox-")
    hooks = Job.objects.filter(parent=job)
    assert hooks.count() == 2 and set(hooks.values_list("status", flat=True)) == {"succeeded"}
    assert all(h.attempts.count() == 1 for h in hooks)
    kinds = list(job.events.values_list("kind", flat=True))
    assert kinds.count("hook_succeeded") == 2


def test_failure_fires_the_failed_handler_with_the_error(
    tenant, sandbox, httpserver, allow_local_http, django_capture_on_commit_callbacks
):
    sandbox.settings = {"failure_rate": 1, "failure": "permanent"}
    sandbox.save()
    httpserver.expect_request("/failed_task_handler").respond_with_data("ok")
    _job(tenant, httpserver, success_task_handler=1, failed_task_handler=1)
    run_engine(django_capture_on_commit_callbacks)
    ((request, _),) = httpserver.log
    body = json.loads(request.get_data())
    assert request.path == "/failed_task_handler" and body["status"] == "failed"
    assert body["error"]["reason"] == "sandbox"


def test_a_failing_receiver_is_retried_with_backoff_over_eight_attempts(
    tenant, sandbox, httpserver, allow_local_http, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/subscribe").respond_with_response(Response("down", status=503))
    job = _job(tenant, httpserver, subscribe=1)
    run_engine(django_capture_on_commit_callbacks)
    hook = Job.objects.get(parent=job)
    assert hook.status == "retrying" and hook.attempts_allowed == 8
    first_delay = (hook.run_at - hook.attempts.get().ended_at).total_seconds()
    assert 20 <= first_delay <= 40
    assert hook.attempts.get().response["status"] == 503


def test_cancel_fires_subscribe_and_signatures_carry_the_previous_secret_after_rotation(
    tenant, sandbox, httpserver, allow_local_http, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/subscribe").respond_with_data("ok")
    old_secret = tenant.webhook_secret
    client_webhook_secret_rotate(client=tenant)
    job = _job(tenant, httpserver, subscribe=1)
    Job.objects.filter(pk=job.pk).update(run_at=job.run_at.replace(year=2100))
    with django_capture_on_commit_callbacks(execute=True):
        assert job_cancel(job=job)
    run_engine(django_capture_on_commit_callbacks)
    ((request, _),) = httpserver.log
    assert json.loads(request.get_data())["status"] == "cancelled"
    assert len(request.headers["webhook-signature"].split()) == 2
    assert _verify(old_secret, request.headers, request.get_data())
    assert _verify(tenant.webhook_secret, request.headers, request.get_data())
