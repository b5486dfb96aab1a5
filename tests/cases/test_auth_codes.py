"""getAuthCode and redeemAuthCode: short-lived, single-use, stored hashed, tenant-bound."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from apps.cases.models import CaseAuthCode
from tests.cases.conftest import CASE_WORKER, case_create, user_with_permissions
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _code(api, **body) -> dict:
    response = api.post("/video/getAuthCode", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["info"]


def _redeem(api, code, **body):
    return api.post("/video/redeemAuthCode", {"code": code, **body}, format="json")


def test_a_code_for_oneself_is_short_lived_and_stored_hashed(worker_api, worker):
    before = timezone.now()
    info = _code(worker_api)
    after = timezone.now()
    assert info["user_id"] == worker.pk and info["emp_id"] == str(worker.pk)
    assert info["expires_in"] == 600 and len(info["auth_code"]) >= 32
    row = CaseAuthCode.objects.get()
    assert row.user == worker and row.client_id == worker.client_id
    assert row.code_hash == hashlib.sha256(info["auth_code"].encode()).hexdigest()
    assert info["auth_code"] not in row.code_hash
    lifetime = dt.timedelta(seconds=600)  # bounded by the request, however long it took
    assert before + lifetime <= row.expires_at <= after + lifetime
    assert info["expires_at"] == str(int(row.expires_at.timestamp()))


def test_redeeming_answers_the_moderator_join_links_once(worker_api, worker, anon_api):
    task_num = case_create(worker_api)
    worker_api.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    case_create(worker_api, out_task_num="NOT-MODERATED")
    code = _code(worker_api, user_id=worker.pk)["auth_code"]
    response = _redeem(anon_api, code)
    assert response.status_code == 200
    info = response.json()["info"]
    assert (info["user_id"], info["username"], info["name"]) == (
        worker.pk, worker.username, "Ana Agent",
    )  # fmt: skip
    assert [c["task_num"] for c in info["cases"]] == [task_num]
    assert info["cases"][0]["join_url"].startswith("https://video.example.invalid/join/")
    again = _redeem(anon_api, code)
    assert again.status_code == 400 and list(again.json()["info"]["errors"]) == ["code"]


def test_an_expired_or_unknown_code_is_refused(worker_api, anon_api):
    code = _code(worker_api)["auth_code"]
    CaseAuthCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _redeem(anon_api, code).status_code == 400
    assert _redeem(anon_api, "made-up-code").status_code == 400
    assert CaseAuthCode.objects.get().used_at is None


def test_lifetime_follows_the_setting(worker_api, settings):
    settings.FUSION_VIDEO_AUTH_CODE_SECONDS = 30
    assert _code(worker_api)["expires_in"] == 30


def test_a_case_the_user_does_not_moderate_is_404_and_keeps_the_code(worker_api, anon_api):
    task_num = case_create(worker_api)
    code = _code(worker_api)["auth_code"]
    response = _redeem(anon_api, code, task_num=task_num)
    assert response.status_code == 404
    assert CaseAuthCode.objects.get().used_at is None
    worker_api.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    assert _redeem(anon_api, code, task_num=task_num).json()["info"]["cases"][0]["task_num"] == (
        task_num
    )


def test_a_code_for_someone_else_needs_the_moderate_permission(worker_api, tenant):
    colleague = UserFactory(client=tenant)
    response = worker_api.post("/video/getAuthCode", {"user_id": colleague.pk}, format="json")
    assert response.status_code == 403
    supervisor = api_client_for(user_with_permissions(tenant, "cases.moderate_case"))
    assert _code(supervisor, user_id=colleague.username)["user_id"] == colleague.pk


def test_a_user_of_another_client_cannot_get_a_code(tenant, other_tenant):
    supervisor = api_client_for(user_with_permissions(tenant, "cases.moderate_case"))
    stranger = UserFactory(client=other_tenant)
    response = supervisor.post("/video/getAuthCode", {"user_id": stranger.pk}, format="json")
    assert response.status_code == 400 and "user_id" in response.json()["info"]["errors"]
    assert not CaseAuthCode.objects.exists()


def test_getting_a_code_needs_a_token(anon_api, other_tenant):
    assert anon_api.post("/video/getAuthCode", {}, format="json").status_code == 401
    api = api_client_for(user_with_permissions(other_tenant, *CASE_WORKER))
    assert api.post("/video/getAuthCode/", {}, format="json").status_code == 200
