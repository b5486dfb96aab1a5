"""Back-office page of campaigns: counters per row, start/stop actions, schedules inline."""

from django.contrib import admin, messages
from rest_framework.exceptions import APIException

from apps.accounts.admin import TenantAdminMixin
from apps.campaigns import services
from apps.campaigns.models import Campaign, CampaignSchedule
from apps.campaigns.selectors import COUNTERS, NO_COUNTS, campaign_counters
from apps.core.exceptions import error_message


class CampaignScheduleInline(admin.TabularInline):
    model = CampaignSchedule
    extra = 0
    fields = ["action", "run_at", "done_at", "cancelled", "outcome"]
    readonly_fields = ["done_at", "outcome"]


def _counter(name: str):
    def column(campaign) -> int:
        return getattr(campaign, "counters", NO_COUNTS)[name]

    column.short_description = name.replace("_", " ")
    column.__name__ = name
    return column


def _action(service, label: str, done: str):
    def action(modeladmin, request, queryset):
        for campaign in queryset:
            try:
                service(campaign=campaign)
            except APIException as refused:
                modeladmin.message_user(
                    request, f"{campaign}: {error_message(refused.detail)}", messages.WARNING
                )
            else:
                modeladmin.message_user(request, f"{campaign}: {done}.")

    action.short_description = f"{label} selected campaigns"
    action.__name__ = f"campaigns_{label.lower()}"
    return action


@admin.register(Campaign)
class CampaignAdmin(TenantAdminMixin, admin.ModelAdmin):
    """Campaigns with their counters (one aggregate query per page) and start/stop."""

    list_display = ["id", "client", "program", "group", "status", "cpm", "try_allowed",
                    *(_counter(name) for name in COUNTERS), "last_run"]  # fmt: skip
    list_filter = ["status", "client"]
    search_fields = ["source", "program__name", "group__name"]
    list_select_related = ["client", "program", "group"]
    raw_id_fields = ["program", "group", "account", "created_by"]
    readonly_fields = ["status", "response", "last_run", "next_slot_at", "created_at",
                       "updated_at"]  # fmt: skip
    inlines = [CampaignScheduleInline]
    actions = [
        _action(services.campaign_start, "Start", "started"),
        _action(services.campaign_stop, "Stop", "paused"),
    ]

    def get_changelist_instance(self, request):
        """Counters of the page's campaigns in one query, kept on each row object."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        counters = campaign_counters(campaign.id for campaign in rows)
        for campaign in rows:
            campaign.counters = counters.get(campaign.id, NO_COUNTS)
        return changelist
