from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    """Programs: what a transmission does (send an SMS text, an email template, a fax …)."""

    name = "apps.programs"
    label = "programs"
