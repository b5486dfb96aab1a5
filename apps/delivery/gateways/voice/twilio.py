"""Twilio Programmable Voice for two-leg callback calls (provider type ``twilio``, voice).

A call: ``POST {base_url}/2010-04-01/Accounts/{sid}/Calls.json`` creates the A-leg call (``To``
= the A number, ``From`` = the caller id) whose TwiML dials B with A's number shown
(``<Dial callerId=A><Number>B</Number></Dial>``). When A does not answer (busy, no-answer,
failed, canceled), each of the payload's ``extended_a_numbers`` is called in turn the same way;
the first that answers is bridged to B. Every leg tried is in the cdr's ``legs``. No A answering
→ ``a_<status>`` of the last one; B not answering → ``b_<status>`` (both permanent).

Following a call, two ways:

- **Status callbacks** (when ``FUSION_PUBLIC_URL`` is set and the engine names the attempt:
  ``Message.attempt_id``, else the payload's ``attempt_id``): each A call is created with
  ``StatusCallback={FUSION_PUBLIC_URL}/api/voice/status/{attempt_id}/{token}``,
  ``StatusCallbackEvent`` initiated, ringing, answered, completed, and its ``<Number>`` carries
  the same ``statusCallback``/``statusCallbackEvent``, so B reports too. The endpoint records
  every leg on the attempt (``services/voice_status.py``); ``send`` reads that row every 0.2 s
  and asks Twilio itself (``GET …/Calls/{sid}.json``) only every ``poll_seconds`` (default 10),
  the safety net for lost callbacks. The B leg is the recorded leg whose ``ParentCallSid`` is
  the A call; when its final callback is late, ``GET …/Calls.json?ParentCallSid=`` reads it.
- **Polling** otherwise: ``GET …/Calls/{sid}.json`` every ``poll_seconds`` (default 1).

Either way ``send`` runs for the whole call (at most ``max_call_seconds``, default 3600), as
the Callbacks face's concurrency limit counts running calls. Basic auth: ``Provider.username``
(Account SID) / ``Provider.password``. The job's idempotency key goes in
``I-Twilio-Idempotency-Token`` (``-a1``, ``-a2``… appended for extended A numbers: each is a
call of its own). Settings: ``from``, ``base_url``, ``status_callback`` (a URL of your own for
Twilio's callbacks, used only when Fusion's are off), ``poll_seconds``, ``max_call_seconds``.
Voice messages (payloads without ``a_number``) are ``twilio_message.py``'s.
"""

import time
from email.utils import parsedate_to_datetime
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome, error_for_status
from apps.delivery.gateways.registry import register
from apps.delivery.gateways.sms.common import json_of
from apps.delivery.gateways.voice.twilio_message import twilio_message_send
from apps.delivery.services.voice_status import attempt_call_statuses, voice_status_url

BASE_URL = "https://api.twilio.com"
FINAL = {"completed", "busy", "no-answer", "failed", "canceled"}
EVENTS = ["initiated", "ringing", "answered", "completed"]
CAUSES = {"completed": "NORMAL_CLEARING", "busy": "USER_BUSY", "no-answer": "NO_ANSWER",
          "failed": "CALL_REJECTED", "canceled": "ORIGINATOR_CANCEL"}  # fmt: skip
CHECK_SECONDS = 0.2  # how often the recorded callbacks are read: one indexed row read
B_SETTLE_SECONDS = 2.0  # A and B end together; B's final callback may follow A's


def twiml_dial(b_number: str, caller_id: str, status_callback: str = "") -> str:
    """TwiML that, once A answers, dials B showing ``caller_id``; B's leg reports its status
    changes to ``status_callback`` when given."""
    attrs = ""
    if status_callback:
        attrs = (
            f" statusCallback={quoteattr(status_callback)}"
            f" statusCallbackEvent={quoteattr(' '.join(EVENTS))}"
            ' statusCallbackMethod="POST"'
        )
    return (
        f"<Response><Dial callerId={quoteattr(caller_id)}>"
        f"<Number{attrs}>{escape(b_number)}</Number></Dial></Response>"
    )


