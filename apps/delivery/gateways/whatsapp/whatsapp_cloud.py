"""WhatsApp Cloud API, Meta's Graph API (channel ``whatsapp``, type ``whatsapp_cloud``).

Provider: ``password`` is the access token (system-user token); settings ``phone_number_id``
(else the provider's ``username``), ``version`` (default v21.0) and ``base_url`` (default
https://graph.facebook.com). A payload with a ``document`` is sent as a document message (the
Queue face's ``withFile``) whose caption is the text.
"""

import re

from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome, error_for_status
from apps.delivery.gateways.registry import register

DEFAULT_BASE_URL = "https://graph.facebook.com"
DEFAULT_VERSION = "v21.0"
# Graph error codes that fail for good, with the reason recorded.
PERMANENT = {
    131026: "invalid_recipient",  # undeliverable: not on WhatsApp, old app, terms not accepted
    131047: "reengagement_required",  # 24 h window closed: only a template may be sent
    131051: "provider_rejected",  # unsupported message type
    100: "provider_rejected",  # invalid parameter
    190: "bad_credentials",  # access token expired or revoked: retrying cannot help
}
# Rate limits and Meta-side hiccups: retry later (1, 2 and 131016 are "service unavailable").
TRANSIENT = {1, 2, 4, 80007, 130429, 131000, 131001, 131002, 131016, 131048, 131056}


def whatsapp_body(payload: dict) -> dict:
    """The Graph ``messages`` body: a text message, or a document captioned with the text."""
    to = re.sub(r"\D", "", str(payload.get("to") or ""))  # Graph wants digits, no "+"
    if not to:
        raise DeliveryError("whatsapp: no recipient", permanent=True, reason="invalid_recipient")
    body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
    document = payload.get("document")
    if not document:
        return {**body, "type": "text", "text": {"body": payload.get("text") or ""}}
    if not isinstance(document, dict) or not document.get("url"):
        raise DeliveryError("whatsapp: document without url", permanent=True)
    sent = {"link": document["url"], "filename": document.get("filename")}
    sent["caption"] = payload.get("text")
    return {**body, "type": "document", "document": {k: v for k, v in sent.items() if v}}


def graph_error(response) -> DeliveryError:
    """Map a Graph ``{"error": {"code", "message", "error_subcode"}}`` answer."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):  # an HTML error page from a proxy, or a list
        error = {}
    code = error.get("code") if isinstance(error, dict) else None
    summary = {"status": response.status_code, "body": response.text[:1000]}
    text = f"whatsapp: {code}: {error.get('message', '')}"[:300] if code else ""
    if code in TRANSIENT:
        return DeliveryError(text, permanent=False, reason="provider_unavailable", response=summary)
    if code in PERMANENT:
        return DeliveryError(text, permanent=True, reason=PERMANENT[code], response=summary)
    return error_for_status(response.status_code, response.text)


@register
class WhatsAppCloudGateway(Gateway):
    """One POST to ``{base_url}/{version}/{phone_number_id}/messages`` per message."""

    channel = "whatsapp"
    type = "whatsapp_cloud"

    def send(self, message: Message) -> Outcome:
        """POST the message; a 2xx whose answer cannot be read is still a success."""
        body = whatsapp_body(message.payload)
        response = self.http(
            "POST",
            self.url(),
            json=body,
            headers={"Authorization": f"Bearer {getattr(self.provider, 'password', '')}"},
        )
        if not response.ok:
            raise graph_error(response)
        try:
            answer = response.json()
            message_id = answer["messages"][0]["id"]
        except (ValueError, KeyError, IndexError, TypeError):
            # Accepted (2xx) but unreadable: retrying could send twice, so keep it a success.
            answer, message_id = {"body": response.text[:1000]}, ""
        return Outcome(
            provider_message_id=str(message_id),
            response=answer,
            request={"type": body["type"], "to": body["to"]},
        )

    def url(self) -> str:
        """The messages URL of the provider's number; no ``phone_number_id`` is permanent."""
        number = self.settings.get("phone_number_id") or getattr(self.provider, "username", "")
        if not number:
            raise DeliveryError(
                "whatsapp: no phone_number_id", permanent=True, reason="bad_credentials"
            )
        base_url = (self.settings.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
        return f"{base_url}/{self.settings.get('version') or DEFAULT_VERSION}/{number}/messages"
