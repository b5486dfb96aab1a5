"""Public routes of the engine (mounted under /api/): delivery receipts, voice status callbacks
and signed media."""

from django.urls import re_path

from apps.core.routing import route
from apps.delivery.api.media_views import MediaView
from apps.delivery.api.receipt_views import ReceiptView
from apps.delivery.api.voice_status_views import VoiceStatusView

urlpatterns = [
    route("receipts/<int:attempt_id>/<str:token>", ReceiptView.as_view(), name="receipt"),
    route(
        "voice/status/<int:attempt_id>/<str:token>", VoiceStatusView.as_view(), name="voice-status"
    ),  # fmt: skip
    # The storage name keeps its slashes (content/<client>/documents/<random>.pdf).
    re_path(
        r"^media/(?P<token>[0-9]+-[0-9a-f]+)/(?P<name>[^?#]+?)/?$",
        MediaView.as_view(),
        name="media",
    ),
]
