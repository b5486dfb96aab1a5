"""The Queue face (fusion-queue-api.txt): intake, job management, mapping and consent.

Every view speaks the Queue envelope (``api_face``), needs a JWT and a Django permission,
and sees only the caller's client's rows: another client's job answers like a missing one.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.exceptions import QUEUE
from apps.core.permissions import RequiredPermissions
from apps.jobs import selectors, services
from apps.jobs.api import examples as ex
from apps.jobs.api import serializers as s
from apps.jobs.api.serializers.fields import array_of, flatten_errors
from apps.jobs.api.serializers.management import MAX_IDS

ADD_JOB, VIEW_JOB, CHANGE_JOB = "delivery.add_job", "delivery.view_job", "delivery.change_job"
MAPPING_WRITE = ["jobs.add_keywordmapping", "jobs.change_keywordmapping"]
CONSENT_WRITE = ["jobs.add_whatsappconsent", "jobs.change_whatsappconsent"]
IDEMPOTENCY_HEADER = "Idempotency-Key"
JOB_NOT_FOUND = "Job not found"
TAGS = ["Queue"]

_INVALID = OpenApiResponse(s.QueueErrorSerializer, description="Validation failed.")
_NOT_FOUND = OpenApiResponse(s.QueueMessageSerializer, description='Body `{"code": 401}`.')
_NONE_FOUND = 'None of the jobs is yours: body `{"code": 401, …}` listing them.'
_IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Same key and body: the same job_ids, nothing new. Same key, other body: 409.",
)


class QueueFaceView(APIView):
    """Base of the Queue face's views: envelope, authentication and permissions."""

    api_face = QUEUE
    permission_classes = [IsAuthenticated, RequiredPermissions]
    parser_classes = [JSONParser]  # bodies are JSON arrays and objects, never forms


def caller_client_id(user) -> int:
    """The caller's client: the owner of what the request creates."""
    if user.client_id is None:
        raise ValidationError({"client": ["Your user has no client; jobs belong to a client."]})
    return user.client_id


def items_of(body) -> list:
    """The spec's arrays; one object is read as a one-item array."""
    return body if isinstance(body, list) else [body]


def _status_of(found: dict) -> int:
    """HTTP 404 when none of the requested jobs is the caller's (DESIGN: a missing job is
    body code 401 with status 404); 200 when some were found, the refusals listed."""
    return 200 if found else 404


def idempotency_key_of(request) -> str | None:
    """The ``Idempotency-Key`` header, stripped; None when absent, 400 over 255 characters."""
    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    if len(key) > 255:
        raise ValidationError({IDEMPOTENCY_HEADER: ["At most 255 characters."]})
    return key or None


class EnqueueView(QueueFaceView):
    """``POST /queue/``: tasks to run now, in priority order."""

    required_permissions = {"POST": [ADD_JOB]}
    endpoint = "queue"
    task_serializer = s.TaskSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="queue_enqueue",
        summary="Enqueue tasks to run now",
        parameters=[_IDEMPOTENCY],
        request=array_of(s.TaskSerializer),
        responses={200: s.JobIdsSerializer, 400: _INVALID, 409: s.QueueMessageSerializer},
        examples=ex.QUEUE_EXAMPLES,
    )
    def post(self, request):
        client_id = caller_client_id(request.user)
        key = idempotency_key_of(request)
        fingerprint = ""
        if key:  # the body's hash costs a JSON dump of it: only when a key needs it
            fingerprint = services.body_fingerprint(endpoint=self.endpoint, body=request.data)
            replay = services.idempotent_replay(
                client_id=client_id, key=key, body_sha256=fingerprint
            )
            if replay is not None:  # answered before: no validation, no writes
                return Response({"code": 200, "job_ids": replay})
        specs = s.tasks_validate(request.data, self.task_serializer)
        job_ids = services.queue_submit(
            client_id=client_id,
            endpoint=self.endpoint,
            specs=specs,
            idempotency_key=key,
            body_sha256=fingerprint,
        )
        return Response({"code": 200, "job_ids": job_ids})


class ScheduleView(EnqueueView):
    """``POST /schedule/``: tasks to run at ``sch_time``, with window consolidation."""

    endpoint = "schedule"
    task_serializer = s.ScheduledTaskSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="queue_schedule",
        summary="Schedule tasks for later",
        parameters=[_IDEMPOTENCY],
        request=array_of(s.ScheduledTaskSerializer),
        responses={200: s.JobIdsSerializer, 400: _INVALID, 409: s.QueueMessageSerializer},
        examples=ex.SCHEDULE_EXAMPLES,
    )
    def post(self, request):
        return super().post(request)


class JobInfoView(QueueFaceView):
    """``POST /jobInfo/``: a job's state, attempts and outcome."""

    required_permissions = {"POST": [VIEW_JOB]}

    @extend_schema(
        tags=TAGS,
        operation_id="queue_job_info",
        summary="Get a job",
        request=s.JobInfoRequestSerializer,
        responses={200: s.JobInfoResponseSerializer, 400: _INVALID, 404: _NOT_FOUND},
        examples=ex.JOB_INFO_EXAMPLES,
    )
    def post(self, request):
        body = s.JobInfoRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = selectors.queue_job_detail(user=request.user, job_id=body.validated_data["id"])
        if job is None:
            raise NotFound(JOB_NOT_FOUND)
        return Response({"code": 200, "job": s.JobInfoSerializer(job).data})


