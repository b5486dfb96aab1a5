"""rows_update: one UPDATE writing each row's own values, on PostgreSQL and SQLite alike."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.bulk import rows_update
from apps.delivery.models import Job
from apps.delivery.services.jobs import JobSpec, jobs_create
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_of_every_type():
    client = ClientFactory()
    specs = [JobSpec(channel="sms", payload={"to": f"+91987654321{i}"}) for i in range(3)]
    jobs = jobs_create(client_id=client.id, specs=specs)
    untouched = jobs.pop()
    later, token = timezone.now() + timedelta(hours=1), uuid.uuid4()
    jobs[0].result, jobs[0].lease_token, jobs[0].run_at = {"n": [1, "x"]}, token, later
    jobs[1].result, jobs[1].lease_token, jobs[1].last_error = [], None, 'it\'s "quoted"'
    assert rows_update(Job, jobs, ["result", "lease_token", "run_at", "last_error"]) == 2
    first, second = (Job.objects.get(pk=job.pk) for job in jobs)
    assert (first.result, first.lease_token, first.run_at) == ({"n": [1, "x"]}, token, later)
    assert (second.result, second.lease_token) == ([], None)
    assert second.last_error == 'it\'s "quoted"' and second.run_at == jobs[1].run_at
    assert Job.objects.get(pk=untouched.pk).result == untouched.result


def test_nothing_to_write_makes_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rows_update(Job, [], ["result"]) == 0


def test_rows_insert_stores_every_field_and_reads_keys_back():
    from apps.core.bulk import rows_insert
    from apps.delivery.models import Event

    client = ClientFactory()
    jobs = [
        Job(client=client, channel="sms", payload={"to": f"+9198765432{i}", "n": [i]},
            run_at=timezone.now(), hooks={"subscribe": "https://example.com/h"})
        for i in range(3)
    ]  # fmt: skip
    rows_insert(Job, jobs, key="uuid")
    assert all(job.pk for job in jobs) and len({job.pk for job in jobs}) == 3
    for job in jobs:
        stored = Job.objects.get(pk=job.pk)
        assert (stored.uuid, stored.payload, stored.hooks) == (job.uuid, job.payload, job.hooks)
        assert stored.created_at is not None and stored.status == "scheduled"
    rows_insert(Event, [Event(job=jobs[0], kind="created", data={"a": "b"})])
    assert list(Event.objects.filter(job=jobs[0]).values_list("kind", "data")) == [
        ("created", {"a": "b"})
    ]


def test_rows_insert_reports_a_unique_violation_as_an_integrity_error():
    from django.db import IntegrityError, transaction

    from apps.core.bulk import rows_insert

    client = ClientFactory()
    first = Job(client=client, channel="sms", payload={}, run_at=timezone.now())
    twin = Job(client=client, channel="sms", payload={}, run_at=timezone.now(), uuid=first.uuid)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(Job, [first, twin], key="uuid")
    assert not Job.objects.filter(uuid=first.uuid).exists()


def test_rows_insert_prepares_enums_and_naive_datetimes_as_django_does():
    """Values psycopg would write differently (enum members, naive datetimes) still go through
    Django's preparation: the member's value, the datetime read in the current time zone."""
    import datetime as dt

    from apps.core.bulk import rows_insert
    from apps.delivery.models import Priority

    client = ClientFactory()
    naive = dt.datetime(2030, 1, 2, 3, 4, 5)
    job = Job(client=client, channel="sms", payload={}, run_at=naive, priority=Priority.HIGH)
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        rows_insert(Job, [job], key="uuid")
    stored = Job.objects.get(pk=job.pk)
    assert stored.priority == 2 and stored.status == Job.Status.SCHEDULED
    assert stored.run_at == timezone.make_aware(naive)


def test_rows_fan_out_writes_one_row_per_value_with_the_same_rest():
    from apps.core.bulk import rows_fan_out
    from apps.delivery.models import Event

    client = ClientFactory()
    jobs = jobs_create(client_id=client.id, specs=[JobSpec(channel="sms", payload={})] * 3)
    Event.objects.all().delete()
    rows_fan_out(Event, field="job_id", values=[j.id for j in jobs], kind="queued", data={"n": 1})
    rows = list(Event.objects.order_by("job_id").values_list("job_id", "kind", "data"))
    assert rows == [(job.id, "queued", {"n": 1}) for job in jobs]
    assert len(set(Event.objects.values_list("at", flat=True))) == 1  # one default for all


def test_rows_fan_out_of_nothing_makes_no_statement(django_assert_num_queries):
    from apps.core.bulk import rows_fan_out
    from apps.delivery.models import Event

    with django_assert_num_queries(0):
        rows_fan_out(Event, field="job_id", values=[], kind="queued")


def test_model_build_fills_defaults_and_refuses_unknown_fields():
    from apps.core.bulk import model_build

    job = model_build(Job, client_id=7, channel="sms", run_at=timezone.now())
    assert (job.client_id, job.status, job.attempts_made, job.payload) == (7, "scheduled", 0, {})
    assert job.uuid and job.uuid != model_build(Job, client_id=7).uuid  # callable defaults
    with pytest.raises(TypeError, match="nope"):
        model_build(Job, client_id=7, nope=1)


def test_rows_insert_reads_keys_back_by_a_composite_unique_key():
    from apps.core.bulk import rows_insert
    from apps.delivery.models import Attempt

    client = ClientFactory()
    jobs = jobs_create(client_id=client.id, specs=[JobSpec(channel="sms", payload={})] * 2)
    attempts = [Attempt(job=job, number=n) for job in jobs for n in (1, 2)]
    rows_insert(Attempt, attempts, key=("job_id", "number"))
    stored = {(a.job_id, a.number): a.pk for a in Attempt.objects.all()}
    assert {(a.job_id, a.number): a.pk for a in attempts} == stored and len(stored) == 4
