"""Paging that keeps the specs' plain JSON arrays: counts and links travel in headers."""

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response


class HeaderLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=`` (default 100, max 1000) and ``?offset=``; body stays a JSON array.

    ``X-Total-Count`` carries the total; ``Link`` points at the next and previous pages.
    """

    default_limit = 100
    max_limit = 1000

    def get_paginated_response(self, data):
        headers = {"X-Total-Count": str(self.count)}
        links = []
        if (next_url := self.get_next_link()) is not None:
            links.append(f'<{next_url}>; rel="next"')
        if (previous_url := self.get_previous_link()) is not None:
            links.append(f'<{previous_url}>; rel="prev"')
        if links:
            headers["Link"] = ", ".join(links)
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema):
        return schema

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == "limit":
                parameter["description"] = "Page size (default 100, max 1000)."
        return parameters
