"""Two dispatchers at once (real threads, real connections) never hand out a job twice."""

import threading

import pytest
from django.db import connection
from django.db.models import Count

from apps.delivery.models import Event, Job
from apps.delivery.services.dispatch import dispatch_once
from apps.delivery.services.jobs import JobSpec, jobs_create
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _dispatcher(errors: list) -> None:
    try:
        while dispatch_once(limit=50):
            pass
    except Exception as exc:  # surfaced by the assertion below
        errors.append(exc)
    finally:
        connection.close()


def test_two_dispatchers_claim_disjoint_sets(settings):
    settings.FUSION_DISPATCH_MAX_QUEUED = 100_000
    client = ClientFactory()
    specs = [
        JobSpec(channel="sms", payload={"to": "+15005550006"}, priority=i % 3) for i in range(1500)
    ]
    jobs_create(client_id=client.id, specs=specs)
    errors: list = []
    threads = [threading.Thread(target=_dispatcher, args=(errors,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert Job.objects.filter(status="queued").count() == 1500
    per_job = Event.objects.filter(kind="queued").values("job_id").annotate(n=Count("id"))
    assert len(per_job) == 1500 and {row["n"] for row in per_job} == {1}
