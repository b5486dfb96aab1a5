"""The Callbacks face's endpoints: schedulers, tasks, validation, tenancy."""

import pytest

from apps.callbacks.models import CallTask, TaskScheduler
from tests.callbacks.conftest import make_scheduler, post_tasks, tasks_url
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TASK = {"a_number": "+15005550001", "b_number": "+15005550002"}


def test_scheduler_crud_under_the_callers_client(admin_api, tenant):
    base = f"/client/{tenant.id}/task_scheduler"
    body = {"name": "sales", "concurrent_task_limit": 5, "interval": 2}
    created = admin_api.post(base, body, format="json")
    assert created.status_code == 201, created.content
    scheduler_id = created.json()["id"]
    assert admin_api.get(f"{base}/").json()[0]["name"] == "sales"
    changed = admin_api.patch(f"{base}/{scheduler_id}", {"interval": 5}, format="json")
    assert changed.json()["interval"] == 5
    assert admin_api.delete(f"{base}/{scheduler_id}/").status_code == 204
    assert not TaskScheduler.objects.exists()


def test_scheduler_rejects_an_unknown_time_zone_and_half_hours(admin_api, tenant):
    base = f"/client/{tenant.id}/task_scheduler"
    bad = admin_api.post(base, {"name": "x", "time_zone": "Mars/Base"}, format="json")
    assert bad.status_code == 400 and "time_zone" in bad.json()["errors"]
    half = admin_api.post(base, {"name": "x", "hours_start": "09:00"}, format="json")
    assert half.status_code == 400 and "hours_end" in half.json()["errors"]


def test_tasks_created_answer_the_spec_fields(
    admin_api, tenant, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant, active=False)
    task = {
        **TASK,
        "name": "callback",
        "try_count": 3,
        "try_again_pause": "30",
        "url_after": "https://example.com/after",
        "start_time_utc": "2030-01-15 10:30:00",
        "callback_params": {"caller_id_name": "Shop", "extended_a_numbers": ["+15005550003"]},
    }
    [created] = post_tasks(admin_api, tenant, scheduler, [task], django_capture_on_commit_callbacks)
    assert created["status"] == "scheduled"
    assert created["start_time_utc"] == "2030-01-15 10:30:00"
    assert created["try_again_pause"] == "30" and created["try_count"] == 3
    assert created["scheduler_id"] == scheduler.id and created["cdr"] == ""
    assert created["callback_params"]["extended_a_numbers"] == ["+15005550003"]
    assert set(created) >= {"finish_result", "finish_comment", "create_date_utc", "extension_id"}
    url = f"/client/{tenant.id}/task_scheduler/{scheduler.id}/task/{created['id']}"
    assert admin_api.get(url).json() == created


def test_start_time_in_seconds_from_now(admin_api, tenant, django_capture_on_commit_callbacks):
    scheduler = make_scheduler(tenant, active=False)
    post_tasks(admin_api, tenant, scheduler, [{**TASK, "start_time_utc": 3600}],
               django_capture_on_commit_callbacks)  # fmt: skip
    task = CallTask.objects.get()
    assert 3500 < (task.start_time_utc - task.created_at).total_seconds() < 3700


def test_a_batch_with_one_bad_task_stores_nothing_and_names_index_and_field(admin_api, tenant):
    scheduler = make_scheduler(tenant)
    tasks = [TASK, {**TASK, "try_count": 51}, {**TASK, "url_after": "ftp://example.com/x"}]
    response = admin_api.post(tasks_url(tenant, scheduler), {"tasks": tasks}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"tasks[1].try_count", "tasks[2].url_after"}
    assert not CallTask.objects.exists()


def test_an_empty_batch_and_a_bad_start_time_are_refused(admin_api, tenant):
    scheduler = make_scheduler(tenant)
    url = tasks_url(tenant, scheduler)
    assert admin_api.post(url, {"tasks": []}, format="json").status_code == 400
    bad = admin_api.post(url, {"tasks": [{**TASK, "start_time_utc": "soon"}]}, format="json")
    assert "tasks[0].start_time_utc" in bad.json()["errors"]


def test_task_list_pages_and_filters_by_status(admin_api, tenant):
    scheduler = make_scheduler(tenant)
    when = {"start_time_utc": "2030-01-01T00:00Z", "next_run_at": "2030-01-01T00:00Z"}
    for status in ("scheduled", "scheduled", "finished"):
        CallTask.objects.create(client=tenant, scheduler=scheduler, status=status, **TASK, **when)
    url = tasks_url(tenant, scheduler)
    page = admin_api.get(f"{url}?status=scheduled&limit=1")
    assert page.headers["X-Total-Count"] == "2" and len(page.json()) == 1
    assert admin_api.get(f"{url}?status=bogus").status_code == 400


def test_delete_only_before_execution(admin_api, tenant):
    scheduler = make_scheduler(tenant)
    common = {"client": tenant, "scheduler": scheduler, "start_time_utc": "2030-01-01T00:00Z",
              "next_run_at": "2030-01-01T00:00Z", **TASK}  # fmt: skip
    waiting = CallTask.objects.create(**common)
    running = CallTask.objects.create(status="executed", tries_made=1, **common)
    base = f"/client/{tenant.id}/task_scheduler/{scheduler.id}/task"
    assert admin_api.delete(f"{base}/{waiting.id}").status_code == 204
    assert admin_api.delete(f"{base}/{running.id}/").status_code == 409
    assert list(CallTask.objects.values_list("id", flat=True)) == [running.id]


def test_another_clients_paths_answer_404(admin_api, tenant, other_tenant):
    theirs = make_scheduler(other_tenant)
    mine = make_scheduler(tenant)
    assert admin_api.get(f"/client/{other_tenant.id}/task_scheduler").status_code == 404
    assert admin_api.get(f"/client/{tenant.id}/task_scheduler/{theirs.id}").status_code == 404
    wrong_client = f"/client/{other_tenant.id}/task_scheduler/{theirs.id}/tasks"
    assert admin_api.post(wrong_client, {"tasks": [TASK]}, format="json").status_code == 404
    mixed = f"/client/{other_tenant.id}/task_scheduler/{mine.id}/tasks"
    assert admin_api.get(mixed).status_code == 404
    assert not CallTask.objects.exists()
    other_user = api_client_for(UserFactory(client=other_tenant, roles=["user"]))
    assert other_user.get(f"/client/{tenant.id}/task_scheduler/{mine.id}").status_code == 404


def test_unauthenticated_is_401(anon_api, tenant):
    assert anon_api.get(f"/client/{tenant.id}/task_scheduler").status_code == 401
