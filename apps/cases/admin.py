"""Back-office pages of video cases, with their members inline."""

from django.contrib import admin
from django.utils.html import format_html

from apps.accounts.admin import TenantAdminMixin, TenantInlineMixin
from apps.cases import services
from apps.cases.links import join_url_of
from apps.cases.models import Case, CaseMember
from apps.cases.numbering import task_num_allocate


class CaseMemberInline(TenantInlineMixin, admin.TabularInline):
    """A case's moderators (chosen among the staff member's client's users) and customers,
    each with the join link to hand out."""

    model = CaseMember
    extra = 0
    fields = ["role", "user", "title", "name", "id_num", "phone", "email", "join_link"]
    readonly_fields = ["join_link"]

    @admin.display(description="Join link")
    def join_link(self, member: CaseMember) -> str:
        if not member.pk:
            return "(after saving)"
        url = join_url_of(member)
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)


@admin.register(Case)
class CaseAdmin(TenantAdminMixin, admin.ModelAdmin):
    """Cases of the staff member's client (every client's for global staff)."""

    inlines = [CaseMemberInline]
    list_display = [
        "task_num", "client", "out_task_num", "business_id", "task_type", "room_type",
        "task_time", "status", "task_notify",
    ]  # fmt: skip
    list_filter = ["status", "room_type", "task_type", "client"]
    search_fields = ["task_num", "out_task_num"]
    date_hierarchy = "task_time"
    readonly_fields = ["task_num", "status_changed_at", "created_by", "created_at", "updated_at"]
    list_select_related = ["client"]
    show_full_result_count = False

    def save_model(self, request, obj: Case, form, change) -> None:
        """A case created here gets the next task number and its creator. On an open case, a
        new ``task_time`` or ``status`` goes through the services, so reminders move, members
        are told of the new time and ending it notifies customers exactly as through the
        API."""
        if not change:
            obj.task_num = task_num_allocate()
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            return
        stored = Case.objects.get(pk=obj.pk)
        through_services = {
            field: getattr(obj, field)
            for field in ("task_time", "status")
            if stored.is_open and field in form.changed_data
        }
        for field in through_services:  # saved below as stored; the services change them
            setattr(obj, field, getattr(stored, field))
        super().save_model(request, obj, form, change)
        if "task_time" in through_services:
            services.case_reschedule(case=obj, task_time=through_services["task_time"])
        if "status" in through_services:
            services.case_status_update(case=obj, status=through_services["status"])
