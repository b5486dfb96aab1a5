"""What every message asset endpoint shares: permissions, tenancy, create/read/update/delete.

A concrete view names its model's permission codenames, the selector of visible rows, the
serializer and the services; the Comms envelope comes from apps.core.exceptions.
"""

from collections.abc import Callable

from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.models import Client
from apps.core.permissions import RequiredPermissions


def asset_permissions(model: str, *, media: bool = False) -> dict[str, list[str]]:
    """Django permissions per HTTP method; uploading media changes the asset."""
    perm = "content.{}_" + model
    if media:
        return {"GET": [perm.format("view")], "PUT": [perm.format("change")],
                "POST": [perm.format("change")]}  # fmt: skip
    return {"GET": [perm.format("view")], "POST": [perm.format("add")],
            "PUT": [perm.format("change")], "DELETE": [perm.format("delete")]}  # fmt: skip


def request_client_id(request) -> int:
    """The client a new asset belongs to: the caller's, or ``client_id`` for global staff."""
    client_id = request.user.client_id or request.data.get("client_id")
    try:
        if client_id and Client.objects.filter(pk=int(client_id)).exists():
            return int(client_id)
    except (TypeError, ValueError):
        pass
    raise ValidationError({"client_id": ["An existing client id is required."]})


class AssetScopedMixin:
    """Tenancy (another client's id is a 404) and the permission check (403 first)."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    lookup_url_kwarg: str
    asset_kwarg: str  # how services name the asset: text=, document=, …
    visible: Callable  # staticmethod: a selector (user=) -> QuerySet

    def get_queryset(self):
        return self.visible(user=self.request.user)


class AssetListView(AssetScopedMixin, generics.ListCreateAPIView):
    """``GET`` lists (filters in the query string); ``POST`` answers ``{"<x>_id": N}``."""

    id_key: str
    create: Callable  # staticmethod: a service (client_id=, created_by=, **fields)

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        asset = self.create(
            client_id=request_client_id(request),
            created_by=request.user,
            **serializer.validated_data,
        )
        return Response({self.id_key: asset.id})


class AssetDetailView(AssetScopedMixin, generics.RetrieveAPIView):
    """``GET`` reads; ``PUT`` changes only the given fields; ``DELETE`` answers ``true``."""

    update: Callable  # staticmethod: a service (<asset_kwarg>=, **fields) -> asset
    delete_asset: Callable  # staticmethod: a service (<asset_kwarg>=) -> None

    def put(self, request, *args, **kwargs):
        asset = self.get_object()
        serializer = self.get_serializer(asset, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        asset = self.update(**{self.asset_kwarg: asset}, **serializer.validated_data)
        return Response(self.get_serializer(asset).data)

    def delete(self, request, *args, **kwargs):
        self.delete_asset(**{self.asset_kwarg: self.get_object()})
        return Response(True)
