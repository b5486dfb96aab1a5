"""Media of message assets: ``/api/messages/<x>/{<x>_id}/media``.

``PUT`` replaces the file, ``POST`` appends (another PDF to a fax document, more audio to a
recording, another attachment to a template); both answer ``{"<x>_id": N}``. The body is the
raw file (``Content-Type: application/pdf`` …) or a multipart form with one file. ``GET``
downloads it with a file name that carries the extension.
"""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from apps.content import selectors, services
from apps.content.api import serializers as s
from apps.content.api.parsers import FileContentNegotiation, RawMediaParser
from apps.content.api.views.assets import TAGS
from apps.content.api.views.base import AssetScopedMixin, asset_permissions
from apps.content.catalog import PDF_TYPE, WAV_TYPE, WAV_TYPES
from apps.content.media import EmptyMedia, Upload
from apps.content.selectors import Download

_PART = OpenApiParameter(
    "part", OpenApiTypes.INT, description="Position of one uploaded file (1, 2, …)."
)
_ERRORS = {
    411: OpenApiResponse(description="Empty body: no file uploaded."),
    413: OpenApiResponse(description="File over FUSION_MEDIA_MAX_BYTES."),
    415: OpenApiResponse(description="The body is not the expected kind of file."),
}


class MediaUploadSerializer(serializers.Serializer):
    """A multipart form carrying the file (any field name; ``file`` by convention)."""

    file = serializers.FileField()


def upload_from_request(request) -> Upload:
    """The uploaded file: the raw body, or the (first) file of a multipart form."""
    data = request.data
    if isinstance(data, Upload):
        return data
    files = request.FILES
    found = files.get("file") or files.get("media") or next(iter(files.values()), None)
    if found is None:
        raise EmptyMedia()
    return Upload(file=found, size=found.size, filename=(found.name or "")[:255],
                  content_type=found.content_type or "application/octet-stream")  # fmt: skip


def part_of(request) -> int | None:
    """``?part=N``: one uploaded file of a document or template, counted from 1."""
    value = request.query_params.get("part")
    if value in (None, ""):
        return None
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise ValidationError({"part": ["Use a position: 1, 2, …"]})
    return int(value)


def _schema(noun: str, *, upload_types: list[str], download_type: str, parts: bool):
    """OpenAPI of the three methods of one media endpoint."""
    binary = dict.fromkeys(upload_types, OpenApiTypes.BINARY)
    request = {**binary, "multipart/form-data": MediaUploadSerializer}
    created = getattr(s, f"{noun.capitalize()}CreatedSerializer")
    upload = {"tags": TAGS, "request": request, "responses": {200: created, **_ERRORS}}
    return extend_schema_view(
        get=extend_schema(
            tags=TAGS, summary=f"Download the {noun}'s media", parameters=[_PART] if parts else [],
            responses={(200, download_type): OpenApiResponse(OpenApiTypes.BINARY)},
        ),
        put=extend_schema(summary=f"Replace the {noun}'s media", **upload),
        post=extend_schema(summary=f"Append media to the {noun}", **upload),
    )  # fmt: skip


class MediaView(AssetScopedMixin, generics.GenericAPIView):
    """Upload (replace or append) and download one asset's file."""

    parser_classes = [MultiPartParser, RawMediaParser]
    content_negotiation_class = FileContentNegotiation
    # Read by apps.core.middleware: bodies here may pass FUSION_MAX_BODY_BYTES up to this cap.
    # RawMediaParser and upload_check_size enforce it again on what is really read.
    max_body_bytes_setting = "FUSION_MEDIA_MAX_BYTES"
    id_key: str

    def get(self, request, *args, **kwargs):
        download = self.download_of(self.get_object(), request)
        handle = download.file.storage.open(download.file.name, "rb")
        return FileResponse(handle, as_attachment=True, filename=download.filename,
                            content_type=download.content_type)  # fmt: skip

    def put(self, request, *args, **kwargs):
        return self.store(self.replace)

    def post(self, request, *args, **kwargs):
        return self.store(self.append)

    def store(self, service) -> Response:
        # The record is found (or 404) before the body is read and checked.
        asset = self.get_object()
        upload = upload_from_request(self.request)
        try:
            service(**{self.asset_kwarg: asset}, upload=upload)
        finally:
            upload.file.close()
        return Response({self.id_key: asset.id})

    def download_of(self, asset, request) -> Download:
        raise NotImplementedError


@_schema("document", upload_types=[PDF_TYPE], download_type=PDF_TYPE, parts=True)
class DocumentMediaView(MediaView):
    """``/api/messages/documents/{document_id}/media``: PDF only (checked by content).

    ``GET`` answers the PDF that is faxed (all uploads in order); ``?part=N`` one upload.
    """

    required_permissions = asset_permissions("document", media=True)
    lookup_url_kwarg = "document_id"
    asset_kwarg = "document"
    id_key = "document_id"
    visible = staticmethod(selectors.documents_visible)
    replace = staticmethod(services.document_media_replace)
    append = staticmethod(services.document_media_append)

    def download_of(self, asset, request) -> Download:
        return selectors.document_download(document=asset, part=part_of(request))


@_schema("recording", upload_types=list(WAV_TYPES), download_type=WAV_TYPE, parts=False)
class RecordingMediaView(MediaView):
    """``/api/messages/recordings/{recording_id}/media``: PCM WAV only (checked by content).

    ``POST`` appends audio of the same format to the end of the recording.
    """

    required_permissions = asset_permissions("recording", media=True)
    lookup_url_kwarg = "recording_id"
    asset_kwarg = "recording"
    id_key = "recording_id"
    visible = staticmethod(selectors.recordings_visible)
    replace = staticmethod(services.recording_media_replace)
    append = staticmethod(services.recording_media_append)

    def download_of(self, asset, request) -> Download:
        return selectors.recording_download(recording=asset)


@_schema("template", upload_types=["*/*"], download_type="application/octet-stream", parts=True)
class TemplateMediaView(MediaView):
    """``/api/messages/templates/{template_id}/media``: attachments of any type.

    ``GET`` answers the first attachment; ``?part=N`` another one.
    """

    required_permissions = asset_permissions("template", media=True)
    lookup_url_kwarg = "template_id"
    asset_kwarg = "template"
    id_key = "template_id"
    visible = staticmethod(selectors.templates_visible)
    replace = staticmethod(services.template_attachment_replace)
    append = staticmethod(services.template_attachment_append)

    def download_of(self, asset, request) -> Download:
        return selectors.template_download(template=asset, part=part_of(request))