def _iso(value) -> str | None:
    """Twilio's RFC 2822 times as ISO 8601 (the call record reads those); others unchanged."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value)).isoformat()
    except (TypeError, ValueError, IndexError):
        return str(value)  # already ISO (recorded from the callbacks)


def _leg(name: str, call: dict) -> dict:
    """A cdr leg from a call as Twilio's API answers it (or as its callbacks recorded it)."""
    status = str(call.get("status") or "")
    leg = {
        "leg": name,
        "number": call.get("to", ""),
        "caller_id": call.get("from", ""),
        "status": "answered" if status == "completed" else status.replace("-", "_"),
        "started_at": _iso(call.get("start_time")),
        "answered_at": _iso(call.get("answered_at")),
        "ended_at": _iso(call.get("end_time")),
        "hangup_cause": CAUSES.get(status, ""),
        "sid": call.get("sid", ""),
    }
    if call.get("answered_by"):
        leg["answered_by"] = call["answered_by"]
    return leg


def _call_of(recorded: dict) -> dict:
    """A leg recorded from status callbacks, in the shape of Twilio's call resource."""
    times, status = recorded.get("times") or {}, recorded.get("status", "")
    return {
        "sid": recorded.get("sid", ""),
        "to": recorded.get("to", ""),
        "from": recorded.get("from", ""),
        "status": status,
        "start_time": times.get("initiated") or times.get("queued") or times.get("ringing"),
        "answered_at": times.get("in-progress"),
        "end_time": times.get(status) if status in FINAL else None,
        "duration": recorded.get("duration"),
        "answered_by": recorded.get("answered_by", ""),
    }


class StatusCallbacks:
    """Where this try's calls report (``url``) and what they reported (read from the attempt)."""

    def __init__(self, attempt_id: int, url: str):
        self.attempt_id, self.url = attempt_id, url

    @classmethod
    def of(cls, message: Message) -> "StatusCallbacks | None":
        """The try's callbacks; None when they are off (no public URL, or no attempt id)."""
        attempt_id = message.attempt_id or message.payload.get("attempt_id")
        try:
            attempt_id = int(attempt_id or 0)
        except (TypeError, ValueError):
            return None
        url = voice_status_url(attempt_id=attempt_id)
        return cls(attempt_id, url) if url else None

    def call(self, sid: str) -> dict | None:
        """The call ``sid`` as its callbacks recorded it; None until the first one arrives."""
        recorded = attempt_call_statuses(attempt_id=self.attempt_id).get(sid)
        return _call_of(recorded) if recorded else None

    def child(self, parent_sid: str) -> dict | None:
        """The B leg of the A call ``parent_sid`` (its ended one, if it rang twice)."""
        children = [_call_of(leg) for leg in attempt_call_statuses(attempt_id=self.attempt_id)
                    .values() if leg.get("parent_sid") == parent_sid]  # fmt: skip
        children.sort(key=lambda call: call["status"] in FINAL, reverse=True)
        return children[0] if children else None


def _a_numbers(payload: dict) -> list[str]:
    """A, then the extended A numbers, in the order they are rung."""
    extended = payload.get("extended_a_numbers")
    extended = extended if isinstance(extended, list) else []
    return [payload["a_number"], *(str(number) for number in extended if number)]


def _failure(side: str, leg: dict, cdr: dict) -> DeliveryError:
    return DeliveryError(f"{side.upper()} leg {leg['number']}: {leg['status']}", permanent=True,
                         reason=f"{side}_{leg['status']}", response=cdr)  # fmt: skip


