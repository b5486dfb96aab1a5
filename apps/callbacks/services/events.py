"""Task events (url_before, url_before_again, url_success, url_after) as engine webhook jobs."""

from apps.callbacks.models import CallRecord, CallTask
from apps.delivery.services.jobs import JobSpec

EVENT_ATTEMPTS = 8  # retried like every other hook


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


def event_spec(task: CallTask, event: str, record: CallRecord | None = None) -> JobSpec | None:
    """The webhook job of ``event`` (a task field naming a URL); None when the URL is empty."""
    url = getattr(task, event)
    if not url:
        return None
    args = {"event": event, "task": task_as_dict(task), "call": record_as_dict(record)}
    return JobSpec(
        channel="webhook",
        payload={"url": url, "method": "POST", "args": args, "is_body": 1},
        attempts_allowed=EVENT_ATTEMPTS,
        origin="callbacks",
        meta={"call_task_id": task.id, "event": event},
        log_tag=f"callbacks.{event}",
    )


def event_specs(task: CallTask, events: list[str], record=None) -> list[JobSpec]:
    """Specs of the events among ``events`` the task has a URL for."""
    specs = [event_spec(task, event, record) for event in events]
    return [spec for spec in specs if spec is not None]
