"""Telnyx's Ed25519 webhook signatures on the receipts endpoint.

A fax goes through the engine and the real Telnyx gateway (a local HTTP server stands in for
Telnyx and records the ``webhook_url`` it was given); the test then plays Telnyx: it signs
``f"{timestamp}|{raw body}"`` with an Ed25519 private key generated here and posts the
webhook through Django's test client, exactly as Telnyx would deliver it.
"""

import base64
import json
import time
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from apps.delivery.models import Attempt, Event, Job
from apps.delivery.services.jobs import JobSpec, jobs_create
from apps.delivery.services.receipts import receipt_url
from apps.delivery.services.telnyx_signature import telnyx_signature_valid
from apps.providers.models import Provider
from tests.content.builders import pdf_bytes
from tests.delivery.conftest import run_engine

pytestmark = pytest.mark.django_db

PUBLIC = "https://fusion.example"
PORTAL_KEY = Ed25519PrivateKey.generate()  # the Telnyx account's key pair
OTHER_KEY = Ed25519PrivateKey.generate()  # someone else's
JSON = "application/json"


def public_b64(private: Ed25519PrivateKey) -> str:
    """The public key as the Telnyx portal shows it: base64 of the 32 raw bytes."""
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def event(kind: str = "fax.delivered", **payload) -> bytes:
    """A Telnyx fax webhook body, as Telnyx serialises it (the exact bytes are signed)."""
    body = {
        "data": {
            "event_type": kind,
            "id": "e6a3a5f4-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
            "occurred_at": "2026-11-24T10:00:00.000000Z",
            "payload": {"fax_id": "fx-1", "status": kind.split(".")[-1], **payload},
            "record_type": "event",
        },
        "meta": {"attempt": 1, "delivered_to": "https://fusion.example/api/receipts/…"},
    }
    return json.dumps(body).encode()


def signed_headers(body: bytes, *, key=PORTAL_KEY, timestamp: int | None = None) -> dict:
    """telnyx-signature-ed25519 and telnyx-timestamp, as Django's test client sends them."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = key.sign(stamp.encode() + b"|" + body)
    return {
        "HTTP_TELNYX_SIGNATURE_ED25519": base64.b64encode(signature).decode(),
        "HTTP_TELNYX_TIMESTAMP": stamp,
    }


@pytest.fixture(autouse=True)
def media(settings, tmp_path, allow_local_http):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FUSION_PUBLIC_URL = PUBLIC
    settings.FUSION_TELNYX_PUBLIC_KEY = ""


@pytest.fixture
def telnyx(tenant, httpserver):
    """A Telnyx fax provider whose settings carry the account's public key."""
    queued = {"data": {"id": "fx-1", "status": "queued"}}
    httpserver.expect_request("/v2/faxes", method="POST").respond_with_json(queued, status=202)
    return Provider.objects.create(
        client=tenant, name="telnyx", type="telnyx", service_flag=2, password="KEY-v2",
        settings={"base_url": f"http://127.0.0.1:{httpserver.port}", "connection_id": "c-1",
                  "public_key": public_b64(PORTAL_KEY)},
    )  # fmt: skip


@pytest.fixture
def webhook(telnyx, tenant, httpserver, django_capture_on_commit_callbacks) -> str:
    """A fax sent through the engine; the path of the webhook_url Telnyx was given."""
    document = default_storage.save("content/1/documents/a.pdf", ContentFile(pdf_bytes(1)))
    payload = {"to": "+13127367276", "from": "+13125790015", "stored_files": [{"name": document}]}
    [job] = jobs_create(client_id=tenant.id, specs=[JobSpec(channel="fax", payload=payload)])
    run_engine(django_capture_on_commit_callbacks)
    [(request, _)] = httpserver.log
    url = json.loads(request.data)["webhook_url"]
    attempt = Attempt.objects.get(job_id=job.id)
    assert url == receipt_url(attempt_id=attempt.id) and attempt.outcome == "succeeded"
    return urlsplit(url).path


