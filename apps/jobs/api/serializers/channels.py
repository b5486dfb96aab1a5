"""Each channel's ``data``: validated, then turned into exactly the payload its gateways expect
(see the ``Message`` docstring in apps/delivery/gateways/base.py).

Keys the gateways do not know are dropped, so nothing unvalidated reaches a vendor.
"""

import posixpath
from urllib.parse import urlsplit

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.fast_validation import FastValidationMixin
from apps.jobs.api.serializers.fields import (
    EmailListField,
    HeaderMapField,
    HttpUrlField,
    PhoneError,
    StringMapField,
    e164_of,
)
from apps.providers.catalog import EMAIL, PUSH, SMS, WEBHOOK, WHATSAPP

DEFAULT_WEBHOOK_TIMEOUT = 15


def _present(payload: dict) -> dict:
    """The payload without keys whose value was not given (None or "")."""
    return {key: value for key, value in payload.items() if value not in (None, "")}


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class DigitsField(serializers.CharField):
    """A number the spec sends as JSON number or string (contact, countryCode, otp)."""


class ChannelDataSerializer(FastValidationMixin, serializers.Serializer):
    """Base: ``context["kind"]`` is the task's catalog row; ``payload(data)`` turns validated
    data into the gateway shape."""

    def payload(self, data: dict) -> dict:  # pragma: no cover - every channel defines it
        raise NotImplementedError


class PhoneContactMixin:
    """``contact`` + ``countryCode`` → ``to`` in E.164 (phonenumbers decides validity)."""

    def to_e164(self, attrs: dict) -> str:
        try:
            return e164_of(attrs["contact"], attrs.get("countryCode"))
        except PhoneError as error:
            raise serializers.ValidationError({error.field: [str(error)]}) from error


class SmsDataSerializer(PhoneContactMixin, ChannelDataSerializer):
    """SMS data: contact + countryCode (→ E.164 ``to``), message (→ ``text``), senderId
    (→ ``sender``), otp, config (``config.provider`` pins a provider), callback_url."""

    contact = DigitsField(max_length=32)
    countryCode = DigitsField(max_length=8, required=False, allow_null=True)
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    senderId = serializers.CharField(required=False, allow_blank=True, max_length=32)
    otp = DigitsField(required=False, allow_blank=True, max_length=16)
    config = serializers.DictField(required=False)
    callback_url = HttpUrlField(required=False, allow_blank=True)

    def validate_config(self, config: dict) -> dict:
        provider = config.get("provider")
        if provider is not None and not isinstance(provider, str | int):
            raise serializers.ValidationError("config.provider must be a name, type or id.")
        return config

    def validate(self, attrs: dict) -> dict:
        attrs["to"] = self.to_e164(attrs)
        if not attrs.get("message") and not attrs.get("otp"):
            raise serializers.ValidationError({"message": ["Give a message (or an otp)."]})
        return attrs

    def payload(self, data: dict) -> dict:
        optional = {
            "sender": data.get("senderId"),
            "otp": data.get("otp"),
            "config": data.get("config") or None,
            "callback_url": data.get("callback_url"),
        }
        return {"to": data["to"], "text": data.get("message", "")} | _present(optional)


class EmailDataSerializer(ChannelDataSerializer):
    """Email data: to/cc/bcc, subject, message (→ ``html``), sender_name (→ ``from_name``),
    sender_email (→ ``from_email``), files (URLs), template + is_template, callback_url."""

    to = EmailListField(min_length=1)
    cc = EmailListField(required=False)
    bcc = EmailListField(required=False)
    subject = serializers.CharField(max_length=998)
    message = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    sender_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    sender_email = serializers.EmailField(required=False, allow_blank=True)
    files = serializers.ListField(child=HttpUrlField(), required=False, max_length=20)
    template = serializers.CharField(required=False, allow_blank=True)
    is_template = serializers.BooleanField(required=False, default=False)
    context = serializers.DictField(required=False)
    callback_url = HttpUrlField(required=False, allow_blank=True)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("is_template") and not attrs.get("template"):
            raise serializers.ValidationError({"template": ["Required when is_template is 1."]})
        if not any(attrs.get(key) for key in ("message", "text", "template")):
            raise serializers.ValidationError({"message": ["Give a message or a template."]})
        return attrs

    def payload(self, data: dict) -> dict:
        body = {
            "to": data["to"],
            "cc": data.get("cc", []),
            "bcc": data.get("bcc", []),
            "subject": data["subject"],
            "html": data.get("message"),
            "text": data.get("text"),
            "from_name": data.get("sender_name"),
            "from_email": data.get("sender_email"),
            "files": data.get("files") or None,
            "callback_url": data.get("callback_url"),
        }
        if data.get("template"):
            body |= {"template": data["template"], "is_template": data["is_template"]}
            body["context"] = data.get("context") or None
        return _present(body)


