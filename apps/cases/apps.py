from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The Video cases face: appointment cases, their moderators and customers, join links."""

    name = "apps.cases"
    label = "cases"

    def ready(self) -> None:
        from apps.cases import checks  # noqa: F401  (registers the system checks)
