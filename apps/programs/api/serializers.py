"""Program shapes: one create serializer per type parameter, one answer shape for all."""

from rest_framework import serializers

from apps.programs.models import Program


class ProgramSerializer(serializers.ModelSerializer):
    """A program: its type and ``data``, the type's parameter (e.g. ``text_id``)."""

    program_id = serializers.IntegerField(source="id", read_only=True)
    parent_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Program
        fields = ["program_id", "name", "type", "parent_id", "data", "created_at"]
        read_only_fields = fields


class ProgramCreateSerializer(serializers.Serializer):
    """``name`` plus the type's parameter (text_id, template_id, document_id, recording_id,
    account_id, or ``text`` for voicetts); ``parent_id`` optional."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    parent_id = serializers.IntegerField(required=False, allow_null=True)
    text_id = serializers.IntegerField(required=False)
    template_id = serializers.IntegerField(required=False)
    document_id = serializers.IntegerField(required=False)
    recording_id = serializers.IntegerField(required=False)
    account_id = serializers.IntegerField(required=False)
    text = serializers.CharField(required=False, max_length=4000)


class ProgramCreatedSerializer(serializers.Serializer):
    """Answer of ``POST /api/programs/{type}``: the new program's id."""

    program_id = serializers.IntegerField()
