"""Query-string filters of GET /api/providers (unknown keys are ignored)."""

import django_filters

from apps.core.filters import FieldFilterSet, MomentFilter, contains, exact
from apps.providers.catalog import GATEWAY_FLAGS
from apps.providers.models import Provider

_TYPE_OF_GATEWAY_FLAG = {flag: kind for kind, flag in GATEWAY_FLAGS.items()}


class ProviderFilter(FieldFilterSet):
    """Exact matches as ICTCore's provider search (``description`` a part); ``service_flag``
    matches bit-wise; ``gateway_flag`` names the type; ``before``/``after`` the creation
    time."""

    provider_id = django_filters.NumberFilter(field_name="id")
    service_flag = django_filters.NumberFilter(method="filter_service_flag")
    gateway_flag = django_filters.NumberFilter(method="filter_gateway_flag")
    before = MomentFilter(field_name="created_at", lookup_expr="lt")
    after = MomentFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Provider
        fields = {
            **exact("name", "node_id", "host", "type", "port", "username", "dialstring",
                    "prefix", "register", "weight", "active", "max_per_second"),
            **contains("description"),
        }  # fmt: skip

    def filter_service_flag(self, queryset, name, value):
        wanted = int(value)
        ids = [
            p.id for p in queryset.only("id", "service_flag") if p.service_flag & wanted == wanted
        ]
        return queryset.filter(id__in=ids)

    def filter_gateway_flag(self, queryset, name, value):
        return queryset.filter(type=_TYPE_OF_GATEWAY_FLAG.get(int(value), ""))
