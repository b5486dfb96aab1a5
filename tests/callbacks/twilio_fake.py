"""A stand-in for Twilio's Calls API on a local HTTP server (pytest-httpserver).

It creates calls, plays each one out in a thread of its own — A rings, answers (or ends busy,
no-answer, failed), then the B leg its TwiML dials does the same — and, like Twilio, posts
every status change to the ``StatusCallback`` of the A call and the ``statusCallback`` of the
``<Number>``, over real HTTP. It answers ``GET …/Calls/{sid}.json`` and
``GET …/Calls.json?ParentCallSid=`` from the same state, and logs every request it gets.

Each callback carries ``X-Twilio-Signature``, computed here (not with Fusion's code) the way
Twilio documents it, with the auth token the call was created with (its Basic auth password).
"""

import base64
import hashlib
import hmac
import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from email.utils import format_datetime

import requests
from django.utils import timezone
from werkzeug import Response

ACCOUNT = "/2010-04-01/Accounts/AC123"


def twilio_sign(auth_token: str, url: str, form: dict | None = None) -> str:
    """Twilio's documented signature: base64(HMAC-SHA1(auth token, URL + each form field,
    sorted by name, as name then value))."""
    data = url + "".join(f"{name}{value}" for name, value in sorted((form or {}).items()))
    return base64.b64encode(
        hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    ).decode()


def _json(body) -> Response:
    return Response(json.dumps(body), content_type="application/json")


class FakeTwilio:
    """``outcomes`` maps a number to ``busy``/``no-answer``/``failed`` (others answer);
    ``callbacks=False`` plays the calls without posting (callbacks lost on the way);
    ``sign_with`` signs the callbacks with another auth token than the account's (a forger)."""

    def __init__(self, httpserver, outcomes=None, *, callbacks=True, step=0.05, talk=0.1,
                 sign_with: str | None = None):  # fmt: skip
        self.outcomes, self.callbacks, self.step, self.talk = outcomes or {}, callbacks, step, talk
        self.sign_with = sign_with
        self.calls: dict[str, dict] = {}
        self.creates: list[dict] = []  # the forms of POST …/Calls.json, in order
        self.gets: list[str] = []  # every GET (polls), path and query
        self.posted: list[tuple[str, dict, int]] = []  # (url, form, HTTP status) of callbacks
        self.threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        pattern = re.compile(rf"^{re.escape(ACCOUNT)}/Calls.*$")
        httpserver.expect_request(pattern).respond_with_handler(self._handle)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=10)

    def _handle(self, request):
        if request.method == "POST":
            return self._create(request.form, request.authorization.password)
        self.gets.append(request.full_path)
        with self._lock:
            if request.path == f"{ACCOUNT}/Calls.json":
                parent = request.args.get("ParentCallSid")
                return _json({"calls": [dict(c) for c in self.calls.values()
                                        if c["parent_call_sid"] == parent]})  # fmt: skip
            sid = request.path.rsplit("/", 1)[-1].removesuffix(".json")
            return _json(dict(self.calls[sid]))

    def _create(self, form, auth_token: str) -> Response:
        fields = {key: form.get(key) for key in form}
        fields["StatusCallbackEvent"] = form.getlist("StatusCallbackEvent")
        self.creates.append(fields)
        sid = f"CA{len(self.creates)}"
        self._set(sid, "queued", to=fields["To"], from_=fields["From"], parent="")
        token = self.sign_with if self.sign_with is not None else auth_token
        thread = threading.Thread(target=self._play, args=(sid, fields, token), daemon=True)
        self.threads.append(thread)
        thread.start()
        return _json({"sid": sid, "status": "queued", "to": fields["To"]})

    def _set(self, sid, status, *, to=None, from_=None, parent=None, duration=None) -> dict:
        with self._lock:
            call = self.calls.setdefault(sid, {"sid": sid, "start_time": None, "end_time": None})
            call["status"] = status
            for key, value in (("to", to), ("from", from_), ("parent_call_sid", parent),
                               ("duration", duration)):  # fmt: skip
                if value is not None:
                    call[key] = value
            stamp = format_datetime(timezone.now())
            if status == "ringing":
                call["start_time"] = stamp
            if status in ("completed", "busy", "no-answer", "failed", "canceled"):
                call["end_time"] = stamp
            return dict(call)

    def _report(self, url, token, sid, status, **fields) -> None:
        """Move the call to ``status`` and post its callback, signed, as Twilio would."""
        time.sleep(self.step)
        call = self._set(sid, status, duration=fields.get("CallDuration"))
        if not (self.callbacks and url):
            return
        form = {"CallSid": sid, "CallStatus": status, "To": call["to"], "From": call["from"],
                "ParentCallSid": call["parent_call_sid"], "AccountSid": "AC123",
                "Timestamp": format_datetime(timezone.now()), "CallbackSource":
                "call-progress-events", **fields}  # fmt: skip
        signature = {"X-Twilio-Signature": twilio_sign(token, url, form)}
        answer = requests.post(url, data=form, headers=signature, timeout=10)
        self.posted.append((url, form, answer.status_code))

    def _leg(self, url, token, sid, number, *, then=None) -> str:
        """Ring ``number``; answer (run ``then``, the call's middle) or end as configured."""
        for status in ("initiated", "ringing"):
            self._report(url, token, sid, status)
        outcome = self.outcomes.get(number, "answer")
        if outcome != "answer":
            self._report(url, token, sid, outcome)
            return outcome
        self._report(url, token, sid, "in-progress")
        if then:
            then()
        time.sleep(self.talk)
        self._report(url, token, sid, "completed", CallDuration="7")
        return "completed"

    def _play(self, sid, fields, token) -> None:
        dial = ET.fromstring(fields["Twiml"]).find("Dial")
        number = dial.find("Number")
        b_sid = sid.replace("CA", "CB")

        def bridge():
            self._set(b_sid, "queued", to=number.text, from_=dial.get("callerId"), parent=sid)
            self._leg(number.get("statusCallback"), token, b_sid, number.text)

        self._leg(fields.get("StatusCallback"), token, sid, fields["To"], then=bridge)
