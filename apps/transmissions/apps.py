from django.apps import AppConfig


class TransmissionsConfig(AppConfig):
    """Transmissions (one communication, however many tries) and spools (the tries)."""

    name = "apps.transmissions"
    label = "transmissions"

    def ready(self) -> None:
        from apps.transmissions import receivers  # noqa: F401 (connects engine signals)
