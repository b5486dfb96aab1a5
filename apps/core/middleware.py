"""Request-level guards that run before any view."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

from apps.core.exceptions import json_error


class BodySizeLimitMiddleware:
    """Answers 413 for bodies over FUSION_MAX_BODY_BYTES, before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.FUSION_MAX_BODY_BYTES:
            return self._too_large(request)
        try:
            return self.get_response(request)
        except RequestDataTooBig:
            return self._too_large(request)

    def _too_large(self, request):
        limit = settings.FUSION_MAX_BODY_BYTES
        return json_error(request, 413, f"Request body is larger than {limit} bytes.")
