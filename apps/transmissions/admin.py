"""Back-office page of transmissions, with links to their engine job.

A big table (a campaign makes one per contact): shared big-table paging, exact search.
Sending, cancelling a schedule and deleting go through the transmission services, which
refuse while a try is under way.
"""

from django.contrib import admin
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html

from apps.accounts.admin import TenantAdminMixin
from apps.core.admin_helpers import ServiceDeleteMixin, service_action
from apps.core.admin_paging import (
    BigTableAdminMixin,
    fixed_choices_filter,
    int_term,
    phone_term,
    uuid_term,
)
from apps.programs.models import Program
from apps.transmissions.models import Transmission
from apps.transmissions.services import (
    transmission_create,
    transmission_delete,
    transmission_schedule_cancel,
    transmission_send,
)

Status = Transmission.Status
EDITABLE_WHILE_IDLE = ("title", "program", "account", "contact", "try_allowed")


@admin.register(Transmission)
class TransmissionAdmin(ServiceDeleteMixin, BigTableAdminMixin, TenantAdminMixin,
                        admin.ModelAdmin):  # fmt: skip
    """Transmissions: filter by status, direction, origin, client and time; search by id,
    campaign id, job UUID, contact phone or email; send now (also a retry) or cancel a
    schedule. One that is being tried is read-only until its try ends."""

    list_display = ["id", "title", "client", "contact", "origin", "direction", "status",
                    "tries", "last_run", "response", "campaign_id", "job_link"]  # fmt: skip
    list_filter = ["status", "direction", fixed_choices_filter("origin", Program.Type.values),
                   "client", "created_at"]  # fmt: skip
    list_select_related = ["client", "contact"]
    list_defer = ("data",)
    sortable_by = ("id",)
    search_fields = ["=id"]
    search_help_text = "Exact match: transmission id, campaign id, job UUID, contact phone/email."
    exact_search = (("pk", int_term), ("campaign_id", int_term), ("job__uuid", uuid_term),
                    ("contact__phone", str), ("contact__phone", phone_term),
                    ("contact__email", str))  # fmt: skip
    raw_id_fields = ["program", "account", "contact"]
    fields = ["title", "program", "account", "contact", "try_allowed", "status", "response",
              "origin", "direction", "service_flag", "try_done", "last_run", "campaign_id",
              "job", "data", "created_by", "created_at", "updated_at"]  # fmt: skip
    readonly_fields = ["status", "response", "origin", "direction", "service_flag", "try_done",
                       "last_run", "campaign_id", "job", "data", "created_by", "created_at",
                       "updated_at"]  # fmt: skip
    delete_service = staticmethod(transmission_delete)
    delete_kwarg = "transmission"
    actions = [
        service_action(transmission_send, label="Send now", kwarg="transmission",
                       noun="transmission"),
        service_action(transmission_schedule_cancel, label="Cancel schedule",
                       kwarg="transmission", noun="transmission"),
    ]  # fmt: skip

    @admin.display(description="tries")
    def tries(self, transmission: Transmission) -> str:
        return f"{transmission.try_done}/{transmission.try_allowed}"

    @admin.display(description="job")
    def job_link(self, transmission: Transmission) -> str:
        if not transmission.job_id:
            return "—"
        url = reverse("admin:delivery_job_change", args=[transmission.job_id])
        return format_html('<a href="{}">{}</a>', url, getattr(transmission, "job_uuid", ""))

    def changelist_queryset(self, queryset):
        return super().changelist_queryset(queryset).annotate(job_uuid=F("job__uuid"))

    def save_model(self, request, obj, form, change):
        """A new one is made by ``transmission_create`` (title, direction, service flag and
        origin from its program); a change writes only the fields edited here."""
        if change:
            obj.save(update_fields=[*form.changed_data, "updated_at"])
            return
        fields = {name: form.cleaned_data[name] for name in EDITABLE_WHILE_IDLE[2:]}
        if form.cleaned_data.get("title"):
            fields["title"] = form.cleaned_data["title"]
        created = transmission_create(client_id=obj.program.client_id, program=obj.program,
                                      user=request.user, **fields)  # fmt: skip
        obj.pk = created.pk

    def has_change_permission(self, request, obj=None):
        trying = obj is not None and obj.status == Status.PROCESSING
        return not trying and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        trying = obj is not None and obj.status == Status.PROCESSING
        return not trying and super().has_delete_permission(request, obj)
