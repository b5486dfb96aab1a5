"""SMTP email gateway: one message through Django's SMTP backend to the provider's relay.

Reads the provider's ``host``, ``port`` (25), ``username``/``password`` (login only when both
are set) and ``settings``: ``use_tls`` (STARTTLS), ``use_ssl`` (implicit TLS), ``timeout``
(20 s), ``from_email``/``from_name`` (default sender). See docs/gateways/email-and-webhook.md.
"""

import html
import posixpath
import re
import smtplib
import socket
from email.utils import formataddr, parseaddr
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.utils.html import strip_tags

from apps.core.http import (
    BlockedDestination,
    ResponseTooLarge,
    address_check,
    socket_peer_check,
)
from apps.delivery.gateways.base import (
    DeliveryError,
    Gateway,
    Message,
    Outcome,
    error_for_status,
    stored_file_read,
)
from apps.delivery.gateways.registry import register

# SMTP reply classes by exception: 4xx is "try again later", 5xx is final (RFC 5321 §4.2.1).
_REASONS = (
    (smtplib.SMTPSenderRefused, "rejected_sender"),
    (smtplib.SMTPAuthenticationError, "auth_failed"),
)


def _resolve(host: str, port: int) -> set[str]:
    """Every address ``host`` resolves to (a function of its own so tests can fake DNS)."""
    return {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}


class _GuardedSMTP(smtplib.SMTP):
    def _get_socket(self, host, port, timeout):
        return socket_peer_check(super()._get_socket(host, port, timeout))


class _GuardedSMTPSSL(smtplib.SMTP_SSL):
    def _get_socket(self, host, port, timeout):
        # Check the TCP peer before the TLS handshake sends it anything.
        sock = socket_peer_check(smtplib.SMTP._get_socket(self, host, port, timeout))
        return self.context.wrap_socket(sock, server_hostname=self._host)


class _GuardedBackend(EmailBackend):
    @property
    def connection_class(self):
        return _GuardedSMTPSSL if self.use_ssl else _GuardedSMTP


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else [str(item) for item in value or []]


def _misconfigured(text: str) -> DeliveryError:
    return DeliveryError(text, permanent=True, reason="provider_misconfigured")


