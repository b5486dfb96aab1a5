"""Query-string filters of GET /api/programs."""

import django_filters

from apps.programs.models import Program


class ProgramFilter(django_filters.FilterSet):
    program_id = django_filters.NumberFilter(field_name="id")
    name = django_filters.CharFilter(lookup_expr="icontains")
    type = django_filters.CharFilter()
    user_id = django_filters.NumberFilter(field_name="created_by_id")
    before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Program
        fields: list[str] = []
