"""Query-string filters of the message asset lists (ICTCore §8 plus every other field of the
rows; unknown keys are ignored).

``<x>_id`` and numbers are exact; name, type, description and the other text fields contain
the value; ``file_name`` is a part of the stored file's name; ``user_id`` is the creator;
``before``/``after`` compare the creation time (unix seconds, as ICTCore, or ISO 8601).
"""

import django_filters

from apps.content.models import Document, Recording, Template, Text
from apps.core.filters import CreatedFilterSet, contains, exact

_ASSET_TEXT = ("name", "type", "description")


class TextFilter(CreatedFilterSet):
    """``GET /api/messages/texts`` filters (``class`` is the SMS message class)."""

    text_id = django_filters.NumberFilter(field_name="id")

    class Meta:
        model = Text
        fields = {**contains(*_ASSET_TEXT, "data"), **exact("length", "segments", "encoding")}

    @classmethod
    def get_filters(cls):
        # "class" is a Python keyword, so it cannot be declared as an attribute.
        filters = super().get_filters()
        filters["class"] = django_filters.NumberFilter(field_name="message_class")
        return filters


class TemplateFilter(CreatedFilterSet):
    """``GET /api/messages/templates`` filters (also subject, body and body_alt)."""

    template_id = django_filters.NumberFilter(field_name="id")

    class Meta:
        model = Template
        fields = {**contains(*_ASSET_TEXT, "subject", "body", "body_alt"), **exact("length")}


class _FileFilterSet(CreatedFilterSet):
    file_name = django_filters.CharFilter(field_name="file", lookup_expr="icontains")


class DocumentFilter(_FileFilterSet):
    """``GET /api/messages/documents`` filters."""

    document_id = django_filters.NumberFilter(field_name="id")

    class Meta:
        model = Document
        fields = {
            **contains(*_ASSET_TEXT),
            **exact("pages", "size", "size_x", "size_y", "quality", "resolution_x",
                    "resolution_y"),
        }  # fmt: skip


class RecordingFilter(_FileFilterSet):
    """``GET /api/messages/recordings`` filters."""

    recording_id = django_filters.NumberFilter(field_name="id")

    class Meta:
        model = Recording
        fields = {
            **contains(*_ASSET_TEXT, "codec"),
            **exact("size", "length", "channel", "sample", "bitrate"),
        }
