"""Receivers of the engine's signals (connected in JobsConfig.ready)."""

from apps.delivery.gateways.base import DeliveryError
from apps.jobs.selectors import consent_opted_out
from apps.providers.catalog import WHATSAPP


def whatsapp_consent_check(sender, job, **kwargs) -> None:
    """job_pre_send: a WhatsApp job to a key that opted out fails for good, unsent.

    The key is the payload's ``cache_key`` when the task gave one, else the E.164 ``to``.
    """
    if job.channel != WHATSAPP:
        return
    key = job.payload.get("cache_key") or job.payload.get("to")
    if key and consent_opted_out(client_id=job.client_id, cache_key=str(key)):
        raise DeliveryError(f"whatsapp: {key} has opted out", permanent=True, reason="no_consent")
