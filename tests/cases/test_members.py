"""createTaskModerator and createTaskPublisher: who may be added, validation, warnings."""

import pytest

from apps.cases.models import Case, CaseMember
from tests.cases.conftest import CASE_WORKER, CUSTOMER, case_create, user_with_permissions
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _moderator(api, task_num, **fields):
    return api.post("/video/createTaskModerator", {"task_num": task_num, **fields}, format="json")


def _publish(api, task_num, *customers):
    body = {"task_num": task_num, "customer": list(customers)}
    return api.post("/video/createTaskPublisher", body, format="json")


# --- moderators ------------------------------------------------------------------------------


def test_emp_id_names_a_user_of_the_client_who_becomes_moderator(worker_api, tenant):
    colleague = UserFactory(client=tenant)
    task_num = case_create(worker_api)
    response = _moderator(
        worker_api, task_num, emp_id=str(colleague.pk), business_code="2", branch_code=85
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 1 and body["message"] == "service member success"
    member = CaseMember.objects.get(case__task_num=task_num, role="moderator")
    assert member.user == colleague and (member.business_code, member.branch_code) == ("2", "85")
    assert body["info"]["emp_id"] == str(colleague.pk)
    assert body["info"]["join_url"] == f"https://video.example.invalid/join/{member.join_token}"


def test_emp_id_may_be_a_username(worker_api, tenant):
    colleague = UserFactory(client=tenant, username="agent.lee")
    task_num = case_create(worker_api)
    assert _moderator(worker_api, task_num, emp_id="agent.lee").json()["status"] == 1
    assert CaseMember.objects.get(role="moderator").user == colleague


def test_without_emp_id_the_caller_becomes_moderator(worker_api, worker):
    task_num = case_create(worker_api)
    response = _moderator(worker_api, task_num)
    assert response.status_code == 200 and response.json()["info"]["emp_id"] == str(worker.pk)
    assert CaseMember.objects.get(role="moderator").user == worker


def test_adding_the_same_moderator_twice_is_a_warning_and_keeps_one_link(worker_api):
    task_num = case_create(worker_api)
    first = _moderator(worker_api, task_num).json()
    again = _moderator(worker_api, task_num)
    assert again.status_code == 200 and again.json()["status"] == 2
    assert again.json()["info"]["join_url"] == first["info"]["join_url"]
    assert CaseMember.objects.filter(role="moderator").count() == 1


@pytest.mark.parametrize("whose", ["other client", "unknown", "inactive"])
def test_emp_id_outside_the_client_is_refused_naming_it(worker_api, other_tenant, tenant, whose):
    target = {
        "other client": lambda: str(UserFactory(client=other_tenant).pk),
        "unknown": lambda: "999999",
        "inactive": lambda: str(UserFactory(client=tenant, is_active=False).pk),
    }[whose]()
    task_num = case_create(worker_api)
    response = _moderator(worker_api, task_num, emp_id=target)
    assert response.status_code == 400 and "emp_id" in response.json()["info"]["errors"]
    assert not CaseMember.objects.exists()


def test_task_num_is_required_and_checked(worker_api):
    response = _moderator(worker_api, None)
    assert response.status_code == 400 and "task_num" in response.json()["info"]["errors"]
    response = _moderator(worker_api, "2023-12-21")
    assert response.status_code == 400 and "task_num" in response.json()["info"]["errors"]
    response = _moderator(worker_api, "202312210000099")
    assert response.status_code == 404
    assert response.json() == {"status": 0, "message": "Resource Not Found", "info": {}}


def test_a_long_user_name_is_cut_to_the_members_name(worker_api, tenant):
    colleague = UserFactory(client=tenant, username="u" * 150, first_name="", last_name="")
    task_num = case_create(worker_api)
    response = _moderator(worker_api, task_num, emp_id=str(colleague.pk))
    assert response.status_code == 200, response.content  # was a 500 on PostgreSQL
    assert CaseMember.objects.get(role="moderator").name == "u" * 120


def test_another_clients_case_takes_no_members_and_answers_like_a_missing_one(
    worker_api, other_tenant
):
    theirs = case_create(api_client_for(user_with_permissions(other_tenant, *CASE_WORKER)))
    missing = "202001010000001"
    for task_num in (theirs, missing):
        moderator = _moderator(worker_api, task_num)
        customers = _publish(worker_api, task_num, CUSTOMER)
        expected = {"status": 0, "message": "Resource Not Found", "info": {}}
        assert moderator.status_code == customers.status_code == 404
        assert moderator.json() == customers.json() == expected
    assert not CaseMember.objects.exists()


def test_a_closed_case_takes_no_members(worker_api):
    task_num = case_create(worker_api)
    Case.objects.filter(task_num=task_num).update(status="finished")
    response = _moderator(worker_api, task_num)
    assert response.status_code == 409 and response.json()["status"] == 0
    assert _publish(worker_api, task_num, CUSTOMER).status_code == 409
    assert not CaseMember.objects.exists()


def test_adding_members_needs_the_permission(tenant, worker_api):
    task_num = case_create(worker_api)
    reader = api_client_for(user_with_permissions(tenant, "cases.view_case"))
    assert _moderator(reader, task_num).status_code == 403
    assert _publish(reader, task_num, CUSTOMER).status_code == 403


# --- customers (publishers) ------------------------------------------------------------------


def test_customers_are_added_with_e164_phones_and_join_links(worker_api):
    task_num = case_create(worker_api)
    second = {"customer_name": "Lin", "customer_id_num": "B2", "customer_phone": "+886922333444"}
    response = _publish(worker_api, task_num, CUSTOMER, second)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 1 and body["message"] == "customer member success"
    chen, lin = CaseMember.objects.filter(role="publisher").order_by("id")
    assert (chen.title, chen.name, chen.id_num) == ("Mr.", "Chen", "A123456789")
    assert (chen.country_code, chen.phone, chen.email) == ("+886", "+886911211211", CUSTOMER[
        "customer_email"
    ])  # fmt: skip
    assert (lin.country_code, lin.phone, lin.email) == ("+886", "+886922333444", "")
    assert [c["join_url"] for c in body["info"]["customers"]] == [
        f"https://video.example.invalid/join/{m.join_token}" for m in (chen, lin)
    ]
    assert chen.join_token != lin.join_token and len(chen.join_token) >= 32
    assert [c["notified"] for c in body["info"]["customers"]] == [False, False]


def test_one_customer_object_is_read_as_a_list(worker_api):
    task_num = case_create(worker_api)
    body = {"task_num": task_num, "customer": CUSTOMER}
    assert worker_api.post("/video/createTaskPublisher", body, format="json").status_code == 200
    assert CaseMember.objects.filter(role="publisher").count() == 1


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"customer_name": ""}, "customer[1].customer_name"),
        ({"customer_id_num": None}, "customer[1].customer_id_num"),
        ({"customer_email": "not-an-email"}, "customer[1].customer_email"),
        ({"customer_phone": "12"}, "customer[1].customer_phone"),
        ({"customer_country_code": "+999"}, "customer[1].customer_country_code"),
        ({"customer_id_num": CUSTOMER["customer_id_num"]}, "customer[1].customer_id_num"),
    ],
)
def test_a_bad_customer_is_named_by_index_and_nothing_is_added(worker_api, change, key):
    task_num = case_create(worker_api)
    bad = {**CUSTOMER, "customer_id_num": "OTHER", **change}
    response = _publish(worker_api, task_num, CUSTOMER, bad)
    assert response.status_code == 400
    assert list(response.json()["info"]["errors"]) == [key]
    assert key in response.json()["message"]
    assert not CaseMember.objects.exists()


