"""Back-office pages of contacts and groups: tenant scoping, E.164 on save, member links."""

import pytest

from apps.contacts.models import Contact
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, tenant):
    """A Django test client logged in as a client's admin with back-office access."""
    tenant.settings = {"default_region": "PK"}
    tenant.save()
    client.force_login(UserFactory(client=tenant, roles=["admin"], is_staff=True))
    return client


def test_lists_show_only_the_clients_rows(
    staff_client, make_group, make_contact, tenant, other_tenant
):
    group = make_group("Mine")
    make_contact("+923001234567", first_name="Visible", groups=[group])
    make_contact("+923007654321", first_name="Hidden", client=other_tenant)
    make_group("Their group", client=other_tenant)
    page = staff_client.get("/admin/contacts/contact/").content.decode()
    assert "Visible" in page and "Hidden" not in page and "Their group" not in page
    page = staff_client.get("/admin/contacts/group/").content.decode()
    assert f'href="/admin/contacts/contact/?group={group.id}">1</a>' in page
    assert "Their group" not in page
    filtered = staff_client.get(f"/admin/contacts/contact/?group={group.id}&q=visible")
    assert filtered.status_code == 200 and "Visible" in filtered.content.decode()
    add_page = staff_client.get("/admin/contacts/contact/add/").content.decode()
    assert str(tenant) in add_page and str(other_tenant) not in add_page


def test_saving_a_contact_stores_the_phone_in_e164(staff_client, tenant):
    form = {"client": tenant.id, "first_name": "Ali", "phone": "0300 1234567",
            "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0}  # fmt: skip
    response = staff_client.post("/admin/contacts/contact/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Contact.objects.get().phone == "+923001234567"
    response = staff_client.post("/admin/contacts/contact/add/", {**form, "phone": "12"})
    assert response.status_code == 200 and Contact.objects.count() == 1
