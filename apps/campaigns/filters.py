"""Query-string filters of GET /api/campaigns (ICTCore's campaign search, fixed, plus every
other stored field of the rows)."""

import django_filters

from apps.campaigns.models import Campaign
from apps.core.filters import CreatedFilterSet, contains, exact


class CampaignFilter(CreatedFilterSet):
    """Ids, numbers and ``status`` exact (ICTCore matches program_id as a suffix, its bug #16;
    an unknown status finds nothing), ``response``/``source`` a part, ``program_type`` the
    program's type, ``user_id``/``created_by`` the creator, ``before``/``after`` the creation
    time (unix seconds or ISO 8601). The counters are computed per page, so they are no
    filters."""

    campaign_id = django_filters.NumberFilter(field_name="id")
    status = django_filters.CharFilter()
    program_type = django_filters.CharFilter(field_name="program__type")

    class Meta:
        model = Campaign
        fields = {
            **contains("response", "source"),
            **exact("program_id", "group_id", "account_id", "cpm", "try_allowed"),
        }
