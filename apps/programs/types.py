"""What each program type does: its channel, direction, parameter, and the delivery payload.

Outbound types turn (program, transmission) into the engine payload of their channel (the
shapes listed in ``apps.delivery.gateways.base.Message``). Inbound types name the account
whose traffic they receive; what they do with an inbound message is in ``inbound.py``.
"""

from dataclasses import dataclass

from django.apps import apps

from apps.providers.catalog import SERVICE_FLAGS


@dataclass(frozen=True)
class ProgramType:
    """One program type: channel, direction and the parameter that names its content."""

    name: str
    channel: str
    direction: str  # outbound or inbound
    param: str  # the create parameter: text_id, template_id, … or text for TTS
    model: str | None  # "app_label.Model" the parameter points to (None for plain text)

    @property
    def service_flag(self) -> int:
        return SERVICE_FLAGS[self.channel]

    def resource_model(self):
        return apps.get_model(self.model) if self.model else None


_TYPES = [
    ProgramType("sendsms", "sms", "outbound", "text_id", "content.Text"),
    ProgramType("sendemail", "email", "outbound", "template_id", "content.Template"),
    ProgramType("sendfax", "fax", "outbound", "document_id", "content.Document"),
    ProgramType("voicemessage", "voice", "outbound", "recording_id", "content.Recording"),
    ProgramType("voicetts", "voice", "outbound", "text", None),
    ProgramType("receivesms", "sms", "inbound", "account_id", "accounts.Account"),
    ProgramType("receivefax", "fax", "inbound", "account_id", "accounts.Account"),
    ProgramType("receiveemail", "email", "inbound", "account_id", "accounts.Account"),
    ProgramType("faxtoemail", "fax", "inbound", "account_id", "accounts.Account"),
    ProgramType("emailtofax", "email", "inbound", "account_id", "accounts.Account"),
]
PROGRAM_TYPES = {t.name: t for t in _TYPES}


def program_type(name: str) -> ProgramType:
    """The type named ``name``; KeyError for an unknown one."""
    return PROGRAM_TYPES[name]
