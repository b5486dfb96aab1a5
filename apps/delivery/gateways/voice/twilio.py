"""Twilio Programmable Voice for two-leg callback calls (provider type ``twilio``, voice).

``POST {base_url}/2010-04-01/Accounts/{sid}/Calls.json`` creates the A-leg call (``To`` = the
A number, ``From`` = the caller id) whose TwiML dials B with A's number shown; then the call is
followed (``GET …/Calls/{sid}.json`` every ``poll_seconds``, default 1, for at most
``max_call_seconds``, default 3600) until it ends, and the B leg is read from its child calls
(``GET …/Calls.json?ParentCallSid={sid}``). A not answering → ``a_<status>``; B → ``b_<status>``
(permanent). Basic auth: ``Provider.username`` (Account SID) / ``Provider.password``. The job's
idempotency key goes in ``I-Twilio-Idempotency-Token``. Settings: ``from``, ``base_url``,
``status_callback`` (passed to Twilio), ``poll_seconds``, ``max_call_seconds``.
"""

import time
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome, error_for_status
from apps.delivery.gateways.registry import register
from apps.delivery.gateways.sms.common import json_of

BASE_URL = "https://api.twilio.com"
FINAL = {"completed", "busy", "no-answer", "failed", "canceled"}


def twiml_dial(b_number: str, caller_id: str) -> str:
    """TwiML that, once A answers, dials B showing ``caller_id``."""
    return (
        f"<Response><Dial callerId={quoteattr(caller_id)}>"
        f"<Number>{escape(b_number)}</Number></Dial></Response>"
    )


def _leg(name: str, call: dict) -> dict:
    status = str(call.get("status") or "")
    return {
        "leg": name,
        "number": call.get("to", ""),
        "caller_id": call.get("from", ""),
        "status": "answered" if status == "completed" else status.replace("-", "_"),
        "started_at": call.get("start_time"),
        "ended_at": call.get("end_time"),
        "sid": call.get("sid", ""),
    }


@register
class TwilioVoiceGateway(Gateway):
    """Creates the A-leg call dialing B, follows it to its end, reports both legs."""

    channel = "voice"
    type = "twilio"

    def _url(self, tail: str) -> str:
        base = self.settings.get("base_url", BASE_URL).rstrip("/")
        return f"{base}/2010-04-01/Accounts/{quote(self.provider.username, safe='')}/{tail}"

    def _call(self, method: str, tail: str, **kwargs) -> dict:
        auth = (self.provider.username, self.provider.password)
        response = self.http(method, self._url(tail), auth=auth, **kwargs)
        if not 200 <= response.status_code < 300:
            raise error_for_status(response.status_code, response.text)
        data = json_of(response)
        return data if isinstance(data, dict) else {}

    def send(self, message: Message) -> Outcome:
        payload = message.payload
        caller_id = payload.get("caller_id_number") or self.settings.get("from", "")
        form = {
            "To": payload["a_number"],
            "From": caller_id,
            "Twiml": twiml_dial(payload["b_number"], payload["a_number"]),
        }
        if self.settings.get("status_callback"):
            form["StatusCallback"] = self.settings["status_callback"]
        headers = {"I-Twilio-Idempotency-Token": message.idempotency_key}
        created = self._call("POST", "Calls.json", data=form, headers=headers)
        a_call = self._follow(str(created.get("sid") or ""))
        return self._outcome(a_call, payload)

    def _follow(self, sid: str) -> dict:
        """The A-leg call once it has ended (polled)."""
        deadline = time.monotonic() + float(self.settings.get("max_call_seconds", 3600))
        while True:
            call = self._call("GET", f"Calls/{quote(sid, safe='')}.json")
            if call.get("status") in FINAL or time.monotonic() > deadline:
                return call
            time.sleep(float(self.settings.get("poll_seconds", 1)))

    def _outcome(self, a_call: dict, payload: dict) -> Outcome:
        legs = [_leg("A", a_call)]
        cdr = {"call_uuid": "", "a_number": payload["a_number"], "legs": legs,
               "started_at": a_call.get("start_time"), "ended_at": a_call.get("end_time"),
               "duration": float(a_call.get("duration") or 0)}  # fmt: skip
        if legs[0]["status"] != "answered":
            raise DeliveryError(f"A leg: {legs[0]['status']}", permanent=True,
                                reason=f"a_{legs[0]['status']}", response=cdr)  # fmt: skip
        children = self._call("GET", "Calls.json", params={"ParentCallSid": a_call.get("sid")})
        b_calls = children.get("calls") or [{"to": payload["b_number"], "status": "failed"}]
        legs.append(_leg("B", b_calls[0]))
        if legs[1]["status"] != "answered":
            raise DeliveryError(f"B leg: {legs[1]['status']}", permanent=True,
                                reason=f"b_{legs[1]['status']}", response=cdr)  # fmt: skip
        cdr.update(hangup_cause="NORMAL_CLEARING", answered_at=a_call.get("start_time"))
        return Outcome(provider_message_id=str(a_call.get("sid") or ""), response=cdr,
                       request={"to": payload["a_number"]}, delivered=True)  # fmt: skip
