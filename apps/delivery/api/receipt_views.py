"""``/api/receipts/{attempt_id}/{token}``: vendors' delivery reports about one attempt.

Public like the inbound webhooks (vendors cannot sign in): the token, an HMAC of the attempt
id (``apps.delivery.services.receipts``), is the credential; a wrong one answers 404 like a
missing attempt. When the attempt's provider is Twilio, its ``X-Twilio-Signature`` must be
valid too (``services/twilio_signature.py``); when it is Telnyx with a public key configured,
its ``telnyx-signature-ed25519`` and ``telnyx-timestamp`` (``services/telnyx_signature.py``).
A missing, wrong or stale signature answers 403 and records nothing. Twilio posts its status
callback as a form; Kannel calls the dlr-url with GET and ``?type=%d``; Telnyx posts its fax
webhooks as JSON (``data.event_type``). Both methods are accepted, fields from the query and
the body alike.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.delivery.gateways.sms.receipts import receipt_read
from apps.delivery.models import Attempt
from apps.delivery.services.receipts import attempt_receipt_record, receipt_token_matches
from apps.delivery.services.telnyx_signature import telnyx_webhook_signature_valid
from apps.delivery.services.twilio_signature import callback_signature_valid


class ReceiptSerializer(serializers.Serializer):
    """Twilio's status callback fields, Kannel's report ``type`` or Telnyx's fax event."""

    MessageStatus = serializers.CharField(required=False, help_text="Twilio")
    SmsStatus = serializers.CharField(required=False, help_text="Twilio (older name)")
    ErrorCode = serializers.CharField(required=False, help_text="Twilio, when it failed")
    type = serializers.IntegerField(required=False, help_text="Kannel: 1, 2, 4, 8 or 16")
    data = serializers.JSONField(
        required=False,
        help_text="Telnyx fax webhook (JSON): event_type fax.delivered or fax.failed, "
        "payload.failure_reason",
    )


class ReceiptAnswerSerializer(serializers.Serializer):
    """What the receipt said (``state``) and whether it changed the attempt (``recorded``)."""

    state = serializers.CharField(help_text="delivered, undelivered or pending")
    recorded = serializers.BooleanField(help_text="false for pending or a repeated receipt")


_FORBIDDEN = OpenApiResponse(
    description="Twilio provider: missing or wrong X-Twilio-Signature. Telnyx provider with a "
    "public key: missing, wrong or stale telnyx-signature-ed25519 / telnyx-timestamp."
)


def _signature_check(request, attempt: Attempt) -> None:
    """The vendor's own signature, before DRF parses the body (both sign the raw request)."""
    if not callback_signature_valid(request=request, attempt_id=attempt.id):
        raise PermissionDenied("Invalid X-Twilio-Signature.")
    if not telnyx_webhook_signature_valid(request=request, provider=attempt.provider):
        raise PermissionDenied("Invalid or stale telnyx-signature-ed25519.")


def _fields(request) -> dict:
    body = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
    return {**request.query_params.dict(), **body}


class ReceiptView(APIView):
    """A delivery report: delivered, undelivered (the job and its transmission fail with
    reason ``undelivered``) or not final yet (nothing changes)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=ReceiptSerializer,
        responses={200: ReceiptAnswerSerializer, 403: _FORBIDDEN},
        auth=[],
    )
    def post(self, request, attempt_id, token):
        valid = receipt_token_matches(attempt_id, token)
        attempts = Attempt.objects.select_related("provider")
        attempt = attempts.filter(pk=attempt_id).first() if valid else None
        if attempt is None:
            raise NotFound("Invalid API location or request to non-existing resource.")
        _signature_check(request, attempt)
        receipt = receipt_read(_fields(request))
        if receipt is None:
            raise ValidationError(
                {"MessageStatus": ["Not a delivery receipt: give MessageStatus or type."]}
            )
        recorded = attempt_receipt_record(
            attempt=attempt, state=receipt.state, detail=receipt.detail
        )
        return Response({"state": receipt.state, "recorded": recorded})

    @extend_schema(
        parameters=[OpenApiParameter("type", int, description="Kannel's report type")],
        responses={200: ReceiptAnswerSerializer, 403: _FORBIDDEN},
        auth=[],
    )
    def get(self, request, attempt_id, token):
        return self.post(request, attempt_id, token)
