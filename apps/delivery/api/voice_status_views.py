"""``/api/voice/status/{attempt_id}/{token}``: Twilio's call status callbacks for one attempt.

Public like the delivery receipts (Twilio cannot sign in): the token, an HMAC of the attempt
id (``apps.delivery.services.voice_status``), is the credential, together with Twilio's
``X-Twilio-Signature`` when the attempt's provider is Twilio (``services/twilio_signature.py``).
A wrong token or signature answers 403 and records nothing, a valid token of an attempt that
no longer exists 404, a form that is not a status callback 4xx
(412 in the Comms envelope, 415 for a body that is not a form); a recorded (or repeated)
callback answers 204, which is all Twilio needs.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.delivery.services.twilio_signature import callback_signature_valid
from apps.delivery.services.voice_status import (
    STATUSES,
    CallStatusReport,
    attempt_call_status_record,
    voice_status_token_matches,
)


class CallStatusSerializer(serializers.Serializer):
    """The fields of Twilio's call status callback that Fusion keeps (others are ignored)."""

    CallSid = serializers.RegexField(r"^[A-Za-z0-9_-]+$", max_length=64)
    CallStatus = serializers.ChoiceField(choices=STATUSES)
    ParentCallSid = serializers.RegexField(
        r"^[A-Za-z0-9_-]*$", max_length=64, required=False, allow_blank=True
    )
    To = serializers.CharField(max_length=255, required=False, allow_blank=True)
    From = serializers.CharField(max_length=255, required=False, allow_blank=True)
    CallDuration = serializers.IntegerField(min_value=0, max_value=10**7, required=False)
    Timestamp = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="RFC 2822"
    )
    AnsweredBy = serializers.CharField(max_length=32, required=False, allow_blank=True)
    SequenceNumber = serializers.IntegerField(min_value=0, max_value=10**6, required=False)


def _report(data: dict) -> CallStatusReport:
    return CallStatusReport(
        sid=data["CallSid"],
        status=data["CallStatus"],
        parent_sid=data.get("ParentCallSid", ""),
        to=data.get("To", ""),
        from_=data.get("From", ""),
        duration=data.get("CallDuration"),
        timestamp=data.get("Timestamp", ""),
        answered_by=data.get("AnsweredBy", ""),
        sequence=data.get("SequenceNumber"),
    )


class VoiceStatusView(APIView):
    """Records one leg's status (A, an extended A number, or B) on the attempt of its call."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser, MultiPartParser]  # Twilio posts forms

    @extend_schema(
        request={"application/x-www-form-urlencoded": CallStatusSerializer},
        responses={
            204: OpenApiResponse(description="Recorded (or a repeat, ignored)."),
            403: OpenApiResponse(description="Wrong token, or a missing or wrong signature."),
            404: OpenApiResponse(description="No such attempt."),
        },
        auth=[],
        summary="Twilio call status callback (vendor-facing)",
    )
    def post(self, request, attempt_id, token):
        attempt_id = int(attempt_id)  # the route's regex hands over digits as a string
        if not voice_status_token_matches(attempt_id, token):
            raise PermissionDenied("Invalid token.")
        # Before the body is parsed: the signature covers the form fields as Twilio sent them.
        if not callback_signature_valid(request=request, attempt_id=attempt_id):
            raise PermissionDenied("Invalid X-Twilio-Signature.")
        serializer = CallStatusSerializer(data=request.data)
        if not serializer.is_valid():
            raise ValidationError(serializer.errors)
        recorded = attempt_call_status_record(
            attempt_id=attempt_id, report=_report(serializer.validated_data)
        )
        if recorded is None:
            raise NotFound("Invalid API location or request to non-existing resource.")
        return Response(status=204)
