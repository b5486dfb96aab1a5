"""Groups API: CRUD, contact_total, applied list filters (ICTCore bug #14), a group's contacts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.contacts.models import Contact, Group, Membership

pytestmark = pytest.mark.django_db


def test_create_read_update_delete(admin_api, admin_user, tenant, make_contact):
    response = admin_api.post("/api/groups/", {"name": "VIP", "description": "best"}, "json")
    assert response.status_code == 200
    group_id = response.json()["group_id"]
    group = Group.objects.get(pk=group_id)
    assert (group.client, group.created_by, group.name) == (tenant, admin_user, "VIP")
    make_contact("+923001234567", groups=[group])
    body = admin_api.get(f"/api/groups/{group_id}").json()
    assert body["group_id"] == group_id and body["contact_total"] == 1
    assert body["user_id"] == admin_user.id
    response = admin_api.put(f"/api/groups/{group_id}", {"name": "VVIP"}, format="json")
    assert response.json()["name"] == "VVIP" and response.json()["description"] == "best"
    assert response.json()["contact_total"] == 1
    assert admin_api.delete(f"/api/groups/{group_id}").json() is True
    assert not Group.objects.exists() and not Membership.objects.exists()
    assert Contact.objects.count() == 1  # contacts outlive their groups


def test_name_is_required(admin_api):
    for body in ({}, {"name": ""}, {"description": "no name"}):
        response = admin_api.post("/api/groups", body, format="json")
        assert response.status_code == 412 and "name" in response.json()["error"]["fields"]
    assert not Group.objects.exists()


def test_contact_total_follows_links_deletes_and_imports(admin_api, make_contact, make_group):
    group = make_group()
    first = make_contact("+923001234567", groups=[group])
    make_contact("+923007654321", groups=[group])
    admin_api.generic("POST", f"/api/groups/{group.id}/csv", b"+923331234567\n", "text/csv")
    assert admin_api.get(f"/api/groups/{group.id}").json()["contact_total"] == 3
    admin_api.delete(f"/api/contacts/{first.id}")
    assert [g["contact_total"] for g in admin_api.get("/api/groups").json()] == [2]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Customers", "Suppliers", "VIP customers"]),
        ("name=CUSTOM", ["Customers", "VIP customers"]),
        ("group_id={vip}", ["VIP customers"]),
        ("before={cut}", ["Customers"]),
        ("after={cut}", ["Suppliers", "VIP customers"]),
        ("user_id=999999", []),
    ],
)
def test_list_filters_are_applied(admin_api, make_group, query, expected):
    old = make_group("Customers")
    Group.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    make_group("Suppliers")
    vip = make_group("VIP customers")
    cut = int((timezone.now() - timedelta(days=1)).timestamp())
    response = admin_api.get(f"/api/groups?{query.format(vip=vip.id, cut=cut)}")
    assert [g["name"] for g in response.json()] == expected


def test_a_groups_contacts_are_paged_and_filtered(admin_api, make_contact, make_group):
    group, other = make_group("A"), make_group("B")
    for n in range(5):
        make_contact(f"+9230012345{n:02d}", first_name=f"n{n}", groups=[group])
    make_contact("+923009999999", first_name="outsider", groups=[other])
    response = admin_api.get(f"/api/groups/{group.id}/contacts?limit=2&offset=2")
    assert [c["first_name"] for c in response.json()] == ["n2", "n3"]
    assert response["X-Total-Count"] == "5" and 'rel="next"' in response["Link"]
    response = admin_api.get(f"/api/groups/{group.id}/contacts/?phone=1234503")
    assert [c["first_name"] for c in response.json()] == ["n3"]
    assert admin_api.get(f"/api/groups/{other.id}/contacts").json()[0]["first_name"] == "outsider"
    assert admin_api.get("/api/groups/999999/contacts").status_code == 404
