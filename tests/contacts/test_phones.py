"""Phone normalisation: E.164 out, the region for national numbers, the E.164 fast path."""

import phonenumbers
import pytest

from apps.contacts.phones import InvalidPhone, phone_normalise, region_for_client
from tests.factories import ClientFactory

TYPES = [
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
]


def _examples():
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                yield region, number


def test_every_regions_example_numbers_come_out_as_the_full_parser_writes_them():
    """The E.164 fast path must agree with phonenumbers.parse for every region and type."""
    checked = 0
    for region, number in _examples():
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        expected = phonenumbers.format_number(
            phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.E164
        )
        assert phone_normalise(e164, region="US") == expected, (region, e164)
        assert phone_normalise(national, region=region) == expected, (region, national)
        checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("03001234567", "PK", "+923001234567"),
        ("0300-1234567", "PK", "+923001234567"),
        ("+92 300 1234567", "US", "+923001234567"),
        ("0092 300 1234567", "US", "+923001234567"),
        ("+92 0300 1234567", "US", "+923001234567"),  # a national prefix after the + is dropped
        ("(202) 555-0199", "US", "+12025550199"),
        ("+39 06 1234 5678", "US", "+390612345678"),  # Italian leading zero kept
        ("020 7946 0958", "GB", "+442079460958"),
    ],
)
def test_normalisation(raw, region, expected):
    assert phone_normalise(raw, region=region) == expected


@pytest.mark.parametrize("raw", ["", "abc", "+0123456789", "+92300123", "20255501", "+1555"])
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(InvalidPhone):
        phone_normalise(raw, region="US")


@pytest.mark.django_db
def test_region_comes_from_the_client_then_the_setting(settings):
    settings.FUSION_DEFAULT_REGION = "gb"
    assert region_for_client(ClientFactory(settings={"default_region": "pk"})) == "PK"
    assert region_for_client(ClientFactory(settings={"default_region": "XX"})) == "GB"
    assert region_for_client(ClientFactory()) == "GB"
    assert region_for_client(None) == "GB"
    settings.FUSION_DEFAULT_REGION = "nowhere"
    assert region_for_client(None) == "US"
