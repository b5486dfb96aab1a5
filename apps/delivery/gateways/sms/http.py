"""Generic HTTP SMS gateway: one templated request to any vendor's "send" URL."""

from string import Formatter

from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome, error_for_status
from apps.delivery.gateways.registry import register
from apps.delivery.gateways.sms.common import (
    answer,
    digits,
    http_hiding,
    json_of,
    json_path,
    misconfigured,
    public_url,
)

_ARGUMENT = {"query": "params", "form": "data", "json": "json"}  # encoding → requests kwarg
# Parameter names whose values are credentials even when written literally in the template.
_SECRET_WORDS = ("pass", "pwd", "secret", "token", "key", "auth", "sign")


def _placeholders(value: str) -> set[str]:
    """The ``{field}`` names in a template, nested ones in format specs included (ValueError
    when the braces are broken)."""
    names = set()
    for _, name, spec, _ in Formatter().parse(value):
        if name is not None:
            names |= {name} | _placeholders(spec or "")
    return names


def _render(value, fields: dict):
    """Format one template value; only plain known names, so no ``{to.__class__}`` tricks."""
    if not isinstance(value, str):
        return value  # numbers, booleans, nested JSON: sent as configured
    try:
        unknown = _placeholders(value) - fields.keys()
        if not unknown:
            return value.format_map(fields)
    except ValueError as exc:
        raise misconfigured(f"http sms: bad params template {value!r}: {exc}") from exc
    raise misconfigured(f"http sms: unknown placeholder(s) {sorted(unknown)} in params")


def _is_secret(key: str, template) -> bool:
    named_secret = any(word in key.lower() for word in _SECRET_WORDS)
    return named_secret or (isinstance(template, str) and "password" in _placeholders(template))


@register
class HttpSmsGateway(Gateway):
    """Any vendor with a "send SMS" URL, described entirely by ``Provider.settings``.

    ``url`` (else ``Provider.host``), ``method`` GET/POST, ``params`` (a template dict),
    ``encoding`` query/form/json, ``success_contains``, ``message_id_path``.
    """

    channel = "sms"
    type = "http"

    def send(self, message: Message) -> Outcome:
        """Send the rendered ``params``; a 2xx without ``success_contains`` is permanent."""
        url, method, encoding = self._route()
        template = self.settings.get("params") or {}
        fields = self._fields(message)
        params = {key: _render(value, fields) for key, value in template.items()}
        hidden = {key for key in params if _is_secret(key, template[key])}
        secrets = [fields["password"], *(str(params[key]) for key in hidden)]
        response = http_hiding(self, secrets, method, url, **{_ARGUMENT[encoding]: params})
        self._check(response)
        path = self.settings.get("message_id_path")
        shown = {key: "***" if key in hidden else value for key, value in params.items()}
        return Outcome(
            provider_message_id=json_path(json_of(response), path) if path else "",
            request={"method": method, "url": public_url(url), encoding: shown},
            response=answer(response),
        )

    def _route(self) -> tuple[str, str, str]:
        """URL, method and body encoding, refused early when they cannot work."""
        url = self.settings.get("url") or self.provider.host
        method = str(self.settings.get("method") or "GET").upper()
        encoding = self.settings.get("encoding") or ("query" if method == "GET" else "form")
        if not url or method not in ("GET", "POST") or encoding not in _ARGUMENT:
            shown = public_url(url) if url else "(none)"
            raise misconfigured(f"http sms: unusable url {shown}, method {method} or {encoding}")
        return url, method, encoding

    def _check(self, response) -> None:
        if not 200 <= response.status_code < 300:
            raise error_for_status(response.status_code, response.text)
        expected = self.settings.get("success_contains")
        if expected and expected not in response.text:
            # The vendor answered 2xx but said no: the same request would be refused again.
            raise DeliveryError(
                f"answer lacks {expected!r}: {response.text[:300]}",
                permanent=True,
                reason="provider_rejected",
                response=answer(response),
            )

    def _fields(self, message: Message) -> dict:
        """What a template may use; ``to_digits`` carries the provider's dial prefix."""
        payload, provider = message.payload, self.provider
        return {
            "to": payload.get("to", ""),
            "to_digits": digits(payload.get("to", ""), provider.prefix),
            "text": payload.get("text", ""),
            "sender": payload.get("sender") or self.settings.get("sender", ""),
            "otp": str(payload.get("otp") or ""),
            "callback_url": payload.get("callback_url", ""),
            "username": provider.username,
            "password": provider.password,
            "idempotency_key": message.idempotency_key,
        }
