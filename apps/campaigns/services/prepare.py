"""Prepare: one pending transmission per contact of the campaign's group, in bulk.

Contact ids are read in keyset-paged chunks and each chunk is one ``bulk_create``, so memory
stays bounded and 100,000 members take a few seconds. No engine job is made here: the pump
gives transmissions their jobs a minute at a time (see pump.py).
"""

from apps.campaigns.models import Campaign
from apps.contacts.models import Membership
from apps.programs.types import program_type
from apps.transmissions.models import Transmission

CHUNK = 5000


def _template(campaign: Campaign) -> dict:
    """The fields every transmission of the campaign shares."""
    program = campaign.program
    kind = program_type(program.type)
    return {
        "client_id": campaign.client_id,
        "program_id": program.id,
        "account_id": campaign.account_id,
        "title": program.name,
        "origin": program.type,
        "service_flag": kind.service_flag,
        "direction": Transmission.Direction.OUTBOUND,
        "campaign_id": campaign.id,
        "try_allowed": campaign.try_allowed,
        "created_by_id": campaign.created_by_id,
    }


def _member_ids(campaign: Campaign, after: int) -> list[int]:
    """The next chunk of the group's contact ids above ``after`` (the client's contacts only)."""
    members = Membership.objects.filter(
        group_id=campaign.group_id, contact__client_id=campaign.client_id, contact_id__gt=after
    )
    return list(members.order_by("contact_id").values_list("contact_id", flat=True)[:CHUNK])


def campaign_prepare(*, campaign: Campaign) -> int:
    """Create the campaign's transmissions (one per member now); returns how many.

    Runs inside the caller's transaction: a failure leaves no half-prepared campaign.
    """
    template = _template(campaign)
    created, after = 0, 0
    while ids := _member_ids(campaign, after):
        Transmission.objects.bulk_create(
            [Transmission(contact_id=contact_id, **template) for contact_id in ids],
            batch_size=CHUNK,
        )
        created, after = created + len(ids), ids[-1]
    return created
