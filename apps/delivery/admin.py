"""Back-office pages of the engine: jobs (with attempts and events), attempts, events, outbox.

These tables hold millions of rows: every page counts cheaply (``BigTableAdminMixin``),
searches exactly (indexed columns first), filters on fixed value lists and loads no column
it does not show. The engine owns every row: pages are read-only and change jobs only through
the services (cancel, retry, run now).
"""

from django.contrib import admin
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html

from apps.accounts.admin import TenantAdminMixin, scoped_for_user
from apps.core.admin_helpers import (
    INLINE_CAP,
    OwnedHistoryMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    service_action,
)
from apps.core.admin_paging import (
    BigTableAdminMixin,
    fixed_choices_filter,
    int_term,
    phone_term,
    uuid_term,
)
from apps.delivery.models import Attempt, Event, Job, OutboxMessage
from apps.delivery.services.jobs import job_cancel, job_retry, job_run_now
from apps.providers.catalog import CHANNELS
from apps.providers.models import Provider

REASONS = (
    "no_provider", "provider_rejected", "provider_unavailable", "provider_error",
    "invalid_recipient", "blocked_destination", "no_consent", "bad_credentials",
    "provider_misconfigured", "network", "timeout", "internal_error", "worker_lost",
    "undelivered", "no_public_url", "attachment_unavailable", "sandbox",
)  # fmt: skip
ORIGINS = ("queue", "comms", "callbacks", "cases", "hook")
EVENT_KINDS = (
    "created", "consolidated", "overridden", "queued", "started", "retrying", "succeeded",
    "failed", "cancelled", "rescheduled", "retry_requested", "rescued", "lease_lost",
    "throttled", "hook_succeeded", "hook_failed", "delivered", "undelivered",
)  # fmt: skip
ReasonFilter = fixed_choices_filter("reason", REASONS, anything="any reason")


def email_list_term(term: str) -> list[str]:
    """An address inside an email job's ``to`` list (PostgreSQL's JSON containment)."""
    if "@" not in term or connection.vendor != "postgresql":
        raise ValueError(term)
    return [term]


def _job_link(job_id: int, text) -> str:
    url = reverse("admin:delivery_job_change", args=[job_id])
    return format_html('<a href="{}">{}</a>', url, text)


class JobProviderFilter(admin.SimpleListFilter):
    """Jobs pinned to a provider or tried on it (the staff member's providers only)."""

    title = "provider"
    parameter_name = "provider"

    def lookups(self, request, model_admin):
        providers = scoped_for_user(Provider.objects.select_related("client"), request.user)
        providers = providers.order_by("client__code", "name")[:500]
        return [(p.pk, f"{p} · {p.client.code}") for p in providers]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            provider_id = int(self.value())
        except ValueError:
            return queryset.none()
        tried = Attempt.objects.filter(job=OuterRef("pk"), provider_id=provider_id)
        return queryset.filter(Q(provider_id=provider_id) | Exists(tried))


class AttemptInline(ReadOnlyInline):
    """The job's tries, oldest first (a job has at most 11, a callback 8)."""

    model = Attempt
    fields = ["number", "provider", "gateway", "outcome", "started_at", "ended_at",
              "provider_message_id", "reason", "error"]  # fmt: skip
    ordering = ["number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider")


class EventInline(ReadOnlyInline):
    """The job's latest events; the whole history is a link away (``history`` field)."""

    model = Event
    fields = ["at", "kind", "data"]
    ordering = ["-id"]
    verbose_name_plural = f"events (latest {INLINE_CAP}, newest first)"


