"""SMS arithmetic: alphabet detection and segment counts (GSM-7 160/153, UCS-2 70/67)."""

import pytest

from apps.content import sms


def test_gsm_basic_and_extension_characters_are_gsm7():
    assert sms.is_gsm7("Hello @£$¥ èéùìò ÄÖÑÜ§¿ äöñüà Δ_ΦΓΛΩΠΨΣΘΞ")
    assert sms.is_gsm7("€[]{}\\^~|\f")
    assert sms.encoding_for("plain text") == sms.ENCODING_GSM


@pytest.mark.parametrize("text", ["naïve", "ç", "Привет", "مرحبا", "😀", "\x1b", "`"])
def test_characters_outside_gsm7_need_unicode(text):
    assert not sms.is_gsm7(text)
    assert sms.encoding_for(text) == sms.ENCODING_UNICODE


def test_non_gsm7_characters_are_named_once_in_order():
    assert sms.non_gsm7_characters("naïve ç naïve €") == ["ï", "ç"]


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 0),
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
    ],
)
def test_gsm7_segments(text, segments):
    assert sms.segment_count(text, sms.ENCODING_GSM) == segments


def test_extension_characters_count_two_septets():
    assert sms.segment_count("€" * 80, sms.ENCODING_GSM) == 1  # 160 septets
    assert sms.segment_count("€" * 81, sms.ENCODING_GSM) == 2  # 162 septets
    assert sms.segment_count("a" * 159 + "€", sms.ENCODING_GSM) == 2


def test_an_escape_pair_is_never_split_across_segments():
    # 152 septets, then "€" (2) would straddle the 153-septet boundary: it moves on.
    text = "a" * 152 + "€" + "a" * 152
    assert sum(sms.unit_costs(text, sms.ENCODING_GSM)) == 306  # fits 2×153 if split…
    assert sms.segment_count(text, sms.ENCODING_GSM) == 3  # …but a pair is not split


@pytest.mark.parametrize(
    ("text", "segments"),
    [("я" * 70, 1), ("я" * 71, 2), ("я" * 134, 2), ("я" * 135, 3)],
)
def test_ucs2_segments(text, segments):
    assert sms.segment_count(text, sms.ENCODING_UNICODE) == segments


def test_characters_outside_the_bmp_take_two_ucs2_units_and_are_not_split():
    assert sms.segment_count("😀" * 35, sms.ENCODING_UNICODE) == 1  # 70 units
    assert sms.segment_count("😀" * 36, sms.ENCODING_UNICODE) == 2
    assert sms.segment_count("я" * 66 + "😀" + "я" * 66, sms.ENCODING_UNICODE) == 3


def test_binary_segments_count_bytes():
    assert sms.segment_count("a" * 140, sms.ENCODING_BINARY) == 1
    assert sms.segment_count("a" * 141, sms.ENCODING_BINARY) == 2
    assert sms.segment_count("é" * 70, sms.ENCODING_BINARY, "utf-8") == 1  # 140 bytes
    assert sms.segment_count("é" * 71, sms.ENCODING_BINARY, "utf-8") == 2
