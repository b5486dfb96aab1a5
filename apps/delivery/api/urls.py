"""Public routes of the engine (mounted under /api/): delivery receipts."""

from apps.core.routing import route
from apps.delivery.api.receipt_views import ReceiptView

urlpatterns = [
    route("receipts/<int:attempt_id>/<str:token>", ReceiptView.as_view(), name="receipt"),
]
