"""Reads of campaigns: the caller's campaigns and their counters (one aggregate query)."""

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from apps.accounts.tenancy import queryset_for_user
from apps.campaigns.models import Campaign, CampaignSchedule
from apps.transmissions.models import Transmission

TxStatus = Transmission.Status
COUNTERS = ("contact_total", "contact_done", "pending", "sent", "succeeded", "failed")
NO_COUNTS = dict.fromkeys(COUNTERS, 0)


def campaign_list(*, actor) -> QuerySet[Campaign]:
    """Campaigns ``actor`` may see, with their program (for ``program_type``)."""
    return queryset_for_user(Campaign.objects.select_related("program"), actor)


def campaign_counters(campaign_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per campaign: transmissions (``contact_total``), ``pending`` (not tried yet), ``sent``
    (tried at least once), ``succeeded`` (completed), ``failed`` (failed or invalid) and
    ``contact_done`` (no longer pending, ICTCore's name) — one GROUP BY for all of them."""
    rows = (
        Transmission.objects.filter(campaign_id__in=list(campaign_ids))
        .order_by()
        .values("campaign_id")
        .annotate(
            contact_total=Count("id"),
            pending=Count("id", filter=Q(status=TxStatus.PENDING)),
            sent=Count("id", filter=Q(try_done__gte=1)),
            succeeded=Count("id", filter=Q(status=TxStatus.COMPLETED)),
            failed=Count("id", filter=Q(status__in=[TxStatus.FAILED, TxStatus.INVALID])),
        )
    )
    counters = {}
    for row in rows:
        row["contact_done"] = row["contact_total"] - row["pending"]
        counters[row.pop("campaign_id")] = row
    return counters


def campaign_schedules_open(*, campaign: Campaign) -> QuerySet[CampaignSchedule]:
    """The campaign's schedules that have neither run nor been cancelled."""
    return campaign.schedules.filter(done_at__isnull=True, cancelled=False)
