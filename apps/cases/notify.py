"""Customer notifications of a case, sent as engine jobs (never an HTTP call of our own).

A customer with a phone gets an SMS, otherwise an email; one without either gets nothing.
The payloads use the gateway shapes of ``apps.delivery.gateways.base.Message``. Kinds: an
invitation when the customer is added, a reminder before ``task_time`` (scheduled by
``apps.cases.reminders``), a rescheduled notice (to customers and moderators) and a
cancellation notice. Every notice writes times in UTC, labelled as such: one text per case
whoever reads it, whatever time zone the server or the back-office user is in.
"""

import datetime as dt

from django.db.models import QuerySet
from django.utils.html import format_html

from apps.cases.links import join_url_of
from apps.cases.models import Case, CaseMember
from apps.delivery.models import Job
from apps.delivery.services.jobs import (
    CANCELLABLE,
    JobSpec,
    job_cancel,
    job_reschedule,
    jobs_create,
)

ORIGIN = "cases"
INVITE, REMINDER, CANCELLATION = "invite", "reminder", "cancellation"
RESCHEDULED = "rescheduled"


def time_text(moment: dt.datetime) -> str:
    """A time as every notice writes it: ``2023-12-21 at 06:49 UTC`` (to the minute)."""
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d at %H:%M} UTC"


def _when(case: Case) -> str:
    if case.room_type == Case.RoomType.REALTIME:
        return "ready now"
    return f"on {time_text(case.task_time)}"


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


def _rescheduled_texts(case: Case, member: CaseMember) -> tuple[str, str, str]:
    """(sms text, email subject, email html) of a rescheduled notice: the new time, always
    written out (also for a realtime room, whose invitation said "ready now": a moved room
    is no longer ready now), and the join link, which may have been signed for that time."""
    url, when = join_url_of(member), time_text(case.task_time)
    text = f"{_greeting(member)}, your video appointment {case.task_num} has been moved to {when}."
    html = format_html(
        '<p>{}</p><p><a href="{}">Join the video call</a></p><p>{}</p>', text, url, url
    )
    return f"{text} Join: {url}", f"Video appointment {case.task_num} rescheduled", html


_TEXTS = {
    INVITE: _invite_texts,
    REMINDER: _reminder_texts,
    RESCHEDULED: _rescheduled_texts,
    CANCELLATION: _cancellation_texts,
}


def _idempotency_key(kind: str, member: CaseMember) -> str | None:
    # A member is invited and told of a cancellation once at most. Reminders and rescheduled
    # notices are not keyed: every reschedule may call for new ones after earlier ones were
    # sent (the case's row lock keeps them from being doubled).
    return None if kind in (REMINDER, RESCHEDULED) else f"cases:{kind}:{member.pk}"


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


def case_rescheduled_notify(*, case: Case, previous: dt.datetime) -> list[Job]:
    """Tell every reachable member (customers and moderators) that the case moved from
    ``previous`` to its ``task_time``; nothing when the time as notices write it (UTC, to the
    minute) is the same. Call it inside the case's locked transaction, after the move.

    Unsent notices that name the old time are brought up to date first: a waiting invitation
    is rewritten (it keeps its place in the queue), an earlier rescheduled notice that has not
    gone out is withdrawn (this one replaces it).
    """
    if time_text(previous) == time_text(case.task_time):
        return []
    members = list(case.members.order_by("id"))  # each member's .case is this very case
    _waiting_invitations_rewrite(case=case, members=members)
    case_pending_notices_cancel(case=case, kinds=(RESCHEDULED,))
    return members_notify(case=case, members=members, kind=RESCHEDULED)


def _waiting_invitations_rewrite(*, case: Case, members: list[CaseMember]) -> int:
    """Rewrite the case's invitations that still wait (e.g. retrying) for its new time; how
    many. One already handed to a worker goes out as it is: the rescheduled notice corrects
    it."""
    by_id = {member.pk: member for member in members}
    rewritten = 0
    for job in case_pending_notices(case=case, kind=INVITE):
        member = by_id.get(job.meta.get("member_id"))
        spec = None if member is None else member_notice_spec(case=case, member=member, kind=INVITE)
        if spec is not None:  # job_reschedule only touches a job that still waits
            rewritten += job_reschedule(
                job=job, run_at=job.run_at, channel=spec.channel, payload=spec.payload
            )
    return rewritten
