"""SMTP email gateway against a real aiosmtpd relay and a real HTTP server, both on 127.0.0.1.

The relay records what it was given (envelope and raw message), so the assertions are on the
message as received, not on the objects the gateway built.
"""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pytest_httpserver import HTTPServer

from apps.delivery.gateways.base import DeliveryError, Message
from apps.delivery.gateways.email import smtp as smtp_module
from apps.delivery.gateways.email.smtp import SmtpEmailGateway
from apps.delivery.gateways.registry import gateway_class
from apps.providers.models import Provider

KEY = "5f0c6a8e-2d4b-4c1e-9a57-0b1f3c2d4e5f"
PDF = b"%PDF-1.4 not really a pdf \x00\x01\x02"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay:
    """aiosmtpd handler: records accepted envelopes; ``mail``/``rcpt``/``data`` replies refuse."""

    def __init__(self, *, mail: str = "", rcpt: str = "", data: str = ""):
        self.mail, self.rcpt, self.data = mail, rcpt, data
        self.envelopes = []

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail:
            return self.mail
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt:
            return self.rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data:
            return self.data
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def received(self):
        """The one message received, parsed."""
        assert len(self.envelopes) == 1
        return message_from_bytes(self.envelopes[0].content, policy=policy.default)


@pytest.fixture
def relay():
    """start(handler=None, **smtp_options) → (handler, port) of a running relay."""
    controllers = []

    def start(handler: Relay | None = None, **options):
        handler = handler or Relay()
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), **options)
        controller.start()
        controllers.append(controller)
        return handler, controller.port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="module")
def _files_server():
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def files(_files_server):
    """A real HTTP server on 127.0.0.1 serving attachments (emptied after each test)."""
    yield _files_server
    _files_server.clear()


def gateway(port: int, **fields) -> SmtpEmailGateway:
    settings = fields.pop("settings", {})
    settings.setdefault("timeout", 5)
    provider = Provider(type="smtp", host="127.0.0.1", port=port, settings=settings, **fields)
    return SmtpEmailGateway(provider)


def message(key: str = KEY, **payload) -> Message:
    payload = {"to": ["ann@example.com"], "subject": "Hi", "html": "<p>Hi</p>", **payload}
    return Message(job_id="job-1", channel="email", payload=payload, idempotency_key=key)


def test_registered_for_email_smtp():
    assert gateway_class("email", "smtp") is SmtpEmailGateway


def test_sends_the_exact_message_with_alternative_and_attachment(relay, files, allow_local_http):
    handler, port = relay()
    files.expect_oneshot_request("/files/invoice march.pdf", method="GET").respond_with_data(
        PDF, content_type="application/pdf"
    )
    outcome = gateway(port).send(
        message(
            to=["ann@example.com", "bob@example.com"],
            cc=["cat@example.com"],
            bcc=["dan@example.com"],
            subject="Your invoice",
            html="<p>Hello <b>Ann</b> &amp; co</p>",
            from_email="bills@example.com",
            from_name="Fusion Bills",
            files=[f"http://127.0.0.1:{files.port}/files/invoice%20march.pdf"],
        )
    )
    files.check_assertions()

    envelope = handler.envelopes[0]
    assert envelope.mail_from == "bills@example.com"
    assert envelope.rcpt_tos == [
        "ann@example.com",
        "bob@example.com",
        "cat@example.com",
        "dan@example.com",
    ]
    mail = handler.received()
    assert mail["From"] == "Fusion Bills <bills@example.com>"
    assert mail["To"] == "ann@example.com, bob@example.com"
    assert mail["Cc"] == "cat@example.com"
    assert mail["Bcc"] is None and b"dan@example.com" not in envelope.content
    assert mail["Subject"] == "Your invoice"
    assert mail["Message-ID"] == f"<{KEY}@example.com>" == outcome.provider_message_id

    assert mail.get_content_type() == "multipart/mixed"
    alternative = mail.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    plain, rich = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert plain.get_content().rstrip("\r\n") == "Hello Ann & co"  # derived: tags out, unescaped
    assert rich.get_content_type() == "text/html"
    assert rich.get_content().rstrip("\r\n") == "<p>Hello <b>Ann</b> &amp; co</p>"
    (attachment,) = mail.iter_attachments()
    assert attachment.get_filename() == "invoice march.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF

    assert outcome.request == {
        "host": "127.0.0.1",
        "port": port,
        "from": "Fusion Bills <bills@example.com>",
        "recipients": 4,
        "subject": "Your invoice",
        "attachments": ["invoice march.pdf"],
    }
    assert outcome.response["accepted"] == 1


