"""Health endpoint: no authentication, so load balancers and monitors can call it."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.health import health_report

_Part = inline_serializer("HealthPart", {"status": serializers.CharField()})


class HealthView(APIView):
    """``GET /health/``: 200 when database and broker answer, 503 when either is down.

    Worker and beat heartbeats are reported (ok, stale or missing) but do not fail the
    check: the API keeps accepting work while workers restart.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="health",
        tags=["health"],
        responses={
            200: inline_serializer(
                "Health",
                {
                    "status": serializers.CharField(),
                    "database": _Part,
                    "broker": _Part,
                    "worker": _Part,
                    "beat": _Part,
                },
            ),
            503: OpenApiResponse(description="Database or broker unreachable."),
        },
    )
    def get(self, request):
        report, ready = health_report()
        return Response(report, status=200 if ready else 503)