@register
class TwilioVoiceGateway(Gateway):
    """Rings A (then each extended A number) dialing B; follows the call by its status
    callbacks (polling as the safety net) to its end; reports every leg."""

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
        """Run the two-leg call to its end (it blocks that long); without ``a_number`` the
        payload is a voice message for ``twilio_message_send``.
        """
        if "a_number" not in message.payload:  # voicemessage / voicetts: call one number
            return twilio_message_send(self, message)
        payload = message.payload
        callbacks = StatusCallbacks.of(message)
        legs: list[dict] = []
        for index, number in enumerate(_a_numbers(payload)):
            a_call = self._ring_a(message, number, index, callbacks)
            legs.append(_leg("A", a_call))
            if legs[-1]["status"] == "answered":
                break
        a_leg = legs[-1]
        cdr = {"call_uuid": "", "a_number": a_leg["number"] or payload["a_number"], "legs": legs,
               "started_at": legs[0]["started_at"], "ended_at": a_leg["ended_at"],
               "duration": float(a_call.get("duration") or 0)}  # fmt: skip
        if a_leg["status"] != "answered":
            raise _failure("a", a_leg, cdr)
        legs.append(_leg("B", self._b_call(a_call, payload, callbacks)))
        if legs[-1]["status"] != "answered":
            raise _failure("b", legs[-1], cdr)
        answered_at = legs[-1]["answered_at"] or a_leg["answered_at"] or a_leg["started_at"]
        cdr.update(hangup_cause="NORMAL_CLEARING", answered_at=answered_at)
        return Outcome(provider_message_id=str(a_call.get("sid") or ""), response=cdr,
                       request={"to": cdr["a_number"]}, delivered=True)  # fmt: skip

    def _ring_a(
        self, message: Message, number: str, index: int, callbacks: "StatusCallbacks | None"
    ) -> dict:
        """Call one A number (its TwiML dials B) and follow it to its end."""
        payload = message.payload
        form = {
            "To": number,
            "From": payload.get("caller_id_number") or self.settings.get("from", ""),
            "Twiml": twiml_dial(payload["b_number"], number, callbacks.url if callbacks else ""),
        }
        if callbacks:
            form.update(StatusCallback=callbacks.url, StatusCallbackEvent=EVENTS,
                        StatusCallbackMethod="POST")  # fmt: skip
        elif self.settings.get("status_callback"):
            form["StatusCallback"] = self.settings["status_callback"]
        # Each A number is a call of its own; one token would make Twilio answer the first.
        key = message.idempotency_key + (f"-a{index}" if index else "")
        created = self._call("POST", "Calls.json", data=form,
                             headers={"I-Twilio-Idempotency-Token": key})  # fmt: skip
        sid = str(created.get("sid") or "")
        if not sid:  # permanent: a retry could ring A a second time
            raise DeliveryError("Twilio created no call sid", permanent=True,
                                reason="provider_error", response={"body": created})  # fmt: skip
        call = self._follow(sid, callbacks)
        return {**call, "to": call.get("to") or number}

    def _poll_seconds(self, callbacks) -> float:
        return float(self.settings.get("poll_seconds", 10 if callbacks else 1))

    def _follow(self, sid: str, callbacks: StatusCallbacks | None = None) -> dict:
        """The call ``sid`` once it has ended (or its last state at ``max_call_seconds``):
        from its recorded callbacks, asking Twilio only every ``poll_seconds``."""
        now = time.monotonic()
        deadline = now + float(self.settings.get("max_call_seconds", 3600))
        poll = self._poll_seconds(callbacks)
        next_poll = now + poll if callbacks else now  # callbacks first; polling is the net
        last: dict = {"sid": sid}
        while True:
            reported = callbacks.call(sid) if callbacks else None
            if reported:
                last = reported
                if reported["status"] in FINAL:
                    return reported
            now = time.monotonic()
            if now >= next_poll:
                last = self._call("GET", f"Calls/{quote(sid, safe='')}.json")
                if last.get("status") in FINAL:
                    return last
                next_poll = now + poll
            if now > deadline:
                return last
            time.sleep(min(CHECK_SECONDS, poll) if callbacks else poll)

    def _b_call(self, a_call: dict, payload: dict, callbacks: "StatusCallbacks | None") -> dict:
        """B's leg of the ended A call: its recorded callbacks, else Twilio's child calls."""
        sid = str(a_call.get("sid") or "")
        if callbacks:
            settle = time.monotonic() + min(B_SETTLE_SECONDS, self._poll_seconds(callbacks))
            while True:
                child = callbacks.child(sid)
                if child and child["status"] in FINAL:
                    return child
                if time.monotonic() > settle:
                    break
                time.sleep(CHECK_SECONDS)
        children = self._call("GET", "Calls.json", params={"ParentCallSid": sid})
        calls = children.get("calls") or [{"to": payload["b_number"], "status": "failed"}]
        return calls[0]
