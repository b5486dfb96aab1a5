"""Fixtures of the contacts tests: groups and contacts made through the services."""

import pytest

from apps.contacts import services


@pytest.fixture
def make_group(tenant):
    def make(name: str = "Customers", client=None, **fields):
        return services.group_create(client_id=(client or tenant).id, name=name, **fields)

    return make


@pytest.fixture
def make_contact(tenant):
    def make(phone: str = "", client=None, groups=(), **fields):
        contact = services.contact_create(client_id=(client or tenant).id, phone=phone, **fields)
        for group in groups:
            services.contact_link(contact=contact, group=group)
        return contact

    return make


def post_csv(api, group_id: int, body: bytes | str, content_type: str = "text/csv"):
    """POST a raw CSV body to a group's import endpoint."""
    data = body.encode() if isinstance(body, str) else body
    return api.generic("POST", f"/api/groups/{group_id}/csv", data, content_type=content_type)
