"""SMS arithmetic: which alphabet a text needs and how many segments it is sent as.

Pure functions, no Django. The rules are those of GSM 03.38 / 3GPP TS 23.038 and the
concatenated-SMS header (UDH) of TS 23.040:

- GSM 7-bit: 160 septets in one message; 153 per segment once concatenated. Characters of
  the extension table (``€ [ ] { } \\ ^ ~ |`` and form feed) are sent as ESC + char, two
  septets, and a pair is never split across two segments.
- UCS-2 (unicode): 70 UTF-16 code units in one message, 67 per segment; characters outside
  the Basic Multilingual Plane (most emoji) take two units and are never split either.
- 8-bit binary: 140 bytes in one message, 134 per segment.
"""

from collections.abc import Iterable

ENCODING_GSM, ENCODING_BINARY, ENCODING_UNICODE = 0, 1, 2

# The GSM 03.38 default alphabet, in code order (0x1B, the escape, is left out: it is not
# a character a text may contain).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

# (characters of a single message, characters per segment of a concatenated one)
_LIMITS = {
    ENCODING_GSM: (160, 153),
    ENCODING_UNICODE: (70, 67),
    ENCODING_BINARY: (140, 134),
}


def is_gsm7(text: str) -> bool:
    """True when every character of ``text`` is in the GSM 7-bit basic or extension table."""
    return all(char in GSM_BASIC or char in GSM_EXTENSION for char in text)


def non_gsm7_characters(text: str) -> list[str]:
    """The distinct characters of ``text`` that GSM 7-bit cannot carry, in order of appearance."""
    seen: dict[str, None] = {}
    for char in text:
        if char not in GSM_BASIC and char not in GSM_EXTENSION:
            seen.setdefault(char, None)
    return list(seen)


def encoding_for(text: str) -> int:
    """The encoding a text needs: GSM 7-bit when it can, else unicode (UCS-2)."""
    return ENCODING_GSM if is_gsm7(text) else ENCODING_UNICODE


def unit_costs(text: str, encoding: int, codec: str | None = "utf-8") -> list[int]:
    """What each character costs in the encoding's unit: septets, UTF-16 units or bytes.

    ``codec`` (a Python codec name) sizes binary texts; None counts one byte a character.
    """
    if encoding == ENCODING_GSM:
        return [2 if char in GSM_EXTENSION else 1 for char in text]
    if encoding == ENCODING_UNICODE:
        return [2 if ord(char) > 0xFFFF else 1 for char in text]
    if codec is None:
        return [1] * len(text)
    return [len(char.encode(codec, errors="replace")) for char in text]


def _pack(costs: Iterable[int], per_segment: int) -> int:
    """Segments needed when units are packed greedily and no character is split."""
    segments, used = 1, 0
    for cost in costs:
        if used + cost > per_segment:
            segments, used = segments + 1, 0
        used += cost
    return segments


def segment_count(text: str, encoding: int, codec: str | None = "utf-8") -> int:
    """How many SMS segments ``text`` is sent as (0 for an empty text)."""
    if not text:
        return 0
    costs = unit_costs(text, encoding, codec)
    single, per_segment = _LIMITS[encoding]
    if sum(costs) <= single:
        return 1
    return _pack(costs, per_segment)