@admin.register(Job)
class JobAdmin(OwnedHistoryMixin, BigTableAdminMixin, TenantAdminMixin, admin.ModelAdmin):
    """Engine jobs: filter by status, channel, priority, origin, reason, client, provider and
    time; search by UUID, id, log tag, recipient or key; cancel, retry or run now."""

    list_display = ["uuid", "client", "channel", "priority", "status", "recipient", "run_at",
                    "tries", "reason", "log_tag", "origin", "created_at"]  # fmt: skip
    list_filter = ["status", "channel", "priority", fixed_choices_filter("origin", ORIGINS),
                   ReasonFilter, "client", JobProviderFilter, "created_at"]  # fmt: skip
    list_select_related = ["client"]
    list_defer = ("payload", "result", "meta", "hooks", "last_error")
    sortable_by = ()  # sorting millions of rows on an unindexed column would scan them all
    search_fields = ["=uuid"]
    search_help_text = ("Exact match: job UUID or id, log tag, recipient (phone, email, URL, "
                        "push token), idempotency or window key.")  # fmt: skip
    exact_search = (
        ("uuid", uuid_term), ("pk", int_term), ("log_tag", str), ("payload__to", str),
        ("payload__to", phone_term), ("payload__to__contains", email_list_term),
        ("payload__url", str), ("payload__token", str), ("idempotency_key", str),
        ("window_key", str),
    )  # fmt: skip
    inlines = [AttemptInline, EventInline]
    fieldsets = [
        (None, {"fields": ["uuid", "client", "channel", "origin", "priority", "status",
                           "reason", "last_error", "log_tag", "history"]}),
        ("Timing", {"fields": ["run_at", "created_at", "queued_at", "started_at", "finished_at",
                               "attempts_made", "attempts_allowed"]}),
        ("Content", {"fields": ["payload", "meta", "hooks", "result"]}),
        ("Engine", {"fields": ["provider", "parent", "idempotency_key", "window_key",
                               "window_hits", "lease_token", "lease_expires_at"]}),
    ]  # fmt: skip
    readonly_fields = ["history"]
    raw_id_fields = ["parent", "provider"]  # never a menu of a million jobs
    owned_history = (Attempt, Event)
    actions = [
        service_action(job_cancel, label="Cancel", kwarg="job", noun="job"),
        service_action(job_retry, label="Retry", kwarg="job", noun="job"),
        service_action(job_run_now, label="Run now", kwarg="job", noun="job"),
    ]

    def changelist_queryset(self, queryset):
        recipient = Coalesce(KT("payload__to"), KT("payload__url"), KT("payload__token"),
                             KT("payload__topic"), KT("payload__b_number"))  # fmt: skip
        return super().changelist_queryset(queryset).annotate(recipient_shown=recipient)

    @admin.display(description="recipient")
    def recipient(self, job: Job) -> str:
        return getattr(job, "recipient_shown", None) or "—"

    @admin.display(description="tries")
    def tries(self, job: Job) -> str:
        return f"{job.attempts_made}/{job.attempts_allowed}"

    @admin.display(description="history")
    def history(self, job: Job) -> str:
        events = reverse("admin:delivery_event_changelist") + f"?job__id__exact={job.pk}"
        attempts = reverse("admin:delivery_attempt_changelist") + f"?job__id__exact={job.pk}"
        return format_html('<a href="{}">all events</a> · <a href="{}">all attempts</a>',
                           events, attempts)  # fmt: skip

    def has_add_permission(self, request):
        return False  # jobs come from the faces' services (jobs_create), never a bare row

    def has_change_permission(self, request, obj=None):
        """A job's page is read-only (the engine owns its state; saving the row could undo
        a worker's concurrent update); the list's actions still need this permission."""
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        finished = obj is not None and obj.status in Job.FINISHED
        return finished and super().has_delete_permission(request, obj)


class JobRowsAdminMixin(ReadOnlyAdminMixin):
    """Rows of a job (attempts, events): read-only, scoped through the job's client, each
    linking to its job; the job's UUID comes with the page's query, not one query per row."""

    tenant_field = "job__client"

    def changelist_queryset(self, queryset):
        return super().changelist_queryset(queryset).annotate(job_uuid=F("job__uuid"))

    @admin.display(description="job")
    def job_link(self, row) -> str:
        return _job_link(row.job_id, getattr(row, "job_uuid", row.job_id))


@admin.register(Attempt)
class AttemptAdmin(JobRowsAdminMixin, BigTableAdminMixin, TenantAdminMixin, admin.ModelAdmin):
    """Every try of every job (the Comms face's spools): find one by the vendor's message id;
    filter by outcome, reason, provider and time. Read-only."""

    list_display = ["id", "job_link", "number", "provider", "gateway", "outcome", "reason",
                    "started_at", "ended_at", "provider_message_id", "error"]  # fmt: skip
    list_display_links = ["id"]
    list_filter = ["outcome", ReasonFilter, "provider", "started_at"]
    list_select_related = ["provider"]
    list_defer = ("request", "response")
    ordering = ["-id"]
    sortable_by = ()
    search_fields = ["=provider_message_id"]
    search_help_text = "Exact match: vendor message id, job UUID or attempt id."
    exact_search = (("provider_message_id", str), ("job__uuid", uuid_term), ("pk", int_term))


@admin.register(Event)
class EventAdmin(JobRowsAdminMixin, BigTableAdminMixin, TenantAdminMixin, admin.ModelAdmin):
    """Every state change and callback outcome of every job; a job's page links here for its
    whole history. Read-only."""

    list_display = ["id", "job_link", "kind", "at", "data"]
    list_filter = [fixed_choices_filter("kind", EVENT_KINDS), "at"]
    ordering = ["-id"]
    sortable_by = ()
    search_fields = ["=job__uuid"]
    search_help_text = "Exact match: job UUID or event id."
    exact_search = (("job__uuid", uuid_term), ("pk", int_term))


@admin.register(OutboxMessage)
class OutboxMessageAdmin(BigTableAdminMixin, TenantAdminMixin, admin.ModelAdmin):
    """The sandbox gateways' deliveries: what would have reached people. Read-only; rows
    may be deleted to tidy up."""

    list_display = ["created_at", "client", "channel", "recipient", "job", "provider"]
    list_filter = [fixed_choices_filter("channel", CHANNELS), "client", "created_at"]
    list_select_related = ["client", "provider"]
    list_defer = ("payload",)
    sortable_by = ()
    search_fields = ["=job_uuid"]
    search_help_text = "Exact match: job UUID or recipient."
    exact_search = (("job_uuid", uuid_term), ("recipient", str), ("recipient", phone_term))

    @admin.display(description="job")
    def job(self, message: OutboxMessage) -> str:
        url = reverse("admin:delivery_job_changelist") + f"?q={message.job_uuid}"
        return format_html('<a href="{}">{}</a>', url, message.job_uuid)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
