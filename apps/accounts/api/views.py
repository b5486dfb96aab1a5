"""Users, roles and permissions API (Comms face, ICTCore "User Management")."""

from django.contrib.auth.models import Group
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts import selectors, services
from apps.accounts.api import serializers as s
from apps.accounts.filters import PermissionFilter, RoleFilter, UserFilter
from apps.accounts.tenancy import user_sees_all_clients
from apps.core.exceptions import Locked
from apps.core.permissions import RequiredPermissions

VIEW, ADD, CHANGE, DELETE = (f"accounts.{a}_user" for a in ("view", "add", "change", "delete"))
_DELETED = OpenApiResponse(description="Deleted; the body is `true`.")


class UserScopedMixin:
    """Users the caller may see; another client's user answers 404 like a missing one."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    lookup_url_kwarg = "user_id"

    def get_queryset(self):
        return selectors.user_list(actor=self.request.user)

    def target_user(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["user_id"])


class UserListView(UserScopedMixin, generics.ListCreateAPIView):
    """``GET /api/users`` (filters in the query string) and ``POST /api/users``."""

    required_permissions = {"GET": [VIEW], "POST": [ADD]}
    filterset_class = UserFilter
    serializer_class = s.UserSerializer

    def get_serializer_class(self):
        return s.UserWriteSerializer if self.request.method == "POST" else s.UserSerializer

    @extend_schema(request=s.UserWriteSerializer, responses={200: s.UserCreatedSerializer})
    def post(self, request):
        serializer = s.UserWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client = data.pop("client", None)
        if not user_sees_all_clients(request.user):
            client = request.user.client
        user = services.user_create(client=client, **data)
        return Response({"user_id": user.id})


class UserDetailView(UserScopedMixin, generics.RetrieveUpdateDestroyAPIView):
    """``GET/PUT/DELETE /api/users/{user_id}``; PUT changes only the fields it is given."""

    required_permissions = {"GET": [VIEW], "PUT": [CHANGE], "PATCH": [CHANGE], "DELETE": [DELETE]}
    serializer_class = s.UserSerializer

    @extend_schema(request=s.UserWriteSerializer, responses={200: s.UserSerializer})
    def put(self, request, user_id):
        user = self.target_user()
        serializer = s.UserWriteSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client = data.pop("client", None)
        if client is not None and user_sees_all_clients(request.user):
            data["client"] = client
        services.user_update(user=user, **data)
        return Response(s.UserSerializer(user).data)

    @extend_schema(request=s.UserWriteSerializer, responses={200: s.UserSerializer})
    def patch(self, request, user_id):
        return self.put(request, user_id)

    @extend_schema(responses={200: _DELETED})
    def delete(self, request, user_id):
        user = self.target_user()
        if user.pk == request.user.pk:
            raise Locked("You cannot delete the user you are signed in as.")
        services.user_delete(user=user)
        return Response(True)


class UserPasswordView(UserScopedMixin, generics.GenericAPIView):
    """``PUT /api/users/{user_id}/password`` ``{"password"}``: yourself, or with change_user."""

    serializer_class = s.PasswordSerializer

    @extend_schema(request=s.PasswordSerializer, responses={200: s.UserSerializer})
    def put(self, request, user_id):
        user = self.target_user()
        if user.pk != request.user.pk and not request.user.has_perm(CHANGE):
            raise PermissionDenied()
        serializer = s.PasswordSerializer(data=request.data, context={"user": user})
        serializer.is_valid(raise_exception=True)
        services.user_password_set(user=user, password=serializer.validated_data["password"])
        return Response(s.UserSerializer(user).data)


class UserGrantView(UserScopedMixin, generics.GenericAPIView):
    """Base of the role and permission sub-resources: PUT grants, DELETE revokes."""

    required_permissions = {"PUT": [CHANGE], "DELETE": [CHANGE]}
    serializer_class = s.UserSerializer

    # Subclasses define item() (the role or permission in the URL), grant() and revoke().

    @extend_schema(request=None, responses={200: s.UserSerializer})
    def put(self, request, user_id, **kwargs):
        user, item = self.target_user(), self.item()
        self.grant(user, item)
        return Response(s.UserSerializer(user).data)

    @extend_schema(request=None, responses={200: _DELETED})
    def delete(self, request, user_id, **kwargs):
        user, item = self.target_user(), self.item()
        self.revoke(user, item)
        return Response(True)


class UserRoleView(UserGrantView):
    """``PUT/DELETE /api/users/{user_id}/roles/{role_id}``."""

    def item(self):
        return get_object_or_404(Group, pk=self.kwargs["role_id"])

    def grant(self, user, role):
        services.user_role_add(actor=self.request.user, user=user, role=role)

    def revoke(self, user, role):
        services.user_role_remove(user=user, role=role)


class UserPermissionView(UserGrantView):
    """``PUT/DELETE /api/users/{user_id}/permissions/{permission_id}``."""

    def item(self):
        return get_object_or_404(selectors.permission_list(), pk=self.kwargs["permission_id"])

    def grant(self, user, permission):
        services.user_permission_add(actor=self.request.user, user=user, permission=permission)

    def revoke(self, user, permission):
        services.user_permission_remove(user=user, permission=permission)


class RoleListView(generics.ListAPIView):
    """``GET /api/roles``: the roles, to find ``role_id`` values."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    required_permissions = {"GET": ["auth.view_group"]}
    serializer_class = s.RoleSerializer
    filterset_class = RoleFilter
    queryset = selectors.role_list().prefetch_related("permissions__content_type")


class PermissionListView(generics.ListAPIView):
    """``GET /api/permissions``: the permissions, to find ``permission_id`` values."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    required_permissions = {"GET": ["auth.view_permission"]}
    serializer_class = s.PermissionSerializer
    filterset_class = PermissionFilter
    queryset = selectors.permission_list()
