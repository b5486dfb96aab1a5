"""Comms-face routes of message assets (mounted under /api/).

Each route answers at ``messages/<x>`` (the spec's path) and at the short alias ``<x>``
that ICTCore also serves and its clients use (``/api/documents/{id}/media``).
"""

from apps.content.api import views
from apps.core.routing import route

_VIEWS = {
    "texts": ("text", views.TextListView, views.TextDetailView, None),
    "templates": ("template", views.TemplateListView, views.TemplateDetailView,
                  views.TemplateMediaView),
    "documents": ("document", views.DocumentListView, views.DocumentDetailView,
                  views.DocumentMediaView),
    "recordings": ("recording", views.RecordingListView, views.RecordingDetailView,
                   views.RecordingMediaView),
}  # fmt: skip


def _routes(prefix: str, name_prefix: str) -> list:
    patterns = []
    for plural, (noun, list_view, detail_view, media_view) in _VIEWS.items():
        base = f"{prefix}{plural}"
        patterns += [
            route(base, list_view.as_view(), name=f"{name_prefix}{noun}-list"),
            route(f"{base}/<int:{noun}_id>", detail_view.as_view(),
                  name=f"{name_prefix}{noun}-detail"),
        ]  # fmt: skip
        if media_view is not None:
            patterns.append(
                route(f"{base}/<int:{noun}_id>/media", media_view.as_view(),
                      name=f"{name_prefix}{noun}-media")
            )  # fmt: skip
    return patterns


urlpatterns = [*_routes("messages/", ""), *_routes("", "alias-")]
