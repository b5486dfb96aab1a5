"""Error types and the one API exception handler that speaks each face's envelope.

Each view names its face with ``api_face`` (default ``comms``); see DESIGN.md §3:

- Comms: HTTP status as the ICTCore spec lists (412 for validation), body
  ``{"error": {"code": N, "message": "...", "fields": {...}}}``.
- Queue: validation is HTTP 400 ``{"code": 400, "errors": {field: [msg]}}``; a missing job is
  HTTP 404 with body code 401, as that spec says; other errors ``{"code": N, "message": ...}``.
- Video: ``{"status": 0, "message": ..., "info": {}}`` with the HTTP status of the error.
- Callbacks: ``{"detail": ..., "errors": {...}}`` with a plain HTTP status (400 for validation).
"""

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework_simplejwt.exceptions import TokenError

logger = logging.getLogger(__name__)

COMMS, QUEUE, CALLBACKS, VIDEO = "comms", "queue", "callbacks", "video"
QUEUE_PATHS = ("/queue", "/schedule", "/jobInfo", "/cancelJob", "/rescheduleJob", "/retryTask",
               "/mapping", "/update_consent")  # fmt: skip


class Locked(exceptions.APIException):
    """The action is not allowed in the resource's current state (Comms: 423)."""

    status_code = status.HTTP_423_LOCKED
    default_detail = "System is not ready to perform the requested action."
    default_code = "locked"


class Conflict(exceptions.APIException):
    """The request conflicts with an earlier one (e.g. a reused idempotency key)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"


def _field_errors(detail) -> dict | None:
    """Field → list of messages, when the error is about named fields."""
    if isinstance(detail, dict) and "detail" not in detail:
        return {str(key): _as_list(value) for key, value in detail.items()}
    return None


def _as_list(value) -> list:
    if isinstance(value, list):
        return [item if isinstance(item, dict | list) else str(item) for item in value]
    if isinstance(value, dict):
        return [value]
    return [str(value)]


def _flatten(detail, prefix: str = "") -> list[str]:
    """Readable "field: message" lines out of DRF's nested error detail."""
    if isinstance(detail, dict):
        if "detail" in detail and not prefix:
            return [str(detail["detail"])]
        lines = []
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            lines.extend(_flatten(value, "" if key == "non_field_errors" else name))
        return lines
    if isinstance(detail, list):
        return [line for item in detail for line in _flatten(item, prefix)]
    return [f"{prefix}: {detail}" if prefix else str(detail)]


def error_message(detail) -> str:
    """One sentence that names every bad field."""
    return "; ".join(_flatten(detail)) or "Error."


def _comms_body(code: int, http_status: int, detail) -> tuple[dict, int]:
    error = {"code": code, "message": error_message(detail)}
    fields = _field_errors(detail)
    if fields:
        error["fields"] = fields
    return {"error": error}, code


def _queue_body(code: int, http_status: int, detail) -> tuple[dict, int]:
    if http_status == 400 and _field_errors(detail):
        return {"code": 400, "errors": _field_errors(detail)}, 400
    body_code = 401 if http_status == 404 else http_status
    return {"code": body_code, "message": error_message(detail)}, http_status


def _video_body(code: int, http_status: int, detail) -> tuple[dict, int]:
    info = {"errors": _field_errors(detail)} if _field_errors(detail) else {}
    return {"status": 0, "message": error_message(detail), "info": info}, http_status


def _callbacks_body(code: int, http_status: int, detail) -> tuple[dict, int]:
    body = {"detail": error_message(detail)}
    if _field_errors(detail):
        body["errors"] = _field_errors(detail)
    return body, http_status


_ENVELOPES: dict[str, Callable] = {
    COMMS: _comms_body,
    QUEUE: _queue_body,
    VIDEO: _video_body,
    CALLBACKS: _callbacks_body,
}


def error_body(face: str, http_status: int, detail) -> tuple[dict, int]:
    """The (body, HTTP status) a face answers for an error of ``http_status``."""
    code = http_status
    if face == COMMS and http_status == 400:
        code = status.HTTP_412_PRECONDITION_FAILED
    return _ENVELOPES.get(face, _comms_body)(code, http_status, detail)


def face_of_path(path: str) -> str:
    """Which face a URL belongs to, for errors raised outside a view (404 routes, 413)."""
    if path.startswith("/video"):
        return VIDEO
    if path.startswith("/client/"):
        return CALLBACKS
    if path.startswith(QUEUE_PATHS):
        return QUEUE
    return COMMS


def api_exception_handler(exc, context):
    """DRF exception handler: every error in its face's envelope, never a bare 500."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, TokenError):  # a spent, blacklisted or malformed refresh token
        exc = exceptions.AuthenticationFailed(str(exc))
    response = drf_exception_handler(exc, context)
    face = getattr(context.get("view"), "api_face", COMMS)
    if response is None:
        logger.exception("unhandled API error", exc_info=exc)
        body, code = error_body(face, 500, "Internal server error. Try again at a later time.")
        return Response(body, status=code)
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    body, code = error_body(face, response.status_code, detail)
    response.data = body
    response.status_code = code
    return response


def json_error(request, http_status: int, message: str) -> JsonResponse:
    """An error answer for code outside DRF views (URL resolver, middleware)."""
    body, code = error_body(face_of_path(request.path), http_status, message)
    return JsonResponse(body, status=code)


def not_found_view(request, exception=None):
    """handler404: unknown routes answer JSON in the face's envelope."""
    return json_error(request, 404, "Invalid API location or request to non-existing resource.")


def server_error_view(request):
    """handler500: JSON, never an HTML stack page."""
    return json_error(request, 500, "Internal server error. Try again at a later time.")
