"""Join links: ``settings.FUSION_VIDEO_JOIN_URL`` filled with a member's token."""

from django.conf import settings

DEFAULT_JOIN_URL = "https://video.example.invalid/join/{token}"


def join_url_of(member) -> str:
    """The member's join link. The template may use ``{token}``, ``{task_num}`` and ``{role}``;
    other braces are left as they are."""
    template = getattr(settings, "FUSION_VIDEO_JOIN_URL", "") or DEFAULT_JOIN_URL
    if "{token}" not in template:  # the system check refuses this; never hand out bare links
        template = DEFAULT_JOIN_URL
    return (
        template.replace("{token}", member.join_token)
        .replace("{task_num}", member.case.task_num)
        .replace("{role}", member.role)
    )
