"""Twilio voice messages: call ``to`` and play a recording or speak a text (programs
``voicemessage`` and ``voicetts``).

``TwilioVoiceGateway.send`` hands every voice job without ``a_number`` (not a two-leg
callback call) to ``twilio_message_send``, which reuses that gateway's ``_call`` (auth, URL,
error mapping) and ``_follow`` (polling until the call ends):

1. ``POST …/Calls.json`` with ``To``, ``From`` (payload ``from``, else the provider setting
   ``from``) and ``Twiml``: ``<Response><Play>{signed URL of the WAV}</Play></Response>`` or
   ``<Response><Say voice=… language=…>{text}</Say></Response>``; the job's idempotency key
   in ``I-Twilio-Idempotency-Token``.
2. ``GET …/Calls/{sid}.json`` until the call ends: ``completed`` → success (provider message
   id = call sid, response with ``duration``); ``busy``, ``no-answer``, ``failed``,
   ``canceled`` → permanent ``DeliveryError`` with reason ``busy``, ``no_answer``, ``failed``,
   ``canceled``; a call still going at ``max_call_seconds`` → permanent ``call_unfinished``
   (a retry would ring the person a second time).

No gateway is registered here; the registry imports this module and finds nothing to register.
"""

from xml.sax.saxutils import escape, quoteattr

from apps.delivery.gateways.base import DeliveryError, Message, Outcome
from apps.delivery.services.media import stored_file_public_url

FAILED_CALLS = {"busy", "no-answer", "failed", "canceled"}


def _permanent(text: str, reason: str, response: dict | None = None) -> DeliveryError:
    return DeliveryError(text, permanent=True, reason=reason, response=response)


def twiml_play(url: str) -> str:
    """TwiML that plays the audio at ``url`` once the call is answered."""
    return f"<Response><Play>{escape(url)}</Play></Response>"


def twiml_say(text: str, *, voice: str = "", language: str = "") -> str:
    """TwiML that speaks ``text`` (escaped: it is a tenant's text) with Twilio's TTS."""
    attrs = "".join(
        f" {key}={quoteattr(value)}" for key, value in (("voice", voice), ("language", language))
        if value
    )  # fmt: skip
    return f"<Response><Say{attrs}>{escape(text)}</Say></Response>"


def _twiml(gateway, payload: dict) -> tuple[str, dict]:
    """(TwiML, request summary): the recording when there is one, else the text."""
    files = [entry for entry in payload.get("stored_files") or [] if entry.get("name")]
    if files:
        name = files[0]["name"]
        return twiml_play(stored_file_public_url(name)), {"play": name}
    text = str(payload.get("text") or "").strip()
    if not text:
        raise _permanent("a voice message needs a recording or a text", "invalid_message")
    settings = gateway.settings
    twiml = twiml_say(text, voice=settings.get("voice", ""), language=settings.get("language", ""))
    return twiml, {"say": text[:200]}


def _outcome(call: dict, summary: dict) -> Outcome:
    status = str(call.get("status") or "")
    response = {
        "call_sid": str(call.get("sid") or ""),
        "status": status,
        "to": call.get("to", ""),
        "from": call.get("from", ""),
        "started_at": call.get("start_time"),
        "ended_at": call.get("end_time"),
        "duration": float(call.get("duration") or 0),
    }
    if status in FAILED_CALLS:
        reason = status.replace("-", "_")
        raise _permanent(f"call {reason}", reason, response)
    if status != "completed":
        raise _permanent(f"call still {status or 'unknown'} at max_call_seconds",
                         "call_unfinished", response)  # fmt: skip
    return Outcome(provider_message_id=response["call_sid"], request=summary,
                   response=response, delivered=True)  # fmt: skip


def twilio_message_send(gateway, message: Message) -> Outcome:
    """Call ``payload["to"]``, play or say the message, follow the call to its end."""
    payload = message.payload
    twiml, summary = _twiml(gateway, payload)
    form = {
        "To": payload.get("to", ""),
        "From": payload.get("from") or gateway.settings.get("from", ""),
        "Twiml": twiml,
    }
    if gateway.settings.get("status_callback"):
        form["StatusCallback"] = gateway.settings["status_callback"]
    headers = {"I-Twilio-Idempotency-Token": message.idempotency_key}
    created = gateway._call("POST", "Calls.json", data=form, headers=headers)
    sid = str(created.get("sid") or "")
    if not sid:
        raise _permanent("Twilio created no call sid", "provider_error", {"body": created})
    summary = {"to": form["To"], "from": form["From"], **summary}
    return _outcome(gateway._follow(sid), summary)
