"""CSV import and export of a group's contacts, and the sample file (ICTCore's CSV endpoints).

Unlike ICTCore these need permissions (its bug #17): export needs to view groups and contacts,
import needs to change groups and add contacts.
"""

from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, UnsupportedMediaType, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.contacts import selectors, services
from apps.contacts.api import serializers as s
from apps.contacts.api.views import ADD_C, CHANGE_G, GROUP_ID, VIEW_C, VIEW_G, GroupScopedMixin
from apps.contacts.csv_io import SAMPLE_ROWS, csv_lines
from apps.contacts.filters import GroupContactFilter
from apps.core.permissions import RequiredPermissions

# What a raw CSV body may be sent as; other types answer 415, as in ICTCore.
RAW_CSV_TYPES = {"text/csv", "text/plain", "application/csv"}
CSV_FILE = OpenApiResponse(OpenApiTypes.STR, description="CSV file (attachment).")


class EmptyUpload(APIException):
    """The upload holds no CSV rows (ICTCore answers 411 "Empty file")."""

    status_code = status.HTTP_411_LENGTH_REQUIRED
    default_detail = "Empty file."
    default_code = "empty_file"


class CsvNegotiationMixin:
    """A download is offered whatever the client's Accept header says (e.g. ``text/csv``);
    errors are still JSON."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)


def upload_lines(request) -> Iterator[bytes]:
    """The lines of the uploaded CSV, read lazily: a multipart file (any field name) or the
    raw body (text/csv or text/plain)."""
    if not int(request.META.get("CONTENT_LENGTH") or 0):
        raise EmptyUpload()
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        upload = next(iter(request.FILES.values()), None)
        if upload is None or not upload.size:
            raise EmptyUpload("Empty file: no file uploaded.")
        return iter(upload)
    if media_type not in RAW_CSV_TYPES:
        raise UnsupportedMediaType(media_type, "Unsupported file type: send text/csv.")
    # Read the body line by line from the socket: request.body would load it all at once.
    return iter(request.stream.readline, b"")


@extend_schema(parameters=[GROUP_ID])
class GroupCsvView(CsvNegotiationMixin, GroupScopedMixin, generics.GenericAPIView):
    """``POST /api/groups/{group_id}/csv`` imports, ``GET`` exports (same filters as
    ``/api/contacts``)."""

    required_permissions = {"GET": [VIEW_G, VIEW_C], "POST": [CHANGE_G, ADD_C]}
    # Bodies here may reach FUSION_CSV_MAX_BYTES (apps.core.middleware reads this).
    max_body_bytes_setting = "FUSION_CSV_MAX_BYTES"
    parser_classes = [MultiPartParser]  # a raw text/csv body is streamed, not parsed

    def _group(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["group_id"])

    @extend_schema(
        summary="Import contacts into a group from CSV",
        description=(
            "Columns in order, no header needed: phone, first_name, last_name, email, address, "
            "custom1, custom2, custom3, description (1 to 9 columns; missing trailing ones are "
            "empty). A first row whose first cell has no digit is a header and is skipped. "
            "Send the file as the raw body (text/csv or text/plain) or as a multipart file under "
            "any field name. Bad rows are reported and never stop good ones."
        ),
        request={
            "text/csv": OpenApiTypes.STR,
            "text/plain": OpenApiTypes.STR,
            "multipart/form-data": s.CsvUploadSerializer,
        },
        responses={
            200: s.CsvImportReportSerializer,
            411: OpenApiResponse(description="Empty file."),
            413: OpenApiResponse(description="Larger than FUSION_CSV_MAX_BYTES."),
            415: OpenApiResponse(description="Unsupported content type."),
        },
    )
    def post(self, request, group_id):
        group = self._group()
        report = services.group_csv_import(
            group=group, lines=upload_lines(request), created_by=request.user
        )
        if not report.rows:
            raise EmptyUpload()
        return Response(report.as_dict())

    @extend_schema(
        summary="Export a group's contacts as CSV", responses={(200, "text/csv"): CSV_FILE}
    )
    def get(self, request, group_id):
        group = self._group()
        filters = GroupContactFilter(request.query_params, selectors.group_contacts(group=group))
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        contacts = filters.qs
        response = StreamingHttpResponse(
            csv_lines(selectors.contact_csv_rows(contacts)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="group_{group.id}.csv"'
        return response


class GroupCsvSampleView(CsvNegotiationMixin, generics.GenericAPIView):
    """``GET /api/groups/sample/csv``: a two-row sample of the import format."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    required_permissions = {"GET": [VIEW_G]}

    @extend_schema(summary="Sample CSV file", responses={(200, "text/csv"): CSV_FILE})
    def get(self, request):
        response = HttpResponse("".join(csv_lines(SAMPLE_ROWS)), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="contact_sample.csv"'
        return response
