"""Query-string filters of GET /api/campaigns (ICTCore's campaign search, fixed)."""

import django_filters

from apps.campaigns.models import Campaign
from apps.contacts.filters import MomentFilter


class CampaignFilter(django_filters.FilterSet):
    """``campaign_id``, ``group_id`` and ``program_id`` exact (ICTCore matches program_id as a
    suffix, its bug #16), ``status`` exact, ``user_id``/``created_by``, ``before``/``after``
    (creation time: unix seconds or ISO 8601)."""

    campaign_id = django_filters.NumberFilter(field_name="id")
    group_id = django_filters.NumberFilter(field_name="group_id")
    program_id = django_filters.NumberFilter(field_name="program_id")
    status = django_filters.CharFilter()  # exact; an unknown value finds nothing
    user_id = django_filters.NumberFilter(field_name="created_by_id")
    created_by = django_filters.NumberFilter(field_name="created_by_id")
    before = MomentFilter(field_name="created_at", lookup_expr="lt")
    after = MomentFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Campaign
        fields: list[str] = []
