"""A client's staff in the back-office: only their rows in lists, menus and filters, and no
way to become superuser, grant cross-client permissions or reach a superuser."""

import pytest
from django.contrib.auth.models import Group, Permission

from apps.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _user_form(user: User, **changes) -> dict:
    form = {"username": user.username, "email": user.email, "is_active": "on",
            "is_staff": "on", "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00",
            "groups": [g.pk for g in user.groups.all()]}  # fmt: skip
    return {**form, **changes}


def test_client_staff_cannot_make_themselves_superuser(tenant_staff, tenant_staff_user):
    url = f"/admin/accounts/user/{tenant_staff_user.pk}/change/"
    html = tenant_staff.get(url).content.decode()
    assert 'name="is_superuser"' not in html and 'name="user_permissions"' not in html
    assert 'name="client"' not in html
    everything = Permission.objects.filter(codename="access_all_clients").values_list("pk")
    form = _user_form(tenant_staff_user, is_superuser="on", user_permissions=list(everything))
    assert tenant_staff.post(url, form).status_code == 302
    tenant_staff_user.refresh_from_db()
    assert not tenant_staff_user.is_superuser
    assert not tenant_staff_user.has_perm("accounts.access_all_clients")


def test_client_staff_cannot_give_a_role_carrying_a_cross_client_permission(
    tenant_staff, tenant, tenant_staff_user
):
    everyone = Group.objects.create(name="global ops")
    everyone.permissions.add(Permission.objects.get(codename="access_all_clients"))
    member = UserFactory(client=tenant, roles=["user"])
    url = f"/admin/accounts/user/{member.pk}/change/"
    assert "global ops" not in tenant_staff.get(url).content.decode()
    response = tenant_staff.post(url, _user_form(member, groups=[everyone.pk]))
    assert response.status_code == 200  # refused: not a valid choice
    assert not member.groups.filter(pk=everyone.pk).exists()


def test_client_staff_do_not_see_a_superuser_of_their_client(tenant_staff, tenant):
    boss = UserFactory(client=tenant, is_superuser=True, is_staff=True, username="the-boss")
    assert "the-boss" not in tenant_staff.get("/admin/accounts/user/").content.decode()
    assert tenant_staff.get(f"/admin/accounts/user/{boss.pk}/password/").status_code == 404


def test_menus_and_filters_offer_only_their_clients_rows(tenant_staff, world, other_tenant):
    for url in ("/admin/providers/provider/add/", "/admin/contacts/contact/add/",
                "/admin/campaigns/campaign/add/", "/admin/accounts/account/add/"):  # fmt: skip
        html = tenant_staff.get(url).content.decode()
        assert str(other_tenant) not in html, url
    for url in ("/admin/delivery/job/", "/admin/delivery/attempt/", "/admin/callbacks/calltask/"):
        html = tenant_staff.get(url).content.decode()
        assert str(other_tenant) not in html and "Their gateway" not in html, url


def test_a_raw_id_of_another_clients_row_is_refused(tenant_staff, world, other_tenant):
    theirs = UserFactory(client=other_tenant)
    url = f"/admin/accounts/account/{world.account.pk}/change/"
    form = {"client": world.account.client_id, "type": "account", "username": "caller",
            "owner": theirs.pk, "settings": "{}", "active": "on"}  # fmt: skip
    response = tenant_staff.post(url, form)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    world.account.refresh_from_db()
    assert world.account.owner_id != theirs.pk
