"""POST /queue/ and /schedule/: one task object each, the batch rules, and their answers."""

import threading

from django.utils import timezone
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from apps.core.fast_validation import FastValidationMixin
from apps.delivery.services.jobs import JobSpec
from apps.jobs.api.serializers.channels import CHANNEL_DATA_SERIALIZERS
from apps.jobs.api.serializers.fields import (
    HeaderMapField,
    HttpUrlField,
    QueueDateTimeField,
    flatten_errors,
)
from apps.jobs.catalog import TASK_CHANNELS, task_kind, task_types_of

MAX_TASKS = 1000
HOOK_FIELDS = ("subscribe", "success_task_handler", "failed_task_handler")


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="TaskData",
        serializers=list(CHANNEL_DATA_SERIALIZERS.values()),
        resource_type_field_name=None,
    )
)
class TaskDataField(serializers.DictField):
    """The channel's ``data`` object; its shape depends on ``task`` (see channels.py)."""


class TaskSerializer(FastValidationMixin, serializers.Serializer):
    """One task of POST /queue/: the catalog pair, its channel ``data`` and delivery options."""

    task = serializers.IntegerField(help_text="1 SMS, 2 Email, 3 Push, 4 Webhook, 6 WhatsApp.")
    task_type = serializers.IntegerField(help_text="Sub-type; see apps/jobs/catalog.py.")
    data = TaskDataField(help_text="The channel's payload; its shape depends on task.")
    # null is "not sent" on every optional field, as for the URLs below.
    log_tag = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=128
    )
    headers = HeaderMapField(
        required=False, allow_null=True, help_text="HTTP headers for webhooks."
    )
    subscribe = HttpUrlField(required=False, allow_blank=True, allow_null=True)
    failed_task_handler = HttpUrlField(required=False, allow_blank=True, allow_null=True)
    success_task_handler = HttpUrlField(required=False, allow_blank=True, allow_null=True)
    override_priority = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2
    )
    retry = serializers.IntegerField(
        required=False, allow_null=True, default=0, min_value=0, max_value=10
    )

    def validate(self, attrs: dict) -> dict:
        kind = task_kind(attrs["task"], attrs["task_type"])
        if kind is None:
            raise serializers.ValidationError(_unknown_pair(attrs["task"], attrs["task_type"]))
        channel = self._channel_serializer(kind.channel)
        channel._context = {"kind": kind, "headers": attrs.get("headers")}  # this task's
        try:
            data = channel.run_validation(attrs["data"])
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"data": error.detail}) from error
        return attrs | {"kind": kind, "payload": channel.payload(data)}

    def _channel_serializer(self, channel: str):
        """One bound data serializer per channel, reused for every task this instance
        validates: binding a serializer's fields costs more than validating them."""
        bound = self.__dict__.setdefault("_channels", {})
        if channel not in bound:
            bound[channel] = CHANNEL_DATA_SERIALIZERS[channel](context={})
        return bound[channel]

    def to_spec(self, data: dict) -> JobSpec:
        """The engine's JobSpec for one task's validated ``data``."""
        kind, priority = data["kind"], data.get("override_priority")
        return JobSpec(
            channel=kind.channel,
            payload=data["payload"],
            priority=kind.priority if priority is None else priority,
            attempts_allowed=(data["retry"] or 0) + 1,  # retry: the tries after the first
            log_tag=data.get("log_tag") or "",
            hooks={name: data[name] for name in HOOK_FIELDS if data.get(name)},
            origin="queue",
            meta={"task": kind.task, "task_type": kind.task_type},
            **self.schedule_options(data),
        )

    def schedule_options(self, data: dict) -> dict:
        return {}


def _unknown_pair(task: int, task_type: int) -> dict:
    if task not in TASK_CHANNELS:
        known = ", ".join(str(t) for t in TASK_CHANNELS)
        return {"task": [f"Unknown task {task}; known tasks: {known}."]}
    known = ", ".join(str(t) for t in task_types_of(task))
    return {"task_type": [f"Unknown task_type {task_type} for task {task}; known: {known}."]}


class ScheduledTaskSerializer(TaskSerializer):
    """One task of POST /schedule/: a task plus its time and window consolidation."""

    sch_time = QueueDateTimeField(help_text="YYYY-MM-DDTHH:MM:SS, UTC (offsets accepted).")
    window_delay = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=100,
        help_text="Window key: while a job of this key waits, new requests join it.",
    )
    override_window = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=False,
        help_text="1: the waiting job takes this time and data.",
    )

    def schedule_options(self, data: dict) -> dict:
        kind = data["kind"]
        # A past time runs at once: "now" keeps it from jumping ahead of older due work.
        run_at = data["sch_time"] if data["sch_time"] > timezone.now() else None
        # Windows are per task and task_type, so one key used for an SMS and an email
        # never merges the two (and an override never puts email data into an SMS job).
        window = data.get("window_delay")
        window_key = f"{kind.task}.{kind.task_type}:{window}" if window else None
        return {
            "run_at": run_at,
            "window_key": window_key,
            "override_window": bool(data["override_window"]),
        }


_per_thread = threading.local()


def _bound_serializer(serializer_class: type[TaskSerializer]) -> TaskSerializer:
    """This thread's instance of ``serializer_class``, kept across requests: binding its
    fields and its channels' (and planning their validation) costs as much as validating a
    dozen tasks, which a one-task OTP request would pay every time. Nothing of a request
    stays on it: each task's channel context is set before that task is validated."""
    instances = _per_thread.__dict__.setdefault("serializers", {})
    if serializer_class not in instances:
        instances[serializer_class] = serializer_class()
    return instances[serializer_class]


def tasks_validate(body, serializer_class: type[TaskSerializer]) -> list[JobSpec]:
    """Validate every task of a request body (array or one object), all or nothing; the
    engine's JobSpecs in input order.

    Errors are keyed ``<index>.<field>`` (``0.data.contact``); any error rejects the batch.
    One serializer instance validates every task (as DRF's ``many=True`` does), and the
    thread keeps it for the next request.
    """
    items = [body] if isinstance(body, dict) else body
    if not isinstance(items, list) or not items:
        raise serializers.ValidationError({"tasks": ["Send a JSON array of tasks or one task."]})
    if len(items) > MAX_TASKS:
        raise serializers.ValidationError(
            {"tasks": [f"At most {MAX_TASKS} tasks per request; got {len(items)}."]}
        )
    serializer, errors, specs = _bound_serializer(serializer_class), {}, []
    for index, item in enumerate(items):
        try:
            specs.append(serializer.to_spec(serializer.run_validation(item)))
        except serializers.ValidationError as error:
            errors |= flatten_errors(error.detail, prefix=str(index))
    if errors:
        raise serializers.ValidationError(errors)
    return specs


class JobIdsSerializer(serializers.Serializer):
    """``{"code": 200, "job_ids": [...]}``: one job id per task, in input order."""

    code = serializers.IntegerField(default=200)
    job_ids = serializers.ListField(child=serializers.UUIDField())


class QueueErrorSerializer(serializers.Serializer):
    """Validation failure: ``{"code": 400, "errors": {"<index>.<field>": [msg]}}``."""

    code = serializers.IntegerField(default=400)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class QueueMessageSerializer(serializers.Serializer):
    """Other errors: ``{"code": N, "message": "..."}`` (a missing job is code 401)."""

    code = serializers.IntegerField()
    message = serializers.CharField()
