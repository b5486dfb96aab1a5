"""Reminders of a case's customers: one engine job each, due a while before ``task_time``.

Only cases with ``task_notify`` and a scheduled (``normal``) room remind; the job is due
``FUSION_VIDEO_REMINDER_MINUTES`` (30) before ``task_time``, and none is made when that
moment has passed. The row is the schedule: cancel and reschedule are the engine's
conditional updates. Call these functions inside the case's locked transaction
(``apps.cases.services``), which keeps two of them from racing on one case.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from apps.cases import notify
from apps.cases.models import Case, CaseMember
from apps.delivery.models import Job
from apps.delivery.services.jobs import job_cancel, job_reschedule, jobs_create

DEFAULT_MINUTES = 30


def reminder_run_at(case: Case) -> dt.datetime | None:
    """When the case's customers are reminded; None when they are not (no ``task_notify``,
    a realtime room, reminders switched off with 0 minutes, or the moment has passed)."""
    minutes = getattr(settings, "FUSION_VIDEO_REMINDER_MINUTES", DEFAULT_MINUTES)
    if not (case.task_notify and minutes > 0) or case.room_type == Case.RoomType.REALTIME:
        return None
    run_at = case.task_time - dt.timedelta(minutes=minutes)
    return run_at if run_at > timezone.now() else None


def members_remind(*, case: Case, members: list[CaseMember]) -> list[Job]:
    """Schedule a reminder for each reachable member (none when the case does not remind)."""
    run_at = reminder_run_at(case)
    if run_at is None:
        return []
    specs = [
        notify.member_notice_spec(case=case, member=m, kind=notify.REMINDER, run_at=run_at)
        for m in members
    ]
    specs = [spec for spec in specs if spec is not None]
    return jobs_create(client_id=case.client_id, specs=specs) if specs else []


def case_reminders_cancel(*, case: Case) -> int:
    """Cancel the case's reminders that have not started sending; how many were cancelled."""
    return notify.case_pending_notices_cancel(case=case, kinds=(notify.REMINDER,))


def case_reminders_move(*, case: Case) -> int:
    """Bring the case's reminders in line with its (new) ``task_time``: pending ones move,
    customers without one get one, and all are cancelled when no reminder is due any more.
    Answers how many reminders are pending for the new time."""
    run_at = reminder_run_at(case)
    if run_at is None:
        case_reminders_cancel(case=case)
        return 0
    pending = {
        job.meta.get("member_id"): job
        for job in notify.case_pending_notices(case=case, kind=notify.REMINDER)
    }
    customers = list(case.members.filter(role=CaseMember.Role.PUBLISHER).order_by("id"))
    moved = {
        member.pk
        for member in customers
        if member.pk in pending and _reminder_move(pending[member.pk], member, run_at)
    }
    for member_id in pending.keys() - moved:  # left the case, unreachable or already taken
        job_cancel(job=pending[member_id])
    created = members_remind(case=case, members=[m for m in customers if m.pk not in moved])
    return len(moved) + len(created)


def _reminder_move(job: Job, member: CaseMember, run_at: dt.datetime) -> bool:
    """Move one waiting reminder to ``run_at`` with a text (and join link) for the new time;
    False when the member is no longer reachable or the job no longer waits."""
    spec = notify.member_notice_spec(case=member.case, member=member, kind=notify.REMINDER)
    if spec is None:
        return False
    # The text names the time and the join link may be signed for it: both move too.
    return job_reschedule(job=job, run_at=run_at, channel=spec.channel, payload=spec.payload)
