"""Secrets in URLs: tokens that let a vendor reach one public endpoint without logging in.

Vendors (Twilio, Kannel, mail and fax services) call us back but cannot obtain a JWT, so
their URLs carry a token instead: an HMAC of the id they address, keyed with SECRET_KEY and a
purpose, so a token for one provider or attempt opens nothing else. Rotating SECRET_KEY
invalidates every such URL.
"""

from django.utils.crypto import constant_time_compare, salted_hmac

_LENGTH = 32  # hex characters: 128 bits, plenty against guessing and short enough for a URL


def url_token(purpose: str, value) -> str:
    """The token of ``value`` (e.g. a provider id) for ``purpose`` (e.g. "inbound")."""
    return salted_hmac(f"fusion.{purpose}", str(value), algorithm="sha256").hexdigest()[:_LENGTH]


def url_token_matches(purpose: str, value, token: str) -> bool:
    """True when ``token`` is the one of ``value`` (compared in constant time)."""
    return constant_time_compare(url_token(purpose, value), token or "")
