"""Writes of email templates and their attachments."""

import mimetypes

from django.db import transaction
from django.db.models import Max

from apps.content.media import Upload, upload_check_size
from apps.content.models import Template, TemplateAttachment
from apps.content.services.files import file_store, files_delete_on_commit, stored_files


def template_create(*, client_id: int, created_by=None, **fields) -> Template:
    """Create a template (attachments are uploaded separately, as media)."""
    return Template.objects.create(client_id=client_id, created_by=created_by, **fields)


def template_update(*, template: Template, **fields) -> Template:
    """Change the given fields."""
    for name, value in fields.items():
        setattr(template, name, value)
    template.save()
    return template


def template_delete(*, template: Template) -> None:
    """Delete a template and, once that commits, its attachment files."""
    files = stored_files(*(a.file for a in template.attachments.all()))
    with transaction.atomic():
        template.delete()
        files_delete_on_commit(files)


def template_attachment_replace(*, template: Template, upload: Upload) -> Template:
    """Make ``upload`` the template's only attachment (``PUT …/media``)."""
    upload_check_size(upload)
    with transaction.atomic():
        template = Template.objects.select_for_update().get(pk=template.pk)
        old = list(template.attachments.all())
        TemplateAttachment.objects.filter(pk__in=[a.pk for a in old]).delete()
        _attachment_add(template, upload, position=1)
        files_delete_on_commit(stored_files(*(a.file for a in old)))
        return _template_type_refresh(template)


def template_attachment_append(*, template: Template, upload: Upload) -> Template:
    """Add ``upload`` after the template's attachments (``POST …/media``)."""
    upload_check_size(upload)
    with transaction.atomic():
        # The row lock serializes concurrent appends, so positions never collide.
        template = Template.objects.select_for_update().get(pk=template.pk)
        last = template.attachments.aggregate(last=Max("position"))["last"] or 0
        _attachment_add(template, upload, position=last + 1)
        return _template_type_refresh(template)


def _attachment_add(template: Template, upload: Upload, *, position: int) -> TemplateAttachment:
    content_type = _content_type(upload)
    extension = upload.extension()
    name = upload.filename or f"attachment-{position}{'.' + extension if extension else ''}"
    attachment = TemplateAttachment(
        template=template,
        position=position,
        name=name[:255],
        content_type=content_type,
        size=upload.size,
    )
    file_store(field=attachment.file, upload=upload, name=name)
    attachment.save()
    return attachment


def _content_type(upload: Upload) -> str:
    """The declared type, or one guessed from the file name when the client sent none."""
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared and declared != "application/octet-stream":
        return declared
    return mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"


def _template_type_refresh(template: Template) -> Template:
    """``type`` is the extension of the first attachment, as ICTCore's column."""
    first = template.attachments.order_by("position").first()
    template.type = (
        first.name.rsplit(".", 1)[-1].lower()[:16] if first and "." in first.name else ""
    )
    template.save(update_fields=["type", "updated_at"])
    return template
