"""Task schedulers (a client's queue of callback calls), call tasks and call records."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.models import TenantModel


class TaskScheduler(TenantModel):
    """A queue of call tasks with its pacing: concurrency, interval, ASR guard, hours."""

    name = models.CharField(max_length=200)
    concurrent_task_limit = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    interval = models.FloatField(
        default=0, validators=[MinValueValidator(0)], help_text="Min seconds between two starts."
    )
    asr_window = models.PositiveIntegerField(
        default=0, help_text="Finished calls the ASR guard looks at (0: guard off)."
    )
    asr_threshold = models.FloatField(
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Share of answered calls under which new starts wait.",
    )
    asr_delay = models.PositiveIntegerField(default=60, help_text="Seconds new starts wait.")
    hours_start = models.TimeField(null=True, blank=True, help_text="Calling hours start.")
    hours_end = models.TimeField(null=True, blank=True, help_text="Calling hours end.")
    time_zone = models.CharField(max_length=64, default="UTC")
    active = models.BooleanField(default=True)
    last_start_at = models.DateTimeField(null=True, blank=True, editable=False)
    asr_hold_until = models.DateTimeField(null=True, blank=True, editable=False)
    asr_since = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return self.name


class CallTask(TenantModel):
    """One callback: ring A (then its extended numbers), then B, up to ``try_count`` tries."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled"
        DELAYED_CONCURRENT = "delayed_concurrent_task"
        DELAYED_INTERVAL = "delayed_interval"
        DELAYED_ASR = "delayed_asr"
        EXECUTED = "executed"
        DELAYED = "delayed"
        FINISHED = "finished"

    class Result(models.TextChoices):
        SUCCESS = "success"
        FAILED = "failed"

    WAITING = (
        Status.SCHEDULED,
        Status.DELAYED_CONCURRENT,
        Status.DELAYED_INTERVAL,
        Status.DELAYED_ASR,
        Status.DELAYED,
    )

    scheduler = models.ForeignKey(TaskScheduler, on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(max_length=200, blank=True)
    a_number = models.CharField(max_length=64)
    b_number = models.CharField(max_length=64)
    extension_id = models.IntegerField(null=True, blank=True)
    try_count = models.PositiveSmallIntegerField(default=1)
    try_again_pause = models.PositiveIntegerField(default=0)
    url_before = models.URLField(max_length=2000, blank=True)
    url_before_again = models.URLField(max_length=2000, blank=True)
    url_success = models.URLField(max_length=2000, blank=True)
    url_after = models.URLField(max_length=2000, blank=True)
    start_time_utc = models.DateTimeField()
    callback_params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.SCHEDULED)
    finish_result = models.CharField(max_length=16, choices=Result.choices, blank=True)
    finish_comment = models.TextField(blank=True)
    cdr = models.CharField(max_length=64, blank=True)
    tries_made = models.PositiveSmallIntegerField(default=0)
    next_run_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(
        "delivery.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["scheduler", "status", "next_run_at"]),
            # Beat's pump looks for due and executed tasks of every scheduler each second;
            # finished tasks, nearly all rows, stay out of this index.
            models.Index(
                fields=["status", "next_run_at"],
                condition=~models.Q(status="finished"),
                name="callbacks_task_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or 'task'} #{self.pk} ({self.a_number} → {self.b_number})"


class CallRecord(TenantModel):
    """One try's call: its legs, numbers, times, answer and hangup cause, duration."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    task = models.ForeignKey(CallTask, on_delete=models.CASCADE, related_name="calls")
    scheduler = models.ForeignKey(TaskScheduler, on_delete=models.CASCADE, related_name="+")
    try_number = models.PositiveSmallIntegerField(default=1)
    a_number = models.CharField(max_length=64, blank=True)
    b_number = models.CharField(max_length=64, blank=True)
    legs = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    answered = models.BooleanField(default=False, help_text="A and B both connected.")
    hangup_cause = models.CharField(max_length=64, blank=True)
    duration = models.FloatField(default=0)

    def __str__(self) -> str:
        return str(self.uuid)
