"""Inbound programs: how each finds its account, and what it does with a received message.

The transmissions app stores the message (``apps.transmissions.inbound``); this module only
decides, as ``payloads.py`` does for outbound programs:

- ``ROUTES``: which channel each type receives on, and whether the account is the message's
  recipient (``to``) or its sender (``from``: emailtofax, where the recipient's local part is
  the fax number, as in ICTCore);
- ``inbound_followup``: the outbound delivery a type makes of the message, if any
  (faxtoemail → an email with the fax attached; emailtofax → a fax of the PDF attachments).
"""

from dataclasses import dataclass, field

from apps.contacts.phones import InvalidPhone, phone_normalise
from apps.programs.models import Program

PDF = "application/pdf"

# type → (channel, the side of the message that names the account)
ROUTES: dict[str, tuple[str, str]] = {
    "receivesms": ("sms", "to"),
    "receivefax": ("fax", "to"),
    "faxtoemail": ("fax", "to"),
    "receiveemail": ("email", "to"),
    "emailtofax": ("email", "from"),
}


def route_types(channel: str, side: str) -> list[str]:
    """The program types that take ``channel`` traffic whose account is on ``side``."""
    return [name for name, route in ROUTES.items() if route == (channel, side)]


@dataclass
class InboundFile:
    """A file that came with a message (an email attachment, a received fax)."""

    filename: str
    content: bytes
    content_type: str = ""


@dataclass
class InboundMessage:
    """A received SMS, email or fax as the provider's webhook described it.

    ``details`` are the channel's own fields kept on the transmission (text, subject, html,
    pages, the provider's message id).
    """

    channel: str
    sender: str
    recipients: list[str]
    details: dict = field(default_factory=dict)
    files: list[InboundFile] = field(default_factory=list)


@dataclass(frozen=True)
class Followup:
    """An outbound delivery a program makes of a received message (an engine payload)."""

    channel: str
    payload: dict


class InboundRefused(Exception):
    """The program cannot do its work with this message; the transmission fails with this."""


def inbound_followup(
    *, program: Program, account, message: InboundMessage, stored: list[dict]
) -> Followup | None:
    """What ``program`` sends on after receiving ``message`` (files already ``stored``)."""
    builder = _FOLLOWUPS.get(program.type)
    return builder(account, message, stored) if builder else None


def _faxtoemail(account, message: InboundMessage, stored: list[dict]) -> Followup:
    if not account.email:
        raise InboundRefused("The account has no email address to send the received fax to.")
    sender = message.sender or "an unknown number"
    pages = message.details.get("pages")
    text = f"A fax of {pages} page(s) from {sender} to {account.phone} arrived; it is attached."
    return Followup("email", {"to": [account.email], "subject": f"Fax received from {sender}",
                              "text": text, "stored_files": stored})  # fmt: skip


def _emailtofax(account, message: InboundMessage, stored: list[dict]) -> Followup:
    number = fax_number_of(message.recipients)
    if not stored:
        raise InboundRefused("The email has no attachment to fax; attach a PDF.")
    others = [entry["filename"] for entry in stored if entry["mimetype"] != PDF]
    if others:
        raise InboundRefused(f"Only PDF attachments can be faxed, not: {', '.join(others)}.")
    header = message.details.get("subject") or "Fax"
    return Followup("fax", {"to": number, "from": account.phone, "header": header,
                            "stored_files": stored})  # fmt: skip


def fax_number_of(recipients: list[str]) -> str:
    """``12135551234@fax.example.com`` → ``+12135551234``: the local part is the full
    international number (with or without ``+``), whatever the client's region."""
    for address in recipients:
        local = address.rpartition("@")[0].strip().lstrip("+")
        if local.isdigit():
            try:
                return phone_normalise("+" + local, region="US")  # region unused: "+" given
            except InvalidPhone:
                continue
    shown = ", ".join(recipients) or "none"
    raise InboundRefused(f"No recipient is <fax number>@<domain> (recipients: {shown}).")


_FOLLOWUPS = {"faxtoemail": _faxtoemail, "emailtofax": _emailtofax}
