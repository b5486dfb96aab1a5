"""Writes of message assets (the only code that changes them or their stored files).

One module per asset; everything is re-exported here: ``services.document_media_append``.
"""

from apps.content.services.documents import (
    document_create,
    document_delete,
    document_media_append,
    document_media_replace,
    document_update,
)
from apps.content.services.recordings import (
    recording_create,
    recording_delete,
    recording_media_append,
    recording_media_replace,
    recording_update,
)
from apps.content.services.templates import (
    template_attachment_append,
    template_attachment_replace,
    template_create,
    template_delete,
    template_update,
)
from apps.content.services.texts import text_create, text_delete, text_update

__all__ = [
    "document_create", "document_delete", "document_media_append", "document_media_replace",
    "document_update", "recording_create", "recording_delete", "recording_media_append",
    "recording_media_replace", "recording_update", "template_attachment_append",
    "template_attachment_replace", "template_create", "template_delete", "template_update",
    "text_create", "text_delete", "text_update",
]  # fmt: skip
