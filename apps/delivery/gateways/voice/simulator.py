"""A telephony simulator for two-leg callback calls (provider type ``simulator``).

Settings: ``patterns`` maps an outcome (``busy``, ``no_answer``, ``failed``) to a glob on the
number (e.g. ``{"busy": "*0"}``; anything else answers); ``min_seconds``/``max_seconds`` bound
the call length (default 0.5–3 s) during which ``send`` sleeps, as a real call would be in
progress; ``ring_seconds`` (default 0) is how long an unanswered leg rings.

Payload: ``a_number``, ``b_number``, ``extended_a_numbers``, ``caller_id_name``,
``caller_id_number``. A is rung first, then each extended A number until one answers; then B.
A failing → ``DeliveryError(permanent=True, reason="a_<outcome>")``; B → ``"b_<outcome>"``.
The response (also on errors) holds the call's ``legs`` and its cdr fields.

A payload without ``a_number`` is a voice message (the Comms face's ``voicemessage`` and
``voicetts`` programs: ``to``, ``from``, a recording or a ``text``): one leg to ``to``;
answered → the message plays for the call's length and the job succeeds; otherwise a
permanent ``DeliveryError`` with reason ``busy``, ``no_answer`` or ``failed``, as Twilio's
voice messages report them.
"""

import fnmatch
import random
import time
import uuid
from datetime import UTC, datetime

from apps.delivery.gateways.base import DeliveryError, Gateway, Message, Outcome
from apps.delivery.gateways.registry import register

CAUSES = {"busy": "USER_BUSY", "no_answer": "NO_ANSWER", "failed": "CALL_REJECTED"}


def _now() -> str:
    return datetime.now(UTC).isoformat()


@register
class SimulatorVoiceGateway(Gateway):
    """Rings A then B by number pattern; sleeps the call's length; reports legs and cdr."""

    channel = "voice"
    type = "simulator"

    def outcome_of(self, number: str) -> str:
        """``answer`` unless a pattern of the provider's settings matches ``number``."""
        for outcome, pattern in (self.settings.get("patterns") or {}).items():
            if pattern and fnmatch.fnmatch(str(number), str(pattern)):
                return outcome
        return "answer"

    def _ring(self, leg: str, number: str, caller_id: str) -> dict:
        started = _now()
        outcome = self.outcome_of(number)
        if outcome != "answer":
            time.sleep(float(self.settings.get("ring_seconds") or 0))
        return {
            "leg": leg,
            "number": number,
            "caller_id": caller_id,
            "status": "answered" if outcome == "answer" else outcome,
            "started_at": started,
            "answered_at": _now() if outcome == "answer" else None,
            "hangup_cause": CAUSES.get(outcome, ""),
        }

    def _call_length(self) -> float:
        low = float(self.settings.get("min_seconds", 0.5))
        high = float(self.settings.get("max_seconds", 3))
        return random.uniform(low, max(low, high))

    def send(self, message: Message) -> Outcome:
        """Ring A (then its extended numbers), then B, and sleep the call; a failed leg is final."""
        payload = message.payload
        if "a_number" not in payload:
            return self._voice_message(payload)
        cdr = {"call_uuid": str(uuid.uuid4()), "started_at": _now(), "legs": []}
        caller_id = payload.get("caller_id_number") or ""
        a_numbers = [payload["a_number"], *(payload.get("extended_a_numbers") or [])]
        a_leg = None
        for number in a_numbers:
            a_leg = self._ring("A", number, caller_id)
            cdr["legs"].append(a_leg)
            if a_leg["status"] == "answered":
                break
        if a_leg["status"] != "answered":
            self._fail(cdr, "a", a_leg)
        cdr["a_number"] = a_leg["number"]
        b_leg = self._ring("B", payload["b_number"], a_leg["number"])
        cdr["legs"].append(b_leg)
        if b_leg["status"] != "answered":
            self._fail(cdr, "b", b_leg)
        length = self._call_length()
        cdr["answered_at"] = b_leg["answered_at"]
        time.sleep(length)
        self._end(cdr, "NORMAL_CLEARING", length)
        return Outcome(
            provider_message_id=cdr["call_uuid"],
            request={"a_number": payload["a_number"], "b_number": payload["b_number"]},
            response=cdr,
            delivered=True,
        )

    def _voice_message(self, payload: dict) -> Outcome:
        """One call to ``to`` that plays the message: delivered when it is answered."""
        cdr = {"call_uuid": str(uuid.uuid4()), "started_at": _now(), "legs": []}
        leg = self._ring("A", str(payload.get("to") or ""), str(payload.get("from") or ""))
        cdr["legs"].append(leg)
        if leg["status"] != "answered":
            self._end(cdr, leg["hangup_cause"], 0)
            raise DeliveryError(f"call {leg['status']}", permanent=True, reason=leg["status"],
                                response=cdr)  # fmt: skip
        length = self._call_length()
        cdr["answered_at"] = leg["answered_at"]
        time.sleep(length)
        self._end(cdr, "NORMAL_CLEARING", length)
        return Outcome(provider_message_id=cdr["call_uuid"], request={"to": leg["number"]},
                       response=cdr, delivered=True)  # fmt: skip

    def _end(self, cdr: dict, cause: str, duration: float) -> None:
        cdr.update(ended_at=_now(), hangup_cause=cause, duration=round(duration, 3))
        for leg in cdr["legs"]:
            leg["ended_at"] = cdr["ended_at"]

    def _fail(self, cdr: dict, side: str, leg: dict) -> None:
        self._end(cdr, leg["hangup_cause"], 0)
        raise DeliveryError(
            f"{side.upper()} leg {leg['number']}: {leg['status']}",
            permanent=True,
            reason=f"{side}_{leg['status']}",
            response=cdr,
        )
