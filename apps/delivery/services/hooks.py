"""Callbacks (subscribe, success_task_handler, failed_task_handler) as signed webhook jobs.

A callback is a job on the webhook channel (origin ``hook``), so it gets the engine's
retries (8 attempts over about a day), leases and history. Its body is fixed when the job
ends; it is signed when each try is sent (Standard Webhooks: ``webhook-id``,
``webhook-timestamp``, ``webhook-signature: v1,<base64 HMAC-SHA256>``) with the client's
secret, and also with the previous secret during the 24 h after a rotation.
"""

import base64
import hashlib
import hmac
import json
import time

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.delivery.models import Job, Priority
from apps.delivery.services.events import event_record

# Which hook fires for which final state.
HOOKS_BY_STATUS = {
    Job.Status.SUCCEEDED: ("subscribe", "success_task_handler"),
    Job.Status.FAILED: ("subscribe", "failed_task_handler"),
    Job.Status.CANCELLED: ("subscribe",),
}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def hook_body(job: Job, event: str) -> dict:
    """What the sender learns: the job's outcome, attempts, log tag and timestamps."""
    body = {
        "type": f"job.{job.status}",
        "event": event,
        "job_id": str(job.uuid),
        "status": job.status,
        "channel": job.channel,
        "attempts": job.attempts_made,
        "log_tag": job.log_tag,
        "meta": job.meta,
        "timestamps": {
            "created": _iso(job.created_at),
            "queued": _iso(job.queued_at),
            "started": _iso(job.started_at),
            "finished": _iso(job.finished_at),
        },
    }
    if job.status == Job.Status.SUCCEEDED:
        body["result"] = job.result
    else:
        body["error"] = {"message": job.last_error, "reason": job.reason}
    return body


def hooks_schedule(*, job: Job) -> list[Job]:
    """Create the callback jobs a finished job asked for (none for callbacks themselves)."""
    from apps.delivery.services.jobs import JobSpec, jobs_create

    if job.origin == "hook":  # a callback ended: note it in the history of the job it reports
        if job.parent_id:
            event_record(
                job_id=job.parent_id,
                kind=f"hook_{job.status}",
                event=job.meta.get("event"),
                url=job.payload.get("url"),
                attempts=job.attempts_made,
            )
        return []
    specs = [
        JobSpec(
            channel="webhook",
            payload={"url": job.hooks[event], "method": "POST", "data": hook_body(job, event)},
            priority=Priority.MODERATE,
            attempts_allowed=settings.FUSION_HOOK_ATTEMPTS,
            log_tag=job.log_tag,
            origin="hook",
            meta={"event": event},
            parent_id=job.id,
        )
        for event in HOOKS_BY_STATUS.get(job.status, ())
        if job.hooks.get(event)
    ]
    return jobs_create(client_id=job.client_id, specs=specs) if specs else []


def _secrets(client) -> list[str]:
    found = [client.webhook_secret]
    previous = client.settings.get("previous_webhook_secret")
    until = parse_datetime(client.settings.get("previous_webhook_secret_until") or "")
    if previous and until and until > timezone.now():
        found.append(previous)
    return found


def webhook_signature(*, secret: str, msg_id: str, timestamp: int, body: str) -> str:
    """Standard Webhooks ``v1,<signature>`` for one secret."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def hook_payload_signed(job: Job) -> dict:
    """The webhook gateway's payload for one try: the body and fresh signature headers."""
    body = json.dumps(job.payload["data"], separators=(",", ":"), sort_keys=True)
    msg_id, timestamp = f"msg_{job.uuid.hex}", int(time.time())
    signatures = [
        webhook_signature(secret=s, msg_id=msg_id, timestamp=timestamp, body=body)
        for s in _secrets(job.client)
    ]
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signatures),
        "User-Agent": "Fusion-Webhooks/1.0",
    }
    return {"url": job.payload["url"], "method": "POST", "body": body, "headers": headers}
