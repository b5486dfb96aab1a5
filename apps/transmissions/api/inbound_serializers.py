"""What providers post to the inbound webhooks, read into ``InboundMessage``s.

SMS comes as Twilio's form (``From``, ``To``, ``Body``, ``MessageSid``) or as generic JSON
(``from``, ``to``, ``text``); email and fax as JSON with base64 files.
"""

import base64
import binascii
import io
from email.utils import getaddresses, parseaddr

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.content.media import UnsupportedMedia, Upload, pdf_inspect
from apps.programs.inbound import InboundFile, InboundMessage


class _FromField:
    """``from`` is a Python keyword: the field is declared as ``from_`` and renamed here."""

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


def _decoded(value: str, field: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise serializers.ValidationError(f"{field} is not valid base64.") from exc


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
)
class AddressListField(serializers.Field):
    """One address, a comma-separated list, or an array; ``Name <a@b>`` forms accepted."""

    def to_internal_value(self, data):
        items = data if isinstance(data, list) else [data]
        addresses = [address for _, address in getaddresses([str(i) for i in items]) if address]
        if not addresses or any("@" not in address for address in addresses):
            raise serializers.ValidationError("Give one or more email addresses.")
        return addresses

    def to_representation(self, value):
        return value


class InboundSmsSerializer(_FromField, serializers.Serializer):
    """Twilio's ``From``/``To``/``Body``/``MessageSid``, or ``from``/``to``/``text``."""

    From = serializers.CharField(required=False, allow_blank=True, max_length=64)
    To = serializers.CharField(required=False, max_length=64)
    Body = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    MessageSid = serializers.CharField(required=False, allow_blank=True, max_length=64)
    from_ = serializers.CharField(required=False, allow_blank=True, max_length=64)
    to = serializers.CharField(required=False, max_length=64)
    text = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    message_id = serializers.CharField(required=False, allow_blank=True, max_length=128)

    def validate(self, attrs: dict) -> dict:
        if not (attrs.get("To") or attrs.get("to")):
            raise serializers.ValidationError({"to": ["The recipient (To or to) is required."]})
        return attrs

    def message(self) -> InboundMessage:
        data = self.validated_data
        details = {
            "text": data.get("Body", data.get("text", "")),
            "provider_message_id": data.get("MessageSid", data.get("message_id", "")),
        }
        sender = data.get("From", data.get("from", ""))
        return InboundMessage("sms", sender, [data.get("To") or data["to"]], details)


class AttachmentSerializer(serializers.Serializer):
    """An attachment of a received email; ``content_base64`` must be valid base64."""

    filename = serializers.CharField(max_length=255)
    content_type = serializers.CharField(required=False, allow_blank=True, max_length=255)
    content_base64 = serializers.CharField()

    def validate_content_base64(self, value: str) -> bytes:
        return _decoded(value, "content_base64")


class InboundEmailSerializer(_FromField, serializers.Serializer):
    """A received email; ``attachments`` carry their bytes in base64."""

    from_ = serializers.CharField(max_length=320)
    to = AddressListField()
    subject = serializers.CharField(required=False, allow_blank=True, max_length=998)
    text = serializers.CharField(required=False, allow_blank=True)
    html = serializers.CharField(required=False, allow_blank=True)
    attachments = AttachmentSerializer(many=True, required=False)

    def validate_from(self, value: str) -> str:
        address = parseaddr(value)[1]
        if "@" not in address:
            raise serializers.ValidationError("Not an email address.")
        return address

    def message(self) -> InboundMessage:
        data = self.validated_data
        files = [InboundFile(a["filename"], a["content_base64"], a.get("content_type", ""))
                 for a in data.get("attachments", [])]  # fmt: skip
        details = {key: data.get(key, "") for key in ("subject", "text", "html")}
        return InboundMessage("email", data["from"], data["to"], details, files)


class InboundFaxSerializer(_FromField, serializers.Serializer):
    """A received fax: the document as a base64 PDF; ``pages`` counted when not given."""

    from_ = serializers.CharField(required=False, allow_blank=True, max_length=64)
    to = serializers.CharField(max_length=64)
    pages = serializers.IntegerField(required=False, min_value=1)
    document_base64 = serializers.CharField()

    def validate_document_base64(self, value: str) -> bytes:
        content = _decoded(value, "document_base64")
        try:  # by content, not by what the sender says: only a readable PDF is a fax
            self._pages = pdf_inspect(Upload(io.BytesIO(content), len(content))).pages
        except UnsupportedMedia as exc:
            raise serializers.ValidationError(str(exc.detail)) from exc
        return content

    def message(self) -> InboundMessage:
        data = self.validated_data
        document = InboundFile("fax.pdf", data["document_base64"], "application/pdf")
        details = {"pages": data.get("pages") or self._pages}
        return InboundMessage("fax", data.get("from", ""), [data["to"]], details, [document])
