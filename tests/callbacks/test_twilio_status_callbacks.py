"""Twilio voice driven by its status callbacks, and extended A numbers.

A fake Twilio (``twilio_fake.py``, a local HTTP server) plays the calls out and posts the
status callbacks over real HTTP to Fusion's endpoint on pytest-django's live server; the
gateway runs in the test's thread and must follow the call from what that endpoint recorded.
"""

import time
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from apps.core.signing import url_token
from apps.delivery.gateways.base import DeliveryError, Message
from apps.delivery.gateways.voice.twilio import EVENTS, TwilioVoiceGateway
from apps.delivery.models import Attempt, Job
from apps.delivery.services.execute import job_execute
from apps.delivery.services.voice_status import KEY
from apps.providers.models import Provider
from tests.callbacks.twilio_fake import ACCOUNT, FakeTwilio

A, B, CALLER = "+15005550001", "+15005550002", "+15005559999"
EXT1, EXT2 = "+15005550011", "+15005550012"
PAYLOAD = {"a_number": A, "b_number": B, "caller_id_number": CALLER, "extended_a_numbers": []}
live = pytest.mark.django_db(transaction=True)  # the live server must see the test's rows


def provider(httpserver, tenant, **settings) -> Provider:
    """A Twilio voice provider against the fake; a broken follow fails in 20 s, never hangs."""
    settings = {"base_url": httpserver.url_for(""), "max_call_seconds": 20, **settings}
    return Provider.objects.create(
        client=tenant, name="tw", type="twilio", service_flag=1, username="AC123",
        password="token", settings=settings,
    )  # fmt: skip


def attempt_of(tenant, tw: Provider, payload=PAYLOAD) -> Attempt:
    """An attempt of ``tw``'s, as the engine makes it: its callbacks must be signed by ``tw``."""
    job = Job.objects.create(client=tenant, channel="voice", payload=payload, run_at=timezone.now())
    return Attempt.objects.create(job=job, number=1, provider=tw)


def message(attempt=None, payload=PAYLOAD) -> Message:
    return Message(job_id="j1", channel="voice", payload=payload, idempotency_key="key-1",
                   attempt_id=attempt.id if attempt else None)  # fmt: skip


def status_url(base: str, attempt_id: int) -> str:
    return f"{base}/api/voice/status/{attempt_id}/{url_token('voice_status', attempt_id)}"


@pytest.fixture
def public_url(settings, live_server, allow_local_http):
    """Fusion reachable (for the fake Twilio) at the live server's URL."""
    settings.FUSION_PUBLIC_URL = live_server.url
    return live_server.url


@pytest.fixture
def fake_twilio(httpserver):
    """Build a FakeTwilio; its call threads are joined before the database is torn down."""
    made = []

    def make(**kwargs) -> FakeTwilio:
        made.append(FakeTwilio(httpserver, **kwargs))
        return made[-1]

    yield make
    for fake in made:
        fake.join()


def statuses(legs) -> list[tuple[str, str, str]]:
    return [(leg["leg"], leg["number"], leg["status"]) for leg in legs]


