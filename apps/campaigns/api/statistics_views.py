"""``GET /api/statistics``: counts of the caller's client (ICTCore's Statistics object)."""

from django import forms
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.tenancy import user_sees_all_clients
from apps.campaigns.api.serializers import StatisticsQuerySerializer, StatisticsSerializer
from apps.campaigns.statistics import StatisticsQuery, statistics_of
from apps.core.filters import MomentField


def _client_id(user, wanted: int | None) -> int | None:
    """The caller's client; global staff: the one asked for, else every client (None)."""
    if user_sees_all_clients(user):
        return wanted if wanted is not None else user.client_id
    if user.client_id is None:
        raise PermissionDenied("Statistics belong to a client; sign in as one.")
    if wanted is not None and wanted != user.client_id:
        raise NotFound("No such client.")
    return user.client_id


def _since(text: str | None):
    try:
        return MomentField().to_python(text)
    except forms.ValidationError as error:
        raise ValidationError({"since": error.messages}) from error


class StatisticsView(generics.GenericAPIView):
    """Integer counts for the caller's client; any authenticated user of a client may read
    them. Filters: ``service_flag`` (bit-wise), ``account_type``, ``since``; global staff
    may pass ``client_id`` (without it they get every client's)."""

    permission_classes = [IsAuthenticated]
    serializer_class = StatisticsSerializer

    @extend_schema(parameters=[StatisticsQuerySerializer], responses={200: StatisticsSerializer})
    def get(self, request):
        params = StatisticsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        given = params.validated_data
        query = StatisticsQuery(
            client_id=_client_id(request.user, given.get("client_id")),
            service_flag=given.get("service_flag"),
            account_type=given.get("account_type"),
            since=_since(given.get("since")),
        )
        return Response(statistics_of(query))
