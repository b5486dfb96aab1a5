"""Writes of cases: create, add moderators and customers, reschedule, end. The only place with
effects."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from apps.cases import notify, reminders
from apps.cases.models import Case, CaseMember
from apps.cases.numbering import task_num_allocate
from apps.core.exceptions import Conflict

DUPLICATE_OUT_TASK_NUM = "A case with this out_task_num already exists for this business_id."


def _whole_second(moment: dt.datetime) -> dt.datetime:
    # The face speaks unix seconds and the back-office form whole seconds: a case keeps its
    # time to the second, so a time read back and saved again is no change.
    return moment.replace(microsecond=0)


def _out_task_num_taken(*, client_id: int, business_id: int, out_task_num: str) -> bool:
    return Case.objects.filter(
        client_id=client_id, business_id=business_id, out_task_num=out_task_num
    ).exists()


def case_create(*, client_id: int, created_by, task_time: dt.datetime | None, **fields) -> Case:
    """Create an open case with the next task number of the day.

    ``task_time`` None means now (to the second). A duplicate (``business_id``,
    ``out_task_num``) of the client is refused with a ValidationError naming
    ``out_task_num``, also when two requests race (the unique constraint decides).
    """
    duplicate = ValidationError({"out_task_num": [DUPLICATE_OUT_TASK_NUM]})
    if _out_task_num_taken(client_id=client_id, **_reference(fields)):
        raise duplicate
    try:
        with transaction.atomic():
            return Case.objects.create(
                client_id=client_id,
                created_by=created_by,
                task_num=task_num_allocate(),
                task_time=task_time or _whole_second(timezone.now()),
                **fields,
            )
    except IntegrityError:
        if _out_task_num_taken(client_id=client_id, **_reference(fields)):
            raise duplicate from None
        raise


def _reference(fields: dict) -> dict:
    return {"business_id": fields["business_id"], "out_task_num": fields["out_task_num"]}


def _status_locked(case: Case) -> str:
    """Lock the case row until the transaction ends (member adds and status changes of one
    case run one at a time) and refresh ``case.status`` from it."""
    case.status = Case.objects.select_for_update().values_list("status", flat=True).get(pk=case.pk)
    return case.status


def _refuse_closed(case: Case) -> None:
    if not case.is_open:
        raise Conflict(f"The case is {case.status}; it can no longer be changed.")


def _case_lock(case: Case) -> Case:
    """Lock the case and check that it is still open (else a Conflict)."""
    _status_locked(case)
    _refuse_closed(case)
    return case


def moderator_add(
    *, case: Case, user, business_code: str = "", branch_code: str = ""
) -> tuple[CaseMember, bool]:
    """Make ``user`` a moderator of the open ``case``: (membership, created).

    A user who already moderates the case keeps its membership and join link (created False).
    """
    with transaction.atomic():
        _case_lock(case)
        return CaseMember.objects.get_or_create(
            case=case,
            user=user,
            role=CaseMember.Role.MODERATOR,
            defaults={
                "name": _moderator_name(user),
                "email": user.email,
                "business_code": business_code,
                "branch_code": branch_code,
            },
        )


def _moderator_name(user) -> str:
    """The user's full name (else username), cut to the member's ``name`` column: a user's
    names may be longer (150 + 150 characters) than a case member's."""
    limit = CaseMember._meta.get_field("name").max_length
    return (user.get_full_name() or user.username)[:limit]


def publishers_add(*, case: Case, customers: list[dict]) -> list[tuple[CaseMember, bool]]:
    """Add customers (validated dicts of CaseMember fields) to the open ``case``, all or none.

    A customer whose ``id_num`` is already in the case is left as it is (created False).
    With ``task_notify`` every new customer is invited through the engine and, for scheduled
    rooms, reminded before ``task_time``.
    """
    with transaction.atomic():
        _case_lock(case)
        existing = {m.id_num: m for m in case.members.filter(role=CaseMember.Role.PUBLISHER)}
        results = [
            (existing[c["id_num"]], False)
            if c["id_num"] in existing
            else (_publisher_create(case, c), True)
            for c in customers
        ]
        if case.task_notify:
            new = [member for member, created in results if created]
            notify.members_notify(case=case, members=new, kind=notify.INVITE)
            reminders.members_remind(case=case, members=new)
    return results


def _publisher_create(case: Case, customer: dict) -> CaseMember:
    return CaseMember.objects.create(case=case, role=CaseMember.Role.PUBLISHER, **customer)


def case_reschedule(*, case: Case, task_time: dt.datetime) -> bool:
    """Move the open ``case`` to ``task_time``: True when it changed, False when it already
    had that time (to the second); a finished or canceled case is a Conflict.

    Pending reminders move with it (customers without one get one; they are cancelled when
    the new time leaves no room for a reminder). A case with ``task_notify`` tells its
    customers and moderators the new time through the engine (``notify``).
    """
    task_time = _whole_second(task_time)
    with transaction.atomic():
        _case_lock(case)
        previous = Case.objects.values_list("task_time", flat=True).get(pk=case.pk)
        if _whole_second(previous) == task_time:
            return False
        case.task_time = task_time
        case.save(update_fields=["task_time", "updated_at"])
        reminders.case_reminders_move(case=case)
        if case.task_notify:
            notify.case_rescheduled_notify(case=case, previous=previous)
    return True


def case_status_update(*, case: Case, status: str) -> bool:
    """End an open case (finished or canceled): True when it changed, False when it already
    had ``status``; a case already ended otherwise is a Conflict.

    Its pending reminders are cancelled. Canceling a case that notifies customers also
    withdraws unsent invitations and rescheduled notices and tells every reachable customer,
    through the engine.
    """
    with transaction.atomic():
        if _status_locked(case) == status:
            return False
        _refuse_closed(case)
        case.status, case.status_changed_at = status, timezone.now()
        case.save(update_fields=["status", "status_changed_at", "updated_at"])
        reminders.case_reminders_cancel(case=case)
        if status == Case.Status.CANCELED and case.task_notify:
            notify.case_pending_notices_cancel(case=case, kinds=(notify.INVITE, notify.RESCHEDULED))
            customers = list(case.members.filter(role=CaseMember.Role.PUBLISHER))
            notify.members_notify(case=case, members=customers, kind=notify.CANCELLATION)
    return True
