"""Users API: CRUD, roles and permissions, 403 without permission, tenant isolation."""

import pytest
from django.contrib.auth.models import Group, Permission

from apps.accounts.models import User
from tests.conftest import api_client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_USER = {
    "username": "alice",
    "password": "An0ther-good-pass",
    "first_name": "Alice",
    "last_name": "Doe",
    "email": "alice@example.com",
    "phone": "+923001234567",
    "company": "ACME",
    "country": "pk",
    "timezone": "Asia/Karachi",
    "active": 1,
}


def test_create_answers_user_id_and_hashes_the_password(admin_api, tenant):
    response = admin_api.post("/api/users", NEW_USER, format="json")
    assert response.status_code == 200, response.content
    user = User.objects.get(pk=response.json()["user_id"])
    assert user.client == tenant
    assert user.country == "PK"
    assert user.password != NEW_USER["password"] and user.check_password(NEW_USER["password"])


def test_passwords_are_never_returned(admin_api, admin_user):
    body = admin_api.get(f"/api/users/{admin_user.id}").json()
    assert "password" not in body and "passwd" not in body
    assert body["username"] == admin_user.username and body["user_id"] == admin_user.id


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("timezone", "Mars/Base"), ("country", "XX"), ("phone", "call me")],
)
def test_bad_field_answers_412_naming_it(admin_api, field, value):
    response = admin_api.post("/api/users", {**NEW_USER, field: value}, format="json")
    assert response.status_code == 412
    error = response.json()["error"]
    assert error["code"] == 412 and field in error["fields"] and field in error["message"]
    assert not User.objects.filter(username="alice").exists()


def test_missing_password_and_duplicate_username_answer_412(admin_api, admin_user):
    no_password = {k: v for k, v in NEW_USER.items() if k != "password"}
    assert admin_api.post("/api/users", no_password, format="json").status_code == 412
    clash = admin_api.post(
        "/api/users", {**NEW_USER, "username": admin_user.username}, format="json"
    )
    assert clash.status_code == 412 and "username" in clash.json()["error"]["fields"]


def test_duplicate_email_is_refused_case_insensitively(admin_api, admin_user):
    response = admin_api.post(
        "/api/users", {**NEW_USER, "email": admin_user.email.upper()}, format="json"
    )
    assert response.status_code == 412 and "email" in response.json()["error"]["fields"]


