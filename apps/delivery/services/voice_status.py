"""Twilio call status callbacks: the URL a call reports to, recording what it reports, reading it.

A two-leg callback call (``gateways/voice/twilio.py``) asks Twilio to post each leg's status
changes (initiated, ringing, answered, completed) to
``{FUSION_PUBLIC_URL}/api/voice/status/{attempt_id}/{token}`` (token: ``url_token`` of the
attempt id, purpose ``voice_status``). The endpoint stores them on the attempt row, in
``Attempt.response["call_status"]`` keyed by Twilio's ``CallSid`` — the A leg, every extended
A number tried and the B leg (whose ``ParentCallSid`` is its A call) — and the gateway, which
is still running the try, reads them back instead of polling Twilio.

Callbacks for the legs of one call arrive concurrently and out of order, so a report is
merged under a row lock (``select_for_update``) and never moves a leg backwards (a late
``ringing`` does not undo ``completed``; its time is still kept).
"""

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.signing import url_token, url_token_matches
from apps.delivery.models import Attempt

_PURPOSE = "voice_status"
KEY = "call_status"  # where the legs live in Attempt.response
FINAL = ("completed", "busy", "no-answer", "failed", "canceled")
STATUSES = ("queued", "initiated", "ringing", "in-progress", *FINAL)
# How far along a leg is: a report of a lower rank than the stored one is out of order.
_RANK = {"queued": 0, "initiated": 0, "ringing": 1, "in-progress": 2, **dict.fromkeys(FINAL, 3)}
MAX_CALLS = 32  # legs kept per attempt: the A numbers tried and B; more is not a real call


@dataclass(frozen=True)
class CallStatusReport:
    """One status callback of one leg, as Twilio posts it (already validated)."""

    sid: str
    status: str
    parent_sid: str = ""
    to: str = ""
    from_: str = ""
    duration: int | None = None
    timestamp: str = ""  # RFC 2822, as Twilio sends it
    answered_by: str = ""
    sequence: int | None = None


def voice_status_token_matches(attempt_id: int, token: str) -> bool:
    """True when ``token`` is the status-callback token of ``attempt_id`` (constant time)."""
    return url_token_matches(_PURPOSE, attempt_id, token)


def voice_status_url(*, attempt_id: int | None) -> str:
    """``{FUSION_PUBLIC_URL}/api/voice/status/{attempt_id}/{token}``; "" when callbacks are off
    (no public URL, or no attempt to record them on)."""
    if not settings.FUSION_PUBLIC_URL or not attempt_id:
        return ""
    token = url_token(_PURPOSE, attempt_id)
    return f"{settings.FUSION_PUBLIC_URL.rstrip('/')}/api/voice/status/{attempt_id}/{token}"


def payload_with_attempt_id(*, attempt: Attempt, payload: dict) -> dict:
    """A two-leg call's payload with its attempt id, so its gateway can address Twilio's
    status callbacks to this attempt (only when they can reach us: FUSION_PUBLIC_URL set)."""
    if "a_number" not in payload or not settings.FUSION_PUBLIC_URL or attempt is None:
        return payload
    return {**payload, "attempt_id": attempt.id}


def _iso(timestamp: str) -> str:
    """Twilio's RFC 2822 ``Timestamp`` as ISO 8601; the time of arrival when it is unreadable."""
    try:
        when = parsedate_to_datetime(timestamp) if timestamp else None
    except (TypeError, ValueError, IndexError):
        when = None
    if not isinstance(when, datetime) or when.tzinfo is None:
        when = timezone.now()
    return when.isoformat()


def _merged(old: dict, report: CallStatusReport) -> dict:
    """The leg ``old`` after ``report``: its time is always kept, its status only when it
    does not go backwards (nor behind a newer ``SequenceNumber`` of the same rank)."""
    times = {**(old.get("times") or {})}
    times.setdefault(report.status, _iso(report.timestamp))
    leg = {**old, "times": times}
    old_rank = _RANK.get(old.get("status", ""), -1)
    new_rank = _RANK[report.status]
    old_sequence, sequence = old.get("sequence"), report.sequence
    stale = new_rank < old_rank or (
        new_rank == old_rank and None not in (old_sequence, sequence) and old_sequence > sequence
    )
    if stale:
        return leg
    leg.update(sid=report.sid, status=report.status, sequence=sequence)
    for key, value in (("parent_sid", report.parent_sid), ("to", report.to),
                       ("from", report.from_), ("answered_by", report.answered_by),
                       ("duration", report.duration)):  # fmt: skip
        if value not in ("", None):
            leg[key] = value
    return leg


def attempt_call_status_record(*, attempt_id: int, report: CallStatusReport) -> bool | None:
    """Store ``report`` on the attempt; None when there is no such attempt, False when it
    changes nothing (a repeat, or one leg too many), True when stored."""
    if not 0 < attempt_id < 2**63:  # beyond any id (and beyond what the database compares)
        return None
    with transaction.atomic():
        # The row lock makes concurrent callbacks of A and B merge one after the other.
        attempt = Attempt.objects.select_for_update().only("id", "response")
        attempt = attempt.filter(pk=attempt_id).first()
        if attempt is None:
            return None
        response = attempt.response if isinstance(attempt.response, dict) else {}
        calls = response.get(KEY) if isinstance(response.get(KEY), dict) else {}
        if report.sid not in calls and len(calls) >= MAX_CALLS:
            return False
        leg = _merged(calls.get(report.sid) or {}, report)
        if leg == calls.get(report.sid):
            return False
        attempt.response = {**response, KEY: {**calls, report.sid: leg}}
        attempt.save(update_fields=["response"])
    return True


def attempt_call_statuses(*, attempt_id: int) -> dict[str, dict]:
    """{CallSid: leg} recorded for the attempt so far (one indexed read; the gateway's poll)."""
    response = Attempt.objects.filter(pk=attempt_id).values_list("response", flat=True).first()
    calls = response.get(KEY) if isinstance(response, dict) else None
    return calls if isinstance(calls, dict) else {}
