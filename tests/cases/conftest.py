"""Video-case fixtures: users with chosen permissions, a sandbox provider, a case factory."""

import pytest
from django.contrib.auth.models import Group, Permission

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
