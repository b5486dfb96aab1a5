"""Webhook gateway: one HTTP request to a client's URL, optionally reporting the answer back.

Reads nothing from the provider, so it also runs with ``provider=None`` (the engine's default
for clients without a webhook provider, and the signed job callbacks). Every request, redirect
hop and callback goes through the SSRF guard. See docs/gateways/email-and-webhook.md.
"""

import time

from requests.exceptions import InvalidHeader
from requests.utils import check_header_validity

from apps.core.http import ResponseTooLarge
from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome, error_for_status
from apps.delivery.gateways.registry import register

METHODS = ("GET", "POST", "PUT", "DELETE")
DEFAULT_TIMEOUT, MAX_TIMEOUT = 15.0, 60.0
# Read at most this much of an answer: only a prefix is ever kept, and a hostile endpoint
# must not be able to fill a worker's memory.
MAX_RESPONSE_BYTES = 1024 * 1024
# Header names (lower-cased substrings) whose values never reach the stored request summary.
SECRET_HEADER_PARTS = ("auth", "cookie", "secret", "token", "signature", "password", "api-key")


def _masked(headers: dict) -> dict:
    return {
        name: "***" if any(part in name.lower() for part in SECRET_HEADER_PARTS) else value
        for name, value in headers.items()
    }


def _timeout(value) -> float:
    try:
        return min(max(float(value), 1.0), MAX_TIMEOUT)
    except (TypeError, ValueError):
        return DEFAULT_TIMEOUT


def _invalid(text: str) -> DeliveryError:
    return DeliveryError(text, permanent=True, reason="invalid_request")


@register
class WebhookGateway(Gateway):
    """Calls ``url``: 2xx succeeds, 408/429/5xx retry, any other status fails for good."""

    channel = "webhook"
    type = "webhook"

    def send(self, message: Message) -> Outcome:
        """Make the request (an answer over 1 MiB is permanent); a failed callback is only noted
        in the outcome's ``callback_error``, the job still succeeds.
        """
        payload = message.payload
        url, kwargs = self._request(payload)
        method = kwargs.pop("method")
        started = time.monotonic()
        try:
            response = self.http(method, url, max_bytes=MAX_RESPONSE_BYTES, **kwargs)
        except ResponseTooLarge as exc:
            raise DeliveryError(str(exc), permanent=True, reason="response_too_large") from exc
        elapsed_ms = round((time.monotonic() - started) * 1000)
        # requests follows redirects, so a 3xx here is one it could not follow: permanent.
        if not 200 <= response.status_code < 300:
            raise error_for_status(response.status_code, response.text)
        outcome = Outcome(
            request={
                "method": method,
                "url": url,
                "headers": _masked(kwargs["headers"]),
                "timeout": kwargs["timeout"],
                "body_bytes": len(kwargs.get("data") or b""),
            },
            response={
                "status": response.status_code,
                "body": response.text[:2000],
                "elapsed_ms": elapsed_ms,
            },
        )
        callback_url = payload.get("callback_url")
        if callback_url or payload.get("callback"):
            error = self._callback(callback_url, response, message, kwargs["timeout"])
            if error:
                outcome.response["callback_error"] = error
        return outcome

    def _request(self, payload: dict) -> tuple[str, dict]:
        """Validate the payload into (url, keyword arguments for the request)."""
        url, method = payload.get("url"), str(payload.get("method") or "POST").upper()
        if not url or not isinstance(url, str):
            raise _invalid("url is required")
        if method not in METHODS:
            raise _invalid(f"method must be one of {', '.join(METHODS)}")
        if not isinstance(payload.get("headers") or {}, dict):
            raise _invalid("headers must be an object")
        headers = {str(k): str(v) for k, v in (payload.get("headers") or {}).items()}
        try:  # a newline in a header would otherwise surface as a retried network error
            for header in headers.items():
                check_header_validity(header)
        except InvalidHeader as exc:
            raise _invalid(str(exc)) from exc
        kwargs = {"method": method, "headers": headers, "timeout": _timeout(payload.get("timeout"))}
        args, body = payload.get("args") or {}, payload.get("body")
        if body is not None:  # pre-serialised and maybe signed: send it byte for byte
            if not isinstance(body, str):
                raise _invalid("body must be a JSON string")
            kwargs["data"] = body.encode()
            if not any(name.lower() == "content-type" for name in headers):
                headers["Content-Type"] = "application/json"
        elif payload.get("is_body"):
            kwargs["json"] = args
        if args and not payload.get("is_body"):
            kwargs["params"] = args
        return url, kwargs

    def _callback(self, url, response, message: Message, timeout: float) -> str:
        """POST the answer to ``url``; returns an error text, "" when it was delivered."""
        if not url:
            return "callback requested without callback_url"
        report = {
            "status": response.status_code,
            "body": response.text[:10000],
            "headers": dict(response.headers),
            "job_id": message.job_id,
        }
        try:
            answer = self.http("POST", url, json=report, timeout=timeout, max_bytes=64 * 1024)
        except (DeliveryError, ResponseTooLarge) as exc:
            return str(exc)[:500]
        return "" if 200 <= answer.status_code < 300 else f"HTTP {answer.status_code}"