def post(anon_api, path: str, body: bytes, headers: dict):
    return anon_api.post(path, body, content_type=JSON, **headers)


def assert_nothing_recorded() -> None:
    attempt = Attempt.objects.get()
    assert "receipt" not in (attempt.response or {}) and attempt.outcome == "succeeded"
    job = Job.objects.get()
    assert job.status == "succeeded" and job.result["delivered"] is False  # accepted only
    assert not Event.objects.filter(kind__in=["delivered", "undelivered"]).exists()


def test_a_signed_webhook_is_recorded(anon_api, webhook):
    body = event("fax.delivered")
    response = post(anon_api, webhook, body, signed_headers(body))
    assert response.status_code == 200, response.content
    assert response.json() == {"state": "delivered", "recorded": True}
    assert Job.objects.get().result["delivered"] is True


def test_the_raw_bytes_are_verified_not_a_reserialisation(anon_api, webhook):
    """Telnyx's own spacing and escapes: re-encoding the parsed JSON would change them."""
    body = b'{"data":{"event_type":"fax.delivered","payload":{"fax_id":"fx-1","note":"\\u00e9"}}}'
    response = post(anon_api, webhook, body, signed_headers(body))
    assert response.json() == {"state": "delivered", "recorded": True}


def test_a_tampered_body_is_refused_and_records_nothing(anon_api, webhook):
    signed = event("fax.delivered")
    forged = event("fax.failed", failure_reason="user_busy")
    response = post(anon_api, webhook, forged, signed_headers(signed))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == 403
    assert_nothing_recorded()


def test_a_signature_by_another_key_is_refused(anon_api, webhook):
    body = event("fax.failed", failure_reason="user_busy")
    response = post(anon_api, webhook, body, signed_headers(body, key=OTHER_KEY))
    assert response.status_code == 403
    assert_nothing_recorded()


def test_a_stale_or_future_timestamp_is_refused(anon_api, webhook, settings):
    # Whole seconds on both sides: 310 is past the 300 s tolerance whatever the rounding (the
    # exact edges are pinned below, with a fixed clock).
    body, now = event("fax.delivered"), int(time.time())
    for stamp in (now - 310, now + 310, now - 86400):
        response = post(anon_api, webhook, body, signed_headers(body, timestamp=stamp))
        assert response.status_code == 403, stamp
    assert_nothing_recorded()
    settings.FUSION_TELNYX_WEBHOOK_TOLERANCE_SECONDS = 600  # the tolerance is configurable
    response = post(anon_api, webhook, body, signed_headers(body, timestamp=now - 310))
    assert response.json() == {"state": "delivered", "recorded": True}


def test_a_valid_signature_moved_to_another_timestamp_is_refused(anon_api, webhook):
    """The timestamp is signed: a replay cannot freshen it."""
    body = event("fax.delivered")
    headers = signed_headers(body, timestamp=int(time.time()) - 3600)
    headers["HTTP_TELNYX_TIMESTAMP"] = str(int(time.time()))
    assert post(anon_api, webhook, body, headers).status_code == 403
    assert_nothing_recorded()


def test_missing_or_malformed_headers_are_refused(anon_api, webhook):
    body = event("fax.delivered")
    good = signed_headers(body)
    signature, stamp = good["HTTP_TELNYX_SIGNATURE_ED25519"], good["HTTP_TELNYX_TIMESTAMP"]
    for headers in (
        {},
        {"HTTP_TELNYX_SIGNATURE_ED25519": signature},
        {"HTTP_TELNYX_TIMESTAMP": stamp},
        {**good, "HTTP_TELNYX_SIGNATURE_ED25519": "not base64!"},
        {**good, "HTTP_TELNYX_SIGNATURE_ED25519": signature[:40]},
        {**good, "HTTP_TELNYX_TIMESTAMP": f"{stamp}.0"},
        {**good, "HTTP_TELNYX_TIMESTAMP": "-" + stamp},
    ):
        assert post(anon_api, webhook, body, headers).status_code == 403, headers
    assert_nothing_recorded()


