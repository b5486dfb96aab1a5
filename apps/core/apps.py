from django.apps import AppConfig


class CoreConfig(AppConfig):
    """No domain: base models, errors and envelopes, auth, paging, health, SSRF-guarded HTTP."""

    name = "apps.core"
    label = "core"

    def ready(self) -> None:
        from apps.core import schema  # noqa: F401 (registers the OpenAPI auth extension)
