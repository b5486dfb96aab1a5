"""Transmissions: one communication (call, fax, SMS, email) of a program to a contact."""

from django.conf import settings
from django.db import models

from apps.core.models import TenantModel


class Transmission(TenantModel):
    """A program + contact + account + direction, and where its delivery stands.

    Each try is an engine attempt (the Comms face's spool) of ``job``, the engine job of the
    latest send (or of the pending schedule). ``campaign_id`` links the campaign that made it.
    Status vocabulary as ICTCore: pending, pending_retry (shown while the engine waits to
    retry), initializing (a new inbound one), processing, completed, failed, invalid.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        PENDING_RETRY = "pending_retry"
        INITIALIZING = "initializing"
        PROCESSING = "processing"
        COMPLETED = "completed"
        FAILED = "failed"
        INVALID = "invalid"

    class Direction(models.TextChoices):
        OUTBOUND = "outbound"
        INBOUND = "inbound"

    title = models.CharField(max_length=255, blank=True)
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_flag = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=32, blank=True)
    direction = models.CharField(
        max_length=8, choices=Direction.choices, default=Direction.OUTBOUND
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    response = models.TextField(blank=True, help_text="Why it failed, when it did.")
    try_allowed = models.PositiveSmallIntegerField(default=1)
    try_done = models.PositiveSmallIntegerField(default=0)
    last_run = models.DateTimeField(null=True, blank=True)
    campaign_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    job = models.ForeignKey(
        "delivery.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True, help_text="Inbound message details.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["client", "status"]),
            models.Index(fields=["campaign_id", "status"]),
        ]

    def __str__(self) -> str:
        return f"transmission {self.pk} ({self.status})"
