"""Campaign shapes of the Comms face (the spec's Campaign object, plus counters)."""

from rest_framework import serializers

from apps.accounts.models import Account
from apps.campaigns.models import CPM_MAX, TRY_MAX, Campaign
from apps.campaigns.selectors import NO_COUNTS, campaign_counters
from apps.campaigns.statistics import FIELDS as STATISTICS_FIELDS


class CounterField(serializers.IntegerField):
    """One of the campaign's counters: from the list's single aggregate (context
    ``counters``), else counted for this campaign alone."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, campaign) -> int:
        counters = self.context.get("counters")
        if counters is None:
            counters = self.context["counters"] = campaign_counters([campaign.id])
        return counters.get(campaign.id, NO_COUNTS)[self.field_name]


class CampaignSerializer(serializers.ModelSerializer):
    """A campaign as answers show it: its fields, ``program_type`` and the counters."""

    campaign_id = serializers.IntegerField(source="id", read_only=True)
    program_id = serializers.IntegerField(read_only=True, allow_null=True)
    group_id = serializers.IntegerField(read_only=True, allow_null=True)
    account_id = serializers.IntegerField(read_only=True, allow_null=True)
    user_id = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)
    program_type = serializers.CharField(source="program.type", read_only=True, allow_null=True)
    contact_total = CounterField(help_text="Transmissions of the campaign (one per contact).")
    contact_done = CounterField(help_text="Transmissions no longer pending.")
    pending = CounterField(help_text="Not tried yet.")
    sent = CounterField(help_text="Tried at least once.")
    succeeded = CounterField(help_text="Completed.")
    failed = CounterField(help_text="Failed (or invalid).")

    class Meta:
        model = Campaign
        fields = [
            "campaign_id", "program_id", "group_id", "account_id", "cpm", "try_allowed",
            "status", "response", "source", "last_run", "next_slot_at", "program_type",
            "contact_total", "contact_done", "pending", "sent", "succeeded", "failed",
            "user_id", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class CampaignWriteSerializer(serializers.Serializer):
    """Create/update input. ``status`` is read-only (ignored if sent); ``account_id`` missing
    or below 1 means the caller's default account."""

    program_id = serializers.IntegerField(required=False)
    group_id = serializers.IntegerField(required=False)
    account_id = serializers.IntegerField(required=False, allow_null=True)
    cpm = serializers.IntegerField(required=False, min_value=1, max_value=CPM_MAX)
    try_allowed = serializers.IntegerField(required=False, min_value=1, max_value=TRY_MAX)
    source = serializers.CharField(required=False, max_length=255, allow_blank=True)
    client_id = serializers.IntegerField(required=False, help_text="Global staff only.")


class CampaignCreatedSerializer(serializers.Serializer):
    """Answer of ``POST /api/campaigns``: the new campaign's id."""

    campaign_id = serializers.IntegerField()


class ScheduleCreatedSerializer(serializers.Serializer):
    """Answer of a start or stop schedule: its id and when it runs."""

    schedule_id = serializers.IntegerField()
    run_at = serializers.DateTimeField()


class StatisticsQuerySerializer(serializers.Serializer):
    """``GET /api/statistics`` filters."""

    service_flag = serializers.IntegerField(required=False, min_value=0)
    account_type = serializers.ChoiceField(required=False, choices=Account.Type.choices)
    since = serializers.CharField(required=False, help_text="Unix seconds or ISO 8601.")
    client_id = serializers.IntegerField(required=False, help_text="Global staff only.")


StatisticsSerializer = type(
    "StatisticsSerializer",
    (serializers.Serializer,),
    {name: serializers.IntegerField() for name in STATISTICS_FIELDS}
    | {"__doc__": "Counts of the caller's client (integers).", "__module__": __name__},
)
