"""Serializers of the Callbacks face: schedulers, tasks (spec fields) and call history."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.callbacks.models import CallRecord, CallTask, TaskScheduler

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
URL_FIELDS = ("url_before", "url_before_again", "url_success", "url_after")


def utc_text(value: datetime | None) -> str | None:
    """``YYYY-MM-DD HH:MM:SS`` in UTC (the spec's format)."""
    return value.astimezone(UTC).strftime(TIME_FORMAT) if value else None


@extend_schema_field(OpenApiTypes.STR)
class StartTimeField(serializers.Field):
    """``YYYY-MM-DD HH:MM:SS`` (UTC; an offset is honoured) or a number of seconds from now."""

    default_error_messages = {"invalid": "Use 'YYYY-MM-DD HH:MM:SS' (UTC) or seconds from now."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int | float) or (isinstance(data, str) and _is_number(data)):
            seconds = float(data)
            if seconds < 0 or seconds > 10 * 365 * 86400:
                self.fail("invalid")
            return timezone.now() + timedelta(seconds=seconds)
        parsed = parse_datetime(str(data).strip().replace("T", " ", 1)) if data else None
        if parsed is None:
            self.fail("invalid")
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def to_representation(self, value):
        return utc_text(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class HttpUrlField(serializers.URLField):
    """A URL whose scheme is http or https."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value and not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Only http and https URLs are accepted.")
        return value


class CallbackParamsSerializer(serializers.Serializer):
    caller_id_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    caller_id_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    extended_a_numbers = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=20
    )


class CallTaskInputSerializer(serializers.Serializer):
    """One task of ``POST …/tasks/`` (the spec's request fields)."""

    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    a_number = serializers.CharField(max_length=64)
    b_number = serializers.CharField(max_length=64)
    extension_id = serializers.IntegerField(required=False, allow_null=True)
    try_count = serializers.IntegerField(min_value=1, max_value=50, default=1)
    try_again_pause = serializers.IntegerField(min_value=0, max_value=86400, default=0)
    url_before = HttpUrlField(max_length=2000, required=False, allow_blank=True)
    url_before_again = HttpUrlField(max_length=2000, required=False, allow_blank=True)
    url_success = HttpUrlField(max_length=2000, required=False, allow_blank=True)
    url_after = HttpUrlField(max_length=2000, required=False, allow_blank=True)
    start_time_utc = StartTimeField(required=False)
    callback_params = CallbackParamsSerializer(required=False)


class CallTasksInputSerializer(serializers.Serializer):
    """``{"tasks": [...]}``: one or more tasks."""

    tasks = CallTaskInputSerializer(many=True, allow_empty=False, max_length=1000)


class CallTaskSerializer(serializers.ModelSerializer):
    """A task as the spec answers it."""

    scheduler_id = serializers.IntegerField(read_only=True)
    try_again_pause = serializers.CharField(read_only=True)
    start_time_utc = StartTimeField(read_only=True)
    create_date_utc = serializers.SerializerMethodField()
    callback_params = serializers.JSONField(read_only=True)

    class Meta:
        model = CallTask
        fields = [
            "id", "scheduler_id", "name", "a_number", "b_number", "extension_id", "try_count",
            "try_again_pause", "url_before", "url_before_again", "url_success", "url_after",
            "start_time_utc", "callback_params", "status", "finish_result", "finish_comment",
            "cdr", "create_date_utc",
        ]  # fmt: skip
        read_only_fields = fields

    def get_create_date_utc(self, task) -> str:
        return utc_text(task.created_at)


class TaskSchedulerSerializer(serializers.ModelSerializer):
    """A task scheduler and its pacing."""

    class Meta:
        model = TaskScheduler
        fields = [
            "id", "name", "concurrent_task_limit", "interval", "asr_window", "asr_threshold",
            "asr_delay", "hours_start", "hours_end", "time_zone", "active",
        ]  # fmt: skip

    def validate_time_zone(self, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise serializers.ValidationError("Unknown time zone.") from error
        return value

    def validate(self, attrs):
        start = attrs.get("hours_start", getattr(self.instance, "hours_start", None))
        end = attrs.get("hours_end", getattr(self.instance, "hours_end", None))
        if (start is None) != (end is None):
            raise serializers.ValidationError({"hours_end": "Give both hours or neither."})
        return attrs


class CallRecordSerializer(serializers.ModelSerializer):
    """``GET /client/{client_id}/call_history/{call_uuid}``."""

    call_uuid = serializers.UUIDField(source="uuid", read_only=True)
    task_id = serializers.IntegerField(read_only=True)
    scheduler_id = serializers.IntegerField(read_only=True)
    start_time_utc = serializers.SerializerMethodField()
    answer_time_utc = serializers.SerializerMethodField()
    end_time_utc = serializers.SerializerMethodField()
    legs = serializers.JSONField(read_only=True)

    class Meta:
        model = CallRecord
        fields = [
            "call_uuid", "task_id", "scheduler_id", "try_number", "a_number", "b_number",
            "legs", "start_time_utc", "answer_time_utc", "end_time_utc", "answered",
            "hangup_cause", "duration",
        ]  # fmt: skip
        read_only_fields = fields

    def get_start_time_utc(self, record) -> str | None:
        return utc_text(record.started_at)

    def get_answer_time_utc(self, record) -> str | None:
        return utc_text(record.answered_at)

    def get_end_time_utc(self, record) -> str | None:
        return utc_text(record.ended_at)
