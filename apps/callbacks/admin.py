"""Back-office pages for task schedulers, call tasks and call history (tenant-scoped).

Call tasks and call records grow without bound: they use the shared big-table paging and
exact search. Deletes go through the services, which refuse while a call is under way.
"""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from apps.accounts.admin import TenantAdminMixin
from apps.callbacks.models import CallRecord, CallTask, TaskScheduler
from apps.callbacks.services.tasks import call_task_delete, task_scheduler_delete
from apps.core.admin_helpers import (
    OwnedHistoryMixin,
    ReadOnlyAdminMixin,
    ServiceDeleteMixin,
    SummarizedDeleteMixin,
)
from apps.core.admin_paging import BigTableAdminMixin, int_term, phone_term, uuid_term

Status = CallTask.Status


def _task_count(*statuses) -> Coalesce:
    """Tasks of the row's scheduler in ``statuses`` (a correlated, index-backed count)."""
    tasks = (
        CallTask.objects.filter(scheduler=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("scheduler")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(tasks, output_field=IntegerField()), 0)


def _set_active(active: bool):
    def action(modeladmin, request, queryset):
        changed = queryset.update(active=active)
        state = "active: new calls start" if active else "paused: no new call starts"
        modeladmin.message_user(request, f"{changed} scheduler(s) {state}.", messages.SUCCESS)

    action.short_description = f"{'Resume' if active else 'Pause'} selected schedulers"
    action.__name__ = f"schedulers_{'resume' if active else 'pause'}"
    action.allowed_permissions = ("change",)
    return action


@admin.register(TaskScheduler)
class TaskSchedulerAdmin(ServiceDeleteMixin, OwnedHistoryMixin, SummarizedDeleteMixin,
                         TenantAdminMixin, admin.ModelAdmin):  # fmt: skip
    """Schedulers with their waiting and executing task counts; pause/resume; deleting one
    is refused while one of its calls runs."""

    delete_service = staticmethod(task_scheduler_delete)
    delete_kwarg = "scheduler"
    owned_history = (CallTask, CallRecord)
    list_display = ("id", "name", "client", "concurrent_task_limit", "interval", "active",
                    "waiting", "executing", "last_start_at")  # fmt: skip
    list_filter = ("active", "client")
    list_select_related = ("client",)
    search_fields = ("name",)
    readonly_fields = ("last_start_at", "asr_hold_until", "asr_since", "created_at",
                       "updated_at")  # fmt: skip
    actions = [_set_active(False), _set_active(True)]

    def get_queryset(self, request):
        waiting = _task_count(*CallTask.WAITING)
        executing = _task_count(Status.EXECUTED)
        return super().get_queryset(request).annotate(waiting=waiting, executing=executing)

    @admin.display(description="waiting", ordering="waiting")
    def waiting(self, scheduler: TaskScheduler) -> int:
        return getattr(scheduler, "waiting", 0)

    @admin.display(description="executing", ordering="executing")
    def executing(self, scheduler: TaskScheduler) -> int:
        return getattr(scheduler, "executing", 0)


@admin.register(CallTask)
class CallTaskAdmin(ServiceDeleteMixin, OwnedHistoryMixin, BigTableAdminMixin, TenantAdminMixin,
                    admin.ModelAdmin):  # fmt: skip
    """Callback calls: filter by status, result, scheduler; search by id, numbers or CDR. A
    task is editable and deletable only while it waits for its first try."""

    delete_service = staticmethod(call_task_delete)
    delete_kwarg = "task"
    owned_history = (CallRecord,)
    list_display = ("id", "scheduler", "client", "a_number", "b_number", "status",
                    "finish_result", "tries", "next_run_at", "started_at")  # fmt: skip
    list_filter = ("status", "finish_result", "client", "scheduler", "created_at")
    list_select_related = ("scheduler", "client")
    list_defer = ("callback_params", "finish_comment")
    sortable_by = ("id",)
    search_fields = ("=a_number",)
    search_help_text = "Exact match: task id, A or B number, CDR or name."
    exact_search = (("pk", int_term), ("a_number", str), ("b_number", str),
                    ("a_number", phone_term), ("b_number", phone_term), ("cdr", str),
                    ("name", str))  # fmt: skip
    raw_id_fields = ("scheduler", "job")
    exclude = ("client",)  # the scheduler's
    readonly_fields = ("status", "finish_result", "finish_comment", "cdr", "tries_made",
                       "next_run_at", "started_at", "job", "created_at", "updated_at")  # fmt: skip
    # Event URLs typed without a scheme are read as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="tries")
    def tries(self, task: CallTask) -> str:
        return f"{task.tries_made}/{task.try_count}"

    def save_model(self, request, obj, form, change):
        obj.client_id = obj.scheduler.client_id
        if not change:
            obj.next_run_at = obj.start_time_utc
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        untried = obj is None or (obj.tries_made == 0 and obj.status in CallTask.WAITING)
        return untried and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )


@admin.register(CallRecord)
class CallRecordAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, TenantAdminMixin, admin.ModelAdmin):
    """Every try's call (legs, answer, hangup cause, duration), written by the engine;
    read-only. Search by call UUID, task id or number."""

    list_display = ("uuid", "task", "a_number", "b_number", "answered", "hangup_cause",
                    "duration", "started_at")  # fmt: skip
    list_filter = ("answered", "client", "scheduler", "started_at")
    list_select_related = ("task",)
    list_defer = ("legs", "task__callback_params", "task__finish_comment")
    sortable_by = ()
    search_fields = ("=uuid",)
    search_help_text = "Exact match: call UUID, task id, A or B number."
    exact_search = (("uuid", uuid_term), ("task_id", int_term), ("a_number", str),
                    ("b_number", str))  # fmt: skip
