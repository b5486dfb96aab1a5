"""Answer shapes of the Video cases face: ``{"status": 1|0|2, "message", "info"}``.

Builders turn rows into ``info`` dicts; the serializers below only describe them for OpenAPI.
"""

from rest_framework import serializers
from rest_framework.response import Response

from apps.cases.api.serializers import unix_text
from apps.cases.links import join_url_of
from apps.cases.models import Case, CaseMember

SUCCESS, FAIL, WARNING = 1, 0, 2


def answer(message: str, info: dict | None = None, *, status: int = SUCCESS) -> Response:
    """The face's envelope with HTTP 200 (errors go through apps.core.exceptions)."""
    return Response({"status": status, "message": message, "info": info or {}})


def moderator_info(member: CaseMember) -> dict:
    """A moderator as getTask lists it; ``emp_id`` is the user id (as getAuthCode's user_id)."""
    return {
        "emp_id": str(member.user_id),
        "username": member.user.username if member.user else "",
        "name": member.name,
        "email": member.email,
        "business_code": member.business_code,
        "branch_code": member.branch_code,
        "join_url": join_url_of(member),
        "created_at": unix_text(member.created_at),
    }


def customer_info(member: CaseMember) -> dict:
    """A customer (publisher) in the spec's ``customer_*`` names, with its join link."""
    return {
        "customer_title": member.title,
        "customer_name": member.name,
        "customer_id_num": member.id_num,
        "customer_country_code": member.country_code,
        "customer_phone": member.phone,
        "customer_email": member.email,
        "join_url": join_url_of(member),
        "created_at": unix_text(member.created_at),
    }


def case_info(case: Case, members: list[CaseMember]) -> dict:
    """getTask's ``info``: the case's fields in the spec's names, plus its members."""
    return {
        "task_num": case.task_num,
        "business_id": case.business_id,
        "out_task_num": case.out_task_num,
        "out_task_type": case.out_task_type,
        "task_type": case.task_type,
        "task_notify": case.task_notify,
        "task_time": unix_text(case.task_time),
        "task_remark": case.task_remark,
        "branch_code": case.branch_code,
        "business_code": case.business_code,
        "room_type": case.room_type,
        "video": case.video,
        "task_status": case.status,
        "created_by": case.created_by.username if case.created_by else None,
        "created_at": unix_text(case.created_at),
        "updated_at": unix_text(case.updated_at),
        "moderators": [moderator_info(m) for m in members if m.role == m.Role.MODERATOR],
        "customers": [customer_info(m) for m in members if m.role == m.Role.PUBLISHER],
    }


# --- OpenAPI descriptions ------------------------------------------------------------------


class VideoEnvelopeSerializer(serializers.Serializer):
    """The envelope of every Video answer: ``status`` and ``message``; ``info`` varies."""

    status = serializers.IntegerField(help_text="1 success, 0 fail, 2 warning.")
    message = serializers.CharField()


class VideoErrorInfoSerializer(serializers.Serializer):
    """``info`` of an error answer."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Bad field → messages (validation errors only).",
    )


class VideoErrorSerializer(VideoEnvelopeSerializer):
    """An error answer (``status`` 0); a validation error lists the bad fields in ``info``."""

    info = VideoErrorInfoSerializer()


class VideoTaskNumInfoSerializer(serializers.Serializer):
    """``info`` of createBlankTask: the new case's ``task_num``."""

    task_num = serializers.CharField()


class VideoTaskCreatedSerializer(VideoEnvelopeSerializer):
    """Answer of createBlankTask."""

    info = VideoTaskNumInfoSerializer()


class VideoModeratorSerializer(serializers.Serializer):
    """A moderator of a case, with its join link; ``emp_id`` is the user's id."""

    emp_id = serializers.CharField()
    username = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField()
    business_code = serializers.CharField()
    branch_code = serializers.CharField()
    join_url = serializers.URLField()
    created_at = serializers.CharField(help_text="Unix seconds.")


class VideoModeratorAddedInfoSerializer(serializers.Serializer):
    """``info`` of createTaskModerator: the moderator's ``emp_id`` and join link."""

    task_num = serializers.CharField()
    emp_id = serializers.CharField()
    join_url = serializers.URLField()


