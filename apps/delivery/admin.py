"""Back-office pages of the engine: jobs (with attempts and events), outbox."""

from django.contrib import admin, messages

from apps.accounts.admin import TenantAdminMixin
from apps.delivery.models import Attempt, Event, Job, OutboxMessage
from apps.delivery.services.jobs import job_cancel, job_retry, job_run_now


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ["number", "provider", "gateway", "outcome", "started_at", "ended_at",
              "provider_message_id", "reason", "error"]  # fmt: skip
    readonly_fields = fields


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ["at", "kind", "data"]
    readonly_fields = fields


def _bulk_action(service, label: str):
    def action(modeladmin, request, queryset):
        done = sum(1 for job in queryset if service(job=job))
        skipped = queryset.count() - done
        level = messages.SUCCESS if done else messages.WARNING
        modeladmin.message_user(request, f"{label}: {done} job(s); {skipped} skipped.", level)

    action.short_description = f"{label} selected jobs"
    action.__name__ = f"jobs_{label.lower().replace(' ', '_')}"
    return action


@admin.register(Job)
class JobAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["uuid", "client", "channel", "priority", "status", "run_at", "attempts_made",
                    "reason", "log_tag", "origin", "created_at"]  # fmt: skip
    list_filter = ["status", "channel", "priority", "origin", "client", "provider"]
    search_fields = ["=uuid", "log_tag", "payload__to", "payload__url", "window_key"]
    date_hierarchy = "created_at"
    list_select_related = ["client"]
    inlines = [AttemptInline, EventInline]
    readonly_fields = ["uuid", "created_at", "queued_at", "started_at", "finished_at",
                       "lease_token", "lease_expires_at", "attempts_made",
                       "window_hits"]  # fmt: skip
    actions = [
        _bulk_action(job_cancel, "Cancel"),
        _bulk_action(job_retry, "Retry"),
        _bulk_action(job_run_now, "Run now"),
    ]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(TenantAdminMixin, admin.ModelAdmin):
    """The sandbox gateways' deliveries: what would have reached people."""

    list_display = ["created_at", "client", "channel", "recipient", "job_uuid", "provider"]
    list_filter = ["channel", "client"]
    search_fields = ["recipient", "=job_uuid"]
    readonly_fields = [
        "client",
        "channel",
        "job_uuid",
        "provider",
        "recipient",
        "payload",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False
