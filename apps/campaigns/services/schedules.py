"""Campaign schedules: a start or stop at a given time, stored as a row and executed by the
pump task when due (ICTCore stores campaign tasks but nothing ever runs them)."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import APIException

from apps.campaigns.models import Campaign, CampaignSchedule
from apps.campaigns.services.lifecycle import campaign_start, campaign_stop
from apps.core.exceptions import Locked, error_message

logger = logging.getLogger(__name__)
Action = CampaignSchedule.Action
_FINAL = (Campaign.Status.COMPLETED, Campaign.Status.BROKEN)
_BATCH = 100  # schedules executed per pump pass at most


def campaign_schedule_create(
    *, campaign: Campaign, action: str, run_at: datetime
) -> CampaignSchedule:
    """Start or stop ``campaign`` at ``run_at``; 423 for a completed or broken campaign."""
    if campaign.status in _FINAL:
        raise Locked(f"Campaign is {campaign.status}; it cannot be scheduled.")
    return CampaignSchedule.objects.create(campaign=campaign, action=action, run_at=run_at)


def campaign_schedules_cancel(*, campaign: Campaign) -> int:
    """Withdraw every schedule of the campaign that has not run; returns how many."""
    return CampaignSchedule.objects.filter(
        campaign=campaign, done_at__isnull=True, cancelled=False
    ).update(cancelled=True)


def _next_due(now: datetime) -> CampaignSchedule | None:
    due = CampaignSchedule.objects.filter(done_at__isnull=True, cancelled=False, run_at__lte=now)
    return (
        due.select_for_update(skip_locked=True, of=("self",))
        .select_related("campaign")
        .order_by("run_at", "id")
        .first()
    )


def _execute(schedule: CampaignSchedule, now: datetime) -> str:
    """Really start or stop the campaign; the outcome (or why it was refused) as text.

    The services keep their own transactions: a refused start that marked the campaign broken
    stays broken, and a failure inside one rolls back only that start or stop.
    """
    try:
        if schedule.action == Action.START:
            campaign_start(campaign=schedule.campaign, now=now)
        else:
            campaign_stop(campaign=schedule.campaign)
    except APIException as refused:
        return f"refused: {error_message(refused.detail)}"[:255]
    except Exception as exc:  # never retried forever: recorded, and the next one runs
        logger.exception("campaign schedule %s failed", schedule.pk)
        return f"failed: {exc}"[:255]
    return "started" if schedule.action == Action.START else "stopped"


def campaign_schedules_run(*, now: datetime | None = None) -> int:
    """Execute the schedules due at ``now``, oldest first, each once; returns how many ran."""
    now = now or timezone.now()
    ran = 0
    while ran < _BATCH:
        with transaction.atomic():
            schedule = _next_due(now)
            if schedule is None:
                break
            schedule.outcome = _execute(schedule, now)
            schedule.done_at = timezone.now()
            schedule.save(update_fields=["outcome", "done_at"])
        ran += 1
    return ran
