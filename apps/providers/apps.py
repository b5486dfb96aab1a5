from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    """Configured vendor accounts (providers) and the choice among them. Never imports delivery."""

    name = "apps.providers"
    label = "providers"