def test_the_url_token_is_checked_first(anon_api, webhook):
    """A wrong receipt token answers 404 whatever the signature (nothing tells it apart)."""
    body = event("fax.delivered")
    wrong = webhook.rsplit("/", 1)[0] + "/0000"
    assert post(anon_api, wrong, body, signed_headers(body)).status_code == 404
    assert_nothing_recorded()


def test_without_a_public_key_the_url_token_alone_is_the_credential(anon_api, webhook, telnyx):
    """As before this check existed: unsigned webhooks are accepted when no key is set."""
    telnyx.settings.pop("public_key")
    telnyx.save(update_fields=["settings"])
    body = event("fax.delivered")
    response = post(anon_api, webhook, body, {})
    assert response.json() == {"state": "delivered", "recorded": True}


def test_the_environment_key_is_the_default_and_a_provider_key_wins(
    anon_api, webhook, telnyx, settings
):
    body = event("fax.delivered")
    telnyx.settings.pop("public_key")
    telnyx.save(update_fields=["settings"])
    settings.FUSION_TELNYX_PUBLIC_KEY = public_b64(OTHER_KEY)
    assert post(anon_api, webhook, body, {}).status_code == 403  # now a key is configured
    assert post(anon_api, webhook, body, signed_headers(body)).status_code == 403
    assert_nothing_recorded()

    telnyx.settings["public_key"] = public_b64(PORTAL_KEY)  # this account's own key
    telnyx.save(update_fields=["settings"])
    assert post(anon_api, webhook, body, signed_headers(body, key=OTHER_KEY)).status_code == 403
    response = post(anon_api, webhook, body, signed_headers(body))
    assert response.json() == {"state": "delivered", "recorded": True}


def test_the_environment_key_verifies_when_the_provider_has_none(
    anon_api, webhook, telnyx, settings
):
    telnyx.settings.pop("public_key")
    telnyx.save(update_fields=["settings"])
    settings.FUSION_TELNYX_PUBLIC_KEY = public_b64(PORTAL_KEY)
    body = event("fax.failed", failure_reason="user_busy")
    response = post(anon_api, webhook, body, signed_headers(body))
    assert response.json() == {"state": "undelivered", "recorded": True}


@pytest.mark.parametrize("bad_key", ["not a key", base64.b64encode(b"short").decode()])
def test_a_malformed_configured_key_refuses_everything(anon_api, webhook, telnyx, bad_key):
    """Fails closed: a typo in the key must not turn the check off."""
    telnyx.settings["public_key"] = bad_key
    telnyx.save(update_fields=["settings"])
    body = event("fax.delivered")
    assert post(anon_api, webhook, body, signed_headers(body)).status_code == 403
    assert post(anon_api, webhook, body, {}).status_code == 403
    assert_nothing_recorded()


def test_the_check_itself_at_the_tolerance_edges():
    body, now = b'{"data":{}}', 1_800_000_000
    headers = signed_headers(body, timestamp=now)
    valid = {
        "public_key": public_b64(PORTAL_KEY),
        "timestamp": headers["HTTP_TELNYX_TIMESTAMP"],
        "body": body,
        "signature": headers["HTTP_TELNYX_SIGNATURE_ED25519"],
        "tolerance": 300,
    }
    assert telnyx_signature_valid(**valid, now=now + 300)
    assert telnyx_signature_valid(**valid, now=now - 300)
    assert not telnyx_signature_valid(**valid, now=now + 301)
    assert not telnyx_signature_valid(**valid, now=now - 301)
    assert not telnyx_signature_valid(**{**valid, "body": body + b" "}, now=now)
    assert not telnyx_signature_valid(**{**valid, "public_key": ""}, now=now)
