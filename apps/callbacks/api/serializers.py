"""Serializers of the Callbacks face: schedulers, tasks (spec fields) and call history."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rest_framework import serializers

from apps.callbacks.api.fields import (
    HttpUrlField,
    PhoneNumberField,
    StartTimeField,
    UtcTextField,
)
from apps.callbacks.models import CallRecord, CallTask, TaskScheduler


class NullMeansAbsentMixin:
    """Optional fields sent as ``null`` count as not sent: many clients serialise every field
    of their own model, and ``"try_count": null`` means "the default", not an error."""

    def to_internal_value(self, data):
        if isinstance(data, dict) and not hasattr(data, "getlist"):  # JSON objects only
            optional = {name for name, field in self.fields.items() if not field.required}
            data = {k: v for k, v in data.items() if v is not None or k not in optional}
        return super().to_internal_value(data)


class CallbackParamsSerializer(NullMeansAbsentMixin, serializers.Serializer):
    """``callback_params``: caller id shown to A and B, and further A numbers to ring."""

    caller_id_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    caller_id_number = PhoneNumberField(required=False, allow_blank=True)
    extended_a_numbers = serializers.ListField(
        child=PhoneNumberField(), required=False, max_length=20
    )


class CallTaskInputSerializer(NullMeansAbsentMixin, serializers.Serializer):
    """One task of ``POST …/tasks/`` (the spec's request fields)."""

    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    a_number = PhoneNumberField()
    b_number = PhoneNumberField()
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
    start_time_utc = UtcTextField()  # the spec types it integer but shows this format
    create_date_utc = UtcTextField(source="created_at")
    callback_params = serializers.DictField(read_only=True)
    # "" until the task is finished, as ``cdr`` is "" before the call.
    finish_result = serializers.ChoiceField(choices=["", *CallTask.Result.values], read_only=True)

    class Meta:
        model = CallTask
        fields = [
            "id", "scheduler_id", "name", "a_number", "b_number", "extension_id", "try_count",
            "try_again_pause", "url_before", "url_before_again", "url_success", "url_after",
            "start_time_utc", "callback_params", "status", "finish_result", "finish_comment",
            "cdr", "create_date_utc",
        ]  # fmt: skip
        read_only_fields = fields


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
        if start is not None and start == end:  # an empty window would never call anyone
            raise serializers.ValidationError({"hours_end": "Must differ from hours_start."})
        return attrs


class CallRecordSerializer(serializers.ModelSerializer):
    """``GET /client/{client_id}/call_history/{call_uuid}``."""

    call_uuid = serializers.UUIDField(source="uuid", read_only=True)
    task_id = serializers.IntegerField(read_only=True)
    scheduler_id = serializers.IntegerField(read_only=True)
    start_time_utc = UtcTextField(source="started_at")
    answer_time_utc = UtcTextField(source="answered_at")
    end_time_utc = UtcTextField(source="ended_at")
    legs = serializers.JSONField(read_only=True)

    class Meta:
        model = CallRecord
        fields = [
            "call_uuid", "task_id", "scheduler_id", "try_number", "a_number", "b_number",
            "legs", "start_time_utc", "answer_time_utc", "end_time_utc", "answered",
            "hangup_cause", "duration",
        ]  # fmt: skip
        read_only_fields = fields
