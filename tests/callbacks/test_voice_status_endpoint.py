"""``/api/voice/status/{attempt_id}/{token}``: Twilio's call status callbacks, recorded per leg.

Attempts without a provider (most tests here) are authenticated by the URL token alone; those
of a Twilio provider need its ``X-Twilio-Signature`` too (the last tests)."""

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
import requests
from django.utils import timezone

from apps.core.signing import url_token
from apps.delivery.models import Attempt, Job
from apps.delivery.services.receipts import payload_with_receipt_url
from apps.delivery.services.voice_status import KEY
from apps.providers.models import Provider
from tests.callbacks.twilio_fake import twilio_sign

A_FORM = {"CallSid": "CA1", "CallStatus": "ringing", "To": "+15005550001",
          "From": "+15005559999", "Timestamp": "Mon, 23 Nov 2026 21:00:00 +0000"}  # fmt: skip


@pytest.fixture
def attempt(tenant) -> Attempt:
    job = Job.objects.create(client=tenant, channel="voice", payload={}, run_at=timezone.now())
    return Attempt.objects.create(job=job, number=1, response={"kept": 1})


def path(attempt_id: int, token: str | None = None) -> str:
    token = url_token("voice_status", attempt_id) if token is None else token
    return f"/api/voice/status/{attempt_id}/{token}"


def recorded(attempt: Attempt) -> dict:
    return Attempt.objects.get(pk=attempt.pk).response[KEY]


@pytest.mark.django_db
def test_callbacks_of_a_and_b_are_recorded_per_leg(anon_api, attempt):
    answers = [
        anon_api.post(path(attempt.id), A_FORM),
        anon_api.post(path(attempt.id), {**A_FORM, "CallStatus": "in-progress"}),
        anon_api.post(path(attempt.id), {"CallSid": "CB1", "CallStatus": "completed",
                                         "ParentCallSid": "CA1", "To": "+15005550002",
                                         "CallDuration": "42", "AnsweredBy": "human"}),
    ]  # fmt: skip
    assert [answer.status_code for answer in answers] == [204, 204, 204]
    legs = recorded(attempt)
    assert legs["CA1"]["status"] == "in-progress" and legs["CA1"]["to"] == "+15005550001"
    assert legs["CA1"]["times"]["ringing"] == "2026-11-23T21:00:00+00:00"
    assert legs["CB1"] | {"times": None} == {
        "sid": "CB1", "status": "completed", "parent_sid": "CA1", "to": "+15005550002",
        "duration": 42, "answered_by": "human", "sequence": None, "times": None,
    }  # fmt: skip
    assert Attempt.objects.get(pk=attempt.pk).response["kept"] == 1  # the rest is untouched


@pytest.mark.django_db
def test_a_late_callback_never_moves_a_leg_backwards(anon_api, attempt):
    anon_api.post(path(attempt.id), {**A_FORM, "CallStatus": "completed"})
    assert anon_api.post(path(attempt.id), A_FORM).status_code == 204  # ringing, late
    leg = recorded(attempt)["CA1"]
    assert leg["status"] == "completed" and set(leg["times"]) == {"completed", "ringing"}


@pytest.mark.django_db
def test_a_wrong_token_is_refused_and_records_nothing(anon_api, attempt):
    answer = anon_api.post(path(attempt.id, "0" * 32), A_FORM)
    assert answer.status_code == 403
    other = anon_api.post(path(attempt.id, url_token("receipt", attempt.id)), A_FORM)
    assert other.status_code == 403  # a receipt token opens receipts only
    assert KEY not in Attempt.objects.get(pk=attempt.pk).response


@pytest.mark.django_db
@pytest.mark.parametrize("attempt_id", [987654321, 10**30])
def test_an_unknown_attempt_is_404(anon_api, attempt, attempt_id):
    assert anon_api.post(path(attempt_id), A_FORM).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, content_type",
    [
        ({}, None),
        ({"CallStatus": "ringing"}, None),
        ({"CallSid": "CA1"}, None),
        ({**A_FORM, "CallStatus": "exploded"}, None),
        ({**A_FORM, "CallSid": "CA1/../x"}, None),
        ({**A_FORM, "CallSid": "C" * 500}, None),
        ({**A_FORM, "CallDuration": "seven"}, None),
        ({**A_FORM, "CallDuration": "-1"}, None),
        ({**A_FORM, "SequenceNumber": "9" * 40}, None),
        ('{"CallSid": "CA1", "CallStatus": "ringing"}', "application/json"),
        (b"\xff\xfe%%%=&&=\x00", "application/x-www-form-urlencoded"),
        (b"\x00\x01binary", "application/octet-stream"),
    ],
)
def test_garbage_answers_4xx_and_records_nothing(anon_api, attempt, body, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    answer = anon_api.post(path(attempt.id), body, **kwargs)
    assert 400 <= answer.status_code < 500, answer.content
    assert KEY not in Attempt.objects.get(pk=attempt.pk).response


@pytest.mark.django_db
def test_an_odd_timestamp_is_kept_as_the_time_of_arrival(anon_api, attempt):
    assert anon_api.post(path(attempt.id), {**A_FORM, "Timestamp": "yesterday"}).status_code == 204
    assert recorded(attempt)["CA1"]["times"]["ringing"].startswith(str(timezone.now().year))


@pytest.mark.django_db
def test_only_post_is_accepted(anon_api, attempt):
    assert anon_api.get(path(attempt.id)).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_concurrent_callbacks_of_many_legs_are_all_kept(live_server, attempt):
    """Each request merges under the row lock: none overwrites another's leg."""
    url = live_server.url + path(attempt.id)
    forms = [{**A_FORM, "CallSid": f"CA{n}", "ParentCallSid": "CA0" if n else ""}
             for n in range(16)]  # fmt: skip
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda form: requests.post(url, data=form, timeout=30).status_code,
                              forms))  # fmt: skip
    assert codes == [204] * 16
    assert set(recorded(attempt)) == {f"CA{n}" for n in range(16)}