def test_update_changes_given_fields_only_and_accepts_passwd(admin_api, tenant):
    user = UserFactory(client=tenant, first_name="Old", last_name="Name")
    response = admin_api.put(
        f"/api/users/{user.id}", {"first_name": "New", "passwd": "Brand-new-pass1"}, format="json"
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("New", "Name")
    assert user.check_password("Brand-new-pass1")


def test_delete_removes_the_user_but_not_yourself(admin_api, admin_user, tenant):
    user = UserFactory(client=tenant)
    assert admin_api.delete(f"/api/users/{user.id}").status_code == 200
    assert not User.objects.filter(pk=user.id).exists()
    assert admin_api.delete(f"/api/users/{admin_user.id}").status_code == 423


def test_list_filters_by_query_string(admin_api, tenant):
    UserFactory(client=tenant, username="bob", is_active=False)
    UserFactory(client=tenant, username="carol")
    names = [u["username"] for u in admin_api.get("/api/users?active=0").json()]
    assert names == ["bob"]
    assert [u["username"] for u in admin_api.get("/api/users?username=carol").json()] == ["carol"]
    assert admin_api.get("/api/users?email=CAROL@example.com").json()[0]["username"] == "carol"
    assert admin_api.get("/api/users?unknown_key=1").status_code == 200


def test_user_without_permission_gets_403(user_api, plain_user):
    assert user_api.get("/api/users").status_code == 403
    assert user_api.post("/api/users", NEW_USER, format="json").status_code == 403
    response = user_api.delete(f"/api/users/{plain_user.id}")
    assert response.status_code == 403 and response.json()["error"]["code"] == 403


def test_anyone_may_change_their_own_password(user_api, plain_user):
    response = user_api.put(
        f"/api/users/{plain_user.id}/password", {"password": "Mine-new-pass9"}, format="json"
    )
    assert response.status_code == 200
    plain_user.refresh_from_db()
    assert plain_user.check_password("Mine-new-pass9")


def test_password_of_someone_else_needs_change_permission(user_api, tenant):
    other = UserFactory(client=tenant)
    response = user_api.put(
        f"/api/users/{other.id}/password", {"password": "Hijack-pass-1"}, format="json"
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.check_password(PASSWORD)


def test_client_admin_never_sees_or_reaches_another_clients_users(admin_api, other_tenant):
    stranger = UserFactory(client=other_tenant)
    assert stranger.id not in [u["user_id"] for u in admin_api.get("/api/users").json()]
    for method in ("get", "put", "delete"):
        assert (
            getattr(admin_api, method)(f"/api/users/{stranger.id}", {}, format="json").status_code
            == 404
        )
    assert (
        admin_api.put(
            f"/api/users/{stranger.id}/password", {"password": "X-pass-12345"}, format="json"
        ).status_code
        == 404
    )
    role = Group.objects.get(name="user")
    assert admin_api.put(f"/api/users/{stranger.id}/roles/{role.id}").status_code == 404
    stranger.refresh_from_db()
    assert stranger.check_password(PASSWORD) and not stranger.groups.exists()


def test_client_admin_cannot_move_a_user_to_another_client(admin_api, tenant, other_tenant):
    response = admin_api.post(
        "/api/users", {**NEW_USER, "client_id": other_tenant.id}, format="json"
    )
    assert User.objects.get(pk=response.json()["user_id"]).client == tenant


def test_global_staff_sees_every_client(global_staff, admin_user, other_tenant):
    stranger = UserFactory(client=other_tenant)
    api = api_client_for(global_staff)
    ids = [u["user_id"] for u in api.get("/api/users?limit=1000").json()]
    assert {admin_user.id, stranger.id} <= set(ids)
    assert api.get(f"/api/users/{stranger.id}").status_code == 200


def test_role_assignment_and_removal(admin_api, tenant):
    user = UserFactory(client=tenant)
    role = Group.objects.get(name="user")
    response = admin_api.put(f"/api/users/{user.id}/roles/{role.id}")
    assert response.status_code == 200 and response.json()["roles"] == [role.id]
    assert user.has_perm("accounts.view_user") is False
    assert admin_api.delete(f"/api/users/{user.id}/roles/{role.id}").status_code == 200
    assert not user.groups.exists()
    assert admin_api.put(f"/api/users/{user.id}/roles/999999").status_code == 404


def test_permission_assignment_grants_access(admin_api, tenant):
    user = UserFactory(client=tenant)
    permission = Permission.objects.get(codename="view_user", content_type__app_label="accounts")
    assert api_client_for(user).get("/api/users").status_code == 403
    response = admin_api.put(f"/api/users/{user.id}/permissions/{permission.id}")
    assert response.status_code == 200 and "accounts.view_user" in response.json()["permissions"]
    assert api_client_for(User.objects.get(pk=user.id)).get("/api/users").status_code == 200
    assert admin_api.delete(f"/api/users/{user.id}/permissions/{permission.id}").status_code == 200
    assert api_client_for(User.objects.get(pk=user.id)).get("/api/users").status_code == 403


def test_client_admin_cannot_grant_the_global_permission(admin_api, admin_user):
    permission = Permission.objects.get(codename="access_all_clients")
    response = admin_api.put(f"/api/users/{admin_user.id}/permissions/{permission.id}")
    assert response.status_code == 403
    assert not User.objects.get(pk=admin_user.id).has_perm("accounts.access_all_clients")


def test_roles_and_permissions_lists_give_ids(admin_api):
    roles = admin_api.get("/api/roles").json()
    assert {r["name"] for r in roles} >= {"admin", "user"}
    assert all("role_id" in r for r in roles)
    perms = admin_api.get("/api/permissions?name=view_&app=accounts").json()
    assert {p["name"] for p in perms} >= {"accounts.view_user"}
    assert all(p["name"].startswith("accounts.view_") for p in perms)
