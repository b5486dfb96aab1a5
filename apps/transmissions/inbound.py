"""Inbound traffic: a provider's webhook becomes an inbound transmission, and its program runs.

The account is found through the program it subscribed to (``apps.programs.selectors``);
what each program type does with the message is decided in ``apps.programs.inbound``. Here
the message is stored: its files in Django's storage under ``inbound/…``, its details in
``Transmission.data``, and any follow-up (faxtoemail's email, emailtofax's fax) becomes an
engine job whose attempts show as the transmission's spools.
"""

import mimetypes
import re
import uuid
from email.utils import parseaddr
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound

from apps.contacts.models import Contact
from apps.contacts.phones import InvalidPhone, phone_normalise, region_for_client
from apps.contacts.services import contact_create
from apps.delivery.services.jobs import JobSpec, jobs_create
from apps.programs.inbound import (
    PDF,
    Followup,
    InboundFile,
    InboundMessage,
    InboundRefused,
    inbound_followup,
)
from apps.programs.selectors import inbound_route
from apps.transmissions.models import Transmission
from apps.transmissions.services import transmission_create

Status = Transmission.Status
_UNSAFE = re.compile(r"[^\w.\- ]")


def transmission_receive(*, provider, message: InboundMessage) -> Transmission:
    """Record ``message`` as an inbound transmission of the program that receives it and run
    that program: completed, or failed with the reason the program could not do its work.

    No account of the provider's client receives it → 404, and nothing is stored.
    """
    route = inbound_route(client=provider.client, message=message)
    if route is None:
        raise NotFound(
            f"No account of this client receives this {message.channel}: "
            "no account matches with a subscribed receiving program."
        )
    account, program = route
    stored = inbound_files_store(
        client_id=provider.client_id, channel=message.channel, files=message.files
    )
    committed: list[bool] = []
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: committed.append(True))  # runs before the job kick
            return _transmission_record(provider, account, program, message, stored)
    except BaseException:
        if not committed:  # nothing half-written: no row, so no file either
            _files_delete(stored)
        raise


def _transmission_record(provider, account, program, message, stored) -> Transmission:
    tx = transmission_create(
        client_id=provider.client_id, program=program, account=account,
        direction=Transmission.Direction.INBOUND, status=Status.INITIALIZING,
        contact=_sender_contact(provider.client, message), last_run=timezone.now(),
        data=_data_of(provider, message, stored),
    )  # fmt: skip
    try:
        followup = inbound_followup(
            program=program, account=account, message=message, stored=stored
        )
    except InboundRefused as refused:
        return _transmission_end(tx, Status.FAILED, str(refused))
    if followup is not None:
        tx.data["forward"] = _followup_send(tx, followup)
    return _transmission_end(tx, Status.COMPLETED, "")


def _transmission_end(tx: Transmission, status: str, response: str) -> Transmission:
    tx.status, tx.response = status, response[:2000]
    tx.save(update_fields=["status", "response", "data", "updated_at"])
    return tx


def _followup_send(tx: Transmission, followup: Followup) -> dict:
    """An engine job for the follow-up. It is not the transmission's ``job`` (whose end would
    set the transmission's status: a received fax stays received even if its email bounces),
    but its attempts are the transmission's spools through ``meta.transmission_id``."""
    spec = JobSpec(
        channel=followup.channel, payload=followup.payload, origin="comms",
        meta={"transmission_id": tx.id, "inbound": tx.origin}, log_tag=f"transmission:{tx.id}",
    )  # fmt: skip
    job = jobs_create(client_id=tx.client_id, specs=[spec])[0]
    return {"channel": followup.channel, "to": followup.payload["to"], "job_id": str(job.uuid)}


def _data_of(provider, message: InboundMessage, stored: list[dict]) -> dict:
    """What the transmission keeps of the message."""
    to = message.recipients if message.channel == "email" else message.recipients[0]
    return {"from": message.sender, "to": to, **message.details, "files": stored,
            "provider_id": provider.id}  # fmt: skip


def _sender_contact(client, message: InboundMessage) -> Contact | None:
    """The sender as a contact of the client: found by email or phone, else created."""
    if message.channel == "email":
        address = parseaddr(message.sender)[1][:254]
        lookup = {"email__iexact": address}
        fields = {"email": address}
    else:
        address = _phone_of(message.sender, client)
        lookup = fields = {"phone": address}
    if not address:
        return None
    found = Contact.objects.filter(client=client, **lookup).order_by("id").first()
    return found or contact_create(client_id=client.id, **fields)


def _phone_of(sender: str, client) -> str:
    """E.164 when the sender is a phone number, else as sent (a short code or a name)."""
    try:
        return phone_normalise(sender, region=region_for_client(client))
    except InvalidPhone:
        return sender.strip()[:20]


def inbound_files_store(*, client_id: int, channel: str, files: list[InboundFile]) -> list[dict]:
    """Save the files under ``inbound/<client>/<channel>/``; answers ``stored_files`` entries
    (what the gateways attach). All or none: a failure removes the ones already saved."""
    stored: list[dict] = []
    try:
        for file in files:
            stored.append(_file_store(client_id, channel, file))
    except BaseException:
        _files_delete(stored)
        raise
    return stored


def _file_store(client_id: int, channel: str, file: InboundFile) -> dict:
    filename = _UNSAFE.sub("_", PurePath(file.filename.replace("\\", "/")).name)[-120:]
    mimetype = _mimetype(file, filename)
    suffix = ".pdf" if mimetype == PDF else PurePath(filename).suffix.lower()[:16]
    # A random name: nothing the sender chose reaches the storage path.
    path = f"inbound/{client_id}/{channel}/{uuid.uuid4().hex}{suffix}"
    name = default_storage.save(path, ContentFile(file.content))
    return {"name": name, "filename": filename.strip() or f"{channel}{suffix}",
            "mimetype": mimetype, "size": len(file.content)}  # fmt: skip


def _mimetype(file: InboundFile, filename: str) -> str:
    """PDF only by content: what is faxed on must really be a PDF, whatever was declared."""
    if file.content[:5] == b"%PDF-":
        return PDF
    declared = file.content_type.split(";")[0].strip().lower()
    guessed = declared or mimetypes.guess_type(filename)[0] or ""
    return guessed if guessed and guessed != PDF else "application/octet-stream"


def _files_delete(stored: list[dict]) -> None:
    for entry in stored:
        default_storage.delete(entry["name"])
