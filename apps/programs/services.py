"""Writes of programs and of accounts' subscriptions to inbound programs."""

from django.db import transaction
from rest_framework.exceptions import ValidationError

from apps.accounts.models import Account
from apps.programs.inbound import ROUTES, route_types
from apps.programs.models import Program, Subscription
from apps.programs.types import program_type


def program_create(*, client_id: int, type: str, user=None, name: str = "", **params) -> Program:
    """Create a program of ``type``; its parameter (and ``parent_id``, if given) must name a
    resource of the same client (else 412 naming the field).

    An inbound program (receivesms, …, emailtofax) is subscribed to its ``account_id`` at once,
    as ICTCore deploys a dialplan entry for it.
    """
    kind = program_type(type)
    value = params.get(kind.param)
    if value in (None, ""):
        raise ValidationError({kind.param: ["This field is required."]})
    model = kind.resource_model()
    if model is not None and not model.objects.filter(pk=value, client_id=client_id).exists():
        raise ValidationError({kind.param: [f"No such {model._meta.verbose_name} of this client."]})
    parent_id = params.get("parent_id")
    parents = Program.objects.filter(pk=parent_id, client_id=client_id)
    if parent_id is not None and not parents.exists():
        raise ValidationError({"parent_id": ["No such program of this client."]})
    data = {kind.param: value}
    with transaction.atomic():
        program = Program.objects.create(
            client_id=client_id, type=type, name=name or type, data=data, created_by=user,
            parent_id=parent_id,
        )  # fmt: skip
        if type in ROUTES:
            subscription_create(program=program, account=Account.objects.get(pk=value))
    return program


def program_delete(*, program: Program) -> None:
    """Delete the program with its child programs and subscriptions; ProtectedError while
    transmissions use it.
    """
    program.delete()


def subscription_create(*, program: Program, account: Account) -> Subscription:
    """Subscribe ``account`` to the inbound ``program`` (subscribing twice is harmless).

    It replaces the account's subscription to another program on the same route, e.g.
    receivefax → faxtoemail on a DID: one program answers each kind of traffic.
    """
    if program.type not in ROUTES:
        inbound = ", ".join(ROUTES)
        raise ValidationError({"program_id": [f"Only inbound programs ({inbound}) take accounts."]})
    if program.client_id != account.client_id:  # the views never pass such a pair
        raise ValidationError({"program_id": ["The program belongs to another client."]})
    with transaction.atomic():
        same_route = route_types(*ROUTES[program.type])
        Subscription.objects.filter(account=account, program__type__in=same_route).exclude(
            program=program
        ).delete()
        subscription, _ = Subscription.objects.get_or_create(program=program, account=account)
    return subscription


def subscription_delete(*, program: Program, account: Account) -> bool:
    """Unsubscribe; False when the account was not subscribed (nothing to do)."""
    deleted, _ = Subscription.objects.filter(program=program, account=account).delete()
    return bool(deleted)


def subscriptions_clear(*, account: Account) -> int:
    """Unsubscribe the account from every program; answers how many it had."""
    deleted, _ = Subscription.objects.filter(account=account).delete()
    return deleted
