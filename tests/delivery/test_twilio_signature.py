"""Twilio's request signature against the worked examples of Twilio's documentation.

The endpoints that check it are tested in ``tests/inbound/test_receipts.py`` and
``tests/callbacks/test_voice_status_endpoint.py``; here the algorithm itself, and the test
helper that signs those tests' requests, are pinned to fixed vectors.
"""

import pytest

from apps.delivery.services.twilio_signature import twilio_signature_valid
from tests.callbacks.twilio_fake import twilio_sign

# Twilio's example request: its URL, POST fields and auth token; two published variants.
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
AUTH_TOKEN = "12345"
FIELDS = {"CallSid": "CA1234567890ABCDE", "Digits": "1234", "To": "+18005551212"}
VECTORS = [
    ("+14158675309", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),  # twilio-php's validation guide
    ("+12349013030", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),  # an older revision, as libraries quote it
]


def params(caller: str) -> list[tuple[str, str]]:
    return list({**FIELDS, "Caller": caller, "From": caller}.items())


@pytest.mark.parametrize("caller, signature", VECTORS)
def test_the_documented_examples_are_valid(caller, signature):
    form = dict(params(caller))
    assert twilio_sign(AUTH_TOKEN, URL, form) == signature  # the tests' own signer
    assert twilio_signature_valid(
        auth_token=AUTH_TOKEN, url=URL, params=params(caller), signature=signature
    )


@pytest.mark.parametrize("caller, signature", VECTORS)
def test_anything_changed_invalidates_the_signature(caller, signature):
    good = {"auth_token": AUTH_TOKEN, "url": URL, "params": params(caller)}
    changes = [
        {"auth_token": "54321"},
        {"url": URL.replace("foo=1", "foo=2")},
        {"url": URL.replace("https:", "http:")},
        {"params": [*params(caller), ("Extra", "1")]},
        {"params": [(n, "4321" if n == "Digits" else v) for n, v in params(caller)]},
        {"auth_token": ""},  # a provider without an auth token never matches
    ]
    for change in changes:
        assert not twilio_signature_valid(**{**good, **change}, signature=signature), change
    assert not twilio_signature_valid(**good, signature="")
    assert not twilio_signature_valid(**good, signature=signature.lower())


@pytest.mark.parametrize("caller, signature", VECTORS)
def test_the_standard_port_may_be_present_or_not(caller, signature):
    """As Twilio's helper libraries do: https with or without :443 (not another port)."""
    with_port = URL.replace("mycompany.com", "mycompany.com:443")
    kwargs = {"auth_token": AUTH_TOKEN, "params": params(caller), "signature": signature}
    assert twilio_signature_valid(url=with_port, **kwargs)
    signed_with_port = twilio_sign(AUTH_TOKEN, with_port, dict(params(caller)))
    assert twilio_signature_valid(**{**kwargs, "signature": signed_with_port}, url=URL)
    assert not twilio_signature_valid(url=URL.replace(".com", ".com:8443"), **kwargs)
