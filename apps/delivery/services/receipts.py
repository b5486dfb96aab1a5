"""Delivery receipts: a vendor's report that a message it accepted reached the handset (or not).

A gateway's success means "accepted". Where the channel reports delivery (SMS through Twilio
or Kannel), the engine gives the gateway a callback URL per attempt,
``{FUSION_PUBLIC_URL}/api/receipts/{attempt_id}/{token}``, and the receipt that arrives there
is recorded on the attempt: delivered sets ``Job.result["delivered"]``; undelivered turns a
succeeded job into a failed one (reason ``undelivered``) and announces ``job_finished``
again, so the face that made it (a transmission) turns failed too.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import Conflict
from apps.core.signing import url_token, url_token_matches
from apps.delivery.gateways.sms.receipts import DELIVERED, UNDELIVERED
from apps.delivery.models import Attempt, Job
from apps.delivery.services.events import event_record
from apps.delivery.services.voice_status import payload_with_attempt_id

_PURPOSE = "receipt"
# Channels whose gateways pass the receipt URL on: SMS vendors, and Telnyx fax (webhook_url).
_RECEIPT_CHANNELS = ("sms", "fax")


def receipt_token_matches(attempt_id: int, token: str) -> bool:
    """True when ``token`` is the receipt token of ``attempt_id`` (constant-time compare)."""
    return url_token_matches(_PURPOSE, attempt_id, token)


def receipt_url(*, attempt_id: int) -> str:
    """``{FUSION_PUBLIC_URL}/api/receipts/{attempt_id}/{token}``; "" when receipts are off."""
    if not settings.FUSION_PUBLIC_URL:
        return ""
    token = url_token(_PURPOSE, attempt_id)
    return f"{settings.FUSION_PUBLIC_URL.rstrip('/')}/api/receipts/{attempt_id}/{token}"


def payload_with_receipt_url(*, job: Job, attempt: Attempt, payload: dict) -> dict:
    """The payload an SMS or fax gateway gets: with this attempt's receipt URL as
    ``callback_url``, unless receipts are off or the payload names its own (the job's sender
    wants them).

    A two-leg voice call gets its ``attempt_id`` instead: Twilio's call status callbacks are
    the voice counterpart of a receipt (``services/voice_status.py``)."""
    if job.channel == "voice" and "a_number" in payload:
        return payload_with_attempt_id(attempt=attempt, payload=payload)
    if job.channel not in _RECEIPT_CHANNELS or payload.get("callback_url"):
        return payload
    if not settings.FUSION_PUBLIC_URL:
        return payload
    return {**payload, "callback_url": receipt_url(attempt_id=attempt.id)}


def attempt_receipt_record(*, attempt: Attempt, state: str, detail: str = "") -> bool:
    """Record a final receipt (delivered / undelivered) of ``attempt``; False when it changes
    nothing (an intermediate state, or the same receipt sent again).

    A receipt that overtakes the end of the attempt itself (the worker has not recorded the
    vendor's acceptance yet) answers 409, so a vendor that retries callbacks sends it again.
    """
    if state not in (DELIVERED, UNDELIVERED):
        return False
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.outcome in (Attempt.Outcome.QUEUED, Attempt.Outcome.STARTED):
            raise Conflict("The attempt is still running; send the receipt again.")
        response = attempt.response if isinstance(attempt.response, dict) else {}
        if (response.get("receipt") or {}).get("state") == state:
            return False
        _attempt_receipt_store(attempt, response, state, detail)
        event_record(job_id=attempt.job_id, kind=state, attempt=attempt.number, detail=detail)
        if state == DELIVERED:
            _job_delivered(attempt)
        else:
            _job_undelivered(attempt, detail)
    return True


def _attempt_receipt_store(attempt: Attempt, response: dict, state: str, detail: str) -> None:
    receipt = {"state": state, "detail": detail, "at": timezone.now().isoformat()}
    attempt.response = {**response, "receipt": receipt}
    fields = ["response"]
    if state == UNDELIVERED and attempt.outcome == Attempt.Outcome.SUCCEEDED:
        # Accepted but never delivered: the try failed after all (the spool shows failed).
        attempt.outcome, attempt.reason, attempt.permanent = Attempt.Outcome.FAILED, state, True
        attempt.error = f"undelivered: {detail}"[:2000]
        fields += ["outcome", "reason", "permanent", "error"]
    attempt.save(update_fields=fields)


def _latest_succeeded(attempt: Attempt):
    """The job, when this attempt is the try that made it succeed (an older try's late
    receipt must not touch a job that was run again since)."""
    return Job.objects.filter(
        pk=attempt.job_id, status=Job.Status.SUCCEEDED, attempts_made=attempt.number
    )


def _job_delivered(attempt: Attempt) -> None:
    job = _latest_succeeded(attempt).select_for_update().first()
    if job is not None:
        job.result = {**(job.result or {}), "delivered": True}
        job.save(update_fields=["result"])


def _job_undelivered(attempt: Attempt, detail: str) -> None:
    """succeeded → failed (reason ``undelivered``), conditionally; then job_finished again."""
    from apps.delivery.services.finish import job_finished_announce

    job_id = attempt.job_id
    changed = _latest_succeeded(attempt).update(
        status=Job.Status.FAILED, reason=UNDELIVERED, last_error=f"undelivered: {detail}"[:2000]
    )
    if changed:
        event_record(job_id=job_id, kind=Job.Status.FAILED, reason=UNDELIVERED)
        transaction.on_commit(lambda: job_finished_announce(job_id=job_id))
