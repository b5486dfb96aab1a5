"""Telnyx's webhook signatures (``telnyx-signature-ed25519``, ``telnyx-timestamp``).

Telnyx signs every webhook with the account's Ed25519 key: ``telnyx-signature-ed25519`` is
the base64 signature of ``f"{telnyx-timestamp}|{raw body}"`` (the exact bytes sent, never
re-serialised JSON), ``telnyx-timestamp`` the unix seconds of signing. Anyone can verify it
with the account's public key (base64 of the 32 raw key bytes, from the Telnyx portal:
Account Settings → Keys & Credentials → Public Key).

Fusion checks it on delivery receipts (``/api/receipts/…``, Telnyx's fax events) when the
attempt's provider is of type ``telnyx`` **and a public key is configured**: the provider's
``settings["public_key"]``, else ``FUSION_TELNYX_PUBLIC_KEY``. A signature that does not
verify, a missing header, or a timestamp further than
``FUSION_TELNYX_WEBHOOK_TOLERANCE_SECONDS`` (300) from now, either way, is refused, so a
captured webhook cannot be replayed later. Without a key, the URL token stays the only
credential (as before; as for Kannel). A configured key that is not a valid Ed25519 public
key refuses every webhook (and logs why) rather than silently accepting unsigned ones.
"""

import base64
import binascii
import logging
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

SIGNATURE_HEADER = "HTTP_TELNYX_SIGNATURE_ED25519"  # telnyx-signature-ed25519, in META
TIMESTAMP_HEADER = "HTTP_TELNYX_TIMESTAMP"  # telnyx-timestamp
TELNYX = "telnyx"
_KEY_BYTES, _SIGNATURE_BYTES = 32, 64

logger = logging.getLogger(__name__)


def telnyx_public_key(provider) -> str:
    """The base64 public key that signs this Telnyx provider's webhooks; "" when none is
    configured. The provider's own setting wins: the key is per Telnyx account, and two
    providers may be two accounts."""
    own = str((provider.settings or {}).get("public_key") or "").strip()
    return own or settings.FUSION_TELNYX_PUBLIC_KEY


def telnyx_signature_valid(
    *,
    public_key: str,
    timestamp: str,
    body: bytes,
    signature: str,
    tolerance: int | None = None,
    now: float | None = None,
) -> bool:
    """True when ``signature`` is the Ed25519 signature of ``f"{timestamp}|"`` + ``body``
    under ``public_key`` and ``timestamp`` is within ``tolerance`` seconds of ``now``."""
    if not _timestamp_fresh(timestamp, tolerance, now):
        return False
    key, raw_signature = _public_key(public_key), _b64(signature)
    if key is None or raw_signature is None or len(raw_signature) != _SIGNATURE_BYTES:
        return False
    try:
        key.verify(raw_signature, timestamp.encode() + b"|" + body)
    except InvalidSignature:
        return False
    return True


def telnyx_webhook_signature_valid(*, request, provider) -> bool:
    """The check of a webhook about an attempt of ``provider``: True for other vendors and
    for a Telnyx provider without a public key (the URL token is the credential then).

    ``request`` is Django's or DRF's; call this before reading DRF's ``request.data`` (the
    raw body is what was signed)."""
    if provider is None or provider.type != TELNYX:
        return True
    public_key = telnyx_public_key(provider)
    if not public_key:
        return True
    request = getattr(request, "_request", request)  # DRF wraps Django's HttpRequest
    if _public_key(public_key) is None:
        logger.error("telnyx provider %s: public_key is not a base64 Ed25519 key", provider.pk)
        return False
    return telnyx_signature_valid(
        public_key=public_key,
        timestamp=request.META.get(TIMESTAMP_HEADER, ""),
        body=request.body,
        signature=request.META.get(SIGNATURE_HEADER, ""),
    )


def _timestamp_fresh(timestamp: str, tolerance: int | None, now: float | None) -> bool:
    # Both ways: a timestamp far in the future would make a replay window that long.
    if not timestamp or not timestamp.isascii() or not timestamp.isdigit():
        return False
    tolerance = settings.FUSION_TELNYX_WEBHOOK_TOLERANCE_SECONDS if tolerance is None else tolerance
    return abs((time.time() if now is None else now) - int(timestamp)) <= tolerance


def _public_key(value: str) -> Ed25519PublicKey | None:
    raw = _b64(value)
    if raw is None or len(raw) != _KEY_BYTES:
        return None
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return None


def _b64(value: str) -> bytes | None:
    try:
        return base64.b64decode(value or "", validate=True)
    except (binascii.Error, ValueError):  # ValueError: non-ASCII text
        return None
