"""Providers API (Comms face: "Trunk / Termination Providers")."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.models import Client
from apps.accounts.tenancy import queryset_for_user
from apps.core.permissions import RequiredPermissions, model_permissions
from apps.providers import services
from apps.providers.api.serializers import ProviderCreatedSerializer, ProviderSerializer
from apps.providers.filters import ProviderFilter
from apps.providers.models import Provider


class ProviderScopedMixin:
    """Base of the provider views: the caller's client's providers (all for global staff)."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    serializer_class = ProviderSerializer
    lookup_url_kwarg = "provider_id"
    required_permissions = model_permissions("providers.provider")

    def get_queryset(self):
        return queryset_for_user(Provider.objects.all(), self.request.user)


class ProviderListView(ProviderScopedMixin, generics.ListCreateAPIView):
    """``GET /api/providers`` (filters in the query string) and ``POST /api/providers``."""

    filterset_class = ProviderFilter

    @extend_schema(responses={200: ProviderCreatedSerializer})
    def post(self, request):
        serializer = ProviderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client_id = request.user.client_id or request.data.get("client_id")
        if not client_id or not Client.objects.filter(pk=client_id).exists():
            raise ValidationError({"client_id": ["An existing client id is required."]})
        provider = services.provider_create(client_id=client_id, **serializer.validated_data)
        return Response({"provider_id": provider.id})


class ProviderDetailView(ProviderScopedMixin, generics.RetrieveAPIView):
    """``GET/PUT/DELETE /api/providers/{provider_id}``; PUT changes only given fields."""

    @extend_schema(request=ProviderSerializer, responses={200: ProviderSerializer})
    def put(self, request, provider_id):
        provider = self.get_object()
        serializer = ProviderSerializer(provider, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.provider_update(provider=provider, **serializer.validated_data)
        return Response(ProviderSerializer(provider).data)

    @extend_schema(responses={200: OpenApiResponse(description="`true`")})
    def delete(self, request, provider_id):
        services.provider_delete(provider=self.get_object())
        return Response(True)
