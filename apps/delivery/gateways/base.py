"""The contract every gateway keeps: ``send(message) -> Outcome`` or ``raise DeliveryError``.

A gateway is the only code that talks to a vendor. It gets a normalised ``Message`` (the
channel's payload, already validated by the face that created the job), talks to the vendor
through ``apps.core.http`` (the SSRF guard) or Django's email backends, and says whether a
failure is permanent (fail now) or transient (retry with backoff, maybe on another provider).
"""

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from apps.core.http import BlockedDestination, guarded_request


@dataclass(frozen=True)
class Message:
    """What a gateway is asked to deliver.

    ``payload`` shapes by channel (keys a gateway may rely on):
    - sms: ``to`` (E.164), ``text``, optional ``sender``, ``callback_url``
    - email: ``to``/``cc``/``bcc`` (lists), ``subject``, ``html``, ``text``, ``from_email``,
      ``from_name``, ``files`` (URLs to attach), ``template`` + ``is_template`` + ``context``
    - push: ``token`` or ``topic``, ``title``, ``body``, ``data`` (str → str)
    - whatsapp: ``to`` (E.164), ``text``, optional ``document`` {``url``, ``filename``}
    - webhook: ``url``, ``method``, ``args``, ``is_body``, ``headers``, ``timeout``,
      optional ``callback_url`` (post the response there), ``body`` (raw JSON to send)
    - voice: ``a_number``/``b_number`` (two-leg callback calls), or ``to``, ``from`` and
      ``text`` or ``stored_files`` (a WAV recording) for a voice message
    - fax: ``to``, ``from``, ``header``, ``stored_files`` (PDFs), optional ``callback_url``
    """

    job_id: str
    channel: str
    payload: dict
    idempotency_key: str
    attempt: int = 1
    client_id: int | None = None
    # The Attempt row's id, for gateways whose vendor reports back per attempt (Twilio voice
    # status callbacks); None when the engine does not pass it.
    attempt_id: int | None = None


@dataclass
class Outcome:
    """A successful hand-over to the vendor."""

    provider_message_id: str = ""
    response: dict = field(default_factory=dict)
    request: dict = field(default_factory=dict)  # summary of what was sent (no secrets)
    delivered: bool = False  # True when the vendor confirmed delivery, not only acceptance


class DeliveryError(Exception):
    """A failed delivery. ``permanent`` failures are not retried; ``reason`` is a short code."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        reason: str = "provider_error",
        response: dict | None = None,
    ):
        super().__init__(message)
        self.permanent = permanent
        self.reason = reason
        self.response = response or {}


def error_for_status(status: int, text: str, *, reason: str = "provider_rejected") -> DeliveryError:
    """Map a vendor HTTP status: 408/429/5xx transient, other 4xx permanent."""
    transient = status in (408, 425, 429) or status >= 500
    return DeliveryError(
        f"HTTP {status}: {text[:300]}",
        permanent=not transient,
        reason="provider_unavailable" if transient else reason,
        response={"status": status, "body": text[:1000]},
    )


_QUERY = re.compile(r"\?[^\s'\"]*")


def _scrub(exc: Exception) -> str:
    """requests' error text without query strings: vendors put credentials there."""
    return _QUERY.sub("?…", str(exc))[:500]


class Gateway:
    """Base class: one subclass per vendor and channel, registered by (channel, type)."""

    channel: ClassVar[str]
    type: ClassVar[str]
    # True when ``send_many`` delivers many messages in one go (a bulk vendor call); the
    # engine then hands it the consecutive messages of a batch that share its provider.
    bulk: ClassVar[bool] = False

    @classmethod
    def bulk_for(cls, provider) -> bool:
        """Whether this provider's messages may be sent together (see ``bulk``)."""
        return cls.bulk

    def __init__(self, provider: Any | None):
        self.provider = provider
        self.settings: dict = dict(getattr(provider, "settings", None) or {})

    def send(self, message: Message) -> Outcome:  # pragma: no cover - the contract
        """Hand ``message`` to the vendor: an Outcome, or raise DeliveryError (``permanent``:
        whether a retry could help).
        """
        raise NotImplementedError

    def send_many(self, messages: list[Message]) -> list["Outcome | DeliveryError"]:
        """One result per message, in order: its Outcome or the DeliveryError it failed with."""
        results: list[Outcome | DeliveryError] = []
        for message in messages:
            try:
                results.append(self.send(message))
            except DeliveryError as error:
                results.append(error)
        return results

    def http(self, method: str, url: str, **kwargs):
        """A request through the SSRF guard; network failures become transient errors."""
        import requests

        try:
            return guarded_request(method, url, **kwargs)
        except BlockedDestination as exc:
            raise DeliveryError(str(exc), permanent=True, reason="blocked_destination") from exc
        except requests.Timeout as exc:
            raise DeliveryError(
                f"timeout: {_scrub(exc)}", permanent=False, reason="timeout"
            ) from None
        except requests.RequestException as exc:
            raise DeliveryError(
                f"network: {_scrub(exc)}", permanent=False, reason="network"
            ) from None


def stored_file_read(entry: dict) -> tuple[str, bytes, str]:
    """(filename, content, mimetype) of a ``stored_files`` entry: a file in Django's storage
    (message assets such as an email template's attachment), never fetched over HTTP."""
    from django.core.files.storage import default_storage

    name = entry.get("name", "")
    try:
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise DeliveryError(
            f"stored file {name!r} is missing", permanent=True, reason="attachment_unavailable"
        ) from exc
    filename = entry.get("filename") or name.rsplit("/", 1)[-1]
    return filename, content, entry.get("mimetype") or "application/octet-stream"
