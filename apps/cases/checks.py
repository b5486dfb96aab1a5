"""System checks of the Video cases settings."""

from django.conf import settings
from django.core.checks import Error, register

from apps.cases import rooms


@register()
def room_provider_configured(app_configs=None, **kwargs) -> list[Error]:
    """Refuse to start with a room provider that could not make safe join links: an unknown
    provider, a template without ``{token}`` (links would be guessable) or Jitsi without its
    domain, app id or secret (no link could be signed)."""
    name = rooms.room_provider_name()
    if name == rooms.TEMPLATE:
        return _template_errors()
    if name == rooms.JITSI:
        return _jitsi_errors()
    return [
        Error(
            f"FUSION_VIDEO_ROOM_PROVIDER is {name!r}.",
            hint=f"Use one of: {', '.join(rooms.PROVIDERS)}.",
            id="cases.E002",
        )
    ]


def _template_errors() -> list[Error]:
    if "{token}" in (getattr(settings, "FUSION_VIDEO_JOIN_URL", "") or ""):
        return []
    return [
        Error(
            "FUSION_VIDEO_JOIN_URL must contain {token}.",
            hint="For example https://video.example.com/join/{token}",
            id="cases.E001",
        )
    ]


def _jitsi_errors() -> list[Error]:
    return [
        Error(
            f"FUSION_VIDEO_ROOM_PROVIDER is 'jitsi' but {name} is not set.",
            hint="Set FUSION_JITSI_DOMAIN, FUSION_JITSI_APP_ID and FUSION_JITSI_APP_SECRET "
            "(the app_id and app_secret of Prosody's token authentication) in the environment.",
            id="cases.E003",
        )
        for name in rooms.jitsi_settings_missing()
    ]
