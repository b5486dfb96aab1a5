"""Query-string filters of GET /api/transmissions (as ICTCore's transmission search, plus every
other field of the rows) and of a transmission's spools."""

import django_filters

from apps.core.filters import CreatedFilterSet, FieldFilterSet, contains, exact
from apps.delivery.models import Attempt
from apps.transmissions.models import Transmission
from apps.transmissions.selectors import SPOOL_STATUS, status_filter


class TransmissionFilter(CreatedFilterSet):
    """Ids and numbers exact; title/origin/response contain; ``status`` agrees with the shown
    status; ``service_flag`` bit-wise; ``phone``/``email`` match the contact or the account."""

    transmission_id = django_filters.NumberFilter(field_name="id")
    status = django_filters.CharFilter(method="filter_status")
    service_flag = django_filters.NumberFilter(method="filter_service_flag")
    phone = django_filters.CharFilter(method="filter_phone")
    email = django_filters.CharFilter(method="filter_email")

    class Meta:
        model = Transmission
        fields = {
            **contains("title", "origin", "response"),
            **exact("program_id", "account_id", "contact_id", "campaign_id", "direction",
                    "try_allowed", "try_done"),
        }  # fmt: skip

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


class SpoolFilter(FieldFilterSet):
    """``GET /api/transmissions/{id}/detail`` filters: ids exact, ``status`` in the spool
    vocabulary (initiated, completed, failed), ``response`` a part of the error."""

    spool_id = django_filters.NumberFilter(field_name="id")
    transmission_id = django_filters.NumberFilter(method="filter_transmission_id")
    status = django_filters.CharFilter(method="filter_status")
    response = django_filters.CharFilter(field_name="error", lookup_expr="icontains")
    provider_id = django_filters.NumberFilter(field_name="provider_id")
    provider_message_id = django_filters.CharFilter()

    class Meta:
        model = Attempt
        fields: dict = {}

    def filter_transmission_id(self, queryset, name, value):
        return queryset.filter(job__meta__transmission_id=int(value))

    def filter_status(self, queryset, name, value):
        outcomes = [outcome for outcome, shown in SPOOL_STATUS.items() if shown == value]
        return queryset.filter(outcome__in=outcomes)
