"""Callbacks face (task-scheduler-api.txt): schedulers, call tasks and call history."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.callbacks import selectors, services
from apps.callbacks.api import serializers as s
from apps.callbacks.api.errors import batch_errors
from apps.callbacks.models import CallTask, TaskScheduler
from apps.core.exceptions import CALLBACKS
from apps.core.permissions import RequiredPermissions, model_permissions

TASK_EXAMPLE = OpenApiExample(
    "Two tasks",
    value={
        "tasks": [
            {
                "name": "call back",
                "a_number": "+15005550001",
                "b_number": "+15005550002",
                "try_count": 3,
                "try_again_pause": "60",
                "url_after": "https://example.com/hooks/after",
                "start_time_utc": "2024-01-15 10:30:00",
                "callback_params": {
                    "caller_id_name": "Shop",
                    "caller_id_number": "+15005550000",
                    "extended_a_numbers": ["+15005550003"],
                },
            },
            {"a_number": "+15005550004", "b_number": "+15005550005", "start_time_utc": 30},
        ]
    },
    request_only=True,
)


class ClientPathMixin:
    """The path's ``client_id`` must be the caller's client (else 404)."""

    api_face = CALLBACKS
    permission_classes = [IsAuthenticated, RequiredPermissions]

    def path_client_id(self) -> int:
        user, client_id = self.request.user, int(self.kwargs["client_id"])
        return selectors.client_of_path(user=user, client_id=client_id).id

    def path_scheduler(self):
        return selectors.scheduler_get(
            client_id=self.path_client_id(), scheduler_id=int(self.kwargs["scheduler_id"])
        )


class TaskSchedulerListView(ClientPathMixin, generics.ListCreateAPIView):
    """``GET/POST /client/{client_id}/task_scheduler/``."""

    serializer_class = s.TaskSchedulerSerializer
    required_permissions = model_permissions("callbacks.taskscheduler")

    queryset = TaskScheduler.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return selectors.scheduler_list(client_id=self.path_client_id())

    def perform_create(self, serializer):
        serializer.save(client_id=self.path_client_id())


class TaskSchedulerDetailView(ClientPathMixin, generics.RetrieveUpdateDestroyAPIView):
    """``GET/PUT/PATCH/DELETE /client/{client_id}/task_scheduler/{scheduler_id}``; DELETE
    answers 409 while one of its calls is in progress."""

    serializer_class = s.TaskSchedulerSerializer
    required_permissions = model_permissions("callbacks.taskscheduler")

    def get_object(self):
        return self.path_scheduler()

    def perform_destroy(self, instance):
        services.task_scheduler_delete(scheduler=instance)


class CallTaskListView(ClientPathMixin, generics.ListAPIView):
    """``GET …/tasks/`` (paged, ``?status=``) and ``POST …/tasks/`` (all or nothing)."""

    serializer_class = s.CallTaskSerializer
    required_permissions = model_permissions("callbacks.calltask")

    queryset = CallTask.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        wanted = self.request.query_params.get("status") or None
        if wanted and wanted not in CallTask.Status.values:
            raise serializers.ValidationError({"status": f"One of {CallTask.Status.values}."})
        return selectors.task_list(scheduler=self.path_scheduler(), status=wanted)

    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=CallTask.Status.values)]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=s.CallTasksInputSerializer,
        responses={201: s.CallTaskSerializer(many=True)},
        examples=[TASK_EXAMPLE],
    )
    def post(self, request, client_id, scheduler_id):
        scheduler = self.path_scheduler()
        data = s.CallTasksInputSerializer(data=request.data)
        if not data.is_valid():
            raise serializers.ValidationError(batch_errors(data.errors))
        with transaction.atomic():
            tasks = services.call_tasks_create(
                scheduler=scheduler, tasks=data.validated_data["tasks"]
            )
        body = s.CallTaskSerializer(tasks, many=True).data
        return Response(body, status=status.HTTP_201_CREATED)


class CallTaskDetailView(ClientPathMixin, generics.RetrieveDestroyAPIView):
    """``GET/DELETE /client/{client_id}/task_scheduler/{scheduler_id}/task/{task_id}``;
    DELETE only while the task has not been executed (409 otherwise)."""

    serializer_class = s.CallTaskSerializer
    required_permissions = model_permissions("callbacks.calltask")

    def get_object(self):
        return selectors.task_get(scheduler=self.path_scheduler(), task_id=self.kwargs["task_id"])

    def perform_destroy(self, instance):
        services.call_task_delete(task=instance)


class CallHistoryView(ClientPathMixin, generics.RetrieveAPIView):
    """``GET /client/{client_id}/call_history/{call_uuid}``: legs, numbers, times, causes."""

    serializer_class = s.CallRecordSerializer
    required_permissions = {"GET": ["callbacks.view_callrecord"]}

    def get_object(self):
        return selectors.call_record_get(
            client_id=self.path_client_id(), call_uuid=self.kwargs["call_uuid"]
        )
