"""Root URLs: the four API faces, the admin, API docs and health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.accounts.api.urls import auth_urlpatterns
from apps.core.routing import route
from apps.core.views import HealthView

admin.site.site_header = "Fusion back-office"
admin.site.site_title = "Fusion"

urlpatterns = [
    path("admin/", admin.site.urls),
    route("health", HealthView.as_view(), name="health"),
    route("schema", SpectacularAPIView.as_view(), name="schema"),
    route("docs", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    # Comms face (ICTCore compatible); /authenticate is also served at the root.
    path("api/", include("apps.accounts.api.urls")),
    path("api/", include("apps.providers.api.urls")),
    path("api/", include("apps.content.api.urls")),
    path("api/", include("apps.contacts.api.urls")),
    path("api/", include("apps.programs.api.urls")),
    path("api/", include("apps.transmissions.api.urls")),
    path("api/", include("apps.delivery.api.urls")),  # vendors: delivery receipts, media
    path("api/", include("apps.campaigns.api.urls")),
    *auth_urlpatterns,
    path("video/", include("apps.cases.api.urls")),  # Video cases face
    path("client/", include("apps.callbacks.api.urls")),  # Callbacks face
    path("", include("apps.jobs.api.urls")),  # Queue face: /queue/, /schedule/, …
]

handler404 = "apps.core.exceptions.not_found_view"
handler500 = "apps.core.exceptions.server_error_view"
