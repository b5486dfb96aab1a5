"""Query-string filters of GET /api/providers (unknown keys are ignored)."""

import django_filters

from apps.core.filters import FlagFilter
from apps.providers.models import Provider


class ProviderFilter(django_filters.FilterSet):
    """Exact matches as ICTCore's provider search; ``service_flag`` matches bit-wise."""

    provider_id = django_filters.NumberFilter(field_name="id")
    active = FlagFilter()
    service_flag = django_filters.NumberFilter(method="filter_service_flag")

    class Meta:
        model = Provider
        fields = ["name", "node_id", "host", "type"]

    def filter_service_flag(self, queryset, name, value):
        wanted = int(value)
        ids = [
            p.id for p in queryset.only("id", "service_flag") if p.service_flag & wanted == wanted
        ]
        return queryset.filter(id__in=ids)
