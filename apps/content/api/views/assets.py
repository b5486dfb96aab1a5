"""CRUD of message assets (Comms face "Message", "Voice Recordings", "Email templates",
"SMS Text Message"): ``/api/messages/<x>`` and ``/api/messages/<x>/{<x>_id}``."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view

from apps.content import selectors, services
from apps.content.api import serializers as s
from apps.content.api.views.base import AssetDetailView, AssetListView, asset_permissions
from apps.content.filters import DocumentFilter, RecordingFilter, TemplateFilter, TextFilter

TAGS = ["Messages"]
_TRUE = OpenApiResponse(description="`true`")


def _list_schema(noun: str, serializer, created):
    return extend_schema_view(
        get=extend_schema(tags=TAGS, summary=f"List {noun}s"),
        post=extend_schema(
            tags=TAGS, summary=f"Create a {noun}", request=serializer, responses={200: created}
        ),
    )


def _detail_schema(noun: str, serializer):
    return extend_schema_view(
        get=extend_schema(tags=TAGS, summary=f"Read a {noun}"),
        put=extend_schema(
            tags=TAGS, summary=f"Change a {noun} (only the given fields)",
            request=serializer, responses={200: serializer},
        ),
        delete=extend_schema(tags=TAGS, summary=f"Delete a {noun}", responses={200: _TRUE}),
    )  # fmt: skip


@_list_schema("text", s.TextSerializer, s.TextCreatedSerializer)
class TextListView(AssetListView):
    """``GET/POST /api/messages/texts`` (alias ``/api/texts``)."""

    serializer_class = s.TextSerializer
    filterset_class = TextFilter
    required_permissions = asset_permissions("text")
    id_key = "text_id"
    visible = staticmethod(selectors.texts_visible)
    create = staticmethod(services.text_create)


@_detail_schema("text", s.TextSerializer)
class TextDetailView(AssetDetailView):
    """``GET/PUT/DELETE /api/messages/texts/{text_id}``."""

    serializer_class = s.TextSerializer
    required_permissions = asset_permissions("text")
    lookup_url_kwarg = "text_id"
    asset_kwarg = "text"
    visible = staticmethod(selectors.texts_visible)
    update = staticmethod(services.text_update)
    delete_asset = staticmethod(services.text_delete)


@_list_schema("template", s.TemplateSerializer, s.TemplateCreatedSerializer)
class TemplateListView(AssetListView):
    """``GET/POST /api/messages/templates`` (alias ``/api/templates``)."""

    serializer_class = s.TemplateSerializer
    filterset_class = TemplateFilter
    required_permissions = asset_permissions("template")
    id_key = "template_id"
    visible = staticmethod(selectors.templates_visible)
    create = staticmethod(services.template_create)


@_detail_schema("template", s.TemplateSerializer)
class TemplateDetailView(AssetDetailView):
    """``GET/PUT/DELETE /api/messages/templates/{template_id}``."""

    serializer_class = s.TemplateSerializer
    required_permissions = asset_permissions("template")
    lookup_url_kwarg = "template_id"
    asset_kwarg = "template"
    visible = staticmethod(selectors.templates_visible)
    update = staticmethod(services.template_update)
    delete_asset = staticmethod(services.template_delete)


@_list_schema("document", s.DocumentSerializer, s.DocumentCreatedSerializer)
class DocumentListView(AssetListView):
    """``GET/POST /api/messages/documents`` (alias ``/api/documents``)."""

    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilter
    required_permissions = asset_permissions("document")
    id_key = "document_id"
    visible = staticmethod(selectors.documents_visible)
    create = staticmethod(services.document_create)


@_detail_schema("document", s.DocumentSerializer)
class DocumentDetailView(AssetDetailView):
    """``GET/PUT/DELETE /api/messages/documents/{document_id}``."""

    serializer_class = s.DocumentSerializer
    required_permissions = asset_permissions("document")
    lookup_url_kwarg = "document_id"
    asset_kwarg = "document"
    visible = staticmethod(selectors.documents_visible)
    update = staticmethod(services.document_update)
    delete_asset = staticmethod(services.document_delete)


@_list_schema("recording", s.RecordingSerializer, s.RecordingCreatedSerializer)
class RecordingListView(AssetListView):
    """``GET/POST /api/messages/recordings`` (alias ``/api/recordings``)."""

    serializer_class = s.RecordingSerializer
    filterset_class = RecordingFilter
    required_permissions = asset_permissions("recording")
    id_key = "recording_id"
    visible = staticmethod(selectors.recordings_visible)
    create = staticmethod(services.recording_create)


@_detail_schema("recording", s.RecordingSerializer)
class RecordingDetailView(AssetDetailView):
    """``GET/PUT/DELETE /api/messages/recordings/{recording_id}``."""

    serializer_class = s.RecordingSerializer
    required_permissions = asset_permissions("recording")
    lookup_url_kwarg = "recording_id"
    asset_kwarg = "recording"
    visible = staticmethod(selectors.recordings_visible)
    update = staticmethod(services.recording_update)
    delete_asset = staticmethod(services.recording_delete)
