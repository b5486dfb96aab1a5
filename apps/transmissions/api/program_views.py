"""``/api/programs/{program_id}/transmissions``: the shortcut to create and list a program's
transmissions (here, since transmissions build on programs and not the reverse)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from apps.transmissions import services
from apps.transmissions.api import serializers as s
from apps.transmissions.api.recipients import transmission_fields
from apps.transmissions.api.views import TransmissionScopedMixin


class ProgramTransmissionsView(TransmissionScopedMixin, generics.ListAPIView):
    """``GET`` lists the program's transmissions; ``PUT`` (or ``POST``) creates one."""

    required_permissions = {
        "GET": ["transmissions.view_transmission"],
        "PUT": ["transmissions.add_transmission"],
        "POST": ["transmissions.add_transmission"],
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return super().get_queryset().none()
        return super().get_queryset().filter(program_id=self.kwargs["program_id"])

    @extend_schema(
        request=s.TransmissionWriteSerializer, responses={200: s.TransmissionCreatedSerializer}
    )
    def put(self, request, program_id):
        data = s.TransmissionWriteSerializer(data={**request.data, "program_id": program_id})
        data.is_valid(raise_exception=True)
        fields = transmission_fields(request, data.validated_data, creating=True)
        tx = services.transmission_create(
            client_id=request.user.client_id, user=request.user, **fields
        )
        return Response({"transmission_id": tx.id})

    @extend_schema(
        request=s.TransmissionWriteSerializer, responses={200: s.TransmissionCreatedSerializer}
    )
    def post(self, request, program_id):
        return self.put(request, program_id)