class VideoModeratorAddedSerializer(VideoEnvelopeSerializer):
    """Answer of createTaskModerator; ``status`` 2 when the user already moderates the case."""

    info = VideoModeratorAddedInfoSerializer()


class VideoCustomerAddedSerializer(serializers.Serializer):
    """One customer of a createTaskPublisher request: its join link, and whether it is new."""

    customer_id_num = serializers.CharField()
    join_url = serializers.URLField()
    added = serializers.BooleanField(help_text="False: already a customer of the case.")
    notified = serializers.BooleanField(help_text="An invitation job was enqueued.")


class VideoPublishersAddedInfoSerializer(serializers.Serializer):
    """``info`` of createTaskPublisher: one entry per customer sent."""

    task_num = serializers.CharField()
    customers = VideoCustomerAddedSerializer(many=True)


class VideoPublishersAddedSerializer(VideoEnvelopeSerializer):
    """Answer of createTaskPublisher; ``status`` 2 when some customers were already in the case."""

    info = VideoPublishersAddedInfoSerializer()


class VideoStatusInfoSerializer(serializers.Serializer):
    """``info`` of updateTaskStatus: the case's status now."""

    task_num = serializers.CharField()
    task_status = serializers.CharField()


class VideoStatusUpdatedSerializer(VideoEnvelopeSerializer):
    """Answer of updateTaskStatus; ``status`` 2 when the case already had that status."""

    info = VideoStatusInfoSerializer()


class VideoCustomerOutSerializer(serializers.Serializer):
    """A customer of a case as getTask lists it, with its join link."""

    customer_title = serializers.CharField()
    customer_name = serializers.CharField()
    customer_id_num = serializers.CharField()
    customer_country_code = serializers.CharField()
    customer_phone = serializers.CharField(help_text="E.164.")
    customer_email = serializers.CharField()
    join_url = serializers.URLField()
    created_at = serializers.CharField(help_text="Unix seconds.")


class VideoTaskInfoSerializer(serializers.Serializer):
    """``info`` of getTask: the case's fields, its moderators and its customers."""

    task_num = serializers.CharField()
    business_id = serializers.IntegerField()
    out_task_num = serializers.CharField()
    out_task_type = serializers.CharField()
    task_type = serializers.CharField()
    task_notify = serializers.BooleanField()
    task_time = serializers.CharField(help_text="Unix seconds.")
    task_remark = serializers.CharField()
    branch_code = serializers.CharField()
    business_code = serializers.CharField()
    room_type = serializers.CharField()
    video = serializers.BooleanField()
    task_status = serializers.CharField(help_text="open, finished or canceled.")
    created_by = serializers.CharField(allow_null=True)
    created_at = serializers.CharField()
    updated_at = serializers.CharField()
    moderators = VideoModeratorSerializer(many=True)
    customers = VideoCustomerOutSerializer(many=True)


class VideoTaskAnswerSerializer(VideoEnvelopeSerializer):
    """Answer of getTask."""

    info = VideoTaskInfoSerializer()


class VideoAuthCodeInfoSerializer(serializers.Serializer):
    """``info`` of getAuthCode: the single-use code, the user it is for, and when it expires."""

    user_id = serializers.IntegerField()
    emp_id = serializers.CharField()
    auth_code = serializers.CharField(help_text="Single use.")
    expires_at = serializers.CharField(help_text="Unix seconds.")
    expires_in = serializers.IntegerField(help_text="Seconds.")


class VideoAuthCodeSerializer(VideoEnvelopeSerializer):
    """Answer of getAuthCode."""

    info = VideoAuthCodeInfoSerializer()


class VideoJoinSerializer(serializers.Serializer):
    """An open case the code's user moderates, with that user's join link."""

    task_num = serializers.CharField()
    task_time = serializers.CharField()
    room_type = serializers.CharField()
    join_url = serializers.URLField()


class VideoRedeemedInfoSerializer(serializers.Serializer):
    """``info`` of redeemAuthCode: the user the code was for and the cases it may join."""

    user_id = serializers.IntegerField()
    emp_id = serializers.CharField()
    username = serializers.CharField()
    name = serializers.CharField()
    cases = VideoJoinSerializer(many=True)


class VideoRedeemedSerializer(VideoEnvelopeSerializer):
    """Answer of redeemAuthCode."""

    info = VideoRedeemedInfoSerializer()
