"""Comms-face routes of transmissions and spools (mounted under /api/)."""

from apps.core.routing import route
from apps.transmissions.api import inbound_views, views

_T = "transmissions/<int:transmission_id>"

urlpatterns = [
    route("transmissions", views.TransmissionListView.as_view(), name="transmission-list"),
    route(_T, views.TransmissionDetailView.as_view(), name="transmission-detail"),
    route(f"{_T}/send", views.TransmissionSendView.as_view(), name="transmission-send"),
    route(f"{_T}/retry", views.TransmissionSendView.as_view(), name="transmission-retry"),
    route(f"{_T}/schedule", views.TransmissionScheduleView.as_view(), name="transmission-schedule"),
    route(f"{_T}/clone", views.TransmissionCloneView.as_view(), name="transmission-clone"),
    route(f"{_T}/status", views.TransmissionStatusView.as_view(), name="transmission-status"),
    route(
        f"{_T}/detail",
        views.TransmissionDetailReportView.as_view(),
        name="transmission-detail-report",
    ),
    route(f"{_T}/result", views.TransmissionResultView.as_view(), name="transmission-result"),
    route("spools/<int:spool_id>/status", views.SpoolStatusView.as_view(), name="spool-status"),
    route("spools/<int:spool_id>/result", views.SpoolResultView.as_view(), name="spool-result"),
    *inbound_views.urlpatterns,  # providers' webhooks: /api/inbound/{provider_id}/{token}/…
]
