"""Request-level guards that run before any view."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.urls import Resolver404, resolve

from apps.core.exceptions import json_error


class BodySizeLimitMiddleware:
    """Answers 413 for bodies over FUSION_MAX_BODY_BYTES, before anything reads them.

    A view that takes bigger bodies (CSV uploads) names its own, larger cap as a setting in
    ``max_body_bytes_setting``; it is looked up only for bodies over the general cap.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.FUSION_MAX_BODY_BYTES:
            limit = _view_limit(request) or settings.FUSION_MAX_BODY_BYTES
            if length > limit:
                return self._too_large(request, limit)
        try:
            return self.get_response(request)
        except RequestDataTooBig:
            return self._too_large(request, settings.FUSION_MAX_BODY_BYTES)

    def _too_large(self, request, limit: int):
        return json_error(request, 413, f"Request body is larger than {limit} bytes.")


def _view_limit(request) -> int | None:
    """The body cap the view routed to declares (``max_body_bytes_setting``), if any."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    name = getattr(view_class, "max_body_bytes_setting", None)
    return getattr(settings, name, None) if name else None
