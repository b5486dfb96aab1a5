"""Twilio-compatible voice gateway against a local HTTP server standing in for Twilio."""

import json

import pytest
from werkzeug import Response

from apps.delivery.gateways.base import DeliveryError, Message
from apps.delivery.gateways.voice.twilio import TwilioVoiceGateway
from apps.providers.models import Provider

pytestmark = pytest.mark.django_db
PAYLOAD = {"a_number": "+15005550001", "b_number": "+15005550002",
           "caller_id_number": "+15005559999", "extended_a_numbers": []}  # fmt: skip
ACCOUNT = "/2010-04-01/Accounts/AC123"


def gateway(httpserver, tenant) -> TwilioVoiceGateway:
    provider = Provider.objects.create(
        client=tenant, name="tw", type="twilio", service_flag=1, username="AC123",
        password="token", settings={"base_url": httpserver.url_for(""), "poll_seconds": 0.01},
    )  # fmt: skip
    return TwilioVoiceGateway(provider)


def serve_call(httpserver, b_status: str) -> list:
    """A call that rings once, then completes; B's child call ends with ``b_status``."""
    polls = []

    def call_state(request):
        polls.append(1)
        status = "in-progress" if len(polls) == 1 else "completed"
        body = {"sid": "CA1", "to": PAYLOAD["a_number"], "status": status, "duration": "7"}
        return Response(json.dumps(body), content_type="application/json")

    created = {"sid": "CA1", "status": "queued"}
    httpserver.expect_request(f"{ACCOUNT}/Calls.json", method="POST").respond_with_json(created)
    httpserver.expect_request(f"{ACCOUNT}/Calls/CA1.json").respond_with_handler(call_state)
    child = {"sid": "CA2", "to": PAYLOAD["b_number"], "status": b_status}
    httpserver.expect_request(
        f"{ACCOUNT}/Calls.json", method="GET", query_string="ParentCallSid=CA1"
    ).respond_with_json({"calls": [child]})
    return polls


def message() -> Message:
    return Message(job_id="j1", channel="voice", payload=PAYLOAD, idempotency_key="key-1")


def test_a_call_dials_b_and_reports_both_legs(httpserver, allow_local_http, tenant):
    polls = serve_call(httpserver, "completed")
    outcome = gateway(httpserver, tenant).send(message())
    create = httpserver.log[0][0]
    assert create.form["To"] == PAYLOAD["a_number"] and create.form["From"] == "+15005559999"
    assert "<Number>+15005550002</Number>" in create.form["Twiml"]
    assert create.headers["I-Twilio-Idempotency-Token"] == "key-1"
    assert create.authorization.username == "AC123"
    assert len(polls) == 2 and outcome.provider_message_id == "CA1"
    legs = outcome.response["legs"]
    assert [(leg["leg"], leg["status"]) for leg in legs] == [("A", "answered"), ("B", "answered")]
    assert outcome.response["duration"] == 7


def test_b_busy_is_a_permanent_b_failure(httpserver, allow_local_http, tenant):
    serve_call(httpserver, "busy")
    with pytest.raises(DeliveryError) as error:
        gateway(httpserver, tenant).send(message())
    assert error.value.permanent and error.value.reason == "b_busy"
    assert [leg["leg"] for leg in error.value.response["legs"]] == ["A", "B"]
