"""updateTaskStatus: moderators and cases.moderate_case holders end cases; others get 403."""

import pytest

from apps.cases.models import Case
from tests.cases.conftest import CASE_WORKER, case_create, user_with_permissions
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def _status(api, task_num, task_status):
    body = {"task_num": task_num, "task_status": task_status}
    return api.post("/video/updateTaskStatus", body, format="json")


def _case_status(task_num: str) -> str:
    return Case.objects.get(task_num=task_num).status


def test_a_moderator_of_the_case_finishes_it(worker_api):
    task_num = case_create(worker_api)
    worker_api.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    response = _status(worker_api, task_num, "finished")
    assert response.status_code == 200
    assert response.json() == {
        "status": 1,
        "message": "success",
        "info": {"task_num": task_num, "task_status": "finished"},
    }
    case = Case.objects.get(task_num=task_num)
    assert case.status == "finished" and case.status_changed_at is not None


def test_someone_who_is_not_its_moderator_gets_403_and_nothing_changes(worker_api, tenant):
    task_num = case_create(worker_api)
    other = api_client_for(user_with_permissions(tenant, *CASE_WORKER))
    other.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    other_case = case_create(other, out_task_num="OTHER")
    other.post("/video/createTaskModerator", {"task_num": other_case}, format="json")
    response = _status(worker_api, task_num, "canceled")
    assert response.status_code == 403
    assert response.json()["message"] == "Access to the requested resource is not allowed"
    assert _case_status(task_num) == "open"
    assert _status(worker_api, other_case, "finished").status_code == 403  # its own case only


def test_the_moderate_permission_ends_any_case_of_the_client(worker_api, tenant):
    task_num = case_create(worker_api)
    supervisor = api_client_for(user_with_permissions(tenant, "cases.moderate_case"))
    assert _status(supervisor, task_num, "canceled").status_code == 200
    assert _case_status(task_num) == "canceled"


def test_the_built_in_roles_carry_the_moderate_permission(worker_api, user_api):
    task_num = case_create(worker_api)
    assert _status(user_api, task_num, "finished").status_code == 200


def test_the_same_status_again_is_a_warning_and_another_is_a_conflict(admin_api):
    task_num = case_create(admin_api)
    _status(admin_api, task_num, "finished")
    again = _status(admin_api, task_num, "finished")
    assert again.status_code == 200 and again.json()["status"] == 2
    conflict = _status(admin_api, task_num, "canceled")
    assert conflict.status_code == 409 and conflict.json()["status"] == 0
    assert _case_status(task_num) == "finished"


@pytest.mark.parametrize("value", ["open", "done", "", None])
def test_task_status_must_be_finished_or_canceled(admin_api, value):
    task_num = case_create(admin_api)
    response = _status(admin_api, task_num, value)
    assert response.status_code == 400
    assert list(response.json()["info"]["errors"]) == ["task_status"]
    assert _case_status(task_num) == "open"


def test_another_clients_case_answers_like_a_missing_one(admin_api, other_tenant):
    theirs = case_create(api_client_for(user_with_permissions(other_tenant, *CASE_WORKER)))
    response = _status(admin_api, theirs, "canceled")
    assert response.status_code == 404
    assert response.json() == {"status": 0, "message": "Resource Not Found", "info": {}}
    assert _case_status(theirs) == "open"


def test_no_token_answers_401(anon_api):
    assert _status(anon_api, "202312210000001", "finished").status_code == 401
