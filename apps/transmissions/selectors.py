"""Reads: transmissions as the Comms face shows them, and spools (engine attempts)."""

from django.db.models import Q, QuerySet

from apps.accounts.tenancy import queryset_for_user
from apps.delivery.models import Attempt, Job
from apps.transmissions.models import Transmission

# Spool status vocabulary of the spec (initiated, completed, failed).
SPOOL_STATUS = {
    Attempt.Outcome.QUEUED: "initiated",
    Attempt.Outcome.STARTED: "initiated",
    Attempt.Outcome.SUCCEEDED: "completed",
    Attempt.Outcome.FAILED: "failed",
}


def transmission_list(*, actor) -> QuerySet[Transmission]:
    """Transmissions ``actor`` may see, with program, job, contact and account joined."""
    rows = Transmission.objects.select_related("program", "job", "contact", "account")
    return queryset_for_user(rows, actor)


def transmission_status(tx: Transmission) -> str:
    """The stored status, except ``pending_retry`` while the engine waits to try again."""
    waiting = tx.job is not None and tx.job.status == Job.Status.RETRYING
    if tx.status == Transmission.Status.PROCESSING and waiting:
        return Transmission.Status.PENDING_RETRY
    return tx.status


def status_filter(value: str) -> Q:
    """``?status=`` that agrees with transmission_status()."""
    retrying = Q(status=Transmission.Status.PROCESSING, job__status=Job.Status.RETRYING)
    if value == Transmission.Status.PENDING_RETRY:
        return retrying
    if value == Transmission.Status.PROCESSING:
        return Q(status=value) & ~retrying
    return Q(status=value)


def spools_of(tx: Transmission) -> QuerySet[Attempt]:
    """Every try of the transmission, over all its sends, oldest first."""
    jobs = Job.objects.filter(client_id=tx.client_id, origin="comms", meta__transmission_id=tx.id)
    return Attempt.objects.filter(job__in=jobs).select_related("job", "provider").order_by("id")


def spool_list(*, actor) -> QuerySet[Attempt]:
    """Spools the actor may see (attempts of the Comms face's jobs of its client)."""
    rows = Attempt.objects.filter(job__origin="comms").select_related("job", "provider")
    return queryset_for_user(rows, actor, field="job__client")


def spool_results(attempt: Attempt) -> list[dict]:
    """The step results of one try, as ICTCore's spool_result rows."""
    provider = attempt.provider.name if attempt.provider else ""
    rows = [("info", "gateway", attempt.gateway), ("info", "provider", provider)]
    if attempt.provider_message_id:
        rows.append(("message", "provider_message_id", attempt.provider_message_id))
    if attempt.error:
        rows.append(("error", attempt.reason or "error", attempt.error))
    if attempt.outcome in (Attempt.Outcome.SUCCEEDED, Attempt.Outcome.FAILED):
        result = "success" if attempt.outcome == Attempt.Outcome.SUCCEEDED else "failed"
        rows.append(("application", "result", result))
    at = attempt.ended_at or attempt.started_at
    return [
        {"spool_result_id": attempt.id * 100 + n, "spool_id": attempt.id, "type": kind,
         "name": name, "data": str(data)[:2000], "date_created": at}
        for n, (kind, name, data) in enumerate(rows, start=1)
    ]  # fmt: skip


_RESULT_EXACT = ("spool_result_id", "spool_id", "type", "name")


def results_matching(rows: list[dict], query) -> list[dict]:
    """ICTCore's result search over ``spool_results`` rows: ids, ``type`` and ``name`` exact,
    ``data`` a part (ignoring case); other keys are ignored."""
    for key in _RESULT_EXACT:
        if query.get(key):
            rows = [row for row in rows if str(row[key]) == query[key]]
    if query.get("data"):
        needle = query["data"].lower()
        rows = [row for row in rows if needle in row["data"].lower()]
    return rows
