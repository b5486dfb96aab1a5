"""Query-string filters of GET /api/transmissions (as ICTCore's transmission search)."""

import django_filters

from apps.transmissions.models import Transmission
from apps.transmissions.selectors import status_filter


class TransmissionFilter(django_filters.FilterSet):
    """Ids exact; title/origin/response contain; ``status`` agrees with the shown status;
    ``service_flag`` bit-wise; ``phone``/``email`` match the contact or the account."""

    transmission_id = django_filters.NumberFilter(field_name="id")
    title = django_filters.CharFilter(lookup_expr="icontains")
    origin = django_filters.CharFilter(lookup_expr="icontains")
    response = django_filters.CharFilter(lookup_expr="icontains")
    status = django_filters.CharFilter(method="filter_status")
    service_flag = django_filters.NumberFilter(method="filter_service_flag")
    phone = django_filters.CharFilter(method="filter_phone")
    email = django_filters.CharFilter(method="filter_email")
    user_id = django_filters.NumberFilter(field_name="created_by_id")
    before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Transmission
        fields = ["program_id", "account_id", "contact_id", "campaign_id", "direction"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_filter(value))

    def filter_service_flag(self, queryset, name, value):
        flags = {
            f
            for f in queryset.values_list("service_flag", flat=True).distinct()
            if f & int(value) == int(value)
        }
        return queryset.filter(service_flag__in=flags)

    def filter_phone(self, queryset, name, value):
        return queryset.filter(contact__phone__endswith=value) | queryset.filter(
            account__phone__endswith=value
        )

    def filter_email(self, queryset, name, value):
        return queryset.filter(contact__email__iexact=value) | queryset.filter(
            account__email__iexact=value
        )
