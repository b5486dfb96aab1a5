"""Reads of programs: subscriptions, and which account and program receive a message."""

import re

from django.db.models import QuerySet

from apps.accounts.models import Account
from apps.contacts.phones import InvalidPhone, phone_normalise, region_for_client
from apps.programs.inbound import InboundMessage, route_types
from apps.programs.models import Program, Subscription

_NOT_DIGITS = re.compile(r"\D")
_SUFFIX = 7  # digits compared in SQL before the exact comparison in Python


def programs_of_account(*, account: Account) -> QuerySet[Program]:
    """The programs the account is subscribed to, oldest subscription first."""
    return Program.objects.filter(subscriptions__account=account).order_by("subscriptions__id")


def _phone_key(raw: str, region: str) -> str:
    """One spelling per number: E.164 when it is a phone number, else its digits (a DID or
    extension such as ``1001``), so ``+1 213 555 1234`` and ``2135551234`` (US) are equal."""
    try:
        return phone_normalise(raw, region=region)
    except InvalidPhone:
        return _NOT_DIGITS.sub("", raw)


def accounts_by_phone(*, client, phone: str) -> list[Account]:
    """The client's active accounts whose phone is ``phone`` (however either is written)."""
    region = region_for_client(client)
    wanted = _phone_key(phone, region)
    digits = _NOT_DIGITS.sub("", phone)
    if not wanted or not digits:
        return []
    rows = Account.objects.filter(client=client, active=True, phone__endswith=digits[-_SUFFIX:])
    return [a for a in rows if _phone_key(a.phone, region) == wanted]


def accounts_by_address(*, client, channel: str, address: str) -> list[Account]:
    """Active accounts of the client whose phone (sms, fax) or email (email) is ``address``."""
    if channel == "email":
        rows = Account.objects.filter(client=client, active=True, email__iexact=address.strip())
        return list(rows) if address.strip() else []
    return accounts_by_phone(client=client, phone=address)


def _subscribed_program(account: Account, types: list[str]) -> Program | None:
    """The account's newest subscription among ``types`` (subscribing replaces, so there is
    normally one)."""
    found = (
        Subscription.objects.filter(account=account, program__type__in=types)
        .select_related("program")
        .order_by("-id")
        .first()
    )
    return found.program if found else None


def inbound_route(*, client, message: InboundMessage) -> tuple[Account, Program] | None:
    """The account and subscribed program that receive ``message``, or None.

    The recipient side is tried first (receivesms, receivefax, faxtoemail, receiveemail),
    then the sender side (emailtofax: the sender is the account).
    """
    for side, addresses in (("to", message.recipients), ("from", [message.sender])):
        types = route_types(message.channel, side)
        if not types:
            continue
        for address in filter(None, addresses):
            for account in accounts_by_address(
                client=client, channel=message.channel, address=address
            ):
                program = _subscribed_program(account, types)
                if program is not None:
                    return account, program
    return None
