"""Provider rate limits in the engine: tries over the limit go back to the schedule, unspent."""

from datetime import timedelta

import pytest
from django.db.models import Max, Min
from django.utils import timezone

from apps.delivery.models import Attempt, Event, Job, OutboxMessage
from apps.delivery.services.dispatch import dispatch_once
from apps.delivery.services.execute import jobs_execute
from apps.delivery.services.jobs import JobSpec, jobs_create
from apps.providers.models import Provider
from tests.delivery.worker import WorkerProcess, wait_until
from tests.factories import ClientFactory


def _specs(count: int, priority: int = 0, start: int = 0) -> list[JobSpec]:
    payloads = [{"to": f"+9198765{start + i:05d}", "text": "hi"} for i in range(count)]
    return [JobSpec(channel="sms", payload=p, priority=priority) for p in payloads]


def _limited(client, rate) -> Provider:
    return Provider.objects.create(
        client=client, name="limited", type="sandbox", service_flag=4, max_per_second=rate
    )


def _queued(client, specs, capture) -> list[Job]:
    jobs = jobs_create(client_id=client.id, specs=specs)
    with capture(execute=False):
        dispatch_once()
    return jobs


@pytest.mark.django_db
def test_a_batch_over_the_limit_sends_what_the_bucket_allows_and_schedules_the_rest(
    django_capture_on_commit_callbacks,
):
    client = ClientFactory()
    _limited(client, 2)
    jobs = _queued(client, _specs(5), django_capture_on_commit_callbacks)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        statuses = jobs_execute(job_ids=[job.id for job in jobs])
    assert list(statuses.values()).count("succeeded") == 2
    assert list(statuses.values()).count("scheduled") == 3
    assert OutboxMessage.objects.count() == 2
    held = Job.objects.filter(status="scheduled").order_by("run_at")
    assert [job.attempts_made for job in held] == [0, 0, 0]  # the try was handed back
    assert not Attempt.objects.filter(job__in=held).exists()
    assert all(job.lease_token is None for job in held)
    waits = [(job.run_at - before).total_seconds() for job in held]
    assert waits == pytest.approx([0.5, 1.0, 1.5], abs=0.15)  # one token every half second
    throttled = Event.objects.filter(kind="throttled")
    assert throttled.count() == 3
    assert {event.data["provider"] for event in throttled} == {Provider.objects.get().pk}


@pytest.mark.django_db
def test_an_otp_is_not_held_behind_a_campaign_that_emptied_the_bucket(
    django_capture_on_commit_callbacks,
):
    client = ClientFactory()
    _limited(client, 5)
    campaign = _queued(client, _specs(8), django_capture_on_commit_callbacks)
    assert list(jobs_execute(job_ids=[j.id for j in campaign]).values()).count("scheduled") == 3
    otp = _queued(client, _specs(1, priority=2, start=50), django_capture_on_commit_callbacks)
    assert jobs_execute(job_ids=[otp[0].id]) == {otp[0].id: "succeeded"}


@pytest.mark.django_db
def test_other_providers_and_unlimited_ones_are_not_held(django_capture_on_commit_callbacks):
    client = ClientFactory()
    Provider.objects.create(client=client, name="free", type="sandbox", service_flag=4)
    jobs = _queued(client, _specs(30), django_capture_on_commit_callbacks)
    statuses = jobs_execute(job_ids=[job.id for job in jobs])
    assert set(statuses.values()) == {"succeeded"}
    assert not Event.objects.filter(kind="throttled").exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_keeps_the_providers_rate_and_delivers_everything_once():
    """15 sends through a 5-per-second provider: about 2 s, never over the limit."""
    client = ClientFactory()
    _limited(client, 5)
    worker = WorkerProcess(beat=True, name="throttled")
    try:
        jobs_create(client_id=client.id, specs=_specs(15))
        wait_until(
            lambda: Job.objects.filter(status="succeeded").count() == 15,
            timeout=60,
            message="15 throttled jobs delivered",
        )
    finally:
        worker.stop()
    assert Attempt.objects.count() == 15  # each job one try: waiting for a token is not a try
    sent = sorted(OutboxMessage.objects.values_list("created_at", flat=True))
    assert len(sent) == 15
    span = OutboxMessage.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    # The bucket starts full (5); the other 10 need 2 s of refill.
    assert (span["last"] - span["first"]).total_seconds() >= 1.6
    for i, start in enumerate(sent):  # any one second: the full bucket plus one second's refill
        within = [t for t in sent[i:] if (t - start).total_seconds() < 1.0]
        assert len(within) <= 10


@pytest.mark.django_db
def test_a_held_window_job_does_not_reopen_its_window(django_capture_on_commit_callbacks):
    """Once dispatched, a window's job is closed to new requests — also while it waits for its
    provider's rate: the next request opens a new window, and both are sent."""
    client = ClientFactory()
    _limited(client, 1)
    window = {"window_key": "w", "channel": "sms"}
    first = JobSpec(payload={"to": "+919876500001", "text": "first"}, **window)
    filler, windowed = _queued(client, [*_specs(1), first], django_capture_on_commit_callbacks)
    assert jobs_execute(job_ids=[filler.id]) == {filler.id: "succeeded"}  # the only token
    later = timezone.now() + timedelta(minutes=5)
    second = JobSpec(payload={"to": "+919876500002", "text": "second"}, run_at=later, **window)
    [opened] = jobs_create(client_id=client.id, specs=[second])
    assert opened.pk != windowed.pk  # the first window's job was dispatched: a new window
    assert jobs_execute(job_ids=[windowed.id]) == {windowed.id: "scheduled"}  # held
    third = JobSpec(payload={"to": "+919876500003", "text": "third"}, run_at=later, **window)
    [joined] = jobs_create(client_id=client.id, specs=[third])
    assert joined.pk == opened.pk  # requests consolidate into the open window, not the held job
    assert Job.objects.get(pk=opened.pk).window_hits == 1
