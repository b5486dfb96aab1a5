"""Twilio's request signatures (``X-Twilio-Signature``) on the callbacks it sends us.

Twilio signs every callback: base64 of HMAC-SHA1, keyed with the account's auth token, over
the full URL it requested (scheme, host, path, query) followed by each POST form field,
sorted by name, as name then value with no separator. Fusion checks it on delivery receipts
(``/api/receipts/…``) and call status callbacks (``/api/voice/status/…``) when the attempt's
provider is of type ``twilio``, on top of the URL token; other vendors do not sign their
callbacks, so for them the token stays the only credential.

The URL is rebuilt from ``FUSION_PUBLIC_URL`` (the base every callback URL we hand out is
made of), not from the request's Host and scheme: behind a proxy or a TLS terminator those
are the proxy's, and the signature would never match. Like Twilio's own helper libraries, a
URL is accepted with or without the scheme's standard port, since either may be signed.
"""

import base64
import hashlib
import hmac
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http.multipartparser import MultiPartParserError

from apps.delivery.models import Attempt

HEADER = "HTTP_X_TWILIO_SIGNATURE"  # X-Twilio-Signature, as Django's META names it
TWILIO = "twilio"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_STANDARD_PORTS = {"https": 443, "http": 80}
_MAX_ID = 2**63  # beyond any attempt id (and beyond what the database compares)


def twilio_signature(*, auth_token: str, url: str, params: list[tuple[str, str]]) -> str:
    """Twilio's signature of a request to ``url`` carrying the form fields ``params``."""
    # Sorted by name, then by value, so a repeated field signs the same in any order.
    data = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_signature_valid(
    *, auth_token: str, url: str, params: list[tuple[str, str]], signature: str
) -> bool:
    """True when ``signature`` is Twilio's for this URL (with or without its standard port)
    and these fields. Compared in constant time; no auth token never matches."""
    if not auth_token or not signature:
        return False
    return any(
        hmac.compare_digest(
            twilio_signature(auth_token=auth_token, url=candidate, params=params).encode(),
            signature.encode(),
        )
        for candidate in _url_variants(url)
    )


def callback_signature_valid(*, request, attempt_id: int) -> bool:
    """The vendor's own signature of a callback about ``attempt_id``: checked when the
    attempt's provider is Twilio; True for every other vendor (they sign nothing) and for an
    attempt that does not exist (the caller answers 404 for it).

    ``request`` is Django's or DRF's; call this before reading DRF's ``request.data``."""
    request = getattr(request, "_request", request)  # DRF wraps Django's HttpRequest
    provider = _attempt_provider(attempt_id)
    if provider is None or provider.type != TWILIO:
        return True
    params = _form_params(request)
    if params is None:
        return False
    return twilio_signature_valid(
        auth_token=provider.password,
        url=public_request_url(request),
        params=params,
        signature=request.META.get(HEADER, ""),
    )


def public_request_url(request) -> str:
    """The URL the vendor requested: ``FUSION_PUBLIC_URL`` + path + the raw query string."""
    base = settings.FUSION_PUBLIC_URL.rstrip("/")
    # path_info: the path below the mount point, as the URLs we hand out are built.
    url = base + request.path_info if base else request.build_absolute_uri(request.path)
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


def _attempt_provider(attempt_id: int):
    if not 0 < int(attempt_id) < _MAX_ID:
        return None
    attempt = Attempt.objects.select_related("provider").filter(pk=attempt_id).first()
    return attempt.provider if attempt is not None else None


def _form_params(request) -> list[tuple[str, str]] | None:
    """The signed form fields; None when the body is something else, which the signature
    would not cover (Twilio's status callbacks are always forms)."""
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type not in _FORM_TYPES:
        return None if request.body else []
    try:
        return [(name, value) for name, values in request.POST.lists() for value in values]
    except MultiPartParserError:  # a broken body is unsigned, not a server error
        return None


def _url_variants(url: str) -> set[str]:
    """``url`` as given, and with its standard port removed or added."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # not a number: no variant to make
        return {url}
    standard = _STANDARD_PORTS.get(parts.scheme)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    userinfo = f"{userinfo}@" if userinfo else ""
    variants = {url}
    if standard is None:
        return variants
    if port in (None, standard):
        for netloc in (host, f"{host}:{standard}"):
            variants.add(urlunsplit(parts._replace(netloc=userinfo + netloc)))
    return variants
