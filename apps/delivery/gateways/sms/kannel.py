"""Kannel's sendsms HTTP interface (an SMS gateway a client runs in front of its SMSCs)."""

from urllib.parse import urlsplit

from apps.delivery.gateways.base import Gateway, Message, Outcome, error_for_status
from apps.delivery.gateways.registry import register
from apps.delivery.gateways.sms.common import answer, digits, http_hiding, misconfigured, public_url

DEFAULT_PORT = 13013  # Kannel's sendsms-port in its sample configuration
DEFAULT_PATH = "/cgi-bin/sendsms"
# Every delivery report: delivered / not delivered to phone, queued on, accepted by and
# rejected by the SMSC (1 + 2 + 4 + 8 + 16).
DLR_ALL = 31


@register
class KannelSmsGateway(Gateway):
    """Kannel ``GET /cgi-bin/sendsms``: 202 "0: Accepted for delivery" or "3: Queued for later
    delivery" is success; 4xx (403 "Authorization failed", 400 bad request) is final; 503 and
    other 5xx are retried.

    Reads ``Provider.host``, ``port`` (default 13013), ``username``, ``password``, ``prefix``
    and settings ``url`` (overrides host and port), ``path`` and ``from``.
    """

    channel = "sms"
    type = "kannel"

    def send(self, message: Message) -> Outcome:
        """GET sendsms, the password kept out of errors; Kannel answers no message id."""
        url = self._url()
        params = self._params(message.payload)
        response = http_hiding(self, [self.provider.password], "GET", url, params=params)
        if not 200 <= response.status_code < 300:
            raise error_for_status(response.status_code, response.text)
        shown = {key: value for key, value in params.items() if key != "password"}
        return Outcome(
            # Kannel gives no message id; its delivery reports come back on the dlr-url.
            request={"url": public_url(url), "query": shown},
            response=answer(response),
        )

    def _url(self) -> str:
        """settings ``url`` when given (its own path wins over ``path``), else host:port."""
        path = self.settings.get("path", DEFAULT_PATH)
        base = self.settings.get("url")
        if base:
            return base if urlsplit(base).path.strip("/") else base.rstrip("/") + path
        if not self.provider.host:
            raise misconfigured("kannel: Provider.host or settings.url is required")
        port = self.provider.port or DEFAULT_PORT
        return f"http://{self.provider.host}:{port}{path}"

    def _params(self, payload: dict) -> dict:
        text = payload.get("text", "")
        params = {
            "username": self.provider.username,
            "password": self.provider.password,
            "from": payload.get("sender") or self.settings.get("from", ""),
            "to": digits(payload.get("to", ""), self.provider.prefix),
            "text": text,
        }
        if not params["from"]:
            del params["from"]  # let Kannel use the SMSC's default sender
        if not text.isascii():
            # Scripts outside GSM's 7-bit alphabet (Hindi, emoji...) only survive as UCS-2;
            # charset tells Kannel our bytes are UTF-8 so it can convert them.
            params.update(charset="UTF-8", coding="2")
        if payload.get("callback_url"):
            params.update({"dlr-mask": str(DLR_ALL), "dlr-url": _dlr_url(payload["callback_url"])})
        return params


def _dlr_url(callback: str) -> str:
    """The callback with ``type=%d``, which Kannel fills with the report's type (1 delivered,
    2 failed, 4 queued, 8 accepted, 16 rejected); a URL that already has ``%d`` is kept."""
    if "%d" in callback:
        return callback
    return f"{callback}{'&' if '?' in callback else '?'}type=%d"
