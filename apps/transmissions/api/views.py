"""Transmissions API (Comms face): CRUD, send/retry, schedule, clone, reports."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.core.permissions import RequiredPermissions, model_permissions
from apps.delivery.models import Attempt
from apps.transmissions import selectors, services
from apps.transmissions.api import serializers as s
from apps.transmissions.api.recipients import transmission_fields
from apps.transmissions.filters import SpoolFilter, TransmissionFilter
from apps.transmissions.schedule import schedule_time

_P = "transmissions.{}_transmission"
_TRUE = OpenApiResponse(description="`true`")
_RESULT_KEYS = ("spool_result_id", "spool_id", "type", "name")
_RESULT_QUERY = [
    *(OpenApiParameter(key, OpenApiTypes.STR) for key in _RESULT_KEYS),
    OpenApiParameter("data", OpenApiTypes.STR, description="A part of the data."),
    OpenApiParameter("limit", OpenApiTypes.INT),
    OpenApiParameter("offset", OpenApiTypes.INT),
]


class ResultListMixin:
    """Step results answered as a list: filtered (``results_matching``) and paged."""

    def results_answer(self, rows: list[dict]) -> Response:
        page = self.paginate_queryset(selectors.results_matching(rows, self.request.query_params))
        return self.get_paginated_response(s.ResultSerializer(page, many=True).data)


class TransmissionScopedMixin:
    """Base of the transmission views: the caller's client's rows (all for global staff)."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    serializer_class = s.TransmissionSerializer
    lookup_url_kwarg = "transmission_id"
    required_permissions = model_permissions("transmissions.transmission")

    def get_queryset(self):
        return selectors.transmission_list(actor=self.request.user)


class TransmissionListView(TransmissionScopedMixin, generics.ListAPIView):
    """``GET /api/transmissions`` (filters) and ``POST /api/transmissions``."""

    filterset_class = TransmissionFilter

    @extend_schema(
        request=s.TransmissionWriteSerializer, responses={200: s.TransmissionCreatedSerializer}
    )
    def post(self, request):
        data = s.TransmissionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = transmission_fields(request, data.validated_data, creating=True)
        tx = services.transmission_create(
            client_id=request.user.client_id, user=request.user, **fields
        )
        return Response({"transmission_id": tx.id})


class TransmissionDetailView(TransmissionScopedMixin, generics.RetrieveAPIView):
    """``GET/PUT/DELETE /api/transmissions/{transmission_id}``."""

    @extend_schema(request=s.TransmissionWriteSerializer, responses={200: s.TransmissionSerializer})
    def put(self, request, transmission_id):
        tx = self.get_object()
        data = s.TransmissionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = transmission_fields(request, data.validated_data, creating=False)
        return Response(
            s.TransmissionSerializer(services.transmission_update(transmission=tx, **fields)).data
        )

    @extend_schema(responses={200: _TRUE})
    def delete(self, request, transmission_id):
        services.transmission_delete(transmission=self.get_object())
        return Response(True)


class TransmissionSendView(TransmissionScopedMixin, generics.GenericAPIView):
    """``POST /api/transmissions/{id}/send`` (and ``/retry``): the new spool's id; 423 when
    the transmission is processing, completed or invalid."""

    required_permissions = {"POST": [_P.format("change")], "PUT": [_P.format("change")]}
    serializer_class = s.SpoolIdSerializer

    @extend_schema(request=None, responses={200: s.SpoolIdSerializer})
    def post(self, request, transmission_id):
        spool = services.transmission_send(transmission=self.get_object())
        return Response({"spool_id": spool.id})

    @extend_schema(request=None, responses={200: s.SpoolIdSerializer})
    def put(self, request, transmission_id):
        return self.post(request, transmission_id)


