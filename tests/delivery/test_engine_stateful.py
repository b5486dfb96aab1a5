"""Property test of the schedule: whatever the interleaving of schedule, cancel, reschedule,
window requests, clock steps, two dispatchers and a provider rate limit switched on and off,
no job is dispatched early or after it was cancelled, none is sent twice, a job is queued again
only after its provider's limit held it back, and a window never has two open jobs.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from apps.delivery.models import Event, Job, OutboxMessage
from apps.delivery.services.dispatch import dispatch_once
from apps.delivery.services.execute import job_execute
from apps.delivery.services.jobs import JobSpec, job_cancel, job_reschedule, jobs_create
from apps.providers.models import Provider
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

START = datetime(2030, 1, 1, tzinfo=UTC)


class ScheduleMachine(RuleBasedStateMachine):
    """A fake clock drives the engine's services; two dispatchers claim in turns."""

    clock = START

    @initialize()
    def setup(self):
        ScheduleMachine.clock = START
        self.client = ClientFactory()
        self.provider = Provider.objects.create(
            client=self.client, name="sb", type="sandbox", service_flag=4
        )
        self.cancelled_at: dict[int, datetime] = {}

    def _jobs(self):
        return Job.objects.filter(client=self.client)

    @rule(
        delay=st.integers(-30, 120),
        priority=st.integers(0, 2),
        window=st.sampled_from([None, None, "w1", "w2"]),
        override=st.booleans(),
    )
    def schedule(self, delay, priority, window, override):
        spec = JobSpec(channel="sms", payload={"to": "+15005550006", "text": str(delay)},
                       priority=priority, run_at=self.clock + timedelta(seconds=delay),
                       window_key=window, override_window=override)  # fmt: skip
        with TestCase.captureOnCommitCallbacks(execute=False):
            jobs_create(client_id=self.client.id, specs=[spec])

    @rule(data=st.data())
    def cancel(self, data):
        ids = list(self._jobs().values_list("id", flat=True))
        if ids:
            job = Job.objects.get(pk=data.draw(st.sampled_from(ids)))
            with TestCase.captureOnCommitCallbacks(execute=False):
                if job_cancel(job=job):
                    self.cancelled_at[job.id] = self.clock

    @rule(data=st.data(), delay=st.integers(-10, 120))
    def reschedule(self, data, delay):
        ids = list(self._jobs().values_list("id", flat=True))
        if ids:
            job = Job.objects.get(pk=data.draw(st.sampled_from(ids)))
            with TestCase.captureOnCommitCallbacks(execute=False):
                job_reschedule(job=job, run_at=self.clock + timedelta(seconds=delay))

    @rule(rate=st.sampled_from([None, 0.05, 0.5]))
    def limit(self, rate):
        """The provider's max_per_second: none, one send every 20 s, or every 2 s."""
        Provider.objects.filter(pk=self.provider.pk).update(max_per_second=rate)

    @rule(seconds=st.integers(0, 45))
    def tick(self, seconds):
        ScheduleMachine.clock += timedelta(seconds=seconds)

    @rule(dispatcher=st.sampled_from(["A", "B"]), run=st.booleans())
    def dispatch(self, dispatcher, run):
        before = set(self._jobs().filter(status="queued").values_list("id", flat=True))
        due = {j.id: j.run_at for j in self._jobs().filter(status__in=Job.WAITING)}
        with TestCase.captureOnCommitCallbacks(execute=False):
            dispatch_once()
        claimed = set(self._jobs().filter(status="queued").values_list("id", flat=True)) - before
        for job_id in claimed:
            assert due[job_id] <= self.clock, f"dispatcher {dispatcher} claimed job {job_id} early"
            assert job_id not in self.cancelled_at, "claimed after cancel"
        if run:
            for job_id in before | claimed:
                with TestCase.captureOnCommitCallbacks(execute=False):
                    job_execute(job_id=job_id)

    @invariant()
    def never_twice_never_after_cancel(self):
        if not hasattr(self, "client"):
            return
        events = Event.objects.filter(job__client=self.client)
        for job in self._jobs():
            held = events.filter(job=job, kind="throttled").count()
            assert events.filter(job=job, kind="queued").count() <= 1 + held
            assert events.filter(job=job, kind="started").count() <= 1
            assert OutboxMessage.objects.filter(job_uuid=job.uuid).count() <= 1
        for job_id in self.cancelled_at:
            uuid = Job.objects.get(pk=job_id).uuid
            assert not OutboxMessage.objects.filter(job_uuid=uuid).exists()
            assert Job.objects.get(pk=job_id).status == "cancelled"

    @invariant()
    def one_open_job_per_window(self):
        if not hasattr(self, "client"):
            return
        for key in ("w1", "w2"):
            window = self._jobs().filter(window_key=key, status="scheduled")
            assert window.filter(started_at__isnull=True).count() <= 1  # open: never dispatched


@pytest.fixture
def fake_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: ScheduleMachine.clock)


def test_schedule_state_machine(fake_clock):
    ScheduleMachine.TestCase.settings = settings(
        max_examples=40,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    ScheduleMachine.TestCase().runTest()
