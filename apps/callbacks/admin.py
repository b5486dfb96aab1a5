"""Back-office pages for task schedulers, call tasks and call history."""

from django.contrib import admin

from apps.callbacks.models import CallRecord, CallTask, TaskScheduler


@admin.register(TaskScheduler)
class TaskSchedulerAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "client", "concurrent_task_limit", "interval", "active")
    list_filter = ("active",)
    search_fields = ("name",)


@admin.register(CallTask)
class CallTaskAdmin(admin.ModelAdmin):
    list_display = ("id", "scheduler", "a_number", "b_number", "status", "finish_result",
                    "tries_made", "next_run_at")  # fmt: skip
    list_filter = ("status", "finish_result")
    search_fields = ("a_number", "b_number", "name", "cdr")
    raw_id_fields = ("scheduler", "job")


@admin.register(CallRecord)
class CallRecordAdmin(admin.ModelAdmin):
    list_display = ("uuid", "task", "a_number", "b_number", "answered", "hangup_cause",
                    "duration", "started_at")  # fmt: skip
    list_filter = ("answered",)
    search_fields = ("uuid", "a_number", "b_number")
    raw_id_fields = ("task", "scheduler")
