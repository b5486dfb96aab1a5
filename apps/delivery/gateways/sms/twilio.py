"""Twilio Programmable Messaging: one Message resource per SMS."""

from urllib.parse import quote

from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome, error_for_status
from apps.delivery.gateways.registry import register
from apps.delivery.gateways.sms.common import answer, json_of

BASE_URL = "https://api.twilio.com"
# Twilio error codes about the recipient: invalid "To", unreachable, opted out (STOP),
# unroutable, not a mobile number. They come with HTTP 400, so they are final like every 4xx
# (21408, region not enabled, too); the code only names the reason.
NUMBER_ERRORS = {21211, 21214, 21610, 21612, 21614}
RATE_LIMITED = 20429


def _failure(response) -> DeliveryError:
    """Map a Twilio error answer (``{"code", "message", "status"}``): 4xx final, 429/5xx retry."""
    data = json_of(response)
    code = data.get("code") if isinstance(data, dict) else None
    reason = "invalid_recipient" if code in NUMBER_ERRORS else "provider_rejected"
    error = error_for_status(response.status_code, response.text, reason=reason)
    if code == RATE_LIMITED:  # "too many requests", whatever HTTP status it came with
        error.permanent, error.reason = False, "provider_unavailable"
    return error


@register
class TwilioSmsGateway(Gateway):
    """Twilio SMS: ``POST {base_url}/2010-04-01/Accounts/{sid}/Messages.json``.

    Basic auth with ``Provider.username`` (Account SID) and ``Provider.password`` (auth
    token). Settings: ``from`` (when the payload has no ``sender``), ``status_callback`` and
    ``base_url``. The job's idempotency key goes in ``I-Twilio-Idempotency-Token``, so a
    redelivered job does not become a second SMS.
    """

    channel = "sms"
    type = "twilio"

    def send(self, message: Message) -> Outcome:
        """POST a Message resource; 4xx is permanent except 408/425/429 and Twilio error 20429."""
        account = quote(self.provider.username, safe="")
        base = self.settings.get("base_url", BASE_URL).rstrip("/")
        url = f"{base}/2010-04-01/Accounts/{account}/Messages.json"
        form = self._form(message.payload)
        response = self.http(
            "POST",
            url,
            data=form,
            auth=(self.provider.username, self.provider.password),
            headers={"I-Twilio-Idempotency-Token": message.idempotency_key},
        )
        if not 200 <= response.status_code < 300:
            raise _failure(response)
        data = json_of(response)
        data = data if isinstance(data, dict) else {}
        return Outcome(
            provider_message_id=str(data.get("sid") or ""),
            request={"url": url, "form": form},  # credentials travel in the auth header only
            response=answer(response, data),
        )

    def _form(self, payload: dict) -> dict:
        form = {
            "To": payload.get("to", ""),
            "From": payload.get("sender") or self.settings.get("from", ""),
            "Body": payload.get("text", ""),
        }
        callback = payload.get("callback_url") or self.settings.get("status_callback")
        if callback:
            form["StatusCallback"] = callback
        return form
