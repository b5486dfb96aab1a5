"""Small helpers the SMS gateways share: number formats, vendor answers, request summaries.

No gateway lives here; the registry imports this module like any other and finds nothing to
register.
"""

import re
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

from apps.delivery.gateways.base import DeliveryError

_NOT_DIGITS = re.compile(r"\D")


def digits(number: str, prefix: str = "") -> str:
    """``+919876543210`` → ``919876543210``, with the provider's dial prefix (if any) in front.

    Vendors that want "international format without +" get exactly that; a trunk that needs
    e.g. ``00`` before the country code gets it from ``Provider.prefix``.
    """
    return (prefix or "") + _NOT_DIGITS.sub("", number or "")


def json_of(response):
    """The answer's JSON, or None when the body is not JSON (vendors answer HTML on outages)."""
    try:
        return response.json()
    except ValueError:  # requests' JSONDecodeError is a ValueError
        return None


def json_path(data, path: str) -> str:
    """``data.id`` or ``messages.0.sid`` inside a JSON answer; "" when a step is missing
    or the value is not a scalar."""
    for part in path.split("."):
        try:
            data = data[int(part)] if isinstance(data, list) else data[part]
        except (KeyError, IndexError, TypeError, ValueError):
            return ""
    return "" if data is None or isinstance(data, (dict, list)) else str(data)


def answer(response, body=None) -> dict:
    """A vendor's answer as ``Outcome.response``: status plus JSON (or the first 1000 chars)."""
    return {"status": response.status_code, "body": response.text[:1000] if body is None else body}


def public_url(url: str) -> str:
    """``url`` without user-info or query string, so a request summary never carries secrets."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def misconfigured(detail: str) -> DeliveryError:
    """A provider whose settings cannot work: retrying, or another attempt, will not fix it."""
    return DeliveryError(detail, permanent=True, reason="provider_misconfigured")


def http_hiding(gateway, secrets, method: str, url: str, **kwargs):
    """``gateway.http(...)`` whose errors never quote ``secrets``.

    requests' network errors repeat the URL with its query string, and some vendors (Kannel,
    many HTTP APIs) take the password there; the error message ends up in job attempts.
    """
    try:
        return gateway.http(method, url, **kwargs)
    except DeliveryError as exc:
        text = str(exc)
        for secret in filter(None, secrets):
            for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
                text = text.replace(form, "***")
        raise DeliveryError(
            text, permanent=exc.permanent, reason=exc.reason, response=exc.response
        ) from None  # the chained requests error would repeat the URL
