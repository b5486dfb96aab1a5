"""Campaigns (ICTCore's "Group Campaign"): a program sent to a group, paced per minute."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from apps.core.models import TenantModel

CPM_MAX = 6000
TRY_MAX = 11


class Campaign(TenantModel):
    """A program sent to every contact of a group, ``cpm`` transmissions per minute.

    Start prepares one Transmission per member of the group (status ``new`` → ``running``);
    a pump then gives the next minute's pending transmissions an engine job each, spaced
    ``60 / cpm`` seconds apart from ``next_slot_at``. ``try_allowed`` is copied onto every
    transmission (ICTCore never does). ``response`` says why a campaign is ``broken``.
    """

    class Status(models.TextChoices):
        NEW = "new"
        RUNNING = "running"
        PAUSED = "paused"
        COMPLETED = "completed"
        BROKEN = "broken"

    program = models.ForeignKey(
        "programs.Program", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        "contacts.Group", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cpm = models.PositiveIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(CPM_MAX)],
        help_text="Transmissions started per minute.",
    )
    try_allowed = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(TRY_MAX)]
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    response = models.TextField(blank=True, help_text="Why the campaign is broken.")
    source = models.CharField(max_length=255, blank=True)
    last_run = models.DateTimeField(null=True, blank=True, help_text="Last start or resume.")
    next_slot_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next paced transmission may start."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["client", "status"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"campaign {self.pk} ({self.status})"


class CampaignSchedule(models.Model):
    """A start or stop of a campaign at ``run_at``; the pump task executes it when due.

    One-shot: ``done_at`` is set when it ran (``outcome`` says what happened, e.g. a 423
    reason), ``cancelled`` when ``DELETE /campaigns/{id}/schedule`` withdrew it first.
    """

    class Action(models.TextChoices):
        START = "start"
        STOP = "stop"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="schedules")
    action = models.CharField(max_length=8, choices=Action.choices)
    run_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    outcome = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run_at", "id"]
        indexes = [
            models.Index(
                fields=["run_at"],
                condition=Q(done_at__isnull=True, cancelled=False),
                name="campaigns_schedule_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} of campaign {self.campaign_id} at {self.run_at:%Y-%m-%d %H:%M}"
