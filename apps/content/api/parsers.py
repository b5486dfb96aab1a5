"""Request parsing of media uploads: a raw body of any type, read with a size cap."""

from pathlib import PurePosixPath

from django.utils.http import parse_header_parameters
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.parsers import BaseParser

from apps.content.media import Upload, media_max_bytes, spool_stream


class RawMediaParser(BaseParser):
    """The whole body is the file (``PUT …/media`` with ``Content-Type: application/pdf``).

    The body is streamed to a spooled temporary file, never held whole in memory, and the
    read stops with 413 past FUSION_MEDIA_MAX_BYTES even when no Content-Length was sent.
    A ``Content-Disposition: attachment; filename="x.pdf"`` header names the file.
    """

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None) -> Upload:
        spool = spool_stream(stream, limit=media_max_bytes())
        size = spool.seek(0, 2)
        spool.seek(0)
        request = (parser_context or {}).get("request")
        disposition = request.headers.get("Content-Disposition", "") if request else ""
        _, params = parse_header_parameters(disposition) if disposition else ("", {})
        content_type = (media_type or "").split(";")[0].strip().lower()
        # Only the last path component of a client's file name is kept (display only).
        filename = PurePosixPath(params.get("filename", "").replace("\\", "/")).name
        return Upload(file=spool, size=size, content_type=content_type, filename=filename[:255])


class FileContentNegotiation(BaseContentNegotiation):
    """Downloads answer with the file's own type whatever ``Accept`` says (no 406); errors
    are still JSON."""

    def select_parser(self, request, parsers):
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