class CancelJobView(QueueFaceView):
    """``POST /cancelJob/``: cancel jobs that have not started running."""

    required_permissions = {"POST": [CHANGE_JOB]}

    @extend_schema(
        tags=TAGS,
        operation_id="queue_cancel_jobs",
        summary="Cancel jobs",
        request=s.CancelJobRequestSerializer,
        responses={
            200: s.CancelJobResponseSerializer,
            400: _INVALID,
            404: OpenApiResponse(s.CancelJobResponseSerializer, description=_NONE_FOUND),
        },
        examples=ex.CANCEL_EXAMPLES,
    )
    def post(self, request):
        body = s.CancelJobRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        requested = body.validated_data["job_id"]
        found = selectors.queue_jobs_find(user=request.user, job_ids=requested)
        refused = services.queue_jobs_cancel(requested=requested, found=found)
        if refused:  # the spec's "401": missing, running or finished
            return Response({"code": 401, "job_ids": refused}, status=_status_of(found))
        return Response({"code": 200})


class RescheduleJobView(QueueFaceView):
    """``POST /rescheduleJob/``: move a job that has not been executed yet."""

    required_permissions = {"POST": [CHANGE_JOB]}

    @extend_schema(
        tags=TAGS,
        operation_id="queue_reschedule_job",
        summary="Reschedule a job",
        request=s.RescheduleJobRequestSerializer,
        responses={200: s.CodeSerializer, 400: _INVALID, 404: _NOT_FOUND},
        examples=ex.RESCHEDULE_EXAMPLES,
    )
    def post(self, request):
        body = s.RescheduleJobRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        job = selectors.queue_job_find(user=request.user, job_id=data["job_id"])
        if job is None:
            raise NotFound(JOB_NOT_FOUND)
        if not services.queue_job_reschedule(job=job, run_at=data["resc_at"]):
            message = f"Job can no longer be rescheduled: it is {job.status}."
            return Response({"code": 401, "message": message})
        return Response({"code": 200})


class RetryTaskView(QueueFaceView):
    """``POST /retryTask/``: failed jobs run again two minutes later."""

    required_permissions = {"POST": [CHANGE_JOB]}  # it changes existing jobs, as cancel does

    @extend_schema(
        tags=TAGS,
        operation_id="queue_retry_tasks",
        summary="Retry failed jobs",
        request=array_of(s.RetryItemSerializer),
        responses={
            200: s.RetryResponseSerializer,
            400: _INVALID,
            404: OpenApiResponse(s.RetryResponseSerializer, description=_NONE_FOUND),
        },
        examples=ex.RETRY_EXAMPLES,
    )
    def post(self, request):
        body = s.RetryItemSerializer(data=items_of(request.data), many=True, max_length=MAX_IDS)
        if not body.is_valid():
            raise ValidationError(flatten_errors(body.errors))
        requested = [item["job_id"] for item in body.validated_data]
        found = selectors.queue_jobs_find(user=request.user, job_ids=requested)
        retried, refused = services.queue_jobs_retry(requested=requested, found=found)
        code = 401 if refused else 200  # the spec's "Job not found", as cancelJob answers
        body = {"code": code, "job_ids": retried, "not_retried": refused}
        return Response(body, status=_status_of(found))


class MappingView(QueueFaceView, generics.ListAPIView):
    """``GET /mapping/`` lists the keyword dictionary; ``POST /mapping/`` upserts entries."""

    required_permissions = {"GET": ["jobs.view_keywordmapping"], "POST": MAPPING_WRITE}
    serializer_class = s.MappingSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.mapping_list(user=self.request.user)

    @extend_schema(tags=TAGS, operation_id="queue_mapping_list", summary="List keyword mappings")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        operation_id="queue_mapping_upsert",
        summary="Insert or replace keyword mappings",
        request=array_of(s.MappingItemSerializer),
        responses={200: s.MappingResponseSerializer, 400: _INVALID},
        examples=ex.MAPPING_EXAMPLES,
    )
    def post(self, request):
        client_id = caller_client_id(request.user)
        body = s.MappingItemSerializer(
            data=items_of(request.data), many=True, max_length=s.MAX_MAPPINGS
        )
        if not body.is_valid():
            raise ValidationError(flatten_errors(body.errors))
        entries = [(item["keyword"], item["data"]) for item in body.validated_data]
        keywords = services.mappings_upsert(client_id=client_id, entries=entries)
        return Response({"code": 200, "job_ids": [], "keywords": keywords})


class MappingDetailView(QueueFaceView):
    """``GET /mapping/{keyword}``: one dictionary entry."""

    required_permissions = {"GET": ["jobs.view_keywordmapping"]}

    @extend_schema(
        tags=TAGS,
        operation_id="queue_mapping_get",
        summary="Get a keyword mapping",
        responses={200: s.MappingSerializer, 404: _NOT_FOUND},
    )
    def get(self, request, keyword: str):
        mapping = selectors.mapping_find(user=request.user, keyword=keyword)
        if mapping is None:
            raise NotFound("Keyword not found")
        return Response(s.MappingSerializer(mapping).data)


class UpdateConsentView(QueueFaceView):
    """``POST /update_consent/``: record a WhatsApp opt-in or opt-out for a key."""

    required_permissions = {"POST": CONSENT_WRITE}

    @extend_schema(
        tags=TAGS,
        operation_id="queue_update_consent",
        summary="Update WhatsApp consent",
        request=s.ConsentSerializer,
        responses={200: s.ConsentResponseSerializer, 400: _INVALID},
        examples=ex.CONSENT_EXAMPLES,
    )
    def post(self, request):
        client_id = caller_client_id(request.user)
        body = s.ConsentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        consent = services.consent_record(
            client_id=client_id,
            cache_key=data["cache_key"],
            state=data["type"],
            details=data["details_obj"],
        )
        return Response({"code": 200, "cache_key": consent.cache_key, "state": consent.state})
