"""Customer notifications of a case, sent as engine jobs (never an HTTP call of our own).

A customer with a phone gets an SMS, otherwise an email; one without either gets nothing.
The payloads use the gateway shapes of ``apps.delivery.gateways.base.Message``. Kinds: an
invitation when the customer is added, a reminder before ``task_time`` (scheduled by
``apps.cases.reminders``) and a cancellation notice.
"""

import datetime as dt

from django.db.models import QuerySet
from django.utils.html import format_html

from apps.cases.links import join_url_of
from apps.cases.models import Case, CaseMember
from apps.delivery.models import Job
from apps.delivery.services.jobs import CANCELLABLE, JobSpec, job_cancel, jobs_create

ORIGIN = "cases"
INVITE, REMINDER, CANCELLATION = "invite", "reminder", "cancellation"


def _when(case: Case) -> str:
    if case.room_type == Case.RoomType.REALTIME:
        return "ready now"
    return f"on {case.task_time.astimezone(dt.UTC):%Y-%m-%d at %H:%M} UTC"


def _greeting(member: CaseMember) -> str:
    return " ".join(part for part in ("Dear", member.title, member.name) if part)


def _invite_texts(case: Case, member: CaseMember) -> tuple[str, str, str]:
    """(sms text, email subject, email html) of an invitation."""
    url = join_url_of(member)
    text = f"{_greeting(member)}, your video appointment {case.task_num} is {_when(case)}. "
    html = format_html(
        '<p>{}, your video appointment {} is {}.</p><p><a href="{}">Join the video call</a>'
        "</p><p>{}</p>",
        _greeting(member),
        case.task_num,
        _when(case),
        url,
        url,
    )
    return f"{text}Join: {url}", f"Your video appointment {case.task_num}", html


def _reminder_texts(case: Case, member: CaseMember) -> tuple[str, str, str]:
    """(sms text, email subject, email html) of a reminder: the invitation, marked as one."""
    text, subject, html = _invite_texts(case, member)
    return f"Reminder: {text}", f"Reminder: {subject}", format_html("<p>Reminder</p>{}", html)


def _cancellation_texts(case: Case, member: CaseMember) -> tuple[str, str, str]:
    """(sms text, email subject, email html) of a cancellation notice."""
    text = f"{_greeting(member)}, your video appointment {case.task_num} has been canceled."
    html = format_html("<p>{}</p>", text)
    return text, f"Video appointment {case.task_num} canceled", html


_TEXTS = {INVITE: _invite_texts, REMINDER: _reminder_texts, CANCELLATION: _cancellation_texts}


def _idempotency_key(kind: str, member: CaseMember) -> str | None:
    # A member is invited and told of a cancellation once at most; reminders are not keyed,
    # since a reschedule may call for a new one after an earlier one was sent (the case's row
    # lock keeps them from being doubled).
    return None if kind == REMINDER else f"cases:{kind}:{member.pk}"


def member_notice_spec(
    *, case: Case, member: CaseMember, kind: str, run_at: dt.datetime | None = None
) -> JobSpec | None:
    """The engine job that tells ``member`` about the case (``kind``: invite, reminder or
    cancellation), due at ``run_at`` (None: now); None when the member has neither a phone
    nor an email."""
    if not (member.phone or member.email):
        return None
    text, subject, html = _TEXTS[kind](case, member)
    if member.phone:
        channel, payload = "sms", {"to": member.phone, "text": text}
    else:
        channel, payload = "email", {"to": [member.email], "subject": subject, "html": html}
    return JobSpec(
        channel=channel,
        payload=payload,
        origin=ORIGIN,
        log_tag=f"case:{case.task_num}",
        run_at=run_at,
        meta={"task_num": case.task_num, "member_id": member.pk, "kind": kind},
        idempotency_key=_idempotency_key(kind, member),
    )


def members_notify(*, case: Case, members: list[CaseMember], kind: str) -> list[Job]:
    """Enqueue one notice per reachable member; the engine sends them after commit."""
    specs = [member_notice_spec(case=case, member=m, kind=kind) for m in members]
    specs = [spec for spec in specs if spec is not None]
    return jobs_create(client_id=case.client_id, specs=specs) if specs else []


def case_pending_notices(*, case: Case, kind: str) -> QuerySet[Job]:
    """The case's notices of ``kind`` that have not started sending."""
    return Job.objects.filter(
        client_id=case.client_id,
        origin=ORIGIN,
        meta__task_num=case.task_num,
        meta__kind=kind,
        status__in=CANCELLABLE,
    )


def case_pending_notices_cancel(*, case: Case, kinds: tuple[str, ...]) -> int:
    """Cancel the case's notices of ``kinds`` that have not started sending; how many were
    cancelled (one that starts meanwhile is left to finish)."""
    pending = [job for kind in kinds for job in case_pending_notices(case=case, kind=kind)]
    return sum(job_cancel(job=job) for job in pending)
