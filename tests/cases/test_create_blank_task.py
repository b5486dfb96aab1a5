"""createBlankTask: fields, validation naming fields, numbering, duplicates, auth."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.cases.models import Case
from apps.cases.numbering import task_num_allocate
from tests.cases.conftest import CASE, case_create
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _today() -> str:
    return f"{timezone.now().astimezone(dt.UTC):%Y%m%d}"


def test_create_answers_the_spec_envelope_and_stores_every_field(admin_api, tenant, admin_user):
    response = admin_api.post("/video/createBlankTask", CASE, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 1 and body["message"] == "success"
    assert body["info"]["task_num"] == f"{_today()}0000001"
    case = Case.objects.get(task_num=body["info"]["task_num"])
    assert case.client == tenant and case.created_by == admin_user
    assert (case.business_id, case.out_task_num, case.out_task_type) == (15, "OUT-1", "loan")
    assert (case.task_type, case.room_type, case.video, case.task_notify) == (
        "normal", "normal", True, False,
    )  # fmt: skip
    assert case.task_time == dt.datetime(2023, 12, 21, 6, 49, 58, tzinfo=dt.UTC)
    assert (case.branch_code, case.business_code) == ("943", "2")
    assert case.task_remark == "remark_somthing" and case.status == "open"


def test_task_numbers_follow_a_daily_sequence(admin_api):
    first = case_create(admin_api, out_task_num="A")
    second = case_create(admin_api, out_task_num="B")
    assert len(first) == 15 and first.isdigit() and first[:8] == _today()
    assert int(second) == int(first) + 1
    assert task_num_allocate(day=dt.date(2030, 1, 2)) == "203001020000001"
    assert task_num_allocate(day=dt.date(2030, 1, 2)) == "203001020000002"
    assert case_create(admin_api, out_task_num="C") == f"{_today()}0000003"


def test_a_rolled_back_case_gives_its_number_back(admin_api):
    case_create(admin_api, out_task_num="A")
    refused = admin_api.post("/video/createBlankTask", CASE | {"out_task_num": "A"}, format="json")
    assert refused.status_code == 400
    assert case_create(admin_api, out_task_num="B") == f"{_today()}0000002"


@pytest.mark.parametrize(
    "field", ["business_id", "out_task_num", "task_type", "branch_code", "room_type", "video"]
)
def test_a_missing_required_field_is_named(admin_api, field):
    body = {key: value for key, value in CASE.items() if key != field}
    response = admin_api.post("/video/createBlankTask", body, format="json")
    assert response.status_code == 400
    answer = response.json()
    assert answer["status"] == 0 and field in answer["message"]
    assert field in answer["info"]["errors"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("task_type", "urgent"),
        ("room_type", "cinema"),
        ("task_time", "tomorrow"),
        ("task_time", -5),
        ("task_time", True),
        ("business_id", "fifteen"),
        ("video", "maybe"),
        ("out_task_num", "x" * 65),
    ],
)
def test_an_invalid_field_is_named(admin_api, field, value):
    response = admin_api.post("/video/createBlankTask", {**CASE, field: value}, format="json")
    assert response.status_code == 400
    assert list(response.json()["info"]["errors"]) == [field]


def test_task_time_is_required_for_a_normal_room(admin_api):
    body = {key: value for key, value in CASE.items() if key != "task_time"}
    response = admin_api.post("/video/createBlankTask", body, format="json")
    assert response.status_code == 400
    assert "task_time" in response.json()["info"]["errors"]
    assert "room_type is normal" in response.json()["message"]


def test_task_time_defaults_to_now_for_a_realtime_room(admin_api):
    body = {key: value for key, value in CASE.items() if key != "task_time"}
    before = timezone.now().replace(microsecond=0)
    body["room_type"] = "realtime"
    response = admin_api.post("/video/createBlankTask", body, format="json")
    case = Case.objects.get(task_num=response.json()["info"]["task_num"])
    assert before <= case.task_time <= timezone.now()


def test_an_empty_task_time_counts_as_not_sent(admin_api):
    response = admin_api.post("/video/createBlankTask", {**CASE, "task_time": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["info"]["errors"] == {
        "task_time": ["Required when room_type is normal (a scheduled room)."]
    }
    before = timezone.now().replace(microsecond=0)
    task_num = case_create(admin_api, task_time=" ", room_type="realtime")
    case = Case.objects.get(task_num=task_num)
    assert before <= case.task_time <= timezone.now() and case.task_time.microsecond == 0


def test_spec_spellings_are_accepted(admin_api):
    task_num = case_create(
        admin_api, task_time=1703141398, video="false", task_notify="true", business_id="16",
        task_remark=None, task_remarks="from the table's spelling",
    )  # fmt: skip
    case = Case.objects.get(task_num=task_num)
    assert case.video is False and case.task_notify is True and case.business_id == 16
    assert case.task_remark == "from the table's spelling"


def test_a_duplicate_out_task_num_of_the_same_business_is_refused(admin_api, other_tenant):
    case_create(admin_api)
    response = admin_api.post("/video/createBlankTask", CASE, format="json")
    assert response.status_code == 400
    assert response.json()["status"] == 0
    assert "out_task_num" in response.json()["info"]["errors"]
    assert Case.objects.count() == 1
    case_create(admin_api, business_id=16)  # another business may reuse it
    case_create(api_client_for(UserFactory(client=other_tenant, roles=["user"])))  # another client


def test_every_path_answers_with_and_without_a_trailing_slash(admin_api):
    assert admin_api.post("/video/createBlankTask/", CASE, format="json").status_code == 200


def test_no_token_answers_401_in_the_video_envelope(anon_api):
    response = anon_api.post("/video/createBlankTask", CASE, format="json")
    assert response.status_code == 401
    assert response.json()["status"] == 0 and response.json()["info"] == {}


def test_a_user_without_the_add_permission_gets_403(tenant):
    api = api_client_for(UserFactory(client=tenant))
    response = api.post("/video/createBlankTask", CASE, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "status": 0,
        "message": "Access to the requested resource is not allowed",
        "info": {},
    }


def test_staff_without_a_client_is_told_cases_belong_to_a_client(global_staff):
    response = api_client_for(global_staff).post("/video/createBlankTask", CASE, format="json")
    assert response.status_code == 400 and "client" in response.json()["info"]["errors"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "createBlankTask"),
        ("post", "createTaskModerator"),
        ("post", "createTaskPublisher"),
        ("post", "updateTaskStatus"),
        ("post", "getAuthCode"),
        ("get", "getTask"),
    ],
)
@pytest.mark.parametrize("slash", ["", "/"])
def test_every_endpoint_needs_a_token_with_or_without_slash(anon_api, method, path, slash):
    response = getattr(anon_api, method)(f"/video/{path}{slash}", {}, format="json")
    assert response.status_code == 401 and response.json()["status"] == 0


@pytest.mark.parametrize("slash", ["", "/"])
def test_redeem_is_public_with_or_without_slash(anon_api, slash):
    response = anon_api.post(f"/video/redeemAuthCode{slash}", {}, format="json")
    assert response.status_code == 400 and "code" in response.json()["info"]["errors"]
