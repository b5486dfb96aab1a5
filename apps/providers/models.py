"""Providers: a client's accounts with vendors (the Comms spec's trunk/termination providers)."""

from django.db import models

from apps.core.fields import EncryptedTextField
from apps.core.models import TenantModel
from apps.providers.catalog import PROVIDER_TYPES, SERVICE_FLAGS


class Provider(TenantModel):
    """One vendor account of a client: which gateway type, which channels, and its credentials.

    ``service_flag`` is ICTCore's bit mask of channels. ``weight``: the lighter, the more often
    chosen. ``password`` is encrypted at rest and never returned by the API. ``settings``
    holds gateway-specific options (URLs, templates, sandbox scripting).
    """

    name = models.CharField(max_length=120)
    type = models.CharField(max_length=32, choices=[(t, t) for t in PROVIDER_TYPES])
    service_flag = models.PositiveIntegerField(help_text=f"Bit mask: {SERVICE_FLAGS}")
    node_id = models.PositiveIntegerField(default=1)
    host = models.CharField(max_length=255, blank=True)
    port = models.PositiveIntegerField(null=True, blank=True)
    username = models.CharField(max_length=255, blank=True)
    password = EncryptedTextField(blank=True)
    dialstring = models.CharField(max_length=255, blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    settings = models.JSONField(default=dict, blank=True)
    description = models.CharField(max_length=255, blank=True)
    register = models.BooleanField(default=False)
    weight = models.PositiveIntegerField(default=10)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["weight", "id"]
        indexes = [models.Index(fields=["client", "active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.type})"

    def serves(self, channel: str) -> bool:
        return bool(self.service_flag & SERVICE_FLAGS[channel])
