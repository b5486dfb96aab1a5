"""Comms-face routes of campaigns and statistics (mounted under /api/)."""

from apps.campaigns.api import views
from apps.campaigns.api.statistics_views import StatisticsView
from apps.campaigns.models import CampaignSchedule
from apps.core.routing import route

_C = "campaigns/<int:campaign_id>"
_START, _STOP = CampaignSchedule.Action.START, CampaignSchedule.Action.STOP

urlpatterns = [
    route("campaigns", views.CampaignListView.as_view(), name="campaign-list"),
    route(_C, views.CampaignDetailView.as_view(), name="campaign-detail"),
    route(f"{_C}/start", views.CampaignStartView.as_view(), name="campaign-start"),
    route(f"{_C}/stop", views.CampaignStopView.as_view(), name="campaign-stop"),
    route(
        f"{_C}/start/schedule",
        views.CampaignScheduleView.as_view(action=_START),
        name="campaign-start-schedule",
    ),
    route(
        f"{_C}/stop/schedule",
        views.CampaignScheduleView.as_view(action=_STOP),
        name="campaign-stop-schedule",
    ),
    route(f"{_C}/schedule", views.CampaignScheduleCancelView.as_view(), name="campaign-schedule"),
    # ICTDialer's UI calls this path for the same cancel.
    route(
        f"{_C}/schedule/cancel",
        views.CampaignScheduleCancelView.as_view(),
        name="campaign-schedule-cancel",
    ),
    route("statistics", StatisticsView.as_view(), name="statistics"),
]
