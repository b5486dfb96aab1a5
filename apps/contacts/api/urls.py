"""Comms-face routes of contacts and groups (mounted under /api/)."""

from apps.contacts.api import csv_views, views
from apps.core.routing import route

urlpatterns = [
    route("contacts", views.ContactListView.as_view(), name="contact-list"),
    route("contacts/<int:contact_id>", views.ContactDetailView.as_view(), name="contact-detail"),
    route(
        "contacts/<int:contact_id>/link/<int:group_id>",
        views.ContactLinkView.as_view(),
        name="contact-link",
    ),
    route("groups", views.GroupListView.as_view(), name="group-list"),
    # "sample" is no int, so /groups/<int:group_id>/csv could not take it anyway.
    route("groups/sample/csv", csv_views.GroupCsvSampleView.as_view(), name="group-csv-sample"),
    route("groups/<int:group_id>", views.GroupDetailView.as_view(), name="group-detail"),
    route(
        "groups/<int:group_id>/contacts",
        views.GroupContactsView.as_view(),
        name="group-contacts",
    ),
    route("groups/<int:group_id>/csv", csv_views.GroupCsvView.as_view(), name="group-csv"),
]
