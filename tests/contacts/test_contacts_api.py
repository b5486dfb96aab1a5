"""Contacts API: CRUD, E.164 phones, validation (412 naming fields), links, list filters."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apps.contacts.models import Contact, Membership
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

ALICE = {"first_name": "Alice", "last_name": "Khan", "phone": "+923001234567",
         "email": "alice@example.com", "custom1": "gold"}  # fmt: skip


@pytest.fixture
def pk_tenant(tenant):
    tenant.settings = {"default_region": "PK"}
    tenant.save()
    return tenant


def test_create_answers_contact_id_and_stores_the_fields(admin_api, admin_user, tenant):
    response = admin_api.post("/api/contacts", ALICE, format="json")
    assert response.status_code == 200, response.content
    contact = Contact.objects.get(pk=response.json()["contact_id"])
    assert (contact.client, contact.created_by) == (tenant, admin_user)
    assert (contact.first_name, contact.phone, contact.custom1) == (
        "Alice",
        "+923001234567",
        "gold",
    )


def test_national_number_is_read_in_the_clients_region(admin_api, pk_tenant):
    response = admin_api.post("/api/contacts", {"phone": "03001234567"}, format="json")
    assert Contact.objects.get(pk=response.json()["contact_id"]).phone == "+923001234567"


def test_without_a_client_region_the_setting_decides(admin_api, settings):
    settings.FUSION_DEFAULT_REGION = "PK"
    response = admin_api.post("/api/contacts", {"phone": "0300 1234567"}, format="json")
    assert Contact.objects.get(pk=response.json()["contact_id"]).phone == "+923001234567"
    settings.FUSION_DEFAULT_REGION = "US"
    response = admin_api.post("/api/contacts", {"phone": "(202) 555-0199"}, format="json")
    assert Contact.objects.get(pk=response.json()["contact_id"]).phone == "+12025550199"


def test_international_number_ignores_the_region(admin_api, pk_tenant):
    for raw in ("+1 (202) 555-0199", "001 202 555 0199"):
        contact_id = admin_api.post("/api/contacts", {"phone": raw}, format="json").json()
        assert Contact.objects.get(pk=contact_id["contact_id"]).phone == "+12025550199"


@pytest.mark.parametrize("phone", ["abc", "12", "+1555", "923330000000", "+15555550100"])
def test_invalid_phone_answers_412_naming_phone(admin_api, phone):
    response = admin_api.post("/api/contacts", {"phone": phone}, format="json")
    assert response.status_code == 412
    error = response.json()["error"]
    assert error["code"] == 412 and list(error["fields"]) == ["phone"]
    assert not Contact.objects.exists()


def test_a_contact_needs_a_phone_or_an_email(admin_api):
    response = admin_api.post("/api/contacts", {"first_name": "Nobody"}, format="json")
    assert response.status_code == 412
    assert {"phone", "email"} <= set(response.json()["error"]["fields"])
    response = admin_api.post("/api/contacts", {"email": "only@example.com"}, format="json")
    assert response.status_code == 200


def test_bad_email_and_too_long_name_answer_412_naming_them(admin_api):
    body = {**ALICE, "email": "not-an-email", "first_name": "x" * 101}
    response = admin_api.post("/api/contacts", body, format="json")
    assert response.status_code == 412
    assert set(response.json()["error"]["fields"]) == {"email", "first_name"}


def test_read_update_and_delete(admin_api, pk_tenant):
    contact_id = admin_api.post("/api/contacts", ALICE, format="json").json()["contact_id"]
    body = admin_api.get(f"/api/contacts/{contact_id}/").json()
    assert body["contact_id"] == contact_id and body["phone"] == "+923001234567"
    response = admin_api.put(
        f"/api/contacts/{contact_id}", {"last_name": "Ali", "phone": "03331234567"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() | {"updated_at": None} == body | {
        "last_name": "Ali", "phone": "+923331234567", "updated_at": None,
    }  # fmt: skip
    assert admin_api.delete(f"/api/contacts/{contact_id}").json() is True
    assert admin_api.get(f"/api/contacts/{contact_id}").status_code == 404


def test_update_cannot_leave_a_contact_without_phone_and_email(admin_api):
    contact_id = admin_api.post("/api/contacts", ALICE, format="json").json()["contact_id"]
    response = admin_api.put(f"/api/contacts/{contact_id}", {"phone": "", "email": None}, "json")
    assert response.status_code == 412
    response = admin_api.put(f"/api/contacts/{contact_id}", {"phone": None}, format="json")
    assert response.status_code == 200 and response.json()["phone"] == ""


def test_link_twice_is_harmless_and_unlink_removes(admin_api, make_contact, make_group):
    contact, group = make_contact("+923001234567"), make_group()
    url = f"/api/contacts/{contact.id}/link/{group.id}"
    for _ in range(2):
        response = admin_api.put(url)
        assert response.status_code == 200 and response.json()["contact_id"] == contact.id
    assert Membership.objects.filter(contact=contact, group=group).count() == 1
    assert admin_api.get(f"/api/groups/{group.id}").json()["contact_total"] == 1
    for _ in range(2):
        assert admin_api.delete(url + "/").status_code == 200
    assert admin_api.get(f"/api/groups/{group.id}").json()["contact_total"] == 0
    assert Contact.objects.filter(pk=contact.id).exists()


def test_a_contact_in_two_groups_is_listed_once(admin_api, make_contact, make_group):
    first, second = make_group("A"), make_group("B")
    contact = make_contact("+923001234567", groups=[first, second])
    response = admin_api.get("/api/contacts")
    assert [row["contact_id"] for row in response.json()] == [contact.id]
    assert response["X-Total-Count"] == "1"
    assert len(admin_api.get(f"/api/contacts?group_id={second.id}").json()) == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["alice", "bob", "carol"]),
        ("first_name=LIC", ["alice"]),
        ("last_name=smi", ["bob", "carol"]),
        ("email=BOB@example.com", ["bob"]),
        ("email=bob@example", []),
        ("phone=4567", ["alice"]),
        ("phone=555-0199", ["carol"]),
        ("phone=9230012", []),
        ("group_id={group}", ["alice", "bob"]),
        ("group_id={group}&last_name=smith", ["bob"]),
        ("contact_id={bob}", ["bob"]),
        ("unknown=1", ["alice", "bob", "carol"]),
    ],
)
def test_list_filters(admin_api, make_contact, make_group, query, expected):
    group = make_group()
    alice = make_contact("+923001234567", first_name="alice", last_name="Khan", groups=[group])
    bob = make_contact("+923007654321", first_name="bob", last_name="Smith",
                       email="bob@example.com", groups=[group])  # fmt: skip
    make_contact("+12025550199", first_name="carol", last_name="Smithers")
    query = query.format(group=group.id, bob=bob.id)
    response = admin_api.get(f"/api/contacts?{query}")
    assert response.status_code == 200
    assert [row["first_name"] for row in response.json()] == expected
    assert alice.id


def test_before_and_after_take_unix_seconds_or_iso(admin_api, make_contact):
    old, new = make_contact("+923001234567"), make_contact("+923007654321")
    Contact.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    cut = int((timezone.now() - timedelta(days=1)).timestamp())
    assert [c["contact_id"] for c in admin_api.get(f"/api/contacts?before={cut}").json()] == [
        old.id
    ]
    iso = datetime.fromtimestamp(cut, tz=UTC).isoformat()
    after = admin_api.get("/api/contacts", {"after": iso}).json()
    assert [c["contact_id"] for c in after] == [new.id]
    assert admin_api.get("/api/contacts?after=yesterday").status_code == 412


def test_another_clients_contact_and_group_answer_404_everywhere(
    admin_api, make_contact, make_group, other_tenant
):
    mine, my_group = make_contact("+923001234567"), make_group()
    theirs = make_contact("+923007654321", client=other_tenant)
    their_group = make_group("Theirs", client=other_tenant)
    not_found = [
        ("get", f"/api/contacts/{theirs.id}"),
        ("put", f"/api/contacts/{theirs.id}"),
        ("delete", f"/api/contacts/{theirs.id}"),
        ("put", f"/api/contacts/{theirs.id}/link/{my_group.id}"),
        ("put", f"/api/contacts/{mine.id}/link/{their_group.id}"),
        ("delete", f"/api/contacts/{mine.id}/link/{their_group.id}"),
        ("get", f"/api/groups/{their_group.id}"),
        ("put", f"/api/groups/{their_group.id}"),
        ("delete", f"/api/groups/{their_group.id}"),
        ("get", f"/api/groups/{their_group.id}/contacts"),
        ("get", f"/api/groups/{their_group.id}/csv"),
    ]
    for method, url in not_found:
        response = getattr(admin_api, method)(url, {"first_name": "x", "name": "x"}, format="json")
        assert response.status_code == 404, (method, url)
        assert response.json()["error"]["code"] == 404
    upload = admin_api.generic(
        "POST", f"/api/groups/{their_group.id}/csv", b"+923001111111\n", content_type="text/csv"
    )
    assert upload.status_code == 404
    assert [c["contact_id"] for c in admin_api.get("/api/contacts").json()] == [mine.id]
    assert [g["group_id"] for g in admin_api.get("/api/groups").json()] == [my_group.id]
    assert not Membership.objects.exists()
    assert Contact.objects.get(pk=theirs.id).first_name == ""


def test_user_without_permissions_gets_403_before_404(tenant, make_contact, make_group):
    from tests.factories import UserFactory

    api = api_client_for(UserFactory(client=tenant))
    contact, group = make_contact("+923001234567"), make_group()
    forbidden = [
        ("get", "/api/contacts"), ("post", "/api/contacts"),
        ("get", f"/api/contacts/{contact.id}"), ("put", f"/api/contacts/{contact.id}"),
        ("delete", f"/api/contacts/{contact.id}"), ("delete", "/api/contacts/999999"),
        ("put", f"/api/contacts/{contact.id}/link/{group.id}"),
        ("delete", f"/api/contacts/{contact.id}/link/{group.id}"),
        ("get", "/api/groups"), ("post", "/api/groups"), ("get", f"/api/groups/{group.id}"),
        ("put", f"/api/groups/{group.id}"), ("delete", f"/api/groups/{group.id}"),
        ("get", f"/api/groups/{group.id}/contacts"), ("get", f"/api/groups/{group.id}/csv"),
        ("post", f"/api/groups/{group.id}/csv"), ("get", "/api/groups/sample/csv"),
    ]  # fmt: skip
    for method, url in forbidden:
        assert getattr(api, method)(url).status_code == 403, (method, url)
    assert Contact.objects.filter(pk=contact.id).exists()


def test_the_user_role_manages_contacts_and_anonymous_gets_401(user_api, anon_api):
    assert user_api.post("/api/contacts", ALICE, format="json").status_code == 200
    assert user_api.post("/api/groups", {"name": "G"}, format="json").status_code == 200
    assert anon_api.get("/api/contacts").status_code == 401


def test_global_staff_creates_for_a_named_client(global_staff, tenant):
    api = api_client_for(global_staff)
    assert api.post("/api/contacts", ALICE, format="json").status_code == 412
    response = api.post("/api/contacts", {**ALICE, "client_id": tenant.id}, format="json")
    assert Contact.objects.get(pk=response.json()["contact_id"]).client == tenant


def test_global_staff_cannot_link_across_clients(global_staff, make_contact, make_group,
                                                 other_tenant):  # fmt: skip
    contact, group = make_contact("+923001234567"), make_group(client=other_tenant)
    api = api_client_for(global_staff)
    assert api.put(f"/api/contacts/{contact.id}/link/{group.id}").status_code == 404
    assert not Membership.objects.exists()
