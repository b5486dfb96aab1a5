"""The task table is the spec's: every pair accepted, each with its channel and priority."""

import pytest

from apps.jobs.catalog import TASK_KINDS, task_kind

# (task, task_type) → (channel, priority), transcribed from fusion-queue-api.txt.
SPEC = {
    (1, 1): ("sms", 2), (1, 2): ("sms", 0), (1, 3): ("sms", 1), (1, 4): ("sms", 1),
    (1, 5): ("sms", 1), (1, 6): ("sms", 0), (1, 7): ("sms", 2),
    (2, 1): ("email", 1), (2, 2): ("email", 1), (2, 3): ("email", 1), (2, 4): ("email", 0),
    (2, 5): ("email", 0), (2, 6): ("email", 0),
    (3, 1): ("push", 1), (3, 2): ("push", 1), (3, 3): ("push", 1), (3, 4): ("push", 0),
    (3, 5): ("push", 0), (3, 6): ("push", 2),
    (4, 1): ("webhook", 1), (4, 2): ("webhook", 1), (4, 3): ("webhook", 1),
    (4, 4): ("webhook", 1),
    (6, 1): ("whatsapp", 1), (6, 2): ("whatsapp", 1),
}  # fmt: skip


def test_the_table_holds_exactly_the_spec_pairs():
    assert {pair: (k.channel, k.priority) for pair, k in TASK_KINDS.items()} == SPEC


def test_webhook_methods_and_the_whatsapp_file_type():
    assert [task_kind(4, t).method for t in (1, 2, 3, 4)] == ["GET", "POST", "PUT", "DELETE"]
    assert task_kind(6, 2).with_file and not task_kind(6, 1).with_file
    assert task_kind(5, 1) is None


DATA = {
    "sms": {"contact": "+919876543210", "message": "m"},
    "email": {"to": "a@example.com", "subject": "s", "message": "m"},
    "push": {"token": "t"},
    "webhook": {"url": "https://example.com"},
    "whatsapp": {"contact": "+919876543210", "message": "m", "file": "https://example.com/f"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("pair", sorted(SPEC))
def test_every_pair_is_accepted_with_its_priority(user_api, pair):
    from apps.delivery.models import Job

    task = {"task": pair[0], "task_type": pair[1], "data": DATA[SPEC[pair][0]]}
    response = user_api.post("/queue/", [task], format="json")
    assert response.status_code == 200, response.json()
    job = Job.objects.get(uuid=response.json()["job_ids"][0])
    assert (job.channel, job.priority) == SPEC[pair]
