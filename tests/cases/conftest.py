"""Video-case fixtures: users with chosen permissions, a sandbox provider, a case factory, a
back-office session and its change form."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client as BrowserClient

from apps.cases.models import Case
from apps.providers.models import Provider
from tests.conftest import api_client_for
from tests.factories import UserFactory

CASE = {
    "business_id": 15,
    "out_task_num": "OUT-1",
    "out_task_type": "loan",
    "task_type": "normal",
    "task_notify": False,
    "task_time": "1703141398",
    "task_remark": "remark_somthing",
    "branch_code": 943,
    "business_code": 2,
    "room_type": "normal",
    "video": True,
}
CUSTOMER = {
    "customer_title": "Mr.",
    "customer_name": "Chen",
    "customer_id_num": "A123456789",
    "customer_country_code": "+886",
    "customer_phone": "0911211211",
    "customer_email": "chen@example.com",
}


def user_with_permissions(client, *names: str):
    """A user of ``client`` whose only permissions are ``names`` (``app.codename``)."""
    group = Group.objects.create(name=f"perm-{client.pk}-{Group.objects.count()}")
    for name in names:
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user = UserFactory(client=client, first_name="Ana", last_name="Agent")
    user.groups.add(group)
    return user


CASE_WORKER = ("cases.add_case", "cases.add_casemember", "cases.view_case")


@pytest.fixture
def worker(tenant):
    """A user who creates cases and adds members but holds no cases.moderate_case."""
    return user_with_permissions(tenant, *CASE_WORKER)


@pytest.fixture
def worker_api(worker):
    return api_client_for(worker)


def case_create(api, **overrides) -> str:
    """Create a case through the API; its task_num."""
    response = api.post("/video/createBlankTask", {**CASE, **overrides}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["info"]["task_num"]


@pytest.fixture
def sandbox(tenant):
    """A sandbox provider serving SMS (4) and email (8) for the tenant."""
    return Provider.objects.create(client=tenant, name="sandbox", type="sandbox", service_flag=12)


@pytest.fixture
def staff_browser(global_staff):
    """A logged-in back-office session of global staff."""
    browser = BrowserClient()
    browser.force_login(global_staff)
    return browser


def admin_form(case: Case, **changes) -> dict:
    """The back-office change form of ``case`` as posted, with ``changes`` applied."""
    task_time = changes.pop("task_time", case.task_time)
    members = list(case.members.order_by("id"))
    data = {
        "client": case.client_id, "business_id": case.business_id,
        "out_task_num": case.out_task_num, "out_task_type": case.out_task_type,
        "task_type": case.task_type, "task_notify": "on" if case.task_notify else "",
        "task_time_0": f"{task_time:%Y-%m-%d}", "task_time_1": f"{task_time:%H:%M:%S}",
        "task_remark": case.task_remark, "branch_code": case.branch_code,
        "business_code": case.business_code, "room_type": case.room_type, "video": "on",
        "status": case.status, "members-TOTAL_FORMS": len(members),
        "members-INITIAL_FORMS": len(members),
    }  # fmt: skip
    for i, m in enumerate(members):
        fields = ("id", "case", "role", "title", "name", "id_num", "phone", "email")
        data.update({f"members-{i}-{f}": getattr(m, f"{f}_id" if f == "case" else f) or ""
                     for f in fields})  # fmt: skip
        data[f"members-{i}-user"] = m.user_id or ""
    return {**data, **changes}
