"""The Callbacks face against task-scheduler-api.txt: answer shapes and types, input
leniency the spec implies, error keys, malformed ids and paths with or without a slash."""

import re

import pytest

from apps.callbacks.models import CallRecord, CallTask, TaskScheduler
from tests.callbacks.conftest import make_scheduler, post_tasks, tasks_url

pytestmark = pytest.mark.django_db

TASK = {"a_number": "+15005550001", "b_number": "+15005550002"}
SPEC_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
# The spec's response fields and their JSON types (start_time_utc: see docs/callbacks.md).
SPEC_TYPES = {
    "id": int, "scheduler_id": int, "name": str, "a_number": str, "b_number": str,
    "extension_id": (int, type(None)), "try_count": int, "try_again_pause": str,
    "url_before": str, "url_before_again": str, "url_success": str, "url_after": str,
    "start_time_utc": str, "callback_params": dict, "status": str, "finish_result": str,
    "finish_comment": str, "cdr": str, "create_date_utc": str,
}  # fmt: skip


def _post(api, tenant, scheduler, tasks):
    return api.post(tasks_url(tenant, scheduler), {"tasks": tasks}, format="json")


def test_a_task_answers_exactly_the_spec_fields_with_the_spec_types(
    admin_api, tenant, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant, active=False)
    task = {**TASK, "extension_id": "7", "try_again_pause": 45, "start_time_utc": 60}
    [created] = post_tasks(admin_api, tenant, scheduler, [task], django_capture_on_commit_callbacks)
    assert set(created) == set(SPEC_TYPES)
    for field, kind in SPEC_TYPES.items():
        assert isinstance(created[field], kind), (field, created[field])
    assert (created["extension_id"], created["try_again_pause"]) == (7, "45")
    assert SPEC_TIME.fullmatch(created["start_time_utc"])
    assert SPEC_TIME.fullmatch(created["create_date_utc"])
    assert (created["finish_result"], created["cdr"], created["status"]) == ("", "", "scheduled")


def test_optional_fields_sent_as_null_take_their_defaults(
    admin_api, tenant, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant, active=False)
    nulls = dict.fromkeys(
        ["name", "extension_id", "try_count", "try_again_pause", "url_before", "url_after",
         "start_time_utc", "callback_params"]
    )  # fmt: skip
    params = {"callback_params": {"caller_id_name": None, "extended_a_numbers": None}}
    tasks = [{**TASK, **nulls}, {**TASK, **params, "start_time_utc": ""}]
    made = post_tasks(admin_api, tenant, scheduler, tasks, django_capture_on_commit_callbacks)
    assert [(t["try_count"], t["try_again_pause"]) for t in made] == [(1, "0"), (1, "0")]
    assert made[0]["callback_params"] == {} and made[1]["callback_params"] == {}
    for row in CallTask.objects.all():  # null and "" start now
        assert abs((row.start_time_utc - row.created_at).total_seconds()) < 5


def test_a_required_number_sent_as_null_is_still_refused(admin_api, tenant):
    response = _post(admin_api, tenant, make_scheduler(tenant), [{**TASK, "b_number": None}])
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"tasks[0].b_number"}


def test_numbers_are_checked_and_written_without_separators(
    admin_api, tenant, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant, active=False)
    bad = [{**TASK, "a_number": "call me"}, {**TASK, "b_number": "+1+2"},
           {**TASK, "callback_params": {"caller_id_number": "shop"}}]  # fmt: skip
    errors = _post(admin_api, tenant, scheduler, bad).json()["errors"]
    assert set(errors) == {"tasks[0].a_number", "tasks[1].b_number",
                           "tasks[2].callback_params.caller_id_number"}  # fmt: skip
    spaced = {"a_number": "+1 (500) 555-0001", "b_number": "101",
              "callback_params": {"extended_a_numbers": ["+1 500.555.0003"]}}  # fmt: skip
    [made] = post_tasks(admin_api, tenant, scheduler, [spaced], django_capture_on_commit_callbacks)
    assert (made["a_number"], made["b_number"]) == ("+15005550001", "101")
    assert made["callback_params"]["extended_a_numbers"] == ["+15005550003"]


def test_nested_errors_name_the_task_index_and_the_full_field_path(admin_api, tenant):
    params = {"extended_a_numbers": ["+15005550003", "", "x"]}
    response = _post(admin_api, tenant, make_scheduler(tenant),
                     [TASK, {**TASK, "callback_params": params}])  # fmt: skip
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "tasks[1].callback_params.extended_a_numbers[1]",
        "tasks[1].callback_params.extended_a_numbers[2]",
    }
    assert not CallTask.objects.exists()


