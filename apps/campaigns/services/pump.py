"""The pump: paces a running campaign through the engine, a minute at a time.

The database row is the schedule. Each pass gives the pending transmissions that fit in the
next ``WINDOW`` an engine job each (priority low, origin ``comms``), with ``run_at`` spaced
``60 / cpm`` seconds apart from the campaign's ``next_slot_at``; the dispatcher starts them
when due. Jobs are not made for the whole group at start: a stop, a cpm change or a delete
then only has a minute of jobs to withdraw, and the engine's queue never holds 100,000 rows
of one campaign in front of everybody else's low-priority work.

The campaign row is locked while pumping, so two pumps never give one transmission two jobs.
"""

import logging
import math
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.campaigns.models import Campaign
from apps.delivery.models import Job, Priority
from apps.delivery.services.jobs import CANCELLABLE, job_cancel, jobs_create
from apps.programs.payloads import PayloadError
from apps.transmissions.models import Transmission
from apps.transmissions.services import transmission_job_spec

logger = logging.getLogger(__name__)

WINDOW = timedelta(seconds=60)
TxStatus = Transmission.Status
OPEN = (TxStatus.PENDING, TxStatus.PROCESSING, TxStatus.INITIALIZING)


class CampaignBroken(Exception):
    """The campaign cannot send at all (its program is gone or does not send)."""


def _locked(campaign_id: int, skip_locked: bool) -> Campaign | None:
    rows = Campaign.objects.select_for_update(skip_locked=skip_locked, of=("self",))
    rows = rows.filter(pk=campaign_id)
    return rows.select_related("program").first()


def unscheduled(campaign_id: int):
    """Pending transmissions of the campaign without a job that may still run."""
    jobless = Q(job__isnull=True) | Q(job__status__in=Job.FINISHED)
    return Transmission.objects.filter(jobless, campaign_id=campaign_id, status=TxStatus.PENDING)


def _slots(campaign: Campaign, now: datetime) -> tuple[datetime, timedelta, int]:
    """First slot, spacing, and how many slots fall before ``now + WINDOW``."""
    interval = timedelta(seconds=60 / campaign.cpm)
    first = max(campaign.next_slot_at or now, now)
    horizon = now + WINDOW
    return first, interval, max(0, math.ceil((horizon - first) / interval))


def _specs(campaign: Campaign, txs: list, first: datetime, interval: timedelta):
    """Job specs for the transmissions that can be sent; the others' failure reasons."""
    specs, sendable, failed = [], [], {}
    for tx in txs:
        run_at = first + interval * len(specs)
        try:
            spec = transmission_job_spec(
                transmission=tx, run_at=run_at, priority=Priority.LOW, campaign_id=campaign.id
            )
        except PayloadError as error:
            if error.field == "program_id":
                raise CampaignBroken(str(error)) from error
            failed.setdefault(str(error)[:2000], []).append(tx.id)
            continue
        specs.append(spec)
        sendable.append(tx)
    return specs, sendable, failed


def _jobs_give(campaign: Campaign, now: datetime) -> int:
    """Jobs for the next window's transmissions; moves ``next_slot_at`` past them."""
    first, interval, count = _slots(campaign, now)
    if not count:
        return 0
    # Ids first: joining program, contact and account before the top-N sort would join every
    # pending row of a 100,000-contact campaign (0.8 s); this way only the window's rows.
    ids = list(unscheduled(campaign.id).order_by("id").values_list("id", flat=True)[:count])
    rows = Transmission.objects.filter(id__in=ids).select_related("program", "contact", "account")
    specs, sendable, failed = _specs(campaign, list(rows.order_by("id")), first, interval)
    for reason, ids in failed.items():  # never left pending: failed, with the reason
        Transmission.objects.filter(pk__in=ids).update(
            status=TxStatus.FAILED, response=reason, updated_at=timezone.now()
        )
    if specs:
        jobs = jobs_create(client_id=campaign.client_id, specs=specs)
        for tx, job in zip(sendable, jobs, strict=True):
            tx.job = job
        Transmission.objects.bulk_update(sendable, ["job"], batch_size=1000)
        campaign.next_slot_at = first + interval * len(specs)
    return len(specs)


def campaign_jobs_cancel(*, campaign: Campaign) -> int:
    """Cancel the campaign's jobs that have not started; their transmissions are pending again
    (a running job is left to finish). Returns how many were cancelled."""
    open_jobs = Transmission.objects.filter(
        campaign_id=campaign.id, status__in=OPEN, job__status__in=CANCELLABLE
    ).values_list("job_id", flat=True)
    cancelled = [job.id for job in Job.objects.filter(id__in=list(open_jobs)).only("id")
                 if job_cancel(job=job)]  # fmt: skip
    # The transmissions receiver does this too once the cancel commits; doing it now lets a
    # pump in this same transaction re-pace them (a retrying job's transmission is processing).
    Transmission.objects.filter(job_id__in=cancelled).update(
        status=TxStatus.PENDING, updated_at=timezone.now()
    )
    return len(cancelled)


def _broken(campaign: Campaign, reason: str) -> None:
    campaign_jobs_cancel(campaign=campaign)
    campaign.status, campaign.response = Campaign.Status.BROKEN, reason[:2000]


def _completion_check(campaign: Campaign) -> None:
    """Nothing pending and nothing in flight: the campaign is completed."""
    if not Transmission.objects.filter(campaign_id=campaign.id, status__in=OPEN).exists():
        campaign.status = Campaign.Status.COMPLETED


def campaign_pump(*, campaign_id: int, now: datetime | None = None, skip_locked=False) -> int:
    """One pass over a running campaign: jobs for the next window, then completion.

    Returns how many jobs it made. ``skip_locked``: leave a campaign another pump holds.
    """
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _locked(campaign_id, skip_locked)
        if campaign is None or campaign.status != Campaign.Status.RUNNING:
            return 0
        try:
            given = _jobs_give(campaign, now)
        except CampaignBroken as error:
            given = 0
            _broken(campaign, str(error))
        if campaign.status == Campaign.Status.RUNNING:
            _completion_check(campaign)
        campaign.save(update_fields=["status", "response", "next_slot_at", "updated_at"])
        return given


def running_campaigns_pump(*, now: datetime | None = None) -> int:
    """Pump every running campaign; one campaign's error spares the others."""
    total = 0
    running = Campaign.objects.filter(status=Campaign.Status.RUNNING).values_list("id", flat=True)
    for campaign_id in list(running):
        try:
            total += campaign_pump(campaign_id=campaign_id, now=now, skip_locked=True)
        except Exception:
            logger.exception("campaign %s: pump failed", campaign_id)
    return total
