"""Fixed vocabularies of message assets (ICTCore's values, see ictcore-behaviour §2.3)."""

from apps.content.sms import ENCODING_BINARY, ENCODING_GSM, ENCODING_UNICODE

# A text's ``type`` is its charset. "GSM" is the GSM 03.38 alphabet, checked by apps.content.sms;
# the others map to the Python codec that tells whether a text fits them.
CHARSET_CODECS = {
    "GSM": None,
    "ASCII": "ascii",
    "windows-1252": "cp1252",
    "ISO-8859-1": "latin-1",
    "ISO-8859-7": "iso8859_7",
    "UTF-8": "utf-8",
    "UTF-16BE": "utf-16-be",
}
DEFAULT_CHARSET = "UTF-8"

ENCODINGS = [(ENCODING_GSM, "GSM"), (ENCODING_BINARY, "binary"), (ENCODING_UNICODE, "unicode")]
# SMS message class: 0 disabled, 1 normal, 2 SIM, 4 toolkit, 8 flash.
MESSAGE_CLASSES = [(0, "disabled"), (1, "normal"), (2, "SIM"), (4, "toolkit"), (8, "flash")]

# Fax quality → default resolution (x, y) in dots per inch, from T.30's resolutions:
# R8×3.85 "standard", R8×7.7 "fine", R8×15.4 "superfine", R16×15.4, and 300/600 dpi.
FAX_RESOLUTIONS = {
    "basic": (102, 98),
    "standard": (204, 98),
    "fine": (204, 196),
    "super": (204, 391),
    "superior": (408, 391),
    "ultra": (600, 600),
}
DEFAULT_QUALITY = "standard"

PDF_TYPE = "application/pdf"
WAV_TYPE = "audio/wav"
WAV_TYPES = ("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave")
