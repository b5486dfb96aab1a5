"""getTask: the case with its members and join links; tenancy and permissions."""

import pytest

from apps.cases.models import CaseMember
from tests.cases.conftest import CASE_WORKER, CUSTOMER, case_create, user_with_permissions
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def _case_with_members(api) -> str:
    task_num = case_create(api)
    api.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    body = {"task_num": task_num, "customer": [CUSTOMER]}
    api.post("/video/createTaskPublisher", body, format="json")
    return task_num


def test_get_task_answers_the_case_its_members_and_their_links(worker_api, worker):
    task_num = _case_with_members(worker_api)
    response = worker_api.get(f"/video/getTask?task_num={task_num}")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["message"]) == (1, "success")
    info = body["info"]
    expected = {
        "task_num": task_num, "business_id": 15, "out_task_num": "OUT-1",
        "out_task_type": "loan", "task_type": "normal", "task_notify": False,
        "task_time": "1703141398", "task_remark": "remark_somthing", "branch_code": "943",
        "business_code": "2", "room_type": "normal", "video": True, "task_status": "open",
        "created_by": worker.username,
    }  # fmt: skip
    assert {key: info[key] for key in expected} == expected
    moderator = CaseMember.objects.get(role="moderator")
    customer = CaseMember.objects.get(role="publisher")
    assert info["moderators"] == [
        {
            "emp_id": str(worker.pk),
            "username": worker.username,
            "name": "Ana Agent",
            "email": worker.email,
            "business_code": "",
            "branch_code": "",
            "join_url": f"https://video.example.invalid/join/{moderator.join_token}",
            "created_at": info["moderators"][0]["created_at"],
        }
    ]
    assert info["customers"] == [
        {
            "customer_title": "Mr.",
            "customer_name": "Chen",
            "customer_id_num": "A123456789",
            "customer_country_code": "+886",
            "customer_phone": "+886911211211",
            "customer_email": "chen@example.com",
            "join_url": f"https://video.example.invalid/join/{customer.join_token}",
            "created_at": info["customers"][0]["created_at"],
        }
    ]
    assert info["customers"][0]["created_at"].isdigit()


def test_join_links_follow_the_configured_template(worker_api, settings):
    settings.FUSION_VIDEO_JOIN_URL = "https://meet.example.com/{task_num}/{role}?t={token}"
    task_num = _case_with_members(worker_api)
    info = worker_api.get(f"/video/getTask/?task_num={task_num}").json()["info"]
    token = CaseMember.objects.get(role="publisher").join_token
    assert info["customers"][0]["join_url"] == (
        f"https://meet.example.com/{task_num}/publisher?t={token}"
    )


def test_task_num_is_required_and_another_clients_case_is_not_found(worker_api, other_tenant):
    response = worker_api.get("/video/getTask")
    assert response.status_code == 400 and "task_num" in response.json()["info"]["errors"]
    theirs = _case_with_members(api_client_for(user_with_permissions(other_tenant, *CASE_WORKER)))
    missing = worker_api.get("/video/getTask?task_num=202001010000001")
    foreign = worker_api.get(f"/video/getTask?task_num={theirs}")
    assert missing.status_code == foreign.status_code == 404
    assert missing.json() == foreign.json()


def test_global_staff_sees_every_clients_case(worker_api, global_staff):
    task_num = _case_with_members(worker_api)
    response = api_client_for(global_staff).get(f"/video/getTask?task_num={task_num}")
    assert response.status_code == 200 and response.json()["info"]["task_num"] == task_num


def test_reading_needs_the_view_permission_and_a_token(worker_api, tenant, anon_api):
    task_num = case_create(worker_api)
    writer = api_client_for(user_with_permissions(tenant, "cases.add_case"))
    assert writer.get(f"/video/getTask?task_num={task_num}").status_code == 403
    assert anon_api.get(f"/video/getTask?task_num={task_num}").status_code == 401


@pytest.mark.parametrize("path", ["/video/nothingHere", "/video/", "/video/getTask/extra"])
def test_an_unknown_video_route_answers_the_specs_404(worker_api, anon_api, path):
    expected = {"status": 0, "message": "Resource Not Found", "info": {}}
    for response in (worker_api.get(path), anon_api.post(path, {}, format="json")):
        assert response.status_code == 404 and response.json() == expected