class TransmissionScheduleView(TransmissionScopedMixin, generics.GenericAPIView):
    """``PUT /api/transmissions/{id}/schedule`` (answers ``schedule_id``); ``DELETE`` cancels."""

    required_permissions = {m: [_P.format("change")] for m in ("PUT", "POST", "DELETE")}
    serializer_class = s.ScheduleSerializer

    @extend_schema(
        request=s.ScheduleSerializer, responses={200: OpenApiResponse(description="schedule_id")}
    )
    def put(self, request, transmission_id):
        transmission = self.get_object()  # 404 before the body is judged
        data = s.ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.transmission_schedule(
            transmission=transmission, run_at=schedule_time(data.validated_data)
        )
        return Response({"schedule_id": job.id, "run_at": job.run_at})

    @extend_schema(
        request=s.ScheduleSerializer, responses={200: OpenApiResponse(description="schedule_id")}
    )
    def post(self, request, transmission_id):
        return self.put(request, transmission_id)

    @extend_schema(responses={200: _TRUE})
    def delete(self, request, transmission_id):
        services.transmission_schedule_cancel(transmission=self.get_object())
        return Response(True)


class TransmissionCloneView(TransmissionScopedMixin, generics.GenericAPIView):
    """``GET /api/transmissions/{id}/clone``: a pending copy (send it with /send)."""

    required_permissions = {"GET": [_P.format("add")], "POST": [_P.format("add")]}
    serializer_class = s.TransmissionCreatedSerializer

    def get(self, request, transmission_id):
        clone = services.transmission_clone(transmission=self.get_object(), user=request.user)
        return Response({"transmission_id": clone.id})

    @extend_schema(request=None)
    def post(self, request, transmission_id):
        return self.get(request, transmission_id)


class TransmissionStatusView(TransmissionScopedMixin, generics.GenericAPIView):
    """``GET /api/transmissions/{id}/status``: ``{"status": …}``."""

    serializer_class = s.StatusSerializer

    def get(self, request, transmission_id):
        return Response({"status": selectors.transmission_status(self.get_object())})


class TransmissionDetailReportView(TransmissionScopedMixin, generics.ListAPIView):
    """``GET /api/transmissions/{id}/detail``: its spools (every try)."""

    serializer_class = s.SpoolSerializer
    filterset_class = SpoolFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return Attempt.objects.none()
        tx = get_object_or_404(super().get_queryset(), pk=self.kwargs["transmission_id"])
        return selectors.spools_of(tx)


class TransmissionResultView(ResultListMixin, TransmissionScopedMixin, generics.GenericAPIView):
    """``GET /api/transmissions/{id}/result``: step results of its latest spool."""

    serializer_class = s.ResultSerializer

    @extend_schema(parameters=_RESULT_QUERY, responses={200: s.ResultSerializer(many=True)})
    def get(self, request, transmission_id):
        latest = selectors.spools_of(self.get_object()).last()
        return self.results_answer(selectors.spool_results(latest) if latest else [])


class SpoolScopedMixin:
    """Base of the spool views: tries of Comms jobs the caller may see; ``spool()`` is the
    path's (404 otherwise).
    """

    permission_classes = [IsAuthenticated, RequiredPermissions]
    required_permissions = {"GET": [_P.format("view")]}

    def get_queryset(self):
        return selectors.spool_list(actor=self.request.user)

    def spool(self):
        return get_object_or_404(
            selectors.spool_list(actor=self.request.user), pk=self.kwargs["spool_id"]
        )


class SpoolStatusView(SpoolScopedMixin, generics.GenericAPIView):
    """``GET /api/spools/{spool_id}/status``: initiated, completed or failed."""

    serializer_class = s.StatusSerializer

    def get(self, request, spool_id):
        return Response({"status": selectors.SPOOL_STATUS[self.spool().outcome]})


class SpoolResultView(ResultListMixin, SpoolScopedMixin, generics.GenericAPIView):
    """``GET /api/spools/{spool_id}/result``: the step results of that try."""

    serializer_class = s.ResultSerializer

    @extend_schema(parameters=_RESULT_QUERY, responses={200: s.ResultSerializer(many=True)})
    def get(self, request, spool_id):
        return self.results_answer(selectors.spool_results(self.spool()))
