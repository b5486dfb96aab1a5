from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Message assets: SMS texts, email templates, fax documents and voice recordings."""

    name = "apps.content"
    label = "content"
    verbose_name = "Message content"
