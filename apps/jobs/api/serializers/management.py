"""Job management: jobInfo, cancelJob, rescheduleJob and retryTask requests and answers."""

from rest_framework import serializers

from apps.delivery.models import Attempt, Job
from apps.jobs.api.serializers.fields import QueueDateTimeField

MAX_IDS = 1000


class JobIdListField(serializers.ListField):
    """Job ids as a list, or one id as a plain string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=64))
        kwargs.setdefault("min_length", 1)
        kwargs.setdefault("max_length", MAX_IDS)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value([data] if isinstance(data, str) else data)


class JobInfoRequestSerializer(serializers.Serializer):
    """``{"id": "<job uuid>"}``."""

    id = serializers.CharField(max_length=64)


class AttemptInfoSerializer(serializers.ModelSerializer):
    """One try of the job, against one provider."""

    provider = serializers.SerializerMethodField()
    started_at = QueueDateTimeField(read_only=True)
    ended_at = QueueDateTimeField(read_only=True)

    class Meta:
        model = Attempt
        fields = [
            "number", "provider", "outcome", "started_at", "ended_at",
            "provider_message_id", "error", "reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_provider(self, attempt: Attempt) -> str | None:
        return attempt.provider.name if attempt.provider else None


class JobInfoSerializer(serializers.ModelSerializer):
    """A job as jobInfo shows it; ``status`` is the engine's vocabulary."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    task = serializers.SerializerMethodField()
    task_type = serializers.SerializerMethodField()
    attempts = AttemptInfoSerializer(many=True, read_only=True)
    error = serializers.CharField(source="last_error", read_only=True)
    run_at = QueueDateTimeField(read_only=True)
    created_at = QueueDateTimeField(read_only=True)
    queued_at = QueueDateTimeField(read_only=True)
    started_at = QueueDateTimeField(read_only=True)
    finished_at = QueueDateTimeField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id", "status", "channel", "task", "task_type", "priority", "run_at",
            "attempts_made", "attempts_allowed", "attempts", "result", "error", "reason",
            "log_tag", "window_hits", "created_at", "queued_at", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_task(self, job: Job) -> int | None:
        return job.meta.get("task")

    def get_task_type(self, job: Job) -> int | None:
        return job.meta.get("task_type")


class JobInfoResponseSerializer(serializers.Serializer):
    """Answer of jobInfo: ``code`` 200 and the job."""

    code = serializers.IntegerField(default=200)
    job = JobInfoSerializer()


class CancelJobRequestSerializer(serializers.Serializer):
    """``{"job_id": ["<uuid>", ...]}`` (one string is accepted too)."""

    job_id = JobIdListField()


class CancelJobResponseSerializer(serializers.Serializer):
    """``{"code": 200}``, or ``{"code": 401, "job_ids": [not cancelled]}``."""

    code = serializers.IntegerField()
    job_ids = serializers.ListField(child=serializers.CharField(), required=False)


class RescheduleJobRequestSerializer(serializers.Serializer):
    """``{"job_id": "<uuid>", "resc_at": "YYYY-MM-DDTHH:MM:SS"}`` (UTC; a past time is now)."""

    job_id = serializers.CharField(max_length=64)
    resc_at = QueueDateTimeField()


class CodeSerializer(serializers.Serializer):
    """``{"code": 200}`` or ``{"code": 401, "message": ...}``."""

    code = serializers.IntegerField()
    message = serializers.CharField(required=False)


class RetryItemSerializer(serializers.Serializer):
    """One job to retry, by its id."""

    job_id = serializers.CharField(max_length=64)


class RetryResponseSerializer(serializers.Serializer):
    """Retried ids under ``job_ids``; the others (missing, not failed) under ``not_retried``;
    ``code`` 401 when there are any."""

    code = serializers.IntegerField(default=200)
    job_ids = serializers.ListField(child=serializers.CharField())
    not_retried = serializers.ListField(child=serializers.CharField())
