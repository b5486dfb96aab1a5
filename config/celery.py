"""The Celery app: JSON only, late acks, three priority queues, and a worker heartbeat.

Work that is not due yet never waits in Celery (no ETA/countdown): the database row is
the schedule and the dispatcher publishes due work to the queue of its priority.
"""

import os

from celery import Celery, bootsteps
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("fusion")
app.config_from_object("django.conf:settings", namespace="CELERY")

PRIORITY_QUEUES = ("high", "default", "low")
SYSTEM_QUEUE = "system"

app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    # A task is acknowledged after it ran, and re-queued if its worker process dies.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    # One message at a time per process, so a long low-priority batch cannot
    # hold high-priority work hostage in a prefetch buffer.
    worker_prefetch_multiplier=1,
    task_queues=[Queue(name) for name in (SYSTEM_QUEUE, *PRIORITY_QUEUES)],
    task_default_queue="default",
    task_routes={
        "system.*": {"queue": SYSTEM_QUEUE},
    },
    broker_connection_retry_on_startup=True,
    timezone="UTC",
    enable_utc=True,
)


class WorkerHeartbeatStep(bootsteps.StartStopStep):
    """Writes a heartbeat every few seconds from each worker, for /health/ to read."""

    requires = {"celery.worker.components:Timer"}
    interval = 10.0

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        from apps.core.heartbeat import heartbeat_record

        heartbeat_record(kind="worker", name=worker.hostname)
        self.tref = worker.timer.call_repeatedly(
            self.interval, heartbeat_record, kwargs={"kind": "worker", "name": worker.hostname}
        )

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()


app.steps["worker"].add(WorkerHeartbeatStep)
app.autodiscover_tasks()
