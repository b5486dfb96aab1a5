"""Providers: a client's accounts with vendors (the Comms spec's trunk/termination providers)."""

from django.core.validators import MinValueValidator
from django.db import models

from apps.core.fields import EncryptedTextField
from apps.core.models import TenantModel
from apps.providers.catalog import PROVIDER_TYPES, SERVICE_FLAGS


class Provider(TenantModel):
    """One vendor account of a client: which gateway type, which channels, and its credentials.

    ``service_flag`` is ICTCore's bit mask of channels. ``weight``: the lighter, the more often
    chosen. ``max_per_second``: the vendor's rate limit, kept by ``apps.providers.rate``.
    ``password`` is encrypted at rest and never returned by the API. ``settings`` holds
    gateway-specific options (URLs, templates, sandbox scripting).
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
    max_per_second = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01)],
        help_text="Sends per second this vendor account accepts, counted across every worker; "
        "empty = no limit.",
    )

    class Meta:
        ordering = ["weight", "id"]
        indexes = [models.Index(fields=["client", "active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.type})"

    def serves(self, channel: str) -> bool:
        return bool(self.service_flag & SERVICE_FLAGS[channel])


class ProviderRate(models.Model):
    """The token bucket of a provider that has a ``max_per_second``, shared by every worker.

    ``tokens`` were left at ``refilled_at``; the bucket refills at ``max_per_second`` up to
    one second's worth. ``queued_until``: when the last send that was told to wait will find
    its token, so the next ones queue behind it instead of all coming back at once.
    ``version`` makes each take a compare-and-set, so workers on different machines (or
    SQLite processes, which have no row locks) never both spend the same token. A row
    belongs to its provider's client.
    """

    provider = models.OneToOneField(
        Provider, on_delete=models.CASCADE, primary_key=True, related_name="rate"
    )
    tokens = models.FloatField()
    refilled_at = models.DateTimeField()
    queued_until = models.DateTimeField(null=True, blank=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.tokens:.2f} tokens at {self.refilled_at:%H:%M:%S.%f}"
