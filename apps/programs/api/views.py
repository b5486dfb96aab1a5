"""Programs API (Comms face): list, read, delete, and create per type."""

from django.db.models.deletion import ProtectedError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.tenancy import queryset_for_user
from apps.core.exceptions import Locked
from apps.core.permissions import RequiredPermissions
from apps.programs import services
from apps.programs.api.serializers import (
    ProgramCreatedSerializer,
    ProgramCreateSerializer,
    ProgramSerializer,
)
from apps.programs.filters import ProgramFilter
from apps.programs.models import Program
from apps.programs.types import PROGRAM_TYPES

_P = "programs.{}_program"


class ProgramScopedMixin:
    """Base of the program views: the caller's client's programs (all for global staff)."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    serializer_class = ProgramSerializer
    lookup_url_kwarg = "program_id"
    required_permissions = {
        "GET": [_P.format("view")],
        "POST": [_P.format("add")],
        "PUT": [_P.format("change")],
        "DELETE": [_P.format("delete")],
    }

    def get_queryset(self):
        return queryset_for_user(Program.objects.all(), self.request.user)


class ProgramListView(ProgramScopedMixin, generics.ListAPIView):
    """``GET /api/programs`` (filters: program_id, name, type, user_id, before, after)."""

    filterset_class = ProgramFilter


class ProgramDetailView(ProgramScopedMixin, generics.RetrieveAPIView):
    """``GET/DELETE /api/programs/{program_id}``."""

    @extend_schema(responses={200: OpenApiResponse(description="`true`")})
    def delete(self, request, program_id):
        try:
            services.program_delete(program=self.get_object())
        except ProtectedError as exc:
            raise Locked("The program still has transmissions; delete them first.") from exc
        return Response(True)


class ProgramCreateView(ProgramScopedMixin, generics.GenericAPIView):
    """``POST /api/programs/{type}``: sendsms (text_id), sendemail (template_id), sendfax
    (document_id), voicemessage (recording_id), voicetts (text), receivesms, receivefax,
    receiveemail, faxtoemail, emailtofax (account_id)."""

    serializer_class = ProgramCreateSerializer

    @extend_schema(request=ProgramCreateSerializer, responses={200: ProgramCreatedSerializer})
    def post(self, request, program_type):
        if program_type not in PROGRAM_TYPES:
            raise NotFound(f"Unknown program type {program_type!r}.")
        if request.user.client_id is None:
            raise ValidationError({"client_id": ["Programs belong to a client; sign in as one."]})
        serializer = ProgramCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        program = services.program_create(
            client_id=request.user.client_id, type=program_type, user=request.user,
            **serializer.validated_data,
        )  # fmt: skip
        return Response({"program_id": program.id})
