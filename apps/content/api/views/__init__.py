"""Comms-face views of message assets: CRUD in ``assets``, files in ``media``."""

from apps.content.api.views.assets import (
    DocumentDetailView,
    DocumentListView,
    RecordingDetailView,
    RecordingListView,
    TemplateDetailView,
    TemplateListView,
    TextDetailView,
    TextListView,
)
from apps.content.api.views.media import DocumentMediaView, RecordingMediaView, TemplateMediaView

__all__ = [
    "DocumentDetailView", "DocumentListView", "DocumentMediaView", "RecordingDetailView",
    "RecordingListView", "RecordingMediaView", "TemplateDetailView", "TemplateListView",
    "TemplateMediaView", "TextDetailView", "TextListView",
]  # fmt: skip
