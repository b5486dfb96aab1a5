"""Every provider type of the catalog has a gateway for each channel it claims to serve."""

from apps.delivery.gateways.registry import gateway_class, registered
from apps.providers.catalog import PROVIDER_TYPES


def test_every_catalog_entry_has_a_gateway():
    missing = [
        (channel, kind)
        for kind, channels in PROVIDER_TYPES.items()
        for channel in channels
        if gateway_class(channel, kind) is None
    ]
    assert missing == []


def test_every_registered_gateway_is_in_the_catalog():
    for channel, kind in registered():
        assert channel in PROVIDER_TYPES[kind], (channel, kind)
