"""Telnyx Programmable Fax (provider type ``telnyx``, channel ``fax``).

``POST {base_url}/v2/faxes`` with JSON ``connection_id``, ``to``, ``from`` and ``media_url``:
Telnyx fetches the PDF itself, so ``media_url`` is the signed, expiring public URL of the
stored document (``apps.delivery.services.media``); several PDFs are joined into one first.
Bearer auth with ``Provider.password`` (the API v2 key). Telnyx answers 202 with
``{"data": {"id": …, "status": "queued"}}``; the id is the provider message id.

Success means "queued at Telnyx". With FUSION_PUBLIC_URL set, the attempt's receipt URL goes
as ``webhook_url``, so ``fax.delivered`` / ``fax.failed`` complete or fail the job later
(``apps.delivery.services.receipts``); with a ``public_key`` setting (or
FUSION_TELNYX_PUBLIC_KEY) they must carry Telnyx's Ed25519 signature
(``apps.delivery.services.telnyx_signature``). See docs/gateways/fax-and-voice.md.
"""

import base64

from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome, error_for_status
from apps.delivery.gateways.registry import register
from apps.delivery.gateways.sms.common import answer, json_of, misconfigured
from apps.delivery.services.media import (
    media_urls_check,
    stored_file_public_url,
    stored_pdfs_merged,
)

BASE_URL = "https://api.telnyx.com"
_OPTIONAL = ("quality", "from_display_name")  # provider settings passed through as given
_SECRET_URLS = ("media_url", "webhook_url")  # credentials for 24 h: never in the attempt row


def fax_document(payload: dict) -> str:
    """The storage name of the one PDF to fax (several are joined); none is permanent."""
    names = [entry.get("name", "") for entry in payload.get("stored_files") or []]
    names = [name for name in names if name]
    if not names:
        raise DeliveryError("the fax has no document", permanent=True, reason="no_document")
    return stored_pdfs_merged(names)


def _summary(url: str, body: dict, document: str) -> dict:
    hidden = {key: "(signed URL)" for key in _SECRET_URLS if body.get(key)}
    return {"url": url, "json": {**body, **hidden}, "document": document}


@register
class TelnyxFaxGateway(Gateway):
    """Hands one PDF to Telnyx by URL. Settings: ``connection_id`` (required: the fax
    application id), ``from`` (when the payload has none), ``quality``,
    ``from_display_name``, ``base_url`` and ``public_key`` (webhook signatures, checked by
    the receipts endpoint)."""

    channel = "fax"
    type = "telnyx"

    def send(self, message: Message) -> Outcome:
        """Queue the fax at Telnyx (the PDF by signed URL); delivery is reported by webhook."""
        self._check()
        document = fax_document(message.payload)
        body = self._body(message, stored_file_public_url(document))
        url = f"{self.settings.get('base_url', BASE_URL).rstrip('/')}/v2/faxes"
        headers = {"Authorization": f"Bearer {self.provider.password}"}
        response = self.http("POST", url, json=body, headers=headers)
        if not 200 <= response.status_code < 300:
            raise error_for_status(response.status_code, response.text)
        data = json_of(response)
        fax = (data.get("data") if isinstance(data, dict) else None) or {}
        return Outcome(
            provider_message_id=str(fax.get("id") or ""),
            request=_summary(url, body, document),
            response=answer(response, data),
        )

    def _check(self) -> None:
        """Configuration first: nothing is joined or signed for a fax that cannot go."""
        if not self.settings.get("connection_id"):
            raise misconfigured("the telnyx provider has no connection_id setting")
        if not self.provider.password:
            raise misconfigured("the telnyx provider has no API key (password)")
        media_urls_check()

    def _body(self, message: Message, media_url: str) -> dict:
        payload = message.payload
        body = {
            "connection_id": str(self.settings["connection_id"]),
            "to": payload.get("to", ""),
            "from": payload.get("from") or self.settings.get("from", ""),
            "media_url": media_url,
            # Telnyx echoes client_state in its webhooks: the job's key ties them to the job.
            "client_state": base64.b64encode(message.idempotency_key.encode()).decode(),
        }
        body.update({key: self.settings[key] for key in _OPTIONAL if self.settings.get(key)})
        if payload.get("callback_url"):
            body["webhook_url"] = payload["callback_url"]
        return body