@live
def test_both_legs_ask_twilio_for_status_callbacks(httpserver, tenant, public_url, fake_twilio):
    fake = fake_twilio()
    tw = provider(httpserver, tenant, poll_seconds=30)
    attempt = attempt_of(tenant, tw)
    TwilioVoiceGateway(tw).send(message(attempt))
    create, url = fake.creates[0], status_url(public_url, attempt.id)
    assert create["StatusCallback"] == url and create["StatusCallbackMethod"] == "POST"
    assert create["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]
    assert create["To"] == A and create["From"] == CALLER
    dial = ET.fromstring(create["Twiml"]).find("Dial")
    number = dial.find("Number")
    assert dial.get("callerId") == A and number.text == B
    assert number.get("statusCallback") == url
    assert number.get("statusCallbackEvent") == " ".join(EVENTS)
    assert number.get("statusCallbackMethod") == "POST"


@live
def test_the_call_ends_from_its_callbacks_without_polling(
    httpserver, tenant, public_url, fake_twilio
):
    fake = fake_twilio()
    tw = provider(httpserver, tenant, poll_seconds=30)
    attempt = attempt_of(tenant, tw)
    started = time.monotonic()
    gateway = TwilioVoiceGateway(tw)
    outcome = gateway.send(message(attempt))
    assert time.monotonic() - started < 10  # not the 30 s of a poll
    assert fake.gets == []  # no GET of the call, nor of its child calls
    assert statuses(outcome.response["legs"]) == [("A", A, "answered"), ("B", B, "answered")]
    assert outcome.provider_message_id == "CA1" and outcome.response["duration"] == 7
    legs = outcome.response["legs"]
    assert legs[1]["sid"] == "CB1" and legs[1]["caller_id"] == A
    assert legs[1]["answered_at"] and legs[0]["ended_at"].startswith("20")  # ISO times
    assert outcome.response["answered_at"] == legs[1]["answered_at"]
    fake.join()
    assert {status for _, _, status in fake.posted} == {204}  # every signature was accepted
    recorded = Attempt.objects.get(pk=attempt.pk).response[KEY]
    assert recorded["CA1"]["status"] == "completed" and recorded["CB1"]["parent_sid"] == "CA1"
    assert set(recorded["CB1"]["times"]) == {"initiated", "ringing", "in-progress", "completed"}


@live
def test_b_busy_from_its_callback_is_a_b_failure(httpserver, tenant, public_url, fake_twilio):
    fake = fake_twilio(outcomes={B: "busy"})
    tw = provider(httpserver, tenant, poll_seconds=30)
    attempt = attempt_of(tenant, tw)
    gateway = TwilioVoiceGateway(tw)
    with pytest.raises(DeliveryError) as error:
        gateway.send(message(attempt))
    assert error.value.permanent and error.value.reason == "b_busy"
    assert statuses(error.value.response["legs"]) == [("A", A, "answered"), ("B", B, "busy")]
    assert error.value.response["legs"][1]["hangup_cause"] == "USER_BUSY"
    assert fake.gets == []


@live
def test_lost_callbacks_fall_back_to_polling(httpserver, tenant, public_url, fake_twilio):
    fake = fake_twilio(callbacks=False)
    tw = provider(httpserver, tenant, poll_seconds=0.1)
    attempt = attempt_of(tenant, tw)
    gateway = TwilioVoiceGateway(tw)
    outcome = gateway.send(message(attempt))
    assert fake.creates[0]["StatusCallback"] == status_url(public_url, attempt.id)
    assert f"{ACCOUNT}/Calls/CA1.json" in {get.split("?")[0] for get in fake.gets}
    assert any("ParentCallSid=CA1" in get for get in fake.gets)  # B read from the child calls
    assert statuses(outcome.response["legs"]) == [("A", A, "answered"), ("B", B, "answered")]
    assert Attempt.objects.get(pk=attempt.pk).response == {}  # nothing was posted


@live
def test_callbacks_signed_with_another_auth_token_are_refused(
    httpserver, tenant, public_url, fake_twilio
):
    """A forger who knows the URL (token included) but not the auth token records nothing:
    every callback answers 403 and the call is followed by polling instead."""
    fake = fake_twilio(sign_with="not-the-auth-token")
    tw = provider(httpserver, tenant, poll_seconds=0.1)
    attempt = attempt_of(tenant, tw)
    outcome = TwilioVoiceGateway(tw).send(message(attempt))
    fake.join()
    assert fake.posted and {status for _, _, status in fake.posted} == {403}
    assert Attempt.objects.get(pk=attempt.pk).response == {}  # nothing recorded
    assert f"{ACCOUNT}/Calls/CA1.json" in {get.split("?")[0] for get in fake.gets}
    assert statuses(outcome.response["legs"]) == [("A", A, "answered"), ("B", B, "answered")]


@live
def test_extended_a_numbers_are_rung_in_turn_until_one_answers(
    httpserver, tenant, public_url, fake_twilio
):
    fake = fake_twilio(outcomes={A: "busy", EXT1: "no-answer"})
    payload = {**PAYLOAD, "extended_a_numbers": [EXT1, EXT2]}
    tw = provider(httpserver, tenant, poll_seconds=30)
    attempt = attempt_of(tenant, tw, payload)
    gateway = TwilioVoiceGateway(tw)
    outcome = gateway.send(message(attempt, payload))
    assert [create["To"] for create in fake.creates] == [A, EXT1, EXT2]
    assert ET.fromstring(fake.creates[2]["Twiml"]).find("Dial").get("callerId") == EXT2
    assert statuses(outcome.response["legs"]) == [
        ("A", A, "busy"), ("A", EXT1, "no_answer"), ("A", EXT2, "answered"), ("B", B, "answered")
    ]  # fmt: skip
    assert outcome.response["a_number"] == EXT2 and outcome.provider_message_id == "CA3"
    assert fake.gets == []
    tokens = [log[0].headers["I-Twilio-Idempotency-Token"] for log in httpserver.log
              if log[0].method == "POST"]  # fmt: skip
    assert tokens == ["key-1", "key-1-a1", "key-1-a2"]  # three calls, never deduplicated


@pytest.mark.django_db
def test_when_no_a_number_answers_every_leg_is_reported(httpserver, allow_local_http, tenant):
    # Callbacks off (no FUSION_PUBLIC_URL): the extended numbers are rung by polling too.
    fake = FakeTwilio(httpserver, {A: "busy", EXT1: "no-answer", EXT2: "failed"})
    payload = {**PAYLOAD, "extended_a_numbers": [EXT1, EXT2]}
    gateway = TwilioVoiceGateway(provider(httpserver, tenant, poll_seconds=0.05))
    with pytest.raises(DeliveryError) as error:
        gateway.send(message(None, payload))
    fake.join()
    assert error.value.permanent and error.value.reason == "a_failed"
    assert statuses(error.value.response["legs"]) == [
        ("A", A, "busy"), ("A", EXT1, "no_answer"), ("A", EXT2, "failed")
    ]  # fmt: skip
    assert all("StatusCallback" not in create for create in fake.creates)
    assert "statusCallback" not in fake.creates[0]["Twiml"]


@live
def test_a_job_run_by_the_engine_follows_its_callbacks(httpserver, tenant, public_url, fake_twilio):
    """Through the real engine: the attempt id reaches the gateway without any other wiring,
    and the callbacks, signed with the provider's auth token, are accepted."""
    fake = fake_twilio()
    tw = provider(httpserver, tenant, poll_seconds=30)
    job = Job.objects.create(client=tenant, channel="voice", payload=PAYLOAD,
                             run_at=timezone.now(), status=Job.Status.QUEUED)  # fmt: skip
    assert job_execute(job_id=job.id) == Job.Status.SUCCEEDED
    attempt = Attempt.objects.get(job=job)
    assert attempt.provider_id == tw.id  # so the endpoint checked Twilio's signature
    assert fake.creates[0]["StatusCallback"] == status_url(public_url, attempt.id)
    assert fake.gets == []
    fake.join()
    assert {status for _, _, status in fake.posted} == {204}
    assert statuses(attempt.response["legs"]) == [("A", A, "answered"), ("B", B, "answered")]