def test_explicit_text_is_kept_and_plain_only_mail_has_no_alternative(relay, allow_local_http):
    handler, port = relay()
    gateway(port).send(message(html="", text="Just text.", from_email="a@example.org"))
    mail = handler.received()
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content().rstrip("\r\n") == "Just text."


def test_template_is_rendered_with_context_and_sender_falls_back_to_settings(
    relay, allow_local_http
):
    handler, port = relay()
    settings = {"from_email": "noreply@fusion.example", "from_name": "Fusion"}
    gateway(port, settings=settings).send(
        message(
            html="<p>ignored</p>",
            is_template=True,
            template="<p>Hi {{ name }}, you owe {{ amount }}</p>{% if vip %}<p>VIP</p>{% endif %}",
            context={"name": "<Ann>", "amount": "10 €", "vip": True},
        )
    )
    mail = handler.received()
    assert mail["From"] == "Fusion <noreply@fusion.example>"
    assert mail["Message-ID"] == f"<{KEY}@fusion.example>"
    html = mail.get_body(("html",)).get_content().rstrip("\r\n")
    assert html == "<p>Hi &lt;Ann&gt;, you owe 10 €</p><p>VIP</p>"  # context is autoescaped
    assert mail.get_body(("plain",)).get_content().rstrip("\r\n") == "Hi <Ann>, you owe 10 €VIP"


@pytest.mark.parametrize(
    "template",
    ["{% if %}broken{% endif %}", "{% load static %}", '{% include "secrets.html" %}'],
    ids=["syntax", "no-extra-libraries", "no-template-loading"],
)
def test_bad_template_is_permanent_and_sends_nothing(relay, allow_local_http, template):
    handler, port = relay()
    with pytest.raises(DeliveryError) as error:
        gateway(port).send(message(is_template=True, template=template))
    assert error.value.permanent and error.value.reason == "bad_template"
    assert handler.envelopes == []


def test_message_id_is_stable_across_redeliveries(relay, allow_local_http):
    handler, port = relay()
    first = gateway(port).send(message(from_email="a@example.org"))
    second = gateway(port).send(message(from_email="a@example.org"))
    headers = [message_from_bytes(e.content)["Message-ID"] for e in handler.envelopes]
    assert headers == [f"<{KEY}@example.org>"] * 2
    assert first.provider_message_id == second.provider_message_id == headers[0]
    other = gateway(port).send(message(key="another-job", from_email="a@example.org"))
    assert other.provider_message_id == "<another-job@example.org>"


def test_provider_credentials_are_used_to_log_in(relay, allow_local_http):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"right-password", handled=False)

    handler, port = relay(authenticator=authenticator, auth_require_tls=False)
    gateway(port, username="mailer", password="right-password").send(message())
    assert logins == [(b"mailer", b"right-password")]
    assert len(handler.envelopes) == 1

    with pytest.raises(DeliveryError) as error:
        gateway(port, username="mailer", password="wrong").send(message())
    assert error.value.permanent and error.value.reason == "auth_failed"
    assert len(handler.envelopes) == 1


@pytest.mark.parametrize(
    ("refusal", "permanent", "reason"),
    [
        ({"rcpt": "550 5.1.1 No such user"}, True, "invalid_recipient"),
        ({"rcpt": "451 4.3.0 Try again later"}, False, "recipient_deferred"),
        ({"mail": "553 5.7.1 Sender not allowed"}, True, "rejected_sender"),
        ({"mail": "451 4.7.1 Greylisted"}, False, "provider_unavailable"),
        ({"data": "554 5.6.0 Message rejected"}, True, "provider_rejected"),
        ({"data": "452 4.3.1 Insufficient storage"}, False, "provider_unavailable"),
    ],
)
def test_smtp_refusals_map_by_reply_code(relay, allow_local_http, refusal, permanent, reason):
    handler, port = relay(Relay(**refusal))
    with pytest.raises(DeliveryError) as error:
        gateway(port).send(message())
    assert (error.value.permanent, error.value.reason) == (permanent, reason)
    assert handler.envelopes == []