class PushDataSerializer(ChannelDataSerializer):
    """Push data: token or topic (exactly one), title, body, data (string values)."""

    token = serializers.CharField(required=False, allow_blank=True, max_length=4096)
    topic = serializers.CharField(required=False, allow_blank=True, max_length=900)
    title = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    body = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    data = StringMapField(required=False)

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("token")) == bool(attrs.get("topic")):
            raise serializers.ValidationError({"token": ["Give a device token or a topic."]})
        return attrs

    def payload(self, data: dict) -> dict:
        keys = ("token", "topic", "title", "body")
        return _present({key: data.get(key) for key in keys} | {"data": data.get("data") or None})


class WebhookDataSerializer(ChannelDataSerializer):
    """Webhook data: url, args, isBody (→ ``is_body``), timeout (1-60 s), callback +
    callback_url, headers (merged over the task's headers); the method comes from task_type."""

    url = HttpUrlField()
    args = serializers.DictField(required=False)
    isBody = serializers.BooleanField(required=False, allow_null=True, default=None)
    timeout = serializers.IntegerField(
        required=False, min_value=1, max_value=60, default=DEFAULT_WEBHOOK_TIMEOUT
    )
    callback = serializers.BooleanField(required=False, allow_null=True, default=None)
    callback_url = HttpUrlField(required=False, allow_blank=True)
    headers = HeaderMapField(required=False)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("callback") and not attrs.get("callback_url"):
            raise serializers.ValidationError({"callback_url": ["Required when callback is 1."]})
        return attrs

    def payload(self, data: dict) -> dict:
        method = self.context["kind"].method
        is_body = data.get("isBody")
        # Without isBody, args travel the way the method usually carries them.
        if is_body is None:
            is_body = method in ("POST", "PUT")
        callback_url = data.get("callback_url") if data.get("callback") is not False else None
        headers = {**(self.context.get("headers") or {}), **(data.get("headers") or {})}
        body = {"url": data["url"], "method": method, "args": data.get("args") or {}}
        body |= {"is_body": is_body, "headers": headers, "timeout": data["timeout"]}
        return _present(body | {"callback_url": callback_url})


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "format": "uri"},
            {
                "type": "object",
                "properties": {"url": {"type": "string"}, "filename": {"type": "string"}},
                "required": ["url"],
            },
        ]
    }
)
class DocumentField(serializers.Field):
    """A file to send: a URL string, or ``{"url", "filename"}``."""

    default_error_messages = {"invalid": "Give a file URL, or an object with url and filename."}

    def to_internal_value(self, data) -> dict:
        if isinstance(data, str):
            data = {"url": data}
        if not isinstance(data, dict):
            self.fail("invalid")
        url = HttpUrlField().run_validation(data.get("url"))
        filename = data.get("filename")
        if filename is not None and not isinstance(filename, str):
            self.fail("invalid")
        return {"url": url, "filename": filename or None}

    def to_representation(self, value):
        return value


class WhatsAppDataSerializer(PhoneContactMixin, ChannelDataSerializer):
    """WhatsApp data: contact + countryCode (→ E.164 ``to``), message (→ ``text``), file, url or
    document (→ ``document`` {url, filename}; required by task_type 2), cache_key (consent)."""

    contact = DigitsField(max_length=32)
    countryCode = DigitsField(max_length=8, required=False, allow_null=True)
    message = serializers.CharField(required=False, allow_blank=True, max_length=4096)
    file = DocumentField(required=False)
    url = DocumentField(required=False)
    document = DocumentField(required=False)
    filename = serializers.CharField(required=False, allow_blank=True, max_length=255)
    cache_key = serializers.CharField(required=False, allow_blank=True, max_length=255)

    def validate(self, attrs: dict) -> dict:
        attrs["to"] = self.to_e164(attrs)
        attrs["doc"] = attrs.get("file") or attrs.get("url") or attrs.get("document")
        if self.context["kind"].with_file and not attrs["doc"]:
            raise serializers.ValidationError(
                {
                    "file": [
                        "This task_type sends a file: give data.file, data.url or data.document."
                    ]
                }
            )
        if not attrs["doc"] and not attrs.get("message"):
            raise serializers.ValidationError({"message": ["This field is required."]})
        return attrs

    def payload(self, data: dict) -> dict:
        body = {"to": data["to"], "text": data.get("message", "")}
        if data["doc"]:
            filename = data["doc"]["filename"] or data.get("filename") or _name_of(data["doc"])
            body["document"] = {"url": data["doc"]["url"], "filename": filename}
        return body | _present({"cache_key": data.get("cache_key")})


def _name_of(document: dict) -> str:
    return posixpath.basename(urlsplit(document["url"]).path) or "document"


CHANNEL_DATA_SERIALIZERS: dict[str, type[ChannelDataSerializer]] = {
    SMS: SmsDataSerializer,
    EMAIL: EmailDataSerializer,
    PUSH: PushDataSerializer,
    WEBHOOK: WebhookDataSerializer,
    WHATSAPP: WhatsAppDataSerializer,
}
