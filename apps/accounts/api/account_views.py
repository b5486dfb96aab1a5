"""Accounts API (Comms face "User account / Email / DID / Extension")."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts import selectors, services
from apps.accounts.api.account_serializers import (
    AccountCreatedSerializer,
    AccountSerializer,
    SettingValueSerializer,
)
from apps.accounts.filters import AccountFilter
from apps.accounts.models import Account
from apps.accounts.tenancy import queryset_for_user
from apps.core.permissions import RequiredPermissions, model_permissions

_P = "accounts.{}_account"
_TRUE = OpenApiResponse(description="`true`")


class AccountScopedMixin:
    """Base of the account views: accounts the caller may see (its client's; all for global staff).

    DELETE asks ``change_account``: clearing an owner or a setting changes the account; the
    detail view, which deletes it, asks ``delete_account``.
    """

    permission_classes = [IsAuthenticated, RequiredPermissions]
    serializer_class = AccountSerializer
    lookup_url_kwarg = "account_id"
    required_permissions = model_permissions("accounts.account", DELETE=[_P.format("change")])

    def get_queryset(self):
        return queryset_for_user(Account.objects.all(), self.request.user)

    def client_id(self) -> int:
        if self.request.user.client_id is None:
            raise ValidationError({"client_id": ["Accounts belong to a client; sign in as one."]})
        return self.request.user.client_id

    def answer(self, account) -> Response:
        return Response(AccountSerializer(account).data)


class AccountListView(AccountScopedMixin, generics.ListCreateAPIView):
    """``GET /api/accounts`` (filters in the query string) and ``POST /api/accounts``."""

    filterset_class = AccountFilter

    @extend_schema(responses={200: AccountCreatedSerializer})
    def post(self, request):
        client_id = self.client_id()
        serializer = AccountSerializer(data=request.data, context={"client_id": client_id})
        serializer.is_valid(raise_exception=True)
        account = services.account_create(
            client=request.user.client, owner=request.user, **serializer.validated_data
        )
        return Response({"account_id": account.id})


class AccountDetailView(AccountScopedMixin, generics.RetrieveAPIView):
    """``GET/PUT/DELETE /api/accounts/{account_id}``; PUT merges ``settings``."""

    required_permissions = {
        **AccountScopedMixin.required_permissions,
        "DELETE": [_P.format("delete")],
    }

    @extend_schema(request=AccountSerializer, responses={200: AccountSerializer})
    def put(self, request, account_id):
        account = self.get_object()
        serializer = AccountSerializer(
            account, data=request.data, partial=True, context={"client_id": account.client_id}
        )
        serializer.is_valid(raise_exception=True)
        return self.answer(services.account_update(account=account, **serializer.validated_data))

    @extend_schema(responses={200: _TRUE})
    def delete(self, request, account_id):
        services.account_delete(account=self.get_object())
        return Response(True)


class AccountOwnerView(AccountScopedMixin, generics.GenericAPIView):
    """``PUT /api/accounts/{id}/users/{user_id}``: another user of the client owns it now."""

    @extend_schema(request=None, responses={200: AccountSerializer})
    def put(self, request, account_id, user_id):
        account = self.get_object()
        owner = get_object_or_404(
            selectors.user_list(actor=request.user), pk=user_id, client_id=account.client_id
        )
        return self.answer(services.account_owner_set(account=account, owner=owner))


class AccountOwnerClearView(AccountScopedMixin, generics.GenericAPIView):
    """``DELETE /api/accounts/{id}/users``: the account belongs to nobody (free to assign)."""

    @extend_schema(request=None, responses={200: AccountSerializer})
    def delete(self, request, account_id):
        return self.answer(services.account_owner_set(account=self.get_object(), owner=None))


class AccountSettingView(AccountScopedMixin, generics.GenericAPIView):
    """``GET/PUT/DELETE /api/accounts/{id}/settings/{name}``; GET answers ``{"value": …}``."""

    serializer_class = SettingValueSerializer

    @extend_schema(responses={200: SettingValueSerializer})
    def get(self, request, account_id, name):
        account = self.get_object()
        if name not in account.settings:
            raise NotFound(f"Setting {name!r} not found.")
        return Response({"value": account.settings[name]})

    @extend_schema(request=SettingValueSerializer, responses={200: AccountSerializer})
    def put(self, request, account_id, name):
        account = self.get_object()  # 404 before the body is judged
        serializer = SettingValueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = serializer.validated_data["value"]
        return self.answer(services.account_setting_set(account=account, name=name, value=value))

    @extend_schema(request=None, responses={200: AccountSerializer})
    def delete(self, request, account_id, name):
        return self.answer(services.account_setting_delete(account=self.get_object(), name=name))
