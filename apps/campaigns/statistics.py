"""The Comms face's statistics: counts of one client's rows (or every client's, for staff).

Union of ICTCore's three definitions (blueprint, v1.x, v2.1), all integers. Filters:
``service_flag`` (transmissions and spools, bit-wise: every given bit set), ``account_type``
(``account_total``), ``since`` (rows created at or after it; spools by start time).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet

from apps.accounts.models import Account, User
from apps.campaigns.models import Campaign
from apps.contacts.models import Contact, Group
from apps.delivery.models import Attempt
from apps.providers.catalog import SERVICE_FLAGS
from apps.transmissions.models import Transmission

FIELDS = (
    "user_total", "account_total", "did_total", "campaign_total", "campaign_active",
    "group_total", "contact_total", "transmission_total", "transmission_active",
    "transmission_inbound", "transmission_outbound", "spool_total", "spool_success",
    "spool_failed",
)  # fmt: skip


@dataclass(frozen=True)
class StatisticsQuery:
    """Whose rows (``client_id`` None: every client's) and the filters."""

    client_id: int | None
    service_flag: int | None = None
    account_type: str | None = None
    since: datetime | None = None


def _scoped(rows: QuerySet, query: StatisticsQuery, *, client="client_id", created="created_at"):
    if query.client_id is not None:
        rows = rows.filter(**{client: query.client_id})
    if query.since is not None:
        rows = rows.filter(**{f"{created}__gte": query.since})
    return rows


def _accounts(query: StatisticsQuery) -> dict:
    typed = Q(type=query.account_type) if query.account_type else Q(pk__isnull=False)
    return _scoped(Account.objects.all(), query).aggregate(
        account_total=Count("id", filter=typed),
        did_total=Count("id", filter=Q(type=Account.Type.DID)),
    )


def _campaigns(query: StatisticsQuery) -> dict:
    return _scoped(Campaign.objects.all(), query).aggregate(
        campaign_total=Count("id"),
        campaign_active=Count("id", filter=Q(status=Campaign.Status.RUNNING)),
    )


def _transmissions(query: StatisticsQuery) -> dict:
    rows = _scoped(Transmission.objects.all(), query)
    if query.service_flag:
        flag = query.service_flag
        rows = rows.annotate(_bits=F("service_flag").bitand(flag)).filter(_bits=flag)
    return rows.aggregate(
        transmission_total=Count("id"),
        transmission_active=Count("id", filter=Q(status=Transmission.Status.PROCESSING)),
        transmission_inbound=Count("id", filter=Q(direction=Transmission.Direction.INBOUND)),
        transmission_outbound=Count("id", filter=Q(direction=Transmission.Direction.OUTBOUND)),
    )


def _spools(query: StatisticsQuery) -> dict:
    """Spools are the engine attempts of the Comms face's jobs."""
    rows = _scoped(
        Attempt.objects.filter(job__origin="comms"), query, client="job__client_id",
        created="started_at",
    )  # fmt: skip
    if query.service_flag:
        flag = query.service_flag
        channels = [channel for channel, bit in SERVICE_FLAGS.items() if bit & flag == flag]
        rows = rows.filter(job__channel__in=channels)
    return rows.aggregate(
        spool_total=Count("id"),
        spool_success=Count("id", filter=Q(outcome=Attempt.Outcome.SUCCEEDED)),
        spool_failed=Count("id", filter=Q(outcome=Attempt.Outcome.FAILED)),
    )


def statistics_of(query: StatisticsQuery) -> dict[str, int]:
    """Every statistics field, as integers (one aggregate query per table)."""
    counts = {
        "user_total": _scoped(User.objects.all(), query, created="date_joined").count(),
        "group_total": _scoped(Group.objects.all(), query).count(),
        "contact_total": _scoped(Contact.objects.all(), query).count(),
        **_accounts(query),
        **_campaigns(query),
        **_transmissions(query),
        **_spools(query),
    }
    return {name: int(counts[name] or 0) for name in FIELDS}
