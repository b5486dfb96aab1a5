"""Comms-face routes of programs (mounted under /api/)."""

from apps.core.routing import route
from apps.programs.api import views
from apps.transmissions.api.program_views import ProgramTransmissionsView

urlpatterns = [
    route("programs", views.ProgramListView.as_view(), name="program-list"),
    route("programs/<int:program_id>", views.ProgramDetailView.as_view(), name="program-detail"),
    route(
        "programs/<int:program_id>/transmissions",
        ProgramTransmissionsView.as_view(),
        name="program-transmissions",
    ),
    route("programs/<str:program_type>", views.ProgramCreateView.as_view(), name="program-create"),
]
