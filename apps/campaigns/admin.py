"""Back-office page of campaigns: counters per row, start/stop actions, schedules inline.

Every write goes through the campaign services: start, stop, update (re-pacing on a new
``cpm``, program/group/account fixed once started) and delete (refused while running).
"""

from django.contrib import admin, messages
from rest_framework.exceptions import APIException

from apps.accounts.admin import TenantAdminMixin, TenantInlineMixin
from apps.campaigns import services
from apps.campaigns.models import Campaign, CampaignSchedule
from apps.campaigns.selectors import COUNTERS, NO_COUNTS, campaign_counters
from apps.core.admin_helpers import ServiceDeleteMixin, service_action
from apps.core.exceptions import error_message

Status = Campaign.Status
FINAL = (Status.COMPLETED, Status.BROKEN)
UPDATABLE = ("program", "group", "account", "cpm", "try_allowed", "source")


class CampaignScheduleInline(TenantInlineMixin, admin.TabularInline):
    """Starts and stops at a given time; one that ran shows its outcome and stays as is."""

    model = CampaignSchedule
    extra = 0
    fields = ["action", "run_at", "done_at", "cancelled", "outcome"]
    readonly_fields = ["done_at", "outcome"]

    def has_add_permission(self, request, obj=None):
        open_campaign = obj is None or obj.status not in FINAL
        return open_campaign and super().has_add_permission(request, obj)


def _counter(name: str):
    def column(campaign) -> int:
        return getattr(campaign, "counters", NO_COUNTS)[name]

    column.short_description = name.replace("_", " ")
    column.__name__ = name
    return column


@admin.register(Campaign)
class CampaignAdmin(ServiceDeleteMixin, TenantAdminMixin, admin.ModelAdmin):
    """Campaigns with their counters (one aggregate query per page) and start/stop."""

    list_display = ["id", "client", "program", "group", "status", "cpm", "try_allowed",
                    *(_counter(name) for name in COUNTERS), "last_run"]  # fmt: skip
    list_filter = ["status", "client"]
    search_fields = ["source", "program__name", "group__name"]
    list_select_related = ["client", "program", "group"]
    raw_id_fields = ["program", "group", "account"]
    readonly_fields = ["status", "progress", "response", "last_run", "next_slot_at",
                       "created_by", "created_at", "updated_at"]  # fmt: skip
    inlines = [CampaignScheduleInline]
    delete_service = staticmethod(services.campaign_delete)
    delete_kwarg = "campaign"
    actions = [
        service_action(services.campaign_start, label="Start", kwarg="campaign", noun="campaign"),
        service_action(services.campaign_stop, label="Stop", kwarg="campaign", noun="campaign"),
    ]

    def get_changelist_instance(self, request):
        """Counters of the page's campaigns in one query, kept on each row object."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        counters = campaign_counters(campaign.id for campaign in rows)
        for campaign in rows:
            campaign.counters = counters.get(campaign.id, NO_COUNTS)
        return changelist

    def get_readonly_fields(self, request, obj=None):
        fixed = ["program", "group", "account"] if obj and obj.status != Status.NEW else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    @admin.display(description="progress")
    def progress(self, campaign: Campaign) -> str:
        if not campaign.pk:
            return "—"
        counts = campaign_counters([campaign.pk]).get(campaign.pk, NO_COUNTS)
        return ", ".join(f"{name.replace('_', ' ')}: {counts[name]}" for name in COUNTERS)

    def save_model(self, request, obj, form, change):
        """A new campaign records its creator; a change goes through ``campaign_update``
        (a new ``try_allowed`` reaches pending transmissions, a new ``cpm`` re-paces)."""
        if not change:
            obj.created_by = request.user
            return super().save_model(request, obj, form, change)
        fields = {name: getattr(obj, name) for name in UPDATABLE if name in form.changed_data}
        if not fields:
            return None
        try:
            services.campaign_update(campaign=obj, **fields)
        except APIException as refused:  # started meanwhile: program/group/account fixed
            self.message_user(request, error_message(refused.detail), messages.ERROR)

    def has_delete_permission(self, request, obj=None):
        running = obj is not None and obj.status == Status.RUNNING
        return not running and super().has_delete_permission(request, obj)