def test_unreachable_relay_is_transient(allow_local_http):
    with pytest.raises(DeliveryError) as error:
        gateway(_free_port()).send(message())  # nothing listens there
    assert not error.value.permanent and error.value.reason == "network"


def test_relay_on_a_private_address_is_blocked(relay):
    handler, port = relay()  # 127.0.0.1, and no allow_local_http
    with pytest.raises(DeliveryError) as error:
        gateway(port).send(message())
    assert error.value.permanent and error.value.reason == "blocked_destination"
    assert handler.envelopes == []


def test_every_resolved_address_is_checked_before_connecting(relay, monkeypatch, allow_local_http):
    """One private answer among the allowed ones refuses the relay: DNS may rotate."""
    handler, port = relay()
    monkeypatch.setattr(smtp_module, "_resolve", lambda host, port: {"127.0.0.1", "10.0.0.1"})
    with pytest.raises(DeliveryError) as error:
        gateway(port).send(message())
    assert error.value.permanent and error.value.reason == "blocked_destination"
    assert "10.0.0.1" in str(error.value)
    assert handler.envelopes == []


def test_connected_peer_is_checked_even_when_dns_looked_public(relay, monkeypatch):
    """DNS rebinding: the name resolved to a public address first, then to 127.0.0.1."""
    handler, port = relay()
    monkeypatch.setattr(smtp_module, "_resolve", lambda host, port: {"93.184.216.34"})
    with pytest.raises(DeliveryError) as error:
        gateway(port).send(message())
    assert error.value.permanent and error.value.reason == "blocked_destination"
    assert "127.0.0.1" in str(error.value)
    assert handler.envelopes == []


def test_attachment_on_a_private_address_is_blocked_and_nothing_is_sent(relay, files):
    handler, port = relay()
    files.expect_request("/secret.txt").respond_with_data("internal")
    url = f"http://127.0.0.1:{files.port}/secret.txt"
    with pytest.raises(DeliveryError) as error:
        gateway(port).send(message(files=[url]))  # no allow_local_http
    assert error.value.permanent and error.value.reason == "blocked_destination"
    assert "attachment" in str(error.value)
    assert files.log == [] and handler.envelopes == []


def test_attachment_over_the_cap_is_permanent(relay, files, allow_local_http, settings):
    settings.FUSION_ATTACHMENT_MAX_BYTES = 100
    handler, port = relay()
    files.expect_request("/big.bin").respond_with_data(b"x" * 101)
    with pytest.raises(DeliveryError) as error:
        gateway(port).send(message(files=[f"http://127.0.0.1:{files.port}/big.bin"]))
    assert error.value.permanent and error.value.reason == "attachment_too_large"
    assert handler.envelopes == []


@pytest.mark.parametrize(
    ("status", "permanent", "reason"),
    [(404, True, "attachment_unavailable"), (503, False, "provider_unavailable")],
)
def test_attachment_http_errors(relay, files, allow_local_http, status, permanent, reason):
    handler, port = relay()
    files.expect_request("/gone.pdf").respond_with_data("no", status=status)
    with pytest.raises(DeliveryError) as error:
        gateway(port).send(message(files=[f"http://127.0.0.1:{files.port}/gone.pdf"]))
    assert (error.value.permanent, error.value.reason) == (permanent, reason)
    assert handler.envelopes == []


def test_header_injection_is_refused(relay, allow_local_http):
    handler, port = relay()
    with pytest.raises(DeliveryError) as error:
        gateway(port).send(message(subject="Hi\r\nBcc: victim@example.com"))
    assert error.value.permanent and error.value.reason == "invalid_message"
    assert handler.envelopes == []


def test_stored_files_are_attached_from_storage_and_a_missing_one_fails(
    relay, settings, tmp_path, allow_local_http
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = str(tmp_path)
    handler, port = relay()
    name = default_storage.save("templates/terms.pdf", ContentFile(PDF))
    entry = {"name": name, "filename": "terms.pdf", "mimetype": "application/pdf"}
    gateway(port).send(message(stored_files=[entry]))
    (part,) = list(handler.received().iter_attachments())
    assert part.get_filename() == "terms.pdf" and part.get_content() == PDF
    with pytest.raises(DeliveryError) as error:
        gateway(port).send(message(stored_files=[{"name": "templates/gone.pdf"}]))
    assert (error.value.permanent, error.value.reason) == (True, "attachment_unavailable")
