"""Resolve a transmission request's ids (program, contact, account) within the caller's client."""

from rest_framework.exceptions import ValidationError

from apps.accounts.models import Account
from apps.contacts.models import Contact
from apps.contacts.phones import InvalidPhone, phone_normalise, region_for_client
from apps.contacts.services import contact_create
from apps.programs.models import Program


def _own(model, client_id: int, pk: int, field: str):
    found = model.objects.filter(pk=pk, client_id=client_id).first()
    if found is None:
        raise ValidationError({field: [f"No such {model._meta.verbose_name} of this client."]})
    return found


def _contact_from(request, data: dict) -> Contact:
    """``phone``/``email`` given instead of ``contact_id``: a new contact, as ICTCore does."""
    phone = data.get("phone", "")
    if phone:
        try:
            phone = phone_normalise(phone, region=region_for_client(request.user.client))
        except InvalidPhone as exc:
            raise ValidationError({"phone": [str(exc)]}) from exc
    return contact_create(
        client_id=request.user.client_id,
        created_by=request.user,
        phone=phone,
        email=data.get("email", ""),
    )


def default_account(user) -> Account | None:
    """ICTCore's account -1: the newest active account the user owns, else the client's."""
    accounts = Account.objects.filter(client_id=user.client_id, active=True).order_by("-id")
    return accounts.filter(owner=user).first() or accounts.first()


def transmission_fields(request, data: dict, *, creating: bool) -> dict:
    """Validated request data → model fields; every id must be the caller's client's."""
    client_id = request.user.client_id
    if client_id is None:
        raise ValidationError({"client_id": ["Transmissions belong to a client; sign in as one."]})
    fields = {k: data[k] for k in ("title", "try_allowed", "direction") if k in data}
    if "program_id" in data:
        fields["program"] = _own(Program, client_id, data["program_id"], "program_id")
    elif creating:
        raise ValidationError({"program_id": ["program_id is missing."]})
    if "contact_id" in data:
        fields["contact"] = _own(Contact, client_id, data["contact_id"], "contact_id")
    elif data.get("phone") or data.get("email"):
        fields["contact"] = _contact_from(request, data)
    elif creating:
        raise ValidationError(
            {"contact_id": ["contact is missing: give contact_id, phone or email."]}
        )
    if "account_id" in data:
        fields["account"] = _own(Account, client_id, data["account_id"], "account_id")
    elif creating:
        fields["account"] = default_account(request.user)
    return fields
