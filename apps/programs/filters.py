"""Query-string filters of GET /api/programs (ICTCore's program search plus ``parent_id``)."""

import django_filters

from apps.core.filters import CreatedFilterSet, contains, exact
from apps.programs.models import Program


class ProgramFilter(CreatedFilterSet):
    """``program_id``, ``type`` and ``parent_id`` exact, ``name`` a part, ``user_id`` the
    creator, ``before``/``after`` the creation time."""

    program_id = django_filters.NumberFilter(field_name="id")

    class Meta:
        model = Program
        fields = {**contains("name"), **exact("type", "parent_id")}
