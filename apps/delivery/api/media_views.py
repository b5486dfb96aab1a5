"""``/api/media/{token}/{name}``: a stored file, for the vendor that was given this URL.

Public like receipts and inbound webhooks (fax and voice vendors fetch media without logging
in): the token (``apps.delivery.services.media``) signs the storage name and an expiry, and is
the only credential. A wrong or expired token, or a file no longer stored, answers 404.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from apps.delivery.services.media import media_token_valid

_NAME = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, description="The file's storage name."
)


class _AnyAccept(BaseContentNegotiation):
    """A vendor's ``Accept`` (``audio/*``, ``application/pdf``) never causes a 406; the file
    answers with its own type, errors in JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class MediaView(APIView):
    """Streams one stored file (a fax PDF, a WAV recording) with its content type."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    content_negotiation_class = _AnyAccept

    @extend_schema(
        summary="A stored file through a signed, expiring URL (for fax and voice vendors)",
        parameters=[_NAME],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="Wrong or expired token, or no such file."),
        },
        auth=[],
    )
    def get(self, request, token: str, name: str):
        if not media_token_valid(name=name, token=token):
            raise NotFound("Invalid API location or request to non-existing resource.")
        try:
            handle = default_storage.open(name, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise NotFound("Invalid API location or request to non-existing resource.") from exc
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        filename = name.rsplit("/", 1)[-1]
        return FileResponse(handle, content_type=content_type, filename=filename)
