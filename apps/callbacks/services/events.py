"""Task events (url_before, url_before_again, url_success, url_after) as signed hook jobs.

Each event is an engine job of origin ``hook`` on the webhook channel, like the Queue
face's callbacks: the engine signs every try (Standard Webhooks: ``webhook-id``,
``webhook-timestamp``, ``webhook-signature`` with the client's secret), retries it
``FUSION_HOOK_ATTEMPTS`` times with the hooks' backoff, never sends it through a provider,
and notes its outcome in the history of its parent, the call's voice job.
"""

from django.conf import settings

from apps.callbacks.models import CallRecord, CallTask
from apps.delivery.models import Priority
from apps.delivery.services.jobs import JobSpec


def task_as_dict(task: CallTask) -> dict:
    """The task object exactly as the API answers it."""
    from apps.callbacks.api.serializers import CallTaskSerializer

    return dict(CallTaskSerializer(task).data)


def record_as_dict(record: CallRecord | None) -> dict:
    """A call record's details, as ``call_history`` answers them."""
    if record is None:
        return {}
    from apps.callbacks.api.serializers import CallRecordSerializer

    return dict(CallRecordSerializer(record).data)


def event_spec(
    task: CallTask, event: str, record: CallRecord | None = None, *, parent_id: int | None
) -> JobSpec | None:
    """The hook job of ``event`` (a task field naming a URL); None when the URL is empty."""
    url = getattr(task, event)
    if not url:
        return None
    body = {"event": event, "task": task_as_dict(task), "call": record_as_dict(record)}
    return JobSpec(
        channel="webhook",
        payload={"url": url, "method": "POST", "data": body},
        priority=Priority.MODERATE,
        attempts_allowed=settings.FUSION_HOOK_ATTEMPTS,
        origin="hook",  # what makes the engine sign it and keep it away from providers
        meta={"call_task_id": task.id, "event": event},
        log_tag=f"callbacks.{event}",
        parent_id=parent_id,
    )


def event_specs(
    task: CallTask, events: list[str], record=None, *, parent_id: int | None
) -> list[JobSpec]:
    """Specs of the events among ``events`` the task has a URL for."""
    specs = [event_spec(task, event, record, parent_id=parent_id) for event in events]
    return [spec for spec in specs if spec is not None]
