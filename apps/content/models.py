"""Message assets of a client: SMS texts, email templates, fax documents, voice recordings.

Files live in Django's default storage (a local folder by default, any storage backend the
``STORAGES`` setting names otherwise); rows keep only the storage names.
"""

import html
import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags

from apps.content import sms
from apps.content.catalog import (
    CHARSET_CODECS,
    DEFAULT_CHARSET,
    DEFAULT_QUALITY,
    ENCODINGS,
    FAX_RESOLUTIONS,
    MESSAGE_CLASSES,
)
from apps.core.models import TenantModel


def asset_upload_to(instance, filename: str) -> str:
    """``content/<client>/<kind>/<random>.<ext>``: no user-chosen name reaches the storage."""
    suffix = PurePath(filename).suffix.lower()[:16]
    folder = f"content/{instance.storage_client_id()}/{instance.storage_kind}"
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


class Asset(TenantModel):
    """What every message asset has: a name, a description and who created it."""

    name = models.CharField(max_length=120)
    description = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def storage_client_id(self) -> int:
        return self.client_id


class Text(Asset):
    """An SMS text (ICTCore ``text``).

    ``type`` is the charset the text must fit. ``length`` counts characters and ``segments``
    the SMS parts it is sent as; both follow ``data``. ``encoding`` (0 GSM, 1 binary,
    2 unicode) is derived from ``data`` when it is left empty.
    """

    data = models.TextField()
    type = models.CharField(
        max_length=16,
        choices=[(name, name) for name in CHARSET_CODECS],
        default=DEFAULT_CHARSET,
    )
    length = models.PositiveIntegerField(default=0, editable=False)
    segments = models.PositiveIntegerField(default=0, editable=False)
    message_class = models.PositiveSmallIntegerField("class", choices=MESSAGE_CLASSES, default=1)
    encoding = models.PositiveSmallIntegerField(
        choices=ENCODINGS, null=True, blank=True, help_text="Empty: derived from the data."
    )

    class Meta(Asset.Meta):
        indexes = [models.Index(fields=["client", "name"])]

    def save(self, *args, **kwargs):
        # Derived columns are refreshed on every save, so the admin and the API agree.
        if self.encoding is None:
            self.encoding = sms.encoding_for(self.data)
        self.length = len(self.data)
        self.segments = sms.segment_count(self.data, self.encoding, CHARSET_CODECS.get(self.type))
        super().save(*args, **kwargs)


class Template(Asset):
    """An email template (ICTCore ``template``): subject, HTML body, plain alternative.

    ``body_alt`` may stay empty: :meth:`plain_body` derives it from the HTML when a message is
    built. Attachments are :class:`TemplateAttachment` rows, in order; ``type`` is the file
    extension of the first one, ``length`` the characters of the HTML body.
    """

    subject = models.CharField(max_length=255)
    body = models.TextField()
    body_alt = models.TextField(blank=True)
    type = models.CharField(max_length=16, blank=True)
    length = models.PositiveIntegerField(default=0, editable=False)

    class Meta(Asset.Meta):
        indexes = [models.Index(fields=["client", "name"])]

    def save(self, *args, **kwargs):
        self.length = len(self.body)
        super().save(*args, **kwargs)

    def plain_body(self) -> str:
        """``body_alt``, or the HTML body with its tags stripped when there is none."""
        if self.body_alt.strip():
            return self.body_alt
        text = html.unescape(strip_tags(self.body))
        return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n\n", text)).strip()


class TemplateAttachment(models.Model):
    """One file attached to a template; ``position`` orders them (1, 2, …)."""

    storage_kind = "templates"

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveIntegerField()
    file = models.FileField(upload_to=asset_upload_to, max_length=255)
    name = models.CharField(max_length=255, help_text="File name given at upload.")
    content_type = models.CharField(max_length=127)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="content_attachment_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def storage_client_id(self) -> int:
        return self.template.client_id


class Document(Asset):
    """A fax document (ICTCore ``document``): one PDF, possibly built from several uploads.

    ``file`` is the PDF that is faxed and downloaded. Each upload is a :class:`DocumentFile`;
    with several, ``file`` is their concatenation (with one, the same stored file).
    ``size`` is in bytes, ``size_x``/``size_y`` the first page's size in PDF points,
    ``resolution_x``/``resolution_y`` follow ``quality`` unless given.
    """

    class Quality(models.TextChoices):
        BASIC = "basic"
        STANDARD = "standard"
        FINE = "fine"
        SUPER = "super"
        SUPERIOR = "superior"
        ULTRA = "ultra"

    storage_kind = "documents"

    type = models.CharField(max_length=16, blank=True)
    file = models.FileField(upload_to=asset_upload_to, max_length=255, blank=True)
    pages = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    size_x = models.PositiveIntegerField(default=0)
    size_y = models.PositiveIntegerField(default=0)
    quality = models.CharField(max_length=16, choices=Quality.choices, default=DEFAULT_QUALITY)
    resolution_x = models.PositiveIntegerField(default=FAX_RESOLUTIONS[DEFAULT_QUALITY][0])
    resolution_y = models.PositiveIntegerField(default=FAX_RESOLUTIONS[DEFAULT_QUALITY][1])

    class Meta(Asset.Meta):
        indexes = [models.Index(fields=["client", "name"])]


class DocumentFile(models.Model):
    """One uploaded PDF of a document; ``position`` orders them (1, 2, …)."""

    storage_kind = "documents"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    file = models.FileField(upload_to=asset_upload_to, max_length=255)
    name = models.CharField(max_length=255, help_text="File name given at upload.")
    pages = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "position"], name="content_document_file_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def storage_client_id(self) -> int:
        return self.document.client_id


class Recording(Asset):
    """A voice recording (ICTCore ``recording``): one PCM WAV file.

    ``length`` is in seconds, read from the audio itself; ``codec``, ``channel``, ``sample``
    (rate in Hz) and ``bitrate`` (bits per sample, as ICTCore uses the column) describe it.
    """

    storage_kind = "recordings"

    type = models.CharField(max_length=16, blank=True)
    file = models.FileField(upload_to=asset_upload_to, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    length = models.FloatField(default=0)
    codec = models.CharField(max_length=16, default="pcm")
    channel = models.PositiveSmallIntegerField(default=1)
    sample = models.PositiveIntegerField(default=8000)
    bitrate = models.PositiveSmallIntegerField(default=16)

    class Meta(Asset.Meta):
        indexes = [models.Index(fields=["client", "name"])]
