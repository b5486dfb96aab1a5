"""The Video cases face (video-cases-api.txt): cases, moderators, customers, auth codes.

Every view speaks the video envelope (``api_face``) and needs a JWT except redeemAuthCode,
whose single-use code is the credential. Another client's ``task_num`` answers 404 exactly
like a missing one.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from apps.accounts.tenancy import queryset_for_user
from apps.cases import auth_codes, selectors, services
from apps.cases.api import answers as a
from apps.cases.api import examples as ex
from apps.cases.api import serializers as s
from apps.cases.links import join_url_of
from apps.cases.models import CaseMember
from apps.core.exceptions import VIDEO
from apps.core.permissions import RequiredPermissions

FORBIDDEN = "Access to the requested resource is not allowed"
TAGS = ["Video cases"]
_ERRORS = {
    400: OpenApiResponse(a.VideoErrorSerializer, description="A field is missing or invalid."),
    401: OpenApiResponse(a.VideoErrorSerializer, description="No or a bad JWT."),
    403: OpenApiResponse(a.VideoErrorSerializer, description=FORBIDDEN),
    404: OpenApiResponse(a.VideoErrorSerializer, description="Resource Not Found"),
    409: OpenApiResponse(a.VideoErrorSerializer, description="The case is no longer open."),
}


def _responses(ok, *codes: int) -> dict:
    return {200: ok, **{code: _ERRORS[code] for code in codes}}


class VideoPermissions(RequiredPermissions):
    """``RequiredPermissions`` with the spec's 403 message."""

    message = FORBIDDEN


class VideoFaceView(APIView):
    """Base of the face's views: envelope, JWT, permissions, JSON bodies."""

    api_face = VIDEO
    permission_classes = [IsAuthenticated, VideoPermissions]
    parser_classes = [JSONParser]


def validated(serializer_class, data, **context) -> dict:
    """The validated data of ``data`` (``context`` given as keywords); invalid input answers 400."""
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def caller_client_id(user) -> int:
    """The caller's client, which owns what it creates."""
    if user.client_id is None:
        raise ValidationError({"client": ["Your user has no client; cases belong to a client."]})
    return user.client_id


class CreateBlankTaskView(VideoFaceView):
    """``POST /video/createBlankTask``: create a case; answers its ``task_num``."""

    required_permissions = {"POST": ["cases.add_case"]}

    @extend_schema(
        tags=TAGS,
        operation_id="video_createBlankTask",
        summary="Create a case (appointment)",
        request=s.VideoCreateBlankTaskSerializer,
        responses=_responses(a.VideoTaskCreatedSerializer, 400, 401, 403),
        examples=ex.CREATE_BLANK_TASK,
    )
    def post(self, request):
        data = validated(s.VideoCreateBlankTaskSerializer, request.data)
        case = services.case_create(
            client_id=caller_client_id(request.user), created_by=request.user, **data
        )
        return a.answer("success", {"task_num": case.task_num})


def _moderator_user(caller, case, emp_id: str | None):
    """The user ``emp_id`` names in the case's client, or the caller when it is absent."""
    if not emp_id:
        if caller.client_id != case.client_id:
            raise ValidationError({"emp_id": ["Required: you are not a user of this client."]})
        return caller
    user = selectors.client_user_find(client_id=case.client_id, ref=emp_id)
    if user is None:
        raise ValidationError({"emp_id": ["No active user of this client has this id."]})
    return user


class CreateTaskModeratorView(VideoFaceView):
    """``POST /video/createTaskModerator``: make a user of the client a moderator."""

    required_permissions = {"POST": ["cases.add_casemember"]}

    @extend_schema(
        tags=TAGS,
        operation_id="video_createTaskModerator",
        summary="Add a moderator to a case",
        request=s.VideoCreateTaskModeratorSerializer,
        responses=_responses(a.VideoModeratorAddedSerializer, 400, 401, 403, 404, 409),
        examples=ex.CREATE_TASK_MODERATOR,
    )
    def post(self, request):
        data = validated(s.VideoCreateTaskModeratorSerializer, request.data)
        case = selectors.case_get(user=request.user, task_num=data["task_num"])
        user = _moderator_user(request.user, case, data["emp_id"])
        member, created = services.moderator_add(
            case=case,
            user=user,
            business_code=data["business_code"],
            branch_code=data["branch_code"],
        )
        info = {"task_num": case.task_num, "emp_id": str(user.pk), "join_url": join_url_of(member)}
        if created:
            return a.answer("service member success", info)
        return a.answer("The user already moderates this case.", info, status=a.WARNING)


class CreateTaskPublisherView(VideoFaceView):
    """``POST /video/createTaskPublisher``: add customers; with ``task_notify`` each new one is
    invited (SMS, else email) through the engine."""

    required_permissions = {"POST": ["cases.add_casemember"]}

    @extend_schema(
        tags=TAGS,
        operation_id="video_createTaskPublisher",
        summary="Add customers to a case",
        request=s.VideoCreateTaskPublisherSerializer,
        responses=_responses(a.VideoPublishersAddedSerializer, 400, 401, 403, 404, 409),
        examples=ex.CREATE_TASK_PUBLISHER,
    )
    def post(self, request):
        task_num = validated(s.VideoTaskQuerySerializer, _task_num_only(request.data))
        case = selectors.case_get(user=request.user, task_num=task_num["task_num"])
        customers = s.customers_validate(
            request.data, client=case.client, task_notify=case.task_notify
        )
        results = services.publishers_add(case=case, customers=customers)
        info = {"task_num": case.task_num, "customers": [_added(case, *r) for r in results]}
        if all(created for _, created in results):
            return a.answer("customer member success", info)
        message = "Some customers were already in the case; they were left unchanged."
        return a.answer(message, info, status=a.WARNING)


