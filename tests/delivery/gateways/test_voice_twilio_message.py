"""Twilio voice messages (programs voicemessage and voicetts) against a real HTTP server on
127.0.0.1 standing in for Twilio: the call created, the polling to its end, how each end maps,
and that Twilio can fetch the recording URL in its TwiML (from ``live_server``)."""

import json
import re

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from werkzeug import Response

from apps.delivery.gateways.base import DeliveryError, Message
from apps.delivery.gateways.registry import gateway_class
from apps.delivery.gateways.voice.twilio import TwilioVoiceGateway
from apps.providers.models import Provider
from tests.content.builders import wav_bytes

ACCOUNT = "/2010-04-01/Accounts/AC123"
PUBLIC = "https://fusion.example"
TO, FROM = "+15005550001", "+15005550006"


@pytest.fixture(autouse=True)
def media(settings, tmp_path, allow_local_http):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FUSION_PUBLIC_URL = PUBLIC


def gateway(httpserver, **settings) -> TwilioVoiceGateway:
    settings = {"base_url": f"http://127.0.0.1:{httpserver.port}", "poll_seconds": 0.01,
                **settings}  # fmt: skip
    provider = Provider(name="tw", type="twilio", service_flag=1, username="AC123",
                        password="auth-token", settings=settings)  # fmt: skip
    return TwilioVoiceGateway(provider)


def recording() -> dict:
    name = default_storage.save("content/3/recordings/r1.wav", ContentFile(wav_bytes(0.4)))
    return {"name": name, "filename": "r1.wav", "mimetype": "audio/x-wav"}


def voice(**payload) -> Message:
    return Message(job_id="j9", channel="voice", payload={"to": TO, "from": FROM, **payload},
                   idempotency_key="key-9")  # fmt: skip


def serve_call(httpserver, final: str, *, on_create=None) -> list:
    """Twilio: the call is created, polled once in progress, then ends with ``final``."""
    polls = []

    def created(request):
        if on_create:
            on_create(request)
        body = {"sid": "CA9", "status": "queued"}
        return Response(json.dumps(body), status=201, content_type="application/json")

    def state(request):
        polls.append(1)
        status = "in-progress" if len(polls) == 1 else final
        body = {"sid": "CA9", "to": TO, "from": FROM, "status": status, "duration": "12",
                "start_time": "Mon, 23 Nov 2026 21:00:00 +0000"}  # fmt: skip
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(f"{ACCOUNT}/Calls.json", method="POST").respond_with_handler(created)
    httpserver.expect_request(f"{ACCOUNT}/Calls/CA9.json", method="GET").respond_with_handler(state)
    return polls


def failure(gateway_, message) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        gateway_.send(message)
    return caught.value


def test_a_recording_is_played_on_a_call_followed_to_its_end(httpserver):
    polls = serve_call(httpserver, "completed")
    entry = recording()
    outcome = gateway(httpserver).send(voice(stored_files=[entry]))
    create = httpserver.log[0][0]
    assert create.method == "POST" and create.authorization.username == "AC123"
    assert create.authorization.password == "auth-token"
    assert create.headers["I-Twilio-Idempotency-Token"] == "key-9"
    assert set(create.form) == {"To", "From", "Twiml"}
    assert create.form["To"] == TO and create.form["From"] == FROM
    twiml = create.form["Twiml"]
    match = re.fullmatch(r"<Response><Play>(.+)</Play></Response>", twiml)
    assert match and match[1].startswith(f"{PUBLIC}/api/media/")
    assert match[1].endswith(entry["name"])
    assert [r.path for r, _ in httpserver.log[1:]] == [f"{ACCOUNT}/Calls/CA9.json"] * 2
    assert len(polls) == 2
    assert outcome.provider_message_id == "CA9" and outcome.delivered
    assert outcome.response["duration"] == 12 and outcome.response["status"] == "completed"
    assert outcome.request == {"to": TO, "from": FROM, "play": entry["name"]}


def test_a_text_is_spoken_escaped_with_the_providers_voice(httpserver):
    serve_call(httpserver, "completed")
    gw = gateway(httpserver, voice="Polly.Joanna", language="en-US", **{"from": "+15005550000"})
    gw.send(voice(text="Your balance is < $5 & due", **{"from": ""}))
    create = httpserver.log[0][0]
    assert create.form["Twiml"] == (
        '<Response><Say voice="Polly.Joanna" language="en-US">'
        "Your balance is &lt; $5 &amp; due</Say></Response>"
    )
    assert create.form["From"] == "+15005550000"  # the provider's, when the payload has none


