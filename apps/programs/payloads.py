"""Outbound programs → the delivery payload of their channel.

Files (email attachments, fax documents, voice recordings) travel as ``stored_files``:
names in Django's storage, which the gateways read from there (never over HTTP).
"""

import mimetypes

from apps.programs.models import Program
from apps.programs.types import program_type


class PayloadError(Exception):
    """The transmission cannot be sent as it is (e.g. its contact has no phone)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _stored(field_file) -> dict | None:
    if not field_file:
        return None
    name = field_file.name
    return {
        "name": name,
        "filename": name.rsplit("/", 1)[-1],
        "mimetype": mimetypes.guess_type(name)[0] or "application/octet-stream",
    }


def _files_of(resource) -> list[dict]:
    """Stored files of a content asset: a template's attachments, else the asset's file
    (a document's file is already the PDF of all its uploads)."""
    attachments = getattr(resource, "attachments", None)
    fields = [a.file for a in attachments.all()] if attachments is not None else [resource.file]
    return [entry for entry in map(_stored, fields) if entry]


def _phone(contact) -> str:
    if not contact or not contact.phone:
        raise PayloadError("contact_id", "The contact has no phone number for this channel.")
    return contact.phone


def _email(contact) -> str:
    if not contact or not contact.email:
        raise PayloadError("contact_id", "The contact has no email address for this channel.")
    return contact.email


def _resource(program: Program):
    kind = program_type(program.type)
    model = kind.resource_model()
    found = model.objects.filter(
        pk=program.data.get(kind.param), client_id=program.client_id
    ).first()
    if found is None:
        raise PayloadError("program_id", f"The program's {kind.param} no longer exists.")
    return found


def _sender_name(account) -> str:
    return " ".join(filter(None, [account.first_name, account.last_name])) if account else ""


def outbound_payload(*, program: Program, contact, account) -> dict:
    """The engine payload that delivers ``program`` to ``contact``, sent as ``account``."""
    builder = _BUILDERS.get(program.type)
    if builder is None:
        raise PayloadError("program_id", f"A {program.type} program receives; it does not send.")
    return builder(program, contact, account)


def _sendsms(program, contact, account) -> dict:
    text = _resource(program)
    return {"to": _phone(contact), "text": text.data, "sender": account.phone if account else ""}


def _sendemail(program, contact, account) -> dict:
    template = _resource(program)
    return {
        "to": [_email(contact)],
        "subject": template.subject,
        "html": template.body,
        "text": template.body_alt,
        "from_email": account.email if account else "",
        "from_name": _sender_name(account),
        "stored_files": _files_of(template),
    }


def _sendfax(program, contact, account) -> dict:
    document = _resource(program)
    return {"to": _phone(contact), "from": account.phone if account else "",
            "header": document.name, "stored_files": _files_of(document)}  # fmt: skip


def _voicemessage(program, contact, account) -> dict:
    recording = _resource(program)
    return {"to": _phone(contact), "from": account.phone if account else "",
            "stored_files": _files_of(recording)}  # fmt: skip


def _voicetts(program, contact, account) -> dict:
    return {"to": _phone(contact), "from": account.phone if account else "",
            "text": program.data.get("text", "")}  # fmt: skip


_BUILDERS = {
    "sendsms": _sendsms,
    "sendemail": _sendemail,
    "sendfax": _sendfax,
    "voicemessage": _voicemessage,
    "voicetts": _voicetts,
}
