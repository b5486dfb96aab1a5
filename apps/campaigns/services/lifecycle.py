"""Writes of campaigns: create, update, delete, start (prepare on the first), stop.

Status machine: new ──start──► running ──stop──► paused ──start──► running … ──► completed.
A start that finds the campaign unable to send (program deleted, not an outbound program,
its content gone, group deleted before the first start) marks it ``broken`` with the reason
and answers 423 with it; broken and completed campaigns cannot be started again.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.campaigns.models import Campaign
from apps.campaigns.services.prepare import campaign_prepare
from apps.campaigns.services.pump import campaign_jobs_cancel, campaign_pump
from apps.contacts.models import Contact
from apps.core.exceptions import Locked
from apps.programs.payloads import PayloadError, outbound_payload
from apps.transmissions.models import Transmission

Status = Campaign.Status
_NOT_STARTABLE = {
    Status.RUNNING: "Campaign is already running.",
    Status.COMPLETED: "Campaign completed; a completed campaign cannot be started again.",
}
_FIXED_AFTER_PREPARE = ("program", "group", "account")
# Stands in for a contact when checking that the program can build a message at all.
_PROBE = Contact(phone="+10000000000", email="probe@example.com")


def _locked(campaign_id: int) -> Campaign:
    locking = Campaign.objects.select_for_update(of=("self",))  # not the nullable program
    return locking.select_related("program").get(pk=campaign_id)


def campaign_create(*, client_id: int, program, group, user=None, **fields) -> Campaign:
    """A ``new`` campaign of ``program`` to ``group`` (fields: account, cpm, try_allowed,
    source); nothing is prepared until the first start."""
    return Campaign.objects.create(
        client_id=client_id, program=program, group=group, created_by=user, **fields
    )


def _sending_problem(campaign: Campaign) -> str | None:
    """Why the campaign cannot send at all, or None."""
    if campaign.program is None:
        return "The campaign's program was deleted."
    if campaign.status == Status.NEW and campaign.group_id is None:
        return "The campaign's group was deleted."
    try:
        outbound_payload(program=campaign.program, contact=_PROBE, account=campaign.account)
    except PayloadError as error:
        return str(error)
    return None


def _refuse_unless_startable(campaign: Campaign) -> None:
    if campaign.status == Status.BROKEN:
        raise Locked(f"Campaign is broken: {campaign.response}")
    if campaign.status in _NOT_STARTABLE:
        raise Locked(_NOT_STARTABLE[campaign.status])


def _run(campaign: Campaign, now: datetime) -> None:
    """Prepare on the first start (refusing an empty group), then running from now."""
    if campaign.status == Status.NEW and not campaign_prepare(campaign=campaign):
        raise Locked("The campaign's group has no contacts; add some before starting.")
    campaign.status, campaign.response = Status.RUNNING, ""
    campaign.last_run = campaign.next_slot_at = now
    campaign.save(update_fields=["status", "response", "last_run", "next_slot_at", "updated_at"])
    campaign_pump(campaign_id=campaign.id, now=now)


def campaign_start(*, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Start (first time: prepare one transmission per contact) or resume from now.

    423 with the reason when running, completed or broken, when the group is empty, or when
    the campaign turns out unable to send (it is then marked broken). The first window of
    jobs is made before this returns.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(campaign.pk)
        _refuse_unless_startable(locked)
        problem = _sending_problem(locked)
        if problem:
            locked.status, locked.response = Status.BROKEN, problem
            locked.save(update_fields=["status", "response", "updated_at"])
        else:
            _run(locked, now)
    locked.refresh_from_db()
    if locked.status == Status.BROKEN:
        raise Locked(f"Campaign is broken: {locked.response}")
    return locked


def campaign_stop(*, campaign: Campaign) -> Campaign:
    """Pause a running campaign: its jobs that have not started are cancelled and their
    transmissions are pending again (a start resumes them); running ones finish."""
    with transaction.atomic():
        locked = _locked(campaign.pk)
        if locked.status != Status.RUNNING:
            raise Locked(f"Campaign is not running (it is {locked.status}).")
        campaign_jobs_cancel(campaign=locked)
        locked.status, locked.next_slot_at = Status.PAUSED, None
        locked.save(update_fields=["status", "next_slot_at", "updated_at"])
    return locked


def _changes(campaign: Campaign, fields: dict) -> dict:
    return {name: value for name, value in fields.items() if getattr(campaign, name) != value}


def campaign_update(*, campaign: Campaign, **fields) -> Campaign:
    """Change the given fields. Program, group and account are fixed once prepared (423).
    A new ``try_allowed`` reaches the pending transmissions; a new ``cpm`` while running
    re-paces: waiting jobs are cancelled and the pump starts again from now."""
    with transaction.atomic():
        locked = _locked(campaign.pk)
        changed = _changes(locked, fields)
        fixed = [name for name in _FIXED_AFTER_PREPARE if name in changed]
        if fixed and locked.status != Status.NEW:
            raise Locked(f"{fixed[0]}_id cannot change once the campaign has started.")
        for name, value in changed.items():
            setattr(locked, name, value)
        locked.save()
        if "try_allowed" in changed:
            Transmission.objects.filter(
                campaign_id=locked.id, status=Transmission.Status.PENDING
            ).update(try_allowed=locked.try_allowed)
        if "cpm" in changed and locked.status == Status.RUNNING:
            _repace(locked)
    locked.refresh_from_db()
    return locked


def _repace(campaign: Campaign) -> None:
    now = timezone.now()
    campaign_jobs_cancel(campaign=campaign)
    campaign.next_slot_at = now
    campaign.save(update_fields=["next_slot_at", "updated_at"])
    campaign_pump(campaign_id=campaign.id, now=now)


def campaign_delete(*, campaign: Campaign) -> None:
    """Delete a campaign that is not running (423 otherwise), cancelling its waiting jobs.
    Its transmissions stay (with their ``campaign_id``), as in ICTCore."""
    with transaction.atomic():
        locked = _locked(campaign.pk)
        if locked.status == Status.RUNNING:
            raise Locked("Campaign is running; stop it before deleting it.")
        campaign_jobs_cancel(campaign=locked)
        locked.delete()