@pytest.mark.django_db
def test_a_two_leg_voice_payload_gets_its_attempt_id_when_callbacks_can_reach_us(settings, attempt):
    job, payload = attempt.job, {"a_number": "+1", "b_number": "+2"}
    settings.FUSION_PUBLIC_URL = ""
    assert payload_with_receipt_url(job=job, attempt=attempt, payload=payload) == payload
    settings.FUSION_PUBLIC_URL = "https://fusion.example.com"
    sent = payload_with_receipt_url(job=job, attempt=attempt, payload=payload)
    assert sent == {**payload, "attempt_id": attempt.id}
    message = {"to": "+1", "text": "hi"}  # a voice message: not a callback call
    assert payload_with_receipt_url(job=job, attempt=attempt, payload=message) == message


# --- Twilio's request signature ----------------------------------------------------------

PUBLIC = "https://fusion.example.com"
AUTH_TOKEN = "the-auth-token"
FORM = "application/x-www-form-urlencoded"


def attempt_of_provider(tenant, kind: str) -> Attempt:
    provider = Provider.objects.create(client=tenant, name=kind, type=kind, service_flag=1,
                                       username="AC123", password=AUTH_TOKEN)  # fmt: skip
    job = Job.objects.create(client=tenant, channel="voice", payload={}, run_at=timezone.now())
    return Attempt.objects.create(job=job, number=1, provider=provider)


@pytest.fixture
def twilio_attempt(tenant, settings) -> Attempt:
    settings.FUSION_PUBLIC_URL = PUBLIC  # what Twilio was told; the test client is elsewhere
    return attempt_of_provider(tenant, "twilio")


def signed_post(api, url_path: str, form: dict, *, signature: str | None):
    headers = {} if signature is None else {"HTTP_X_TWILIO_SIGNATURE": signature}
    return api.post(url_path, urlencode(form), content_type=FORM, **headers)


@pytest.mark.django_db
def test_a_twilio_callback_signed_with_the_providers_auth_token_is_recorded(
    anon_api, twilio_attempt
):
    url_path = path(twilio_attempt.id)
    signature = twilio_sign(AUTH_TOKEN, PUBLIC + url_path, A_FORM)
    assert signed_post(anon_api, url_path, A_FORM, signature=signature).status_code == 204
    assert recorded(twilio_attempt)["CA1"]["status"] == "ringing"


@pytest.mark.django_db
@pytest.mark.parametrize("forgery", ["unsigned", "other token", "another attempt's URL",
                                     "request's own URL", "field changed"])  # fmt: skip
def test_a_twilio_callback_without_a_valid_signature_is_403_and_records_nothing(
    anon_api, twilio_attempt, forgery
):
    url_path = path(twilio_attempt.id)
    signed_url, signed_form, token = PUBLIC + url_path, A_FORM, AUTH_TOKEN
    if forgery == "other token":
        token = "another-accounts-token"
    elif forgery == "another attempt's URL":  # replaying a genuine callback elsewhere
        signed_url = PUBLIC + path(twilio_attempt.id + 1)
    elif forgery == "request's own URL":
        signed_url = "http://testserver" + url_path
    elif forgery == "field changed":
        signed_form = {**A_FORM, "CallStatus": "completed"}
    signature = None if forgery == "unsigned" else twilio_sign(token, signed_url, signed_form)
    answer = signed_post(anon_api, url_path, A_FORM, signature=signature)
    assert answer.status_code == 403
    assert KEY not in Attempt.objects.get(pk=twilio_attempt.pk).response


@pytest.mark.django_db
def test_a_valid_signature_does_not_replace_the_url_token(anon_api, twilio_attempt):
    url_path = path(twilio_attempt.id, "0" * 32)
    signature = twilio_sign(AUTH_TOKEN, PUBLIC + url_path, A_FORM)
    assert signed_post(anon_api, url_path, A_FORM, signature=signature).status_code == 403
    assert KEY not in Attempt.objects.get(pk=twilio_attempt.pk).response


@pytest.mark.django_db
def test_callbacks_of_other_providers_need_no_signature(anon_api, tenant, settings):
    settings.FUSION_PUBLIC_URL = PUBLIC
    attempt = attempt_of_provider(tenant, "simulator")
    assert signed_post(anon_api, path(attempt.id), A_FORM, signature=None).status_code == 204
    assert recorded(attempt)["CA1"]["status"] == "ringing"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
        (b"--x\r\nbroken", "multipart/form-data"),  # no boundary at all
        (b'{"CallSid": "CA1", "CallStatus": "ringing"}', "application/json"),
        (b"\xff\xfe%%%=&&=\x00", FORM),
    ],
)
def test_a_garbled_body_to_a_twilio_attempt_is_4xx_never_500(
    anon_api, twilio_attempt, body, content_type
):
    url_path = path(twilio_attempt.id)
    signature = twilio_sign(AUTH_TOKEN, PUBLIC + url_path)  # the URL alone: a forger's best
    answer = anon_api.post(url_path, body, content_type=content_type,
                           HTTP_X_TWILIO_SIGNATURE=signature)  # fmt: skip
    assert 400 <= answer.status_code < 500, answer.content
    assert KEY not in Attempt.objects.get(pk=twilio_attempt.pk).response
