"""The engine's rows: Job (the schedule itself), Attempt (one per try), Event, Outbox."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.providers.catalog import CHANNELS


class Priority(models.IntegerChoices):
    """A job's priority: the dispatcher claims high, then moderate, then low."""

    LOW = 0, "low"
    MODERATE = 1, "moderate"
    HIGH = 2, "high"


class Job(models.Model):
    """One unit of delivery work. A job that is not due yet is just this row with ``run_at``.

    Status machine: scheduled → queued → running → succeeded | failed | cancelled, with
    running → retrying → queued … while attempts remain. Every change is a conditional update
    (``UPDATE … WHERE status = <expected>``) so two dispatchers or workers never both win.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled"
        QUEUED = "queued"
        RUNNING = "running"
        RETRYING = "retrying"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        CANCELLED = "cancelled"

    WAITING = (Status.SCHEDULED, Status.RETRYING)
    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Index-wise, (client, status) below serves every lookup by client: one index fewer to
    # write on each insert (intake writes thousands of jobs a second).
    client = models.ForeignKey(
        "accounts.Client", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    channel = models.CharField(max_length=16, choices=[(c, c) for c in CHANNELS])
    origin = models.CharField(max_length=32, default="queue", help_text="Face or app that made it.")
    meta = models.JSONField(default=dict, blank=True, help_text="The origin's own fields.")
    payload = models.JSONField(default=dict)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MODERATE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    run_at = models.DateTimeField()
    attempts_made = models.PositiveSmallIntegerField(default=0)
    attempts_allowed = models.PositiveSmallIntegerField(default=1)
    last_error = models.TextField(blank=True)
    reason = models.CharField(max_length=48, blank=True, help_text="Failure reason code.")
    result = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=128, null=True, blank=True)
    window_key = models.CharField(max_length=128, null=True, blank=True)
    window_hits = models.PositiveIntegerField(default=0, help_text="Requests consolidated into it.")
    log_tag = models.CharField(max_length=128, blank=True)  # indexed below (exact lookups)
    hooks = models.JSONField(default=dict, blank=True, help_text="Event → callback URL.")
    # Both are empty on most jobs: partial indexes below, over the rows that have one.
    provider = models.ForeignKey(
        "providers.Provider",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hook_jobs",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The dispatcher's claim: one range scan per priority up to "now".
            models.Index(
                fields=["priority", "run_at"],
                condition=Q(status__in=["scheduled", "retrying"]),
                name="delivery_job_due",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(status="running"),
                name="delivery_job_leased",
            ),
            models.Index(
                fields=["queued_at"], condition=Q(status="queued"), name="delivery_job_queued"
            ),
            models.Index(fields=["client", "status"]),
            # A plain btree: Django's db_index on a CharField adds a second, LIKE-prefix index
            # no query here uses.
            models.Index(fields=["log_tag"], name="delivery_job_log_tag"),
            models.Index(
                fields=["provider"],
                condition=Q(provider__isnull=False),
                name="delivery_job_provider",
            ),
            models.Index(
                fields=["parent"], condition=Q(parent__isnull=False), name="delivery_job_parent"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="delivery_job_idempotency_unique",
            ),
            # At most one open window per key: the second request consolidates into it. Open:
            # scheduled and never dispatched (a job its provider's rate limit sent back to
            # the schedule has been dispatched, so it closed its window).
            models.UniqueConstraint(
                fields=["client", "window_key"],
                condition=Q(window_key__isnull=False, status="scheduled", started_at__isnull=True),
                name="delivery_job_open_window_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} job {self.uuid} ({self.status})"


class Attempt(models.Model):
    """One try of a job against one provider (the Comms face calls it a spool)."""

    class Outcome(models.TextChoices):
        QUEUED = "queued"  # reserved before the job runs (see job_attempt_reserve)
        STARTED = "started"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gateway = models.CharField(max_length=48, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.STARTED)
    started_at = models.DateTimeField(auto_now_add=True)
    connected_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    request = models.JSONField(default=dict, blank=True)
    response = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    reason = models.CharField(max_length=48, blank=True)
    permanent = models.BooleanField(null=True)

    class Meta:
        ordering = ["job_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="delivery_attempt_number_unique")
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.job_id} ({self.outcome})"


class Event(models.Model):
    """A state change of a job, or a hook delivery about it; the job's history."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32)
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["job_id", "id"]

    def __str__(self) -> str:
        return f"{self.kind} of {self.job_id}"


class OutboxMessage(models.Model):
    """What a sandbox gateway "sent": the embedded default's visible delivery target."""

    client = models.ForeignKey("accounts.Client", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16)
    job_uuid = models.UUIDField(db_index=True)
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient = models.CharField(max_length=255, blank=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.recipient}"
