"""Phone numbers in E.164: the one place that decides what a valid phone is."""

import re

import phonenumbers
from django.conf import settings

_E164 = phonenumbers.PhoneNumberFormat.E164
_CANONICAL = re.compile(r"\+([1-9]\d{6,14})")


class InvalidPhone(ValueError):
    """The text is not a valid phone number (for the region it was read with)."""


def region_for_client(client) -> str:
    """The region numbers without ``+`` are read in: the client's ``default_region`` setting,
    else FUSION_DEFAULT_REGION. An unknown region code falls back to the next source."""
    client_region = (client.settings or {}).get("default_region") if client else None
    for candidate in (client_region, settings.FUSION_DEFAULT_REGION):
        code = str(candidate or "").strip().upper()
        if code in phonenumbers.SUPPORTED_REGIONS:
            return code
    return "US"


def _canonical_number(text: str) -> phonenumbers.PhoneNumber | None:
    """A number already written as E.164, read without the full parser.

    The full parser costs most of a big CSV import's time; E.164 input (as Fusion's own export
    writes it) needs none of it. Country codes are prefix-free, so the first known 1-3 digit
    prefix is the country code. None when the text needs the full parser (other shapes, or a
    national part with leading zeros, which the parser records specially).
    """
    match = _CANONICAL.fullmatch(text)
    if match is None:
        return None
    digits = match.group(1)
    for length in (1, 2, 3):
        code = int(digits[:length])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            national = digits[length:]
            if national.startswith("0"):
                return None
            return phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
    return None


def phone_normalise(raw: str, *, region: str) -> str:
    """``raw`` as E.164 (``+923001234567``); raises InvalidPhone.

    A number written with ``+`` (or ``00``) is international; any other is read as a national
    number of ``region``. Numbers the numbering plan does not allocate are refused, because no
    gateway could reach them.
    """
    text = str(raw).strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    number = _canonical_number(text)
    if number is None or not phonenumbers.is_valid_number(number):
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException as exc:
            raise InvalidPhone(f"'{raw}' is not a phone number.") from exc
        if not phonenumbers.is_valid_number(number):
            where = "" if text.startswith("+") else f" in region {region}"
            raise InvalidPhone(f"'{raw}' is not a valid phone number{where}.")
    return phonenumbers.format_number(number, _E164)
