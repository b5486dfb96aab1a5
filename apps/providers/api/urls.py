"""Comms-face routes of providers (mounted under /api/)."""

from apps.core.routing import route
from apps.providers.api import views

urlpatterns = [
    route("providers", views.ProviderListView.as_view(), name="provider-list"),
    route(
        "providers/<int:provider_id>", views.ProviderDetailView.as_view(), name="provider-detail"
    ),
]
