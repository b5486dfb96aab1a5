"""Pruning of Idempotency-Key records: old ones go in chunks, recent ones keep answering."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.core.beat import HeartbeatDatabaseScheduler
from apps.delivery.models import Job
from apps.jobs.models import IdempotentRequest
from apps.jobs.services import idempotent_requests_prune
from apps.jobs.tasks import idempotent_requests_prune_task
from config.celery import app
from tests.jobs.conftest import sms_task

pytestmark = pytest.mark.django_db
BEAT_ENTRY = "idempotent-requests-prune"


def post(api, key: str, body=None):
    body = body or [sms_task(log_tag=key)]
    response = api.post("/queue/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 200, response.content
    return response.json()["job_ids"]


def age(keys: list[str], hours: float) -> None:
    """Make the records of ``keys`` ``hours`` old (created_at is auto_now_add)."""
    then = timezone.now() - timedelta(hours=hours)
    IdempotentRequest.objects.filter(key__in=keys).update(created_at=then)


def test_records_older_than_the_window_go_and_recent_ones_stay(user_api, settings):
    settings.FUSION_IDEMPOTENCY_KEEP_HOURS = 24
    old, recent = [f"old-{n}" for n in range(5)], ["recent", "almost-expired"]
    for key in old + recent:
        post(user_api, key)
    age(old, 25)
    age(["almost-expired"], 23.9)
    assert idempotent_requests_prune(chunk=2) == 5  # three chunks: 2, 2, 1
    assert set(IdempotentRequest.objects.values_list("key", flat=True)) == set(recent)
    assert Job.objects.count() == 7  # only the records go, never the jobs


def test_a_replay_within_the_window_still_answers_the_same_job_ids(user_api):
    first = post(user_api, "order-17")
    age(["order-17"], settings.FUSION_IDEMPOTENCY_KEEP_HOURS - 1)
    assert idempotent_requests_prune() == 0
    assert post(user_api, "order-17") == first
    assert Job.objects.count() == 1


def test_a_key_reused_after_the_window_creates_new_jobs(user_api):
    """As documented: past FUSION_IDEMPOTENCY_KEEP_HOURS the key is forgotten."""
    first = post(user_api, "order-17")
    age(["order-17"], settings.FUSION_IDEMPOTENCY_KEEP_HOURS + 1)
    assert idempotent_requests_prune_task() == 1  # the task beat runs
    again = post(user_api, "order-17")
    assert again != first and Job.objects.count() == 2
    assert IdempotentRequest.objects.get(key="order-17").job_ids == again


def test_the_window_follows_the_setting(user_api, settings):
    post(user_api, "k")
    age(["k"], 3)
    settings.FUSION_IDEMPOTENCY_KEEP_HOURS = 4
    assert idempotent_requests_prune() == 0
    settings.FUSION_IDEMPOTENCY_KEEP_HOURS = 2
    assert idempotent_requests_prune() == 1


def test_beat_runs_the_prune_task_on_the_system_queue():
    entry = settings.CELERY_BEAT_SCHEDULE[BEAT_ENTRY]
    app.loader.import_default_modules()  # autodiscovery, as a worker does at start
    assert entry["task"] in app.tasks
    assert app.tasks[entry["task"]].run is idempotent_requests_prune_task.run
    assert entry["options"]["queue"] == "system" and entry["schedule"] == 3600.0
    # Beat's DatabaseScheduler reads app.conf.beat_schedule and stores each entry as a
    # PeriodicTask row through its Entry.from_entry (its update_from_dict, minus the
    # connection handling that a test transaction cannot take).
    assert app.conf.beat_schedule[BEAT_ENTRY] == entry
    HeartbeatDatabaseScheduler.Entry.from_entry(BEAT_ENTRY, app=app, **entry)
    row = PeriodicTask.objects.get(name=BEAT_ENTRY)
    assert row.task == entry["task"] and row.queue == "system" and row.enabled
    assert row.interval.every == 3600 and row.interval.period == "seconds"
