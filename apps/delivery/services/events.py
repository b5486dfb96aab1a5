"""Event rows: the history of every job (state changes and hook deliveries)."""

from apps.core.bulk import rows_fan_out
from apps.delivery.models import Event


def event_record(*, job_id: int, kind: str, **data) -> None:
    """Append one event to a job's history."""
    Event.objects.create(job_id=job_id, kind=kind, data=data)


def events_record_many(*, job_ids, kind: str, **data) -> None:
    """Append the same event to many jobs in one insert (hot paths: create, dispatch)."""
    rows_fan_out(Event, field="job_id", values=list(job_ids), kind=kind, data=data)
