"""Customer notifications go through the engine and land in the sandbox outbox."""

import pytest

from apps.cases.models import CaseMember
from apps.delivery.models import Job, OutboxMessage
from tests.cases.conftest import CUSTOMER, case_create
from tests.delivery.conftest import run_engine

pytestmark = pytest.mark.django_db

EMAIL_ONLY = {"customer_name": "Wu", "customer_id_num": "E1", "customer_email": "wu@example.com"}


def _publish(api, task_num, *customers):
    body = {"task_num": task_num, "customer": list(customers)}
    return api.post("/video/createTaskPublisher", body, format="json")


def test_a_customer_with_a_phone_gets_an_sms_with_the_join_link(
    worker_api, sandbox, django_capture_on_commit_callbacks
):
    task_num = case_create(worker_api, task_notify=True)
    response = _publish(worker_api, task_num, CUSTOMER)
    assert response.json()["info"]["customers"][0]["notified"] is True
    job = Job.objects.get()
    assert (job.channel, job.origin, job.meta["task_num"]) == ("sms", "cases", task_num)
    run_engine(django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    member = CaseMember.objects.get()
    assert (message.channel, message.recipient) == ("sms", "+886911211211")
    assert f"https://video.example.invalid/join/{member.join_token}" in message.payload["text"]
    assert (
        task_num in message.payload["text"]
        and "2023-12-21 at 06:49 UTC" in (message.payload["text"])
    )


def test_a_customer_with_only_an_email_gets_an_email(
    worker_api, sandbox, django_capture_on_commit_callbacks
):
    task_num = case_create(worker_api, task_notify=True, room_type="realtime")
    _publish(worker_api, task_num, EMAIL_ONLY)
    run_engine(django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    token = CaseMember.objects.get().join_token
    assert message.channel == "email" and message.payload["to"] == ["wu@example.com"]
    assert task_num in message.payload["subject"]
    assert f'href="https://video.example.invalid/join/{token}"' in message.payload["html"]


def test_without_task_notify_nobody_is_notified(
    worker_api, sandbox, django_capture_on_commit_callbacks
):
    task_num = case_create(worker_api)
    _publish(worker_api, task_num, CUSTOMER, EMAIL_ONLY)
    run_engine(django_capture_on_commit_callbacks)
    assert not Job.objects.exists() and not OutboxMessage.objects.exists()


def test_a_customer_added_again_is_not_invited_twice(worker_api, sandbox):
    task_num = case_create(worker_api, task_notify=True)
    _publish(worker_api, task_num, CUSTOMER)
    response = _publish(worker_api, task_num, CUSTOMER)
    assert response.json()["info"]["customers"][0]["notified"] is False
    assert Job.objects.count() == 1


def test_canceling_withdraws_unsent_invitations_and_tells_customers(
    worker_api, sandbox, django_capture_on_commit_callbacks
):
    task_num = case_create(worker_api, task_notify=True)
    worker_api.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    _publish(worker_api, task_num, CUSTOMER, EMAIL_ONLY)
    invites = list(Job.objects.filter(meta__kind="invite"))
    body = {"task_num": task_num, "task_status": "canceled"}
    assert worker_api.post("/video/updateTaskStatus", body, format="json").status_code == 200
    assert {Job.objects.get(pk=job.pk).status for job in invites} == {"cancelled"}
    run_engine(django_capture_on_commit_callbacks)
    sent = {(m.channel, m.recipient) for m in OutboxMessage.objects.all()}
    assert sent == {("sms", "+886911211211"), ("email", "wu@example.com")}
    assert all("canceled" in (m.payload.get("text") or m.payload["html"]) for m in
               OutboxMessage.objects.all())  # fmt: skip


def test_finishing_sends_nothing(worker_api, sandbox, django_capture_on_commit_callbacks):
    task_num = case_create(worker_api, task_notify=True)
    worker_api.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    _publish(worker_api, task_num, CUSTOMER)
    run_engine(django_capture_on_commit_callbacks)
    body = {"task_num": task_num, "task_status": "finished"}
    worker_api.post("/video/updateTaskStatus", body, format="json")
    run_engine(django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.count() == 1