def test_a_text_message_needs_no_public_url(httpserver, settings):
    settings.FUSION_PUBLIC_URL = ""
    serve_call(httpserver, "completed")
    outcome = gateway(httpserver).send(voice(text="Hello"))
    assert outcome.provider_message_id == "CA9"
    assert "<Say>Hello</Say>" in httpserver.log[0][0].form["Twiml"]


@pytest.mark.django_db(transaction=True)
def test_twilio_can_fetch_the_recording_it_is_told_to_play(httpserver, live_server, settings):
    settings.FUSION_PUBLIC_URL = live_server.url
    fetched = []

    def fetch(request):
        url = re.search(r"<Play>(.+)</Play>", request.form["Twiml"])[1]
        media = requests.get(url, timeout=10)
        fetched.append((media.status_code, media.headers["Content-Type"], media.content))

    serve_call(httpserver, "completed", on_create=fetch)
    gateway(httpserver).send(voice(stored_files=[recording()]))
    assert fetched == [(200, "audio/x-wav", wav_bytes(0.4))]


@pytest.mark.parametrize(
    "final, reason",
    [("busy", "busy"), ("no-answer", "no_answer"), ("failed", "failed"), ("canceled", "canceled")],
)
def test_a_call_that_does_not_complete_fails_permanently(httpserver, final, reason):
    serve_call(httpserver, final)
    error = failure(gateway(httpserver), voice(text="Hi"))
    assert error.permanent and error.reason == reason
    assert error.response["call_sid"] == "CA9" and error.response["status"] == final


def test_a_call_still_going_at_max_call_seconds_is_not_retried(httpserver):
    serve_call(httpserver, "in-progress")
    error = failure(gateway(httpserver, max_call_seconds=0.05), voice(text="Hi"))
    assert error.permanent and error.reason == "call_unfinished"


@pytest.mark.parametrize(
    "status, permanent", [(400, True), (401, True), (429, False), (503, False)]
)
def test_twilio_refusing_the_call_maps_by_status(httpserver, status, permanent):
    body = {"code": 21211, "message": "Invalid 'To' Phone Number", "status": status}
    httpserver.expect_request(f"{ACCOUNT}/Calls.json", method="POST").respond_with_json(
        body, status=status
    )
    error = failure(gateway(httpserver), voice(text="Hi"))
    assert error.permanent is permanent and error.response["status"] == status
    assert len(httpserver.log) == 1  # nothing is polled for a call that was never made


@pytest.mark.parametrize(
    "payload, reason",
    [
        ({"stored_files": [{"name": "content/3/recordings/gone.wav"}]}, "attachment_unavailable"),
        ({"text": "  "}, "invalid_message"),
    ],
)
def test_a_message_that_cannot_be_played_fails_before_calling(httpserver, payload, reason):
    error = failure(gateway(httpserver), voice(**payload))
    assert error.permanent and error.reason == reason
    assert httpserver.log == []


def test_a_recording_without_a_public_url_fails_before_calling(httpserver, settings):
    settings.FUSION_PUBLIC_URL = ""
    error = failure(gateway(httpserver), voice(stored_files=[recording()]))
    assert error.permanent and error.reason == "no_public_url"
    assert httpserver.log == []


def test_two_leg_callback_calls_still_dial_b(httpserver):
    """A payload with ``a_number`` keeps the callback-call path (TwiML <Dial>)."""
    serve_call(httpserver, "completed")
    child = {"sid": "CA10", "to": "+15005550002", "status": "completed"}
    httpserver.expect_request(
        f"{ACCOUNT}/Calls.json", method="GET", query_string="ParentCallSid=CA9"
    ).respond_with_json({"calls": [child]})
    payload = {"a_number": TO, "b_number": "+15005550002", "caller_id_number": FROM}
    message = Message(job_id="j1", channel="voice", payload=payload, idempotency_key="k")
    outcome = gateway(httpserver).send(message)
    assert "<Dial" in httpserver.log[0][0].form["Twiml"]
    assert [leg["leg"] for leg in outcome.response["legs"]] == ["A", "B"]
    assert gateway_class("voice", "twilio") is TwilioVoiceGateway