@pytest.mark.parametrize("when", ["2030-02-30 10:00:00", "2030-01-15 25:00:00", -5, "nan"])
def test_an_impossible_start_time_is_a_400_naming_the_field(admin_api, tenant, when):
    response = _post(admin_api, tenant, make_scheduler(tenant), [{**TASK, "start_time_utc": when}])
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"tasks[0].start_time_utc"}


def test_calling_hours_that_start_where_they_end_are_refused(admin_api, tenant):
    base = f"/client/{tenant.id}/task_scheduler"
    body = {"name": "x", "hours_start": "09:00", "hours_end": "09:00"}
    response = admin_api.post(base, body, format="json")
    assert response.status_code == 400 and "hours_end" in response.json()["errors"]
    overnight = admin_api.post(base, {**body, "hours_end": "06:00"}, format="json")
    assert overnight.status_code == 201, overnight.content


def test_a_malformed_call_uuid_is_404_not_500(admin_api, tenant):
    for bad in ("0" * 33, "-" * 36, "g" * 32):
        response = admin_api.get(f"/client/{tenant.id}/call_history/{bad}")
        assert response.status_code == 404, (bad, response.status_code)


def _record(tenant, scheduler) -> CallRecord:
    when = {"start_time_utc": "2030-01-01T00:00Z", "next_run_at": "2030-01-01T00:00Z"}
    task = CallTask.objects.create(client=tenant, scheduler=scheduler, **TASK, **when)
    return CallRecord.objects.create(client=tenant, task=task, scheduler=scheduler)


def test_every_path_answers_with_and_without_the_trailing_slash(admin_api, tenant):
    scheduler = make_scheduler(tenant)
    record = _record(tenant, scheduler)
    base = f"/client/{tenant.id}"
    paths = [f"{base}/task_scheduler", f"{base}/task_scheduler/{scheduler.id}",
             f"{base}/task_scheduler/{scheduler.id}/tasks",
             f"{base}/task_scheduler/{scheduler.id}/task/{record.task_id}",
             f"{base}/call_history/{record.uuid}"]  # fmt: skip
    for path in paths:
        for variant in (path, f"{path}/"):
            assert admin_api.get(variant).status_code == 200, variant
    for variant in (paths[2], f"{paths[2]}/"):  # a POST is never redirected
        assert admin_api.post(variant, {"tasks": [TASK]}, format="json").status_code == 201


def test_another_clients_call_history_is_404_even_when_it_exists(admin_api, other_tenant):
    record = _record(other_tenant, make_scheduler(other_tenant))
    assert admin_api.get(f"/client/{other_tenant.id}/call_history/{record.uuid}").status_code == 404
    assert (
        admin_api.get(f"/client/{other_tenant.id}/call_history/{record.uuid}/").status_code == 404
    )


def test_every_endpoint_needs_a_jwt(anon_api, tenant):
    scheduler = make_scheduler(tenant)
    record = _record(tenant, scheduler)
    base = f"/client/{tenant.id}/task_scheduler/{scheduler.id}"
    assert anon_api.post(f"{base}/tasks/", {"tasks": [TASK]}, format="json").status_code == 401
    for path in (base, f"{base}/tasks", f"{base}/task/{record.task_id}",
                 f"/client/{tenant.id}/call_history/{record.uuid}"):  # fmt: skip
        assert anon_api.get(path).status_code == 401, path
    assert anon_api.delete(base).status_code == 401
    assert TaskScheduler.objects.filter(pk=scheduler.pk).exists()


def test_a_delayed_or_finished_task_cannot_be_deleted(admin_api, tenant):
    scheduler = make_scheduler(tenant)
    when = {"start_time_utc": "2030-01-01T00:00Z", "next_run_at": "2030-01-01T00:00Z"}
    common = {"client": tenant, "scheduler": scheduler, **TASK, **when}
    delayed = CallTask.objects.create(status="delayed", tries_made=1, try_count=3, **common)
    done = CallTask.objects.create(
        status="finished", finish_result="failed", tries_made=1, **common
    )
    base = f"/client/{tenant.id}/task_scheduler/{scheduler.id}/task"
    for task in (delayed, done):
        response = admin_api.delete(f"{base}/{task.id}")
        assert response.status_code == 409 and "detail" in response.json()
    assert CallTask.objects.count() == 2
