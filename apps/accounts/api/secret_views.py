"""The caller's client's callback-signing secret: read it, rotate it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.services import client_webhook_secret_rotate
from apps.core.permissions import RequiredPermissions

_PERMISSION = ["accounts.manage_webhook_secret"]


class WebhookSecretSerializer(serializers.Serializer):
    """The secret signing this client's callbacks; ``previous_secret_valid_until`` is when the
    secret it replaced stops signing alongside it (null before the first rotation).
    """

    secret = serializers.CharField(help_text="Standard Webhooks secret (whsec_…).")
    previous_secret_valid_until = serializers.CharField(allow_null=True)


class WebhookSecretView(GenericAPIView):
    """``GET /api/webhook_secret``: the secret that signs this client's callbacks."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    required_permissions = {"GET": _PERMISSION, "POST": _PERMISSION}
    serializer_class = WebhookSecretSerializer

    def _client(self):
        if self.request.user.client is None:
            raise NotFound("This user belongs to no client.")
        return self.request.user.client

    def _answer(self, client):
        until = client.settings.get("previous_webhook_secret_until")
        return Response({"secret": client.webhook_secret, "previous_secret_valid_until": until})

    def get(self, request):
        return self._answer(self._client())


class WebhookSecretRotateView(WebhookSecretView):
    """``POST /api/webhook_secret/rotate``: a new secret; the old one keeps signing (as a second
    signature) for 24 hours, so receivers can switch without losing a callback.
    """

    http_method_names = ["post", "options"]

    @extend_schema(request=None, responses={200: WebhookSecretSerializer})
    def post(self, request):
        return self._answer(client_webhook_secret_rotate(client=self._client()))
