"""Video appointment cases (the Video cases face): cases, their members, numbering, codes."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import TenantModel, TimeStampedModel


def join_token_new() -> str:
    """An unguessable token for a member's join link (32 URL-safe characters, 192 bits)."""
    return secrets.token_urlsafe(24)


class Case(TenantModel):
    """One video appointment of a client, known outside by ``task_num``.

    ``task_num`` is the day (``YYYYMMDD``, UTC) plus a 7-digit daily sequence, allocated from
    ``CaseDaySequence``. ``out_task_num`` is the caller's own reference, unique per
    ``business_id`` within the client. ``task_time`` is when the appointment takes place
    (the API speaks unix seconds). A case starts ``open`` and ends ``finished`` or
    ``canceled``; only a moderator of the case or a holder of ``cases.moderate_case`` may
    end it.
    """

    class TaskType(models.TextChoices):
        NORMAL = "normal", "General appointment"
        CUSTOM = "custom", "Customer service case"

    class RoomType(models.TextChoices):
        REALTIME = "realtime", "Real-time video room"
        NORMAL = "normal", "Scheduled video room"

    class Status(models.TextChoices):
        OPEN = "open"
        FINISHED = "finished"
        CANCELED = "canceled"

    task_num = models.CharField(max_length=15, unique=True, editable=False)
    business_id = models.PositiveBigIntegerField(help_text="Business process id.")
    out_task_num = models.CharField(max_length=64, help_text="The caller's unique reference.")
    out_task_type = models.CharField(max_length=64, blank=True)
    task_type = models.CharField(max_length=16, choices=TaskType.choices)
    task_notify = models.BooleanField(default=False, help_text="Invite customers when added.")
    task_time = models.DateTimeField(help_text="When the appointment takes place.")
    task_remark = models.TextField(blank=True)
    branch_code = models.CharField(max_length=64)
    business_code = models.CharField(max_length=64, blank=True)
    room_type = models.CharField(max_length=16, choices=RoomType.choices)
    video = models.BooleanField(default=True, help_text="A video call is required.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["client", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "business_id", "out_task_num"],
                name="cases_case_out_task_num_unique",
            )
        ]
        permissions = [
            ("moderate_case", "Can moderate every case of its client (end it, issue codes)"),
        ]

    def __str__(self) -> str:
        return self.task_num

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CaseMember(TimeStampedModel):
    """Someone who joins a case: a moderator (a user of the client) or a customer (publisher).

    Every member has an unguessable ``join_token``; its join link is made by the configured
    room provider (``apps.cases.rooms``: the template provider puts the token into
    ``settings.FUSION_VIDEO_JOIN_URL``; Jitsi signs a JWT instead). A user
    moderates a case at most once; a customer's ``id_num`` is unique within the case.
    """

    class Role(models.TextChoices):
        MODERATOR = "moderator"
        PUBLISHER = "publisher"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=16, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="case_memberships",
        help_text="The moderator (moderators only).",
    )
    title = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=120, blank=True)
    id_num = models.CharField(max_length=64, blank=True, help_text="Customer's unique id.")
    country_code = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=32, blank=True, help_text="E.164.")
    email = models.EmailField(blank=True)
    business_code = models.CharField(max_length=64, blank=True)
    branch_code = models.CharField(max_length=64, blank=True)
    join_token = models.CharField(max_length=64, unique=True, default=join_token_new)

    class Meta:
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(role="moderator"),
                name="cases_member_moderator_unique",
            ),
            models.UniqueConstraint(
                fields=["case", "id_num"],
                condition=Q(role="publisher"),
                name="cases_member_customer_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.name or self.user_id} of {self.case_id}"


class CaseDaySequence(models.Model):
    """The last case number handed out on ``day``: one row per day, incremented atomically."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day:%Y%m%d}: {self.last}"


class CaseAuthCode(TenantModel):
    """A short-lived, single-use code (getAuthCode) with which ``user`` joins as moderator.

    Only the SHA-256 of the code is stored; redeeming sets ``used_at`` with a conditional
    update, so a code works once even when presented twice at the same moment.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_auth_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"auth code of {self.user_id} (until {self.expires_at:%Y-%m-%d %H:%M})"
