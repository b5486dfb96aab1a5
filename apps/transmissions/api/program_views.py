"""``/api/programs/{program_id}/transmissions``: the shortcut to create and list a program's
transmissions (here, since transmissions build on programs and not the reverse)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from apps.accounts.tenancy import queryset_for_user
from apps.programs.models import Program
from apps.transmissions import services
from apps.transmissions.api import serializers as s
from apps.transmissions.api.recipients import transmission_fields
from apps.transmissions.api.views import TransmissionScopedMixin
from apps.transmissions.filters import TransmissionFilter


class ProgramTransmissionsView(TransmissionScopedMixin, generics.ListAPIView):
    """``GET`` lists the program's transmissions (the same filters as ``/api/transmissions``);
    ``PUT`` (or ``POST``) creates one. Another client's program answers 404, as a missing
    one; the path's program wins over a ``program_id`` in the body."""

    filterset_class = TransmissionFilter
    required_permissions = {
        "GET": ["transmissions.view_transmission"],
        "PUT": ["transmissions.add_transmission"],
        "POST": ["transmissions.add_transmission"],
    }

    def program(self) -> Program:
        programs = queryset_for_user(Program.objects.all(), self.request.user)
        return get_object_or_404(programs, pk=self.kwargs["program_id"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return super().get_queryset().none()
        return super().get_queryset().filter(program=self.program())

    @extend_schema(
        request=s.TransmissionWriteSerializer, responses={200: s.TransmissionCreatedSerializer}
    )
    def put(self, request, program_id):
        program = self.program()
        data = s.TransmissionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = {**data.validated_data, "program_id": program.id}
        fields = transmission_fields(request, wanted, creating=True)
        tx = services.transmission_create(
            client_id=request.user.client_id, user=request.user, **fields
        )
        return Response({"transmission_id": tx.id})

    @extend_schema(
        request=s.TransmissionWriteSerializer, responses={200: s.TransmissionCreatedSerializer}
    )
    def post(self, request, program_id):
        return self.put(request, program_id)
