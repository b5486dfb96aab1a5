"""Resolve a campaign request's ids within the campaign's client (412 naming the field)."""

from rest_framework.exceptions import ValidationError

from apps.accounts.models import Account, Client
from apps.accounts.tenancy import user_sees_all_clients
from apps.contacts.models import Group
from apps.programs.models import Program
from apps.programs.types import program_type
from apps.transmissions.api.recipients import default_account

_PLAIN = ("cpm", "try_allowed", "source")


def campaign_client_id(request) -> int:
    """The caller's client; global staff name it with ``client_id`` in the body."""
    user = request.user
    if user.client_id is not None:
        return user.client_id
    wanted = str(request.data.get("client_id", ""))
    if user_sees_all_clients(user) and wanted.isdigit() and Client.objects.filter(pk=wanted):
        return int(wanted)
    raise ValidationError({"client_id": ["Campaigns belong to a client: give an existing one."]})


def _own(model, client_id: int, pk, field: str):
    found = model.objects.filter(pk=pk, client_id=client_id).first()
    if found is None:
        raise ValidationError({field: [f"No such {model._meta.verbose_name} of this client."]})
    return found


def _outbound_program(client_id: int, pk) -> Program:
    program = _own(Program, client_id, pk, "program_id")
    if program_type(program.type).direction != "outbound":
        raise ValidationError(
            {"program_id": [f"A {program.type} program receives; a campaign needs one that sends."]}
        )
    return program


def _account(request, client_id: int, pk) -> Account | None:
    """The given account, or for none (or below 1, ICTCore's -1) the default account."""
    if pk is not None and pk >= 1:
        return _own(Account, client_id, pk, "account_id")
    if request.user.client_id == client_id:
        return default_account(request.user)
    return Account.objects.filter(client_id=client_id, active=True).order_by("-id").first()


def campaign_fields(request, data: dict, *, client_id: int, creating: bool) -> dict:
    """Validated request data → model fields; every id must be the client's."""
    fields = {name: data[name] for name in _PLAIN if name in data}
    for name in ("program_id", "group_id"):
        if name not in data and creating:
            raise ValidationError({name: [f"{name} is missing."]})
    if "program_id" in data:
        fields["program"] = _outbound_program(client_id, data["program_id"])
    if "group_id" in data:
        fields["group"] = _own(Group, client_id, data["group_id"], "group_id")
    if "account_id" in data or creating:
        fields["account"] = _account(request, client_id, data.get("account_id"))
    return fields
