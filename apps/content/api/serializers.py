"""Message asset shapes (the Comms spec's Text, Template, Document and Recording objects).

Fields computed from data or media (length, segments, pages, codec, …) are read-only; a
client may send them, as ICTCore's own UIs do, and they are ignored.
"""

from rest_framework import serializers

from apps.content import sms
from apps.content.catalog import CHARSET_CODECS, MESSAGE_CLASSES
from apps.content.models import (
    Document,
    DocumentFile,
    Recording,
    Template,
    TemplateAttachment,
    Text,
)

_ASSET_FIELDS = ["name", "description"]
# The blueprint documents a text's type as "unicode or plain or binary"; ICTCore stores a
# charset there. Clients that follow the blueprint are understood: (charset, encoding).
_BLUEPRINT_TYPES = {
    "plain": ("GSM", sms.ENCODING_GSM),
    "unicode": ("UTF-8", sms.ENCODING_UNICODE),
    "binary": ("UTF-8", sms.ENCODING_BINARY),
}
_CHARSETS = {name.lower(): name for name in CHARSET_CODECS}
_ASSET_TAIL = ["user_id", "created_at", "updated_at"]
_READ_ONLY_TAIL = ["created_at", "updated_at"]


class AssetSerializer(serializers.ModelSerializer):
    """What every asset shows: its creator as ``user_id`` (ICTCore's ``created_by``)."""

    user_id = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)

    def file_name(self, asset) -> str:
        return asset.file.name.rsplit("/", 1)[-1] if asset.file else ""


class TextSerializer(AssetSerializer):
    """An SMS text. ``class`` is the SMS message class; ``encoding`` is derived when absent."""

    text_id = serializers.IntegerField(source="id", read_only=True)
    data = serializers.CharField(trim_whitespace=False)

    class Meta:
        model = Text
        fields = ["text_id", *_ASSET_FIELDS, "data", "type", "length", "segments",
                  "encoding", *_ASSET_TAIL]  # fmt: skip
        read_only_fields = ["length", "segments", *_READ_ONLY_TAIL]

    def to_internal_value(self, data):
        kind = data.get("type") if hasattr(data, "get") else None
        if isinstance(kind, str):
            data = {key: data.get(key) for key in data}
            key = kind.strip().lower()
            if key in _BLUEPRINT_TYPES:
                data["type"], encoding = _BLUEPRINT_TYPES[key]
                data.setdefault("encoding", encoding)
            else:
                data["type"] = _CHARSETS.get(key, kind)
        return super().to_internal_value(data)

    def get_fields(self):
        # "class" is a Python keyword, so the field is added here rather than declared.
        fields = super().get_fields()
        ordered = {}
        for key, field in fields.items():
            ordered[key] = field
            if key == "segments":
                ordered["class"] = serializers.ChoiceField(
                    source="message_class", choices=MESSAGE_CLASSES, required=False
                )
        return ordered

    def validate(self, attrs: dict) -> dict:
        data = attrs.get("data", getattr(self.instance, "data", ""))
        charset = attrs.get("type", getattr(self.instance, "type", "UTF-8"))
        _check_charset(data, charset)
        if attrs.get("encoding") == sms.ENCODING_GSM and not sms.is_gsm7(data):
            bad = "".join(sms.non_gsm7_characters(data))
            raise serializers.ValidationError(
                {"encoding": [f"GSM 7-bit cannot carry these characters of data: {bad!r}."]}
            )
        return attrs


def _check_charset(data: str, charset: str) -> None:
    """412 on ``data`` when the text does not fit the charset named by ``type``."""
    codec = CHARSET_CODECS.get(charset)
    if codec is None:
        bad = sms.non_gsm7_characters(data)
    else:
        bad = [char for char in dict.fromkeys(data) if not _encodable(char, codec)]
    if bad:
        raise serializers.ValidationError(
            {"data": [f"Characters that {charset} cannot carry: {''.join(bad)!r}."]}
        )


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


class TemplateAttachmentSerializer(serializers.ModelSerializer):
    """An attachment uploaded to a template; ``position`` (from 1) is the ``?part=`` to download."""

    class Meta:
        model = TemplateAttachment
        fields = ["position", "name", "content_type", "size", "created_at"]
        read_only_fields = fields


class TemplateSerializer(AssetSerializer):
    """An email template; attachments are uploaded as media and listed here."""

    template_id = serializers.IntegerField(source="id", read_only=True)
    attachments = TemplateAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Template
        fields = ["template_id", *_ASSET_FIELDS, "subject", "body", "body_alt", "type", "length",
                  "attachments", *_ASSET_TAIL]  # fmt: skip
        read_only_fields = ["type", "length", *_READ_ONLY_TAIL]


class DocumentFileSerializer(serializers.ModelSerializer):
    """A PDF uploaded to a document; ``position`` (from 1) is the ``?part=`` to download."""

    class Meta:
        model = DocumentFile
        fields = ["position", "name", "pages", "size", "created_at"]
        read_only_fields = fields


class DocumentSerializer(AssetSerializer):
    """A fax document; the PDF is uploaded as media. ``files`` lists the uploads in order."""

    document_id = serializers.IntegerField(source="id", read_only=True)
    file_name = serializers.SerializerMethodField()
    files = DocumentFileSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = ["document_id", *_ASSET_FIELDS, "type", "file_name", "pages", "size", "size_x",
                  "size_y", "quality", "resolution_x", "resolution_y", "files",
                  *_ASSET_TAIL]  # fmt: skip
        read_only_fields = ["type", "pages", "size", "size_x", "size_y", *_READ_ONLY_TAIL]
        extra_kwargs = {
            "resolution_x": {"min_value": 1, "max_value": 2400},
            "resolution_y": {"min_value": 1, "max_value": 2400},
        }

    def get_file_name(self, document: Document) -> str:
        return self.file_name(document)


class RecordingSerializer(AssetSerializer):
    """A voice recording; the WAV is uploaded as media, which sets the audio fields."""

    recording_id = serializers.IntegerField(source="id", read_only=True)
    file_name = serializers.SerializerMethodField()

    class Meta:
        model = Recording
        fields = ["recording_id", *_ASSET_FIELDS, "type", "file_name", "size", "length", "codec",
                  "channel", "sample", "bitrate", *_ASSET_TAIL]  # fmt: skip
        read_only_fields = ["type", "size", "length", "codec", "channel", "sample", "bitrate",
                            *_READ_ONLY_TAIL]  # fmt: skip

    def get_file_name(self, recording: Recording) -> str:
        return self.file_name(recording)


class TextCreatedSerializer(serializers.Serializer):
    """Answer of creating a text: its id."""

    text_id = serializers.IntegerField()


class TemplateCreatedSerializer(serializers.Serializer):
    """Answer of creating a template or uploading its media: its id."""

    template_id = serializers.IntegerField()


class DocumentCreatedSerializer(serializers.Serializer):
    """Answer of creating a document or uploading its media: its id."""

    document_id = serializers.IntegerField()


class RecordingCreatedSerializer(serializers.Serializer):
    """Answer of creating a recording or uploading its media: its id."""

    recording_id = serializers.IntegerField()
