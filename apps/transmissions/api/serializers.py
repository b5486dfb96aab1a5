"""Transmission and spool shapes of the Comms face."""

from rest_framework import serializers

from apps.core.serializers import UnixTimeField
from apps.transmissions.models import Transmission
from apps.transmissions.selectors import SPOOL_STATUS, transmission_status


class TransmissionSerializer(serializers.ModelSerializer):
    """A transmission as answers show it, including its status (ICTCore omits it; we don't)."""

    transmission_id = serializers.IntegerField(source="id", read_only=True)
    program_id = serializers.IntegerField(read_only=True)
    account_id = serializers.IntegerField(read_only=True, allow_null=True)
    contact_id = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Transmission
        fields = [
            "transmission_id", "title", "program_id", "account_id", "contact_id", "service_flag",
            "origin", "direction", "status", "response", "try_allowed", "try_done", "last_run",
            "campaign_id", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_status(self, tx: Transmission) -> str:
        return transmission_status(tx)


class TransmissionWriteSerializer(serializers.Serializer):
    """Create/update input: ``program_id`` and a recipient (``contact_id``, or ``phone``
    and/or ``email``, which create a contact)."""

    program_id = serializers.IntegerField(required=False)
    contact_id = serializers.IntegerField(required=False)
    phone = serializers.CharField(required=False, max_length=32)
    email = serializers.EmailField(required=False)
    account_id = serializers.IntegerField(required=False)
    title = serializers.CharField(required=False, max_length=255, allow_blank=True)
    try_allowed = serializers.IntegerField(required=False, min_value=1, max_value=11)
    direction = serializers.ChoiceField(required=False, choices=Transmission.Direction.choices)


class TransmissionCreatedSerializer(serializers.Serializer):
    """Answer of creating or cloning a transmission: its id."""

    transmission_id = serializers.IntegerField()


class SpoolIdSerializer(serializers.Serializer):
    """Answer of send and retry: the id of the spool (try) it started."""

    spool_id = serializers.IntegerField()


class ScheduleSerializer(serializers.Serializer):
    """When to send: ``delay`` (seconds), ``timestamp`` (unix), ``datetime``, or the cron-like
    fields year/month/day/hour/minute (numbers or ``*``): the next matching minute."""

    delay = serializers.IntegerField(required=False, min_value=0)
    timestamp = serializers.IntegerField(required=False, min_value=0)
    datetime = serializers.DateTimeField(required=False)
    year = serializers.CharField(required=False)
    month = serializers.CharField(required=False)
    day = serializers.CharField(required=False)
    hour = serializers.CharField(required=False)
    minute = serializers.CharField(required=False)


class SpoolSerializer(serializers.Serializer):
    """One try (an engine attempt)."""

    spool_id = serializers.IntegerField(source="id")
    transmission_id = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    response = serializers.CharField(source="error")
    provider_id = serializers.IntegerField(allow_null=True)
    provider_message_id = serializers.CharField()
    # Unix seconds, as the spec's Spool object ("time_spool: 1518705479").
    time_spool = UnixTimeField(source="job.created_at")
    time_start = UnixTimeField(source="started_at")
    time_connect = UnixTimeField(source="connected_at", allow_null=True)
    time_end = UnixTimeField(source="ended_at", allow_null=True)

    def get_transmission_id(self, attempt) -> int | None:
        return attempt.job.meta.get("transmission_id")

    def get_status(self, attempt) -> str:
        return SPOOL_STATUS[attempt.outcome]


class StatusSerializer(serializers.Serializer):
    """The status of a transmission or a spool."""

    status = serializers.CharField()


class ResultSerializer(serializers.Serializer):
    """One step result of a spool, as ICTCore's spool_result row."""

    spool_result_id = serializers.IntegerField()
    spool_id = serializers.IntegerField()
    type = serializers.CharField()
    name = serializers.CharField()
    data = serializers.CharField()
    date_created = serializers.DateTimeField()
