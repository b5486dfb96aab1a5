"""Authentication: JWT access and refresh tokens (login, refresh with rotation, logout)."""

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken

from apps.accounts.models import User
from apps.accounts.throttling import (
    login_failure_record,
    login_success_record,
    login_throttle_check,
)

_BAD_CREDENTIALS = "Invalid user name or password."


class AuthenticateSerializer(serializers.Serializer):
    """Login input: ``username`` or ``email`` (``username`` wins if both), and ``password``."""

    username = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    password = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    """Answer of login and refresh: a Bearer access JWT and the refresh token that renews it."""

    token = serializers.CharField(help_text="Access JWT: send as `Authorization: Bearer <token>`.")
    refresh = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the access token lives.")
    token_type = serializers.CharField()


class RefreshSerializer(serializers.Serializer):
    """The refresh token to rotate (refresh) or to blacklist (logout)."""

    refresh = serializers.CharField()


def _tokens(refresh) -> dict:
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    access = str(refresh.access_token)
    return {
        "token": access,
        "access_token": access,
        "refresh": str(refresh),
        "expires_in": int(lifetime.total_seconds()),
        "token_type": "Bearer",
    }


def _user_for(request, identifier: str, by_email: bool, password: str) -> User | None:
    """The active user with these credentials, or None (inactive users are refused)."""
    username = identifier
    if by_email:
        found = User.objects.filter(email__iexact=identifier).only("username").first()
        if found is None:
            return None
        username = found.username
    return authenticate(request, username=username, password=password)


class PublicAuthView(GenericAPIView):
    """No credentials needed; failures still answer 401 (DRF would say 403 without a realm)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request) -> str:
        return 'Bearer realm="fusion"'


class AuthenticateView(PublicAuthView):
    """``POST /api/authenticate`` (or ``/authenticate``) with username or email, and password."""

    serializer_class = AuthenticateSerializer

    @extend_schema(
        tags=["authentication"],
        responses={200: TokenSerializer, 401: OpenApiResponse(description="Bad credentials.")},
    )
    def post(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        identifier = data.validated_data.get("username") or data.validated_data.get("email") or ""
        password = data.validated_data.get("password") or ""
        if not identifier or not password:
            raise AuthenticationFailed("username (or email) and password are required.")
        address = request.META.get("REMOTE_ADDR", "")
        login_throttle_check(identifier=identifier, address=address)
        by_email = not data.validated_data.get("username")
        user = _user_for(request, identifier, by_email, password)
        if user is None:
            login_failure_record(identifier=identifier, address=address)
            raise AuthenticationFailed(_BAD_CREDENTIALS)
        login_success_record(identifier=identifier)
        body = _tokens(RefreshToken.for_user(user))
        body["user_id"] = user.id
        return Response(body)


class RefreshView(PublicAuthView):
    """``POST /api/authenticate/refresh`` ``{"refresh"}``: new tokens; the old refresh is spent."""

    serializer_class = RefreshSerializer

    @extend_schema(tags=["authentication"], responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refresh = RefreshToken(serializer.validated_data["refresh"])
        return Response(_tokens(refresh))


class LogoutView(PublicAuthView):
    """``POST /api/authenticate/logout`` ``{"refresh"}``: blacklists the refresh token."""

    serializer_class = RefreshSerializer

    @extend_schema(tags=["authentication"], responses={200: OpenApiResponse(description="`true`")})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            RefreshToken(serializer.validated_data["refresh"]).blacklist()
        except TokenError as exc:
            raise AuthenticationFailed(str(exc)) from exc
        return Response(True)