def test_an_email_longer_than_it_can_be_stored_is_named(worker_api):
    task_num = case_create(worker_api)
    long_email = "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "com"  # 308 characters, well formed
    response = _publish(worker_api, task_num, {**CUSTOMER, "customer_email": long_email})
    assert response.status_code == 400  # was a 500 on PostgreSQL (the column holds 254)
    assert list(response.json()["info"]["errors"]) == ["customer[0].customer_email"]
    assert not CaseMember.objects.exists()


@pytest.mark.parametrize("customers", [None, [], "nobody"])
def test_customer_list_is_required(worker_api, customers):
    task_num = case_create(worker_api)
    body = {"task_num": task_num, "customer": customers}
    response = worker_api.post("/video/createTaskPublisher", body, format="json")
    assert response.status_code == 400 and "customer" in response.json()["info"]["errors"]


def test_a_customer_already_in_the_case_is_a_warning_and_left_unchanged(worker_api):
    task_num = case_create(worker_api)
    _publish(worker_api, task_num, CUSTOMER)
    changed = {**CUSTOMER, "customer_name": "Someone else"}
    response = _publish(worker_api, task_num, changed, {**CUSTOMER, "customer_id_num": "NEW"})
    assert response.status_code == 200 and response.json()["status"] == 2
    assert [c["added"] for c in response.json()["info"]["customers"]] == [False, True]
    assert CaseMember.objects.get(id_num=CUSTOMER["customer_id_num"]).name == "Chen"
    assert CaseMember.objects.filter(role="publisher").count() == 2


def test_a_notified_case_needs_a_phone_or_email_for_each_customer(worker_api):
    task_num = case_create(worker_api, task_notify=True)
    mute = {"customer_name": "Mute", "customer_id_num": "M1"}
    response = _publish(worker_api, task_num, mute)
    assert response.status_code == 400
    assert "customer[0].customer_phone" in response.json()["info"]["errors"]
    plain_task = case_create(worker_api, out_task_num="OUT-2")
    assert _publish(worker_api, plain_task, mute).status_code == 200


def test_a_national_phone_without_country_code_uses_the_clients_region(worker_api, tenant):
    tenant.settings = {"default_region": "TW"}
    tenant.save()
    task_num = case_create(worker_api)
    customer = {**CUSTOMER, "customer_country_code": ""}
    assert _publish(worker_api, task_num, customer).status_code == 200
    assert CaseMember.objects.get().phone == "+886911211211"