def _task_num_only(data) -> dict:
    return {"task_num": data.get("task_num")} if isinstance(data, dict) else data


def _added(case, member: CaseMember, created: bool) -> dict:
    notified = created and case.task_notify and bool(member.phone or member.email)
    return {
        "customer_id_num": member.id_num,
        "join_url": join_url_of(member),
        "added": created,
        "notified": notified,
    }


class UpdateTaskStatusView(VideoFaceView):
    """``POST /video/updateTaskStatus``: finish or cancel a case. Only a moderator of the case
    or a holder of ``cases.moderate_case`` may (else 403)."""

    @extend_schema(
        tags=TAGS,
        operation_id="video_updateTaskStatus",
        summary="Finish or cancel a case",
        request=s.VideoUpdateTaskStatusSerializer,
        responses=_responses(a.VideoStatusUpdatedSerializer, 400, 401, 403, 404, 409),
        examples=ex.UPDATE_TASK_STATUS,
    )
    def post(self, request):
        data = validated(s.VideoUpdateTaskStatusSerializer, request.data)
        case = selectors.case_get(user=request.user, task_num=data["task_num"])
        if not selectors.user_may_moderate(user=request.user, case=case):
            raise PermissionDenied(FORBIDDEN)
        changed = services.case_status_update(case=case, status=data["task_status"])
        info = {"task_num": case.task_num, "task_status": case.status}
        if changed:
            return a.answer("success", info)
        return a.answer(f"The case is already {case.status}.", info, status=a.WARNING)


def _auth_code_target(caller, ref: str | None):
    """The user a code is for: the caller, or (with ``cases.moderate_case``) another active
    user the caller may see."""
    if not ref or str(ref) in (str(caller.pk), caller.username):
        if caller.client_id is None:
            raise ValidationError({"user_id": ["Required: your user has no client."]})
        return caller
    if not caller.has_perm(selectors.MODERATE_PERMISSION):
        raise PermissionDenied(FORBIDDEN)
    users = queryset_for_user(get_user_model().objects.filter(is_active=True), caller)
    user = selectors.user_by_ref(users.filter(client__isnull=False), ref)
    if user is None:
        raise ValidationError({"user_id": ["No active user of your client has this id."]})
    return user


class GetAuthCodeView(VideoFaceView):
    """``POST /video/getAuthCode``: a short-lived, single-use code for ``user_id`` (default:
    the caller) to join its cases as moderator (see redeemAuthCode)."""

    @extend_schema(
        tags=TAGS,
        operation_id="video_getAuthCode",
        summary="Issue a moderator join code",
        request=s.VideoGetAuthCodeSerializer,
        responses=_responses(a.VideoAuthCodeSerializer, 400, 401, 403),
        examples=ex.GET_AUTH_CODE,
    )
    def post(self, request):
        data = validated(s.VideoGetAuthCodeSerializer, request.data)
        user = _auth_code_target(request.user, data["user_id"])
        code, row = auth_codes.auth_code_issue(user=user, issued_by=request.user)
        info = {
            "user_id": user.pk,
            "emp_id": str(user.pk),
            "auth_code": code,
            "expires_at": s.unix_text(row.expires_at),
            "expires_in": int(auth_codes.auth_code_lifetime().total_seconds()),
        }
        return a.answer("success", info)


class RedeemAuthCodeView(VideoFaceView):
    """``POST /video/redeemAuthCode``: spend a code; answers who it is for and the join links
    of the open cases that user moderates (``task_num``: that case only, else 404)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        operation_id="video_redeemAuthCode",
        summary="Redeem a moderator join code",
        auth=[],
        request=s.VideoRedeemAuthCodeSerializer,
        responses=_responses(a.VideoRedeemedSerializer, 400, 404),
        examples=ex.REDEEM_AUTH_CODE,
    )
    def post(self, request):
        data = validated(s.VideoRedeemAuthCodeSerializer, request.data)
        with transaction.atomic():  # a 404 below gives the code back
            row = auth_codes.auth_code_redeem(code=data["code"])
            memberships = selectors.moderator_memberships(
                user=row.user, task_num=data["task_num"] or None
            )
            if data["task_num"] and not memberships:
                raise NotFound(selectors.NOT_FOUND)
        user = row.user
        info = {
            "user_id": user.pk,
            "emp_id": str(user.pk),
            "username": user.username,
            "name": user.get_full_name(),
            "cases": [_join_of(member) for member in memberships],
        }
        return a.answer("success", info)


def _join_of(member: CaseMember) -> dict:
    case = member.case
    return {
        "task_num": case.task_num,
        "task_time": s.unix_text(case.task_time),
        "room_type": case.room_type,
        "join_url": join_url_of(member),
    }


class GetTaskView(VideoFaceView):
    """``GET /video/getTask?task_num=``: the case, its moderators and customers with their
    join links."""

    required_permissions = {"GET": ["cases.view_case"]}

    @extend_schema(
        tags=TAGS,
        operation_id="video_getTask",
        summary="Read a case with its members",
        parameters=[OpenApiParameter("task_num", str, required=True, description=s.TASK_NUM_HELP)],
        responses=_responses(a.VideoTaskAnswerSerializer, 400, 401, 403, 404),
        examples=ex.GET_TASK,
    )
    def get(self, request):
        data = validated(s.VideoTaskQuerySerializer, request.query_params)
        case = selectors.case_get(user=request.user, task_num=data["task_num"])
        return a.answer("success", a.case_info(case, selectors.case_members(case=case)))
