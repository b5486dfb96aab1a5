"""Campaigns API (Comms face "Group Campaign"): CRUD, start/stop and their schedules."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.campaigns import selectors, services
from apps.campaigns.api import serializers as s
from apps.campaigns.api.inputs import campaign_client_id, campaign_fields
from apps.campaigns.filters import CampaignFilter
from apps.core.permissions import RequiredPermissions
from apps.transmissions.api.serializers import ScheduleSerializer
from apps.transmissions.schedule import schedule_time

VIEW, ADD, CHANGE, DELETE = (f"campaigns.{a}_campaign" for a in ("view", "add", "change", "delete"))
TRUE = OpenApiResponse(description="`true`")


class CampaignScopedMixin:
    """Campaigns the caller may see; another client's answers 404 like a missing one."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    serializer_class = s.CampaignSerializer
    lookup_url_kwarg = "campaign_id"
    required_permissions = {"GET": [VIEW], "POST": [ADD], "PUT": [CHANGE], "DELETE": [DELETE]}

    def get_queryset(self):
        return selectors.campaign_list(actor=self.request.user)


class CampaignListView(CampaignScopedMixin, generics.ListAPIView):
    """``GET /api/campaigns`` (filters: campaign_id, group_id, program_id, status, user_id,
    before, after) and ``POST /api/campaigns``."""

    filterset_class = CampaignFilter

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        counters = selectors.campaign_counters(campaign.id for campaign in page)
        context = {**self.get_serializer_context(), "counters": counters}
        return self.get_paginated_response(
            s.CampaignSerializer(page, many=True, context=context).data
        )

    @extend_schema(request=s.CampaignWriteSerializer, responses={200: s.CampaignCreatedSerializer})
    def post(self, request):
        data = s.CampaignWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        client_id = campaign_client_id(request)
        fields = campaign_fields(request, data.validated_data, client_id=client_id, creating=True)
        campaign = services.campaign_create(client_id=client_id, user=request.user, **fields)
        return Response({"campaign_id": campaign.id})


class CampaignDetailView(CampaignScopedMixin, generics.RetrieveAPIView):
    """``GET/PUT/DELETE /api/campaigns/{campaign_id}``; PUT changes only the given fields."""

    @extend_schema(request=s.CampaignWriteSerializer, responses={200: s.CampaignSerializer})
    def put(self, request, campaign_id):
        campaign = self.get_object()
        data = s.CampaignWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = campaign_fields(
            request, data.validated_data, client_id=campaign.client_id, creating=False
        )
        campaign = services.campaign_update(campaign=campaign, **fields)
        return Response(s.CampaignSerializer(campaign).data)

    @extend_schema(responses={200: TRUE})
    def delete(self, request, campaign_id):
        services.campaign_delete(campaign=self.get_object())
        return Response(True)


class _CampaignActionView(CampaignScopedMixin, generics.GenericAPIView):
    """An action on one campaign, by PUT (the spec), GET (ICTCore) or POST; answers ``true``."""

    required_permissions = {m: [CHANGE] for m in ("GET", "PUT", "POST")}
    serializer_class = None
    service = None

    @extend_schema(request=None, responses={200: TRUE})
    def put(self, request, campaign_id):
        self.service(campaign=self.get_object())
        return Response(True)

    @extend_schema(request=None, responses={200: TRUE})
    def get(self, request, campaign_id):
        return self.put(request, campaign_id)

    @extend_schema(request=None, responses={200: TRUE})
    def post(self, request, campaign_id):
        return self.put(request, campaign_id)


class CampaignStartView(_CampaignActionView):
    """``PUT /api/campaigns/{id}/start``: prepare on the first start, then send at ``cpm``;
    a paused campaign resumes. 423 with the reason when running, completed or broken."""

    service = staticmethod(services.campaign_start)


class CampaignStopView(_CampaignActionView):
    """``PUT /api/campaigns/{id}/stop``: pause; jobs not started yet are withdrawn."""

    service = staticmethod(services.campaign_stop)


class CampaignScheduleView(CampaignScopedMixin, generics.GenericAPIView):
    """``POST /api/campaigns/{id}/start/schedule`` and ``…/stop/schedule``: start or stop
    the campaign at a time (``delay``, ``timestamp``, ``datetime`` or cron-like fields)."""

    required_permissions = {m: [CHANGE] for m in ("PUT", "POST")}
    serializer_class = ScheduleSerializer
    action = None

    @extend_schema(request=ScheduleSerializer, responses={200: s.ScheduleCreatedSerializer})
    def post(self, request, campaign_id):
        campaign = self.get_object()  # 404 before the body is judged
        data = ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = services.campaign_schedule_create(
            campaign=campaign, action=self.action,
            run_at=schedule_time(data.validated_data),
        )  # fmt: skip
        return Response({"schedule_id": schedule.id, "run_at": schedule.run_at})

    @extend_schema(request=ScheduleSerializer, responses={200: s.ScheduleCreatedSerializer})
    def put(self, request, campaign_id):
        return self.post(request, campaign_id)


class CampaignScheduleCancelView(CampaignScopedMixin, generics.GenericAPIView):
    """``DELETE /api/campaigns/{id}/schedule``: cancel every schedule that has not run."""

    required_permissions = {m: [CHANGE] for m in ("DELETE", "POST")}
    serializer_class = None

    @extend_schema(request=None, responses={200: TRUE})
    def delete(self, request, campaign_id):
        services.campaign_schedules_cancel(campaign=self.get_object())
        return Response(True)

    @extend_schema(request=None, responses={200: TRUE})
    def post(self, request, campaign_id):
        return self.delete(request, campaign_id)
