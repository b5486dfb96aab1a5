from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    """The Callbacks face: task schedulers, two-leg callback tasks and their call history."""

    name = "apps.callbacks"
    label = "callbacks"

    def ready(self) -> None:
        from apps.callbacks import receivers  # noqa: F401 (connects engine signals)
