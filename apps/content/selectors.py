"""Reads of message assets: what a user may see, and which stored file a download serves."""

import mimetypes
from dataclasses import dataclass
from pathlib import PurePath

from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify
from rest_framework.exceptions import NotFound

from apps.accounts.tenancy import queryset_for_user
from apps.content.catalog import PDF_TYPE, WAV_TYPE
from apps.content.models import Document, Recording, Template, Text


@dataclass(frozen=True)
class Download:
    """A stored file to send, with the name and type the client sees."""

    file: FieldFile
    filename: str
    content_type: str


def texts_visible(*, user) -> QuerySet[Text]:
    """Texts ``user`` may see: its client's, every client's for global staff."""
    return queryset_for_user(Text.objects.all(), user)


def templates_visible(*, user) -> QuerySet[Template]:
    """Templates ``user`` may see (as ``texts_visible``), attachments prefetched."""
    return queryset_for_user(Template.objects.prefetch_related("attachments"), user)


def documents_visible(*, user) -> QuerySet[Document]:
    """Documents ``user`` may see (as ``texts_visible``), uploaded files prefetched."""
    return queryset_for_user(Document.objects.prefetch_related("files"), user)


def recordings_visible(*, user) -> QuerySet[Recording]:
    """Recordings ``user`` may see (as ``texts_visible``)."""
    return queryset_for_user(Recording.objects.all(), user)


def download_name(name: str, fallback: str, extension: str) -> str:
    """A safe file name that ends in ``.extension`` (ICTDialer #22: downloads need one)."""
    stem = slugify(PurePath(name or "").stem) or fallback
    return f"{stem}.{extension}"


def document_download(*, document: Document, part: int | None = None) -> Download:
    """The document's PDF, or with ``part`` the PDF uploaded at that position."""
    if part is None:
        if not document.file:
            raise NotFound("Document has no media; upload it with PUT …/media.")
        name = download_name(document.name, f"document-{document.id}", "pdf")
        return Download(document.file, name, PDF_TYPE)
    found = document.files.filter(position=part).first()
    if found is None:
        raise NotFound(f"Document has no file {part}.")
    return Download(found.file, download_name(found.name, f"document-{part}", "pdf"), PDF_TYPE)


def recording_download(*, recording: Recording) -> Download:
    """The recording's WAV file."""
    if not recording.file:
        raise NotFound("Recording has no media; upload it with PUT …/media.")
    name = download_name(recording.name, f"recording-{recording.id}", "wav")
    return Download(recording.file, name, WAV_TYPE)


def template_download(*, template: Template, part: int | None = None) -> Download:
    """The template's attachment at ``part`` (the first by default)."""
    found = template.attachments.filter(position=part or 1).first()
    if found is None:
        raise NotFound("Template has no such attachment.")
    extension = PurePath(found.name).suffix or mimetypes.guess_extension(found.content_type)
    extension = (extension or ".bin").lstrip(".").lower()
    name = download_name(found.name, f"attachment-{found.position}", extension)
    return Download(found.file, name, found.content_type)
