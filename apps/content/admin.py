"""Back-office pages of message assets, with download links to their stored files.

Files are served by a view of each page (``…/<id>/download/[<position>/]``), checked against
the admin's own tenant scoping, because MEDIA_ROOT is not published by the web server.
Uploads go through the API (``…/media``), which checks what a file really is.
"""

from django.contrib import admin
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from rest_framework.exceptions import NotFound

from apps.accounts.admin import TenantAdminMixin
from apps.content import selectors
from apps.content.models import Document, Recording, Template, Text


class DownloadAdminMixin(TenantAdminMixin):
    """Adds ``<id>/download/`` and ``<id>/download/<position>/`` to a model's admin pages."""

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_download"
        view = self.admin_site.admin_view(self.download_view)
        return [
            path("<path:object_id>/download/", view, name=name),
            path("<path:object_id>/download/<int:position>/", view, name=f"{name}_part"),
            *super().get_urls(),
        ]

    def download_view(self, request, object_id, position=None):
        asset = self.get_object(request, object_id)
        if asset is None or not self.has_view_permission(request, asset):
            raise Http404("No such asset.")
        try:
            found = self.download_of(asset, position)
        except NotFound as exc:
            raise Http404(str(exc.detail)) from exc
        handle = found.file.storage.open(found.file.name, "rb")
        return FileResponse(handle, as_attachment=True, filename=found.filename,
                            content_type=found.content_type)  # fmt: skip

    def download_of(self, asset, position: int | None) -> selectors.Download:
        raise NotImplementedError

    def download_url(self, asset, position: int | None = None) -> str:
        opts = self.model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}_download"
        if position is None:
            return reverse(name, args=[asset.pk])
        return reverse(f"{name}_part", args=[asset.pk, position])

    def _links(self, asset, parts) -> str:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((self.download_url(asset, p.position), p.name) for p in parts),
        )


@admin.register(Text)
class TextAdmin(TenantAdminMixin, admin.ModelAdmin):
    """SMS texts with their length and segment count (computed on save)."""

    list_select_related = ["client"]
    list_display = ["name", "client", "type", "encoding", "length", "segments", "created_at"]
    list_filter = ["client", "type", "encoding"]
    search_fields = ["name", "description", "data"]
    readonly_fields = ["length", "segments", "created_by", "created_at", "updated_at"]


@admin.register(Template)
class TemplateAdmin(DownloadAdminMixin, admin.ModelAdmin):
    """Email templates with download links to their attachments."""

    list_select_related = ["client"]
    list_display = ["name", "client", "subject", "type", "attachment_links", "created_at"]
    list_filter = ["client", "type"]
    search_fields = ["name", "description", "subject"]
    readonly_fields = ["type", "length", "attachment_links", "created_by", "created_at",
                       "updated_at"]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("attachments")

    @admin.display(description="attachments")
    def attachment_links(self, template: Template) -> str:
        return self._links(template, template.attachments.all()) or "—"

    def download_of(self, asset, position):
        return selectors.template_download(template=asset, part=position)


@admin.register(Document)
class DocumentAdmin(DownloadAdminMixin, admin.ModelAdmin):
    """Fax documents: the joined PDF and the uploaded files, each a download link."""

    list_select_related = ["client"]
    list_display = ["name", "client", "pages", "size", "quality", "file_link", "created_at"]
    list_filter = ["client", "quality"]
    search_fields = ["name", "description"]
    readonly_fields = ["type", "pages", "size", "size_x", "size_y", "file_link", "part_links",
                       "created_by", "created_at", "updated_at"]  # fmt: skip
    exclude = ["file"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("files")

    @admin.display(description="PDF")
    def file_link(self, document: Document) -> str:
        if not document.file:
            return "—"
        return format_html(
            '<a href="{}">{} page(s)</a>', self.download_url(document), document.pages
        )

    @admin.display(description="uploaded files")
    def part_links(self, document: Document) -> str:
        return self._links(document, document.files.all()) or "—"

    def download_of(self, asset, position):
        return selectors.document_download(document=asset, part=position)


@admin.register(Recording)
class RecordingAdmin(DownloadAdminMixin, admin.ModelAdmin):
    """Voice recordings (WAV) with a download link."""

    list_select_related = ["client"]
    list_display = ["name", "client", "length", "sample", "channel", "file_link", "created_at"]
    list_filter = ["client", "sample", "channel"]
    search_fields = ["name", "description"]
    readonly_fields = ["type", "size", "length", "codec", "channel", "sample", "bitrate",
                       "file_link", "created_by", "created_at", "updated_at"]  # fmt: skip
    exclude = ["file"]

    @admin.display(description="WAV")
    def file_link(self, recording: Recording) -> str:
        if not recording.file:
            return "—"
        return format_html('<a href="{}">{} s</a>', self.download_url(recording), recording.length)

    def download_of(self, asset, position):
        return selectors.recording_download(recording=asset)
