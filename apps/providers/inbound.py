"""The inbound URL of a provider: where its vendor posts received SMS, email and fax.

Vendors cannot log in, so the URL itself is the credential: ``/api/inbound/{id}/{token}``
with a token derived from SECRET_KEY (``apps.core.signing``). The vendor appends ``/sms``,
``/email`` or ``/fax``. With FUSION_PUBLIC_URL set the URL is absolute.
"""

from django.conf import settings

from apps.core.signing import url_token, url_token_matches

_PURPOSE = "inbound"


def provider_inbound_token(provider_id: int) -> str:
    """The token of the provider's inbound URL: an HMAC of its id, purpose ``inbound``."""
    return url_token(_PURPOSE, provider_id)


def provider_inbound_token_matches(provider_id: int, token: str) -> bool:
    """True when ``token`` is the provider's inbound token (compared in constant time)."""
    return url_token_matches(_PURPOSE, provider_id, token)


def provider_inbound_url(provider_id: int) -> str:
    """``{FUSION_PUBLIC_URL}/api/inbound/{id}/{token}`` (just the path when it is unset)."""
    path = f"/api/inbound/{provider_id}/{provider_inbound_token(provider_id)}"
    return settings.FUSION_PUBLIC_URL.rstrip("/") + path
