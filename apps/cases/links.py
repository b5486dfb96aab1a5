"""Join links: what every caller asks for a member's link; the room provider makes it."""

from apps.cases.rooms import room_provider


def join_url_of(member) -> str:
    """The member's join link, made by the configured room provider (``apps.cases.rooms``)."""
    return room_provider().join_url(member.case, member)
