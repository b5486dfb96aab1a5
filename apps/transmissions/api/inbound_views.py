"""Providers' inbound webhooks: ``/api/inbound/{provider_id}/{token}/sms|email|fax``.

Vendors cannot sign in, so there is no JWT here: the token in the URL (an HMAC of the
provider id, see ``apps.providers.inbound``) is the credential, and a wrong one answers 404
exactly like an unknown provider. The message goes to the account of the provider's client
whose receiving program matches (``apps.transmissions.inbound``).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.routing import route
from apps.providers.inbound import provider_inbound_token_matches
from apps.providers.models import Provider
from apps.transmissions.api import inbound_serializers as s
from apps.transmissions.inbound import transmission_receive


class InboundAnswerSerializer(serializers.Serializer):
    """Answer of an inbound webhook: the transmission that recorded the message, its status."""

    transmission_id = serializers.IntegerField()
    status = serializers.CharField(help_text="completed, or failed (see the transmission).")


def _provider(provider_id: int, token: str) -> Provider:
    """The active provider the URL names; 404 for a wrong token, as for a missing id."""
    provider = Provider.objects.select_related("client").filter(pk=provider_id).first()
    valid = provider_inbound_token_matches(provider_id, token)
    if provider is None or not provider.active or not valid:
        raise NotFound("Invalid API location or request to non-existing resource.")
    return provider


class InboundView(APIView):
    """Base of the three webhooks: authenticate by token, read the body, receive."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class: type[serializers.Serializer]

    def post(self, request, provider_id, token):
        provider = _provider(provider_id, token)
        body = self.serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        tx = transmission_receive(provider=provider, message=body.message())
        return Response({"transmission_id": tx.id, "status": tx.status})


def _documented(serializer, summary: str):
    return extend_schema(
        request=serializer, responses={200: InboundAnswerSerializer}, summary=summary, auth=[]
    )


class InboundSmsView(InboundView):
    """A received SMS (Twilio's form, or JSON ``{from, to, text}``) for a receivesms program
    of the account whose phone is ``To``."""

    serializer_class = s.InboundSmsSerializer

    @_documented(s.InboundSmsSerializer, "Receive an SMS (provider webhook)")
    def post(self, request, provider_id, token):
        return super().post(request, provider_id, token)


class InboundEmailView(InboundView):
    """A received email for the receiveemail program of the account whose email is ``to``,
    or the emailtofax program of the account whose email is ``from``."""

    serializer_class = s.InboundEmailSerializer

    @_documented(s.InboundEmailSerializer, "Receive an email (provider webhook)")
    def post(self, request, provider_id, token):
        return super().post(request, provider_id, token)


class InboundFaxView(InboundView):
    """A received fax (a PDF) for the receivefax or faxtoemail program of the account whose
    phone is ``to``."""

    serializer_class = s.InboundFaxSerializer

    @_documented(s.InboundFaxSerializer, "Receive a fax (provider webhook)")
    def post(self, request, provider_id, token):
        return super().post(request, provider_id, token)


_BASE = "inbound/<int:provider_id>/<str:token>"

urlpatterns = [
    route(f"{_BASE}/sms", InboundSmsView.as_view(), name="inbound-sms"),
    route(f"{_BASE}/email", InboundEmailView.as_view(), name="inbound-email"),
    route(f"{_BASE}/fax", InboundFaxView.as_view(), name="inbound-fax"),
]
