from django.apps import AppConfig


class JobsConfig(AppConfig):
    """The Queue face: task table, intake with idempotency, keyword mapping and WhatsApp consent."""

    name = "apps.jobs"
    label = "jobs"

    def ready(self) -> None:
        from apps.delivery.signals import job_pre_send
        from apps.jobs.receivers import whatsapp_consent_check

        job_pre_send.connect(whatsapp_consent_check, dispatch_uid="jobs.whatsapp_consent_check")