def _smtp_error(exc: Exception) -> DeliveryError:
    """Map an smtplib failure; the reply code decides permanence where there is one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):  # every recipient was refused
        codes = [code for code, _ in exc.recipients.values()]
        permanent = bool(codes) and all(code >= 500 for code in codes)
        return DeliveryError(
            f"recipients refused: {exc.recipients}"[:500],
            permanent=permanent,
            reason="invalid_recipient" if permanent else "recipient_deferred",
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        reason = next((r for cls, r in _REASONS if isinstance(exc, cls)), "provider_rejected")
        permanent = exc.smtp_code >= 500
        return DeliveryError(
            f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:500],
            permanent=permanent,
            reason=reason if permanent else "provider_unavailable",
            response={"smtp_code": exc.smtp_code},
        )
    # Disconnects, refused connections, timeouts, DNS failures: all OSError subclasses.
    return DeliveryError(f"network: {exc!r}"[:500], permanent=False, reason="network")


def _render_html(payload: dict) -> str:
    """The HTML body: ``html`` as given, or ``template`` rendered with ``context``."""
    if not payload.get("is_template"):
        return payload.get("html") or ""
    context = payload.get("context") or {}
    if not isinstance(context, dict):
        raise DeliveryError("context must be an object", permanent=True, reason="bad_template")
    try:  # a bare Engine: no project template dirs, tags or filters beyond the built-ins
        return Engine().from_string(payload.get("template") or "").render(Context(context))
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        raise DeliveryError(f"template: {exc}", permanent=True, reason="bad_template") from exc


def _message_id(message: Message, from_email: str) -> str:
    """``<idempotency-key@sender-domain>``: the same for every try of one job."""
    # Not email.utils.make_msgid: it adds time, pid and randomness, so it is never stable.
    local = re.sub(r"[^A-Za-z0-9.\-]", "-", message.idempotency_key)[:128] or message.job_id
    domain = re.sub(r"[^A-Za-z0-9.\-]", "", parseaddr(from_email)[1].partition("@")[2])
    return f"<{local}@{domain or 'fusion.invalid'}>"


@register
class SmtpEmailGateway(Gateway):
    """Builds a multipart email (text, HTML alternative, fetched attachments) and relays it.

    Attachments are fetched before the relay is contacted, so a bad file sends nothing. The
    Message-ID is derived from the idempotency key, so a redelivered job carries the same ID
    and receivers can recognise (and usually collapse) the duplicate.
    """

    channel = "email"
    type = "smtp"

    def send(self, message: Message) -> Outcome:
        """Fetch attachments, then relay; SMTP 5xx is permanent, 4xx and network errors retried."""
        email = self._email(message)
        if not email.recipients():
            raise DeliveryError("no recipients", permanent=True, reason="invalid_recipient")
        for url in _as_list(message.payload.get("files")):
            email.attach(*self._fetch(url))
        for entry in message.payload.get("stored_files") or []:
            email.attach(*stored_file_read(entry))
        host, port = self._relay()
        backend = self._backend(host, port)
        try:
            sent = backend.send_messages([email])
        except BlockedDestination as exc:
            raise DeliveryError(str(exc), permanent=True, reason="blocked_destination") from exc
        except ValueError as exc:  # an invalid address, or a newline in a header (injection)
            raise DeliveryError(str(exc), permanent=True, reason="invalid_message") from exc
        except OSError as exc:  # smtplib's exceptions are OSErrors too
            raise _smtp_error(exc) from exc
        message_id = email.extra_headers["Message-ID"]
        return Outcome(
            provider_message_id=message_id,
            request={
                "host": host,
                "port": port,
                "from": email.from_email,
                "recipients": len(email.recipients()),
                "subject": email.subject,
                "attachments": [name for name, _, _ in email.attachments],
            },
            response={"accepted": sent, "message_id": message_id},
        )

    def _email(self, message: Message) -> EmailMultiAlternatives:
        payload = message.payload
        html_body = _render_html(payload)
        text = payload.get("text") or html.unescape(strip_tags(html_body)).strip()
        sender = payload.get("from_email") or self.settings.get("from_email")
        name = payload.get("from_name") or self.settings.get("from_name")
        from_email = formataddr((name, sender)) if sender and name else sender
        email = EmailMultiAlternatives(
            subject=payload.get("subject") or "",
            body=text,
            from_email=from_email or None,  # None: Django's DEFAULT_FROM_EMAIL
            to=_as_list(payload.get("to")),
            cc=_as_list(payload.get("cc")),
            bcc=_as_list(payload.get("bcc")),
        )
        if html_body:
            email.attach_alternative(html_body, "text/html")
        email.extra_headers["Message-ID"] = _message_id(message, email.from_email)
        return email

    def _fetch(self, url: str) -> tuple[str, bytes, str]:
        """(filename, content, mimetype) of one attachment URL, through the SSRF guard."""
        try:
            response = self.http("GET", url, max_bytes=settings.FUSION_ATTACHMENT_MAX_BYTES)
        except ResponseTooLarge as exc:
            raise DeliveryError(str(exc), permanent=True, reason="attachment_too_large") from exc
        except DeliveryError as exc:  # say which part failed: the relay check blocks alike
            raise DeliveryError(
                f"attachment {url[:100]}: {exc}", permanent=exc.permanent, reason=exc.reason
            ) from exc
        if not 200 <= response.status_code < 300:
            raise error_for_status(response.status_code, url, reason="attachment_unavailable")
        name = posixpath.basename(unquote(urlsplit(url).path)) or "attachment"
        # Parameters such as "; charset=" would break Django's "type/subtype" split.
        mimetype = (response.headers.get("Content-Type") or "").split(";")[0].strip()
        return name, response.content, mimetype if "/" in mimetype else "application/octet-stream"

    def _relay(self) -> tuple[str, int]:
        """The provider's host and port, refused unless every address it resolves to is allowed."""
        host = getattr(self.provider, "host", "")
        if not host:
            raise _misconfigured("the provider has no host")
        port = int(self.provider.port or 25)
        try:
            for address in _resolve(host, port):
                address_check(address)
        except BlockedDestination as exc:
            raise DeliveryError(str(exc), permanent=True, reason="blocked_destination") from exc
        except OSError as exc:  # DNS failure: may well be temporary
            raise _smtp_error(exc) from exc
        return host, port

    def _backend(self, host: str, port: int) -> EmailBackend:
        if self.settings.get("use_tls") and self.settings.get("use_ssl"):
            raise _misconfigured("use_tls and use_ssl exclude each other")
        return _GuardedBackend(
            host=host,
            port=port,
            username=self.provider.username or "",
            password=self.provider.password or "",
            use_tls=bool(self.settings.get("use_tls")),
            use_ssl=bool(self.settings.get("use_ssl")),
            timeout=float(self.settings.get("timeout") or 20),
        )
