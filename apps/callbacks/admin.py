"""Back-office pages for task schedulers, call tasks and call history (tenant-scoped)."""

from django.contrib import admin
from django.db import models

from apps.accounts.admin import TenantAdminMixin
from apps.callbacks.models import CallRecord, CallTask, TaskScheduler


@admin.register(TaskScheduler)
class TaskSchedulerAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ("id", "name", "client", "concurrent_task_limit", "interval", "active")
    list_filter = ("active", "client")
    search_fields = ("name",)


@admin.register(CallTask)
class CallTaskAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ("id", "scheduler", "a_number", "b_number", "status", "finish_result",
                    "tries_made", "next_run_at")  # fmt: skip
    list_filter = ("status", "finish_result", "client")
    search_fields = ("a_number", "b_number", "name", "cdr")
    raw_id_fields = ("scheduler", "job")
    # Event URLs typed without a scheme are read as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CallRecord)
class CallRecordAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ("uuid", "task", "a_number", "b_number", "answered", "hangup_cause",
                    "duration", "started_at")  # fmt: skip
    list_filter = ("answered", "client")
    search_fields = ("uuid", "a_number", "b_number")
    raw_id_fields = ("task", "scheduler")
