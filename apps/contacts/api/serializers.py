"""Contact and Group API shapes (the Comms spec's Contact and Group objects, plus ids,
``user_id`` (the creator) and times)."""

from rest_framework import serializers

from apps.contacts.models import Contact, Group
from apps.contacts.phones import InvalidPhone, phone_normalise

_OPTIONAL_TEXT = (
    "first_name", "last_name", "phone", "email", "address",
    "custom1", "custom2", "custom3", "description",
)  # fmt: skip


class ContactSerializer(serializers.ModelSerializer):
    """Read and write a contact; ``phone`` is stored in E.164.

    The context carries ``region``: the region a number without ``+`` is read in.
    """

    contact_id = serializers.IntegerField(source="id", read_only=True)
    # Wider than the stored column: "+1 (202) 555-0199" is accepted and stored shorter.
    phone = serializers.CharField(required=False, allow_blank=True, max_length=64)
    user_id = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)

    class Meta:
        model = Contact
        fields = [
            "contact_id", "first_name", "last_name", "phone", "email", "address",
            "custom1", "custom2", "custom3", "description", "user_id", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def to_internal_value(self, data):
        # ICTCore clients send null for "no value"; it is stored as empty text.
        if isinstance(data, dict):
            data = {k: "" if v is None and k in _OPTIONAL_TEXT else v for k, v in data.items()}
        return super().to_internal_value(data)

    def validate_phone(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return phone_normalise(value, region=self.context["region"])
        except InvalidPhone as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate(self, attrs: dict) -> dict:
        phone = attrs.get("phone", getattr(self.instance, "phone", ""))
        email = attrs.get("email", getattr(self.instance, "email", ""))
        if not (phone or email):
            message = "A contact needs a phone or an email."
            raise serializers.ValidationError({"phone": [message], "email": [message]})
        return attrs


class GroupSerializer(serializers.ModelSerializer):
    """Read and write a group; ``contact_total`` is its current number of contacts."""

    group_id = serializers.IntegerField(source="id", read_only=True)
    contact_total = serializers.IntegerField(read_only=True)
    user_id = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)

    class Meta:
        model = Group
        fields = [
            "group_id", "name", "description", "contact_total", "user_id",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def to_internal_value(self, data):
        if isinstance(data, dict) and data.get("description", "") is None:
            data = {**data, "description": ""}
        return super().to_internal_value(data)


class ContactCreatedSerializer(serializers.Serializer):
    """Answer of ``POST /api/contacts``: the new contact's id."""

    contact_id = serializers.IntegerField()


class GroupCreatedSerializer(serializers.Serializer):
    """Answer of ``POST /api/groups``: the new group's id."""

    group_id = serializers.IntegerField()


class RejectedRowSerializer(serializers.Serializer):
    """A CSV row that was not imported, and why."""

    line = serializers.IntegerField(help_text="Line of the file the row starts on (1-based).")
    reason = serializers.CharField()


class CsvImportReportSerializer(serializers.Serializer):
    """The answer of a CSV import."""

    group_id = serializers.IntegerField()
    imported = serializers.IntegerField(help_text="New contacts added to the group.")
    duplicates = serializers.IntegerField(
        help_text="Rows skipped: their phone (or, without a phone, their email) is already in "
        "the group or earlier in the file."
    )
    rejected = RejectedRowSerializer(many=True, help_text="Bad rows (the first 1000).")
    rejected_total = serializers.IntegerField(help_text="All bad rows.")
    header_skipped = serializers.BooleanField(help_text="The first row was a header.")


class CsvUploadSerializer(serializers.Serializer):
    """Multipart form of a CSV upload: one file, under any field name."""

    file = serializers.FileField()
