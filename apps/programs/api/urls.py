"""Comms-face routes of programs (mounted under /api/), including accounts' subscriptions."""

from apps.core.routing import route
from apps.programs.api import subscription_views, views
from apps.transmissions.api.program_views import ProgramTransmissionsView

_A = "accounts/<int:account_id>/programs"

urlpatterns = [
    route("programs", views.ProgramListView.as_view(), name="program-list"),
    route("programs/<int:program_id>", views.ProgramDetailView.as_view(), name="program-detail"),
    route(
        "programs/<int:program_id>/transmissions",
        ProgramTransmissionsView.as_view(),
        name="program-transmissions",
    ),
    route("programs/<str:program_type>", views.ProgramCreateView.as_view(), name="program-create"),
    route(_A, subscription_views.AccountProgramListView.as_view(), name="account-programs"),
    route(
        f"{_A}/<int:program_id>",
        subscription_views.AccountProgramView.as_view(),
        name="account-program",
    ),
]
