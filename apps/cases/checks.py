"""System checks of the Video cases settings."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def join_url_has_token(app_configs=None, **kwargs) -> list[Error]:
    """A join link without ``{token}`` would not be unguessable: refuse to start."""
    template = getattr(settings, "FUSION_VIDEO_JOIN_URL", "") or ""
    if "{token}" in template:
        return []
    return [
        Error(
            "FUSION_VIDEO_JOIN_URL must contain {token}.",
            hint="For example https://video.example.com/join/{token}",
            id="cases.E001",
        )
    ]
