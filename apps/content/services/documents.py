"""Writes of fax documents and their PDF files."""

from django.db import transaction
from django.db.models import Max

from apps.content.catalog import FAX_RESOLUTIONS
from apps.content.media import PdfInfo, Upload, pdf_concatenate, pdf_inspect, upload_check_size
from apps.content.models import Document, DocumentFile
from apps.content.services.files import file_store, files_delete_on_commit, stored_files


def document_create(*, client_id: int, created_by=None, **fields) -> Document:
    """Create a document; its resolution follows ``quality`` unless given."""
    _resolution_default(fields)
    return Document.objects.create(client_id=client_id, created_by=created_by, **fields)


def document_update(*, document: Document, **fields) -> Document:
    """Change the given fields; a new quality without a resolution resets the resolution."""
    if "quality" in fields:
        _resolution_default(fields)
    for name, value in fields.items():
        setattr(document, name, value)
    document.save()
    return document


def document_delete(*, document: Document) -> None:
    """Delete a document and, once that commits, its files."""
    files = stored_files(document.file, *(part.file for part in document.files.all()))
    with transaction.atomic():
        document.delete()
        files_delete_on_commit(files)


def document_media_replace(*, document: Document, upload: Upload) -> Document:
    """Make ``upload`` the document's only PDF (``PUT …/media``)."""
    info = pdf_inspect(upload_check_size(upload))
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        parts = list(document.files.all())
        old = stored_files(document.file, *(part.file for part in parts))
        DocumentFile.objects.filter(pk__in=[part.pk for part in parts]).delete()
        _part_add(document, upload, info, position=1)
        document.size_x, document.size_y = info.width, info.height
        _document_assemble(document)
        files_delete_on_commit(old)
    return document


def document_media_append(*, document: Document, upload: Upload) -> Document:
    """Add ``upload``'s pages after the document's (``POST …/media``)."""
    info = pdf_inspect(upload_check_size(upload))
    with transaction.atomic():
        # The row lock serializes concurrent appends, so positions never collide.
        document = Document.objects.select_for_update().get(pk=document.pk)
        last = document.files.aggregate(last=Max("position"))["last"] or 0
        part_names = set(document.files.values_list("file", flat=True))
        # The assembled PDF is a file of its own only when it is not one of the parts.
        old = [f for f in stored_files(document.file) if f[1] not in part_names]
        _part_add(document, upload, info, position=last + 1)
        if last == 0:
            document.size_x, document.size_y = info.width, info.height
        _document_assemble(document)
        files_delete_on_commit(old)
    return document


def _resolution_default(fields: dict) -> None:
    quality = fields.get("quality")
    if quality:
        x, y = FAX_RESOLUTIONS[quality]
        fields.setdefault("resolution_x", x)
        fields.setdefault("resolution_y", y)


def _part_add(document: Document, upload: Upload, info: PdfInfo, *, position: int) -> None:
    name = upload.filename or f"document-{position}.pdf"
    part = DocumentFile(
        document=document, position=position, name=name[:255], pages=info.pages, size=upload.size
    )
    file_store(field=part.file, upload=upload, name=name)
    part.save()


def _document_assemble(document: Document) -> None:
    """Point ``file`` at the PDF to fax: the only part, or all parts concatenated."""
    parts = list(document.files.order_by("position"))
    if len(parts) == 1:
        document.file.name = parts[0].file.name
    else:
        handles = [part.file.open("rb") for part in parts]
        try:
            merged = pdf_concatenate(handles)
        finally:
            for handle in handles:
                handle.close()
        with merged:
            size = merged.seek(0, 2)
            file_store(field=document.file, upload=Upload(merged, size), name="document.pdf")
    document.size = document.file.size
    document.pages = sum(part.pages for part in parts)
    document.type = "pdf"
    document.save()
