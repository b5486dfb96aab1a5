"""MSG91 SMS through its v5 Flow API: DLT-registered templates, as Indian routes require."""

from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome, error_for_status
from apps.delivery.gateways.registry import register
from apps.delivery.gateways.sms.common import answer, digits, json_of, misconfigured

BASE_URL = "https://control.msg91.com"
# MSG91's numeric codes that no retry can fix: invalid mobile, invalid authkey, IP not
# whitelisted (documented for its send APIs, still seen in v5 answers).
_PERMANENT_CODES = {
    "202": "invalid_recipient",
    "207": "provider_rejected",
    "418": "provider_rejected",
}
_NUMBER_WORDS = ("mobile", "phone", "number")
_INVALID_WORDS = ("invalid", "not valid", "incorrect")


def _permanent_reason(text: str, code: str, status: int) -> str | None:
    """Why an MSG91 error is final, or None when a retry may succeed (balance, outage...)."""
    text = text.lower()
    if code in _PERMANENT_CODES:
        return _PERMANENT_CODES[code]
    bad_number = any(w in text for w in _NUMBER_WORDS) and any(w in text for w in _INVALID_WORDS)
    if bad_number and "number of" not in text:  # "invalid number of variables" is not a phone
        return "invalid_recipient"
    if "auth" in text or "whitelist" in text or status in (401, 403):
        return "provider_rejected"
    return None


def _failure(response, data) -> DeliveryError:
    """Map an answer that is not ``{"type": "success"}``."""
    if not isinstance(data, dict) or data.get("type") != "error":
        if response.status_code >= 400:
            return error_for_status(response.status_code, response.text)
        # 2xx yet unreadable: the SMS may or may not be out; a late duplicate beats a lost OTP.
        return DeliveryError("msg91: unexpected answer", permanent=False, response=answer(response))
    text = str(data.get("message") or "")
    reason = _permanent_reason(text, str(data.get("code") or ""), response.status_code)
    if response.status_code >= 500:
        reason = None
    return DeliveryError(
        f"msg91: {text[:300]}",
        permanent=reason is not None,
        reason=reason or "provider_unavailable",
        response=answer(response, data),
    )


@register
class Msg91SmsGateway(Gateway):
    """MSG91 Flow API: ``POST {base_url}/api/v5/flow/`` with the authkey header.

    Reads ``Provider.password`` (the authkey) and settings ``template_id`` (required),
    ``sender`` and ``base_url``. The SMS text travels as the ``message`` variable, the OTP as
    ``otp``, and ``payload["vars"]`` as further template variables.
    """

    channel = "sms"
    type = "msg91"

    def send(self, message: Message) -> Outcome:
        """POST to the Flow API; only type success succeeds, ``message`` is the request id."""
        body = self._body(message.payload)
        url = self.settings.get("base_url", BASE_URL).rstrip("/") + "/api/v5/flow/"
        headers = {"authkey": self.provider.password, "accept": "application/json"}
        response = self.http("POST", url, json=body, headers=headers)
        data = json_of(response)
        if not (isinstance(data, dict) and data.get("type") == "success"):
            raise _failure(response, data)
        return Outcome(
            provider_message_id=str(data.get("message") or ""),  # MSG91's request id
            request={"url": url, "json": body},  # the authkey is a header, never in here
            response=answer(response, data),
        )

    def _body(self, payload: dict) -> dict:
        template_id = self.settings.get("template_id")
        if not template_id:
            raise misconfigured("msg91: settings.template_id is required")
        recipient = {"message": payload.get("text", "")}
        if payload.get("otp"):
            recipient["otp"] = str(payload["otp"])
        recipient.update(payload.get("vars") or {})
        recipient["mobiles"] = digits(payload.get("to", ""))  # international, no "+"
        body = {"template_id": template_id, "short_url": "0", "recipients": [recipient]}
        sender = payload.get("sender") or self.settings.get("sender")
        if sender:
            body["sender"] = sender
        return body
