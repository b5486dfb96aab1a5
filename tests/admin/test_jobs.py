"""The engine's pages: what the job list shows, exact search, filters, the actions and what
they report, read-only job pages, capped history inlines, and queries that do not grow with
rows."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core import admin_helpers, admin_paging
from apps.delivery.models import Event, Job, OutboxMessage
from tests.admin.conftest import FAILING, make_jobs, sandbox_for

pytestmark = pytest.mark.django_db
JOBS = "/admin/delivery/job/"


def _uuids(response) -> set[str]:
    return {str(job.uuid) for job in response.context["cl"].result_list}


def _act(browser, action: str, jobs, **extra) -> list[str]:
    body = {"action": action, "_selected_action": [job.pk for job in jobs], **extra}
    response = browser.post(JOBS, body, follow=True)
    assert response.status_code == 200
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_list_shows_what_operations_look_for(staff, world):
    html = staff.get(JOBS).content.decode()
    failed = world.jobs["failed"]
    shown = (str(failed.uuid), FAILING, "failed", "sandbox", "1/1", "FAILS", "ops@example.com")
    assert all(text in html for text in shown)


@pytest.mark.parametrize(
    ("term", "expected"),
    [("uuid", "failed"), ("pk", "failed"), ("FAILS", "failed"), (FAILING, "failed"),
     (FAILING[1:], "failed"), ("+15005550100", "future")],
)  # fmt: skip
def test_search_finds_a_job_by_id_log_tag_or_recipient(staff, world, term, expected):
    job = world.jobs[expected]
    term = {"uuid": str(job.uuid), "pk": str(job.pk)}.get(term, term)
    assert _uuids(staff.get(JOBS, {"q": term})) == {str(job.uuid)}


def test_search_matches_exactly_and_an_unknown_term_finds_nothing(staff, world):
    assert _uuids(staff.get(JOBS, {"q": "FAIL"})) == set()
    assert _uuids(staff.get(JOBS, {"q": "OTP"})) == {str(world.jobs["delivered"].uuid)}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: JSON containment lookup (runs in the PostgreSQL suite)",
)
def test_search_finds_an_email_job_by_one_of_its_addresses(staff, world):
    assert _uuids(staff.get(JOBS, {"q": "ops@example.com"})) == {str(world.jobs["email"].uuid)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"status__exact": "failed"}, {"failed"}), ({"reason": "sandbox"}, {"failed"}),
     ({"reason": "__any__"}, {"failed"}), ({"channel__exact": "email"}, {"email"}),
     ({"status__exact": "scheduled", "origin": "queue"}, {"future"})],
)  # fmt: skip
def test_filters_narrow_the_list(staff, world, query, expected):
    assert _uuids(staff.get(JOBS, query)) == {str(world.jobs[name].uuid) for name in expected}


def test_the_provider_filter_finds_jobs_tried_on_it_and_offers_only_own_providers(
    tenant_staff, world
):
    response = tenant_staff.get(JOBS, {"provider": world.provider.pk})
    assert str(world.jobs["failed"].uuid) in _uuids(response)
    assert str(world.jobs["future"].uuid) not in _uuids(response)  # never tried
    html = response.content.decode()
    assert "Their gateway" not in html and "By client" not in html


def test_cancel_retry_and_run_now_call_the_services_and_report(staff, world):
    future, failed, delivered = (world.jobs[k] for k in ("future", "failed", "delivered"))
    assert _act(staff, "jobs_run_now", [future]) == ["Run now: 1 job(s) done."]
    future.refresh_from_db()
    assert future.run_at <= timezone.now()
    assert Event.objects.filter(job=future, kind="rescheduled").exists()
    said = _act(staff, "jobs_cancel", [future, delivered])
    assert said == ["Cancel: 1 job(s) done; 1 skipped (not in a state that allows it)."]
    assert Job.objects.get(pk=future.pk).status == Job.Status.CANCELLED
    assert _act(staff, "jobs_retry", [failed]) == ["Retry: 1 job(s) done."]
    failed.refresh_from_db()
    assert failed.status == Job.Status.RETRYING and failed.attempts_allowed == 2
    assert _act(staff, "jobs_retry", [delivered]) == [
        "Retry: 0 job(s) done; 1 skipped (not in a state that allows it)."
    ]


def test_an_action_over_too_many_rows_is_refused(staff, world, monkeypatch):
    monkeypatch.setattr(admin_paging, "ACTION_LIMIT", 2)
    said = _act(staff, "jobs_cancel", [world.jobs["future"]], select_across="1", index="0")
    assert said and said[0].startswith("An action may touch at most 2 rows")
    assert Job.objects.get(pk=world.jobs["future"].pk).status == Job.Status.SCHEDULED


def test_a_job_page_is_read_only_and_links_its_whole_history(staff, world):
    job = world.jobs["failed"]
    page = staff.get(f"{JOBS}{job.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and 'name="status"' not in html and 'name="_save"' not in html
    assert f"/admin/delivery/event/?job__id__exact={job.pk}" in html
    assert staff.post(f"{JOBS}{job.pk}/change/", {"status": "scheduled"}).status_code == 403
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
    events = staff.get("/admin/delivery/event/", {"job__id__exact": job.pk})
    assert {e.job_id for e in events.context["cl"].result_list} == {job.pk}


def test_the_events_inline_shows_only_the_latest_ones(staff, world):
    job = world.jobs["delivered"]
    Event.objects.bulk_create(Event(job=job, kind="throttled") for _ in range(60))
    page = staff.get(f"{JOBS}{job.pk}/change/")
    shown = {f.formset.model.__name__: f.formset for f in page.context["inline_admin_formsets"]}
    events = shown["Event"].forms
    assert len(events) == admin_helpers.INLINE_CAP
    assert events[0].instance.pk == Event.objects.filter(job=job).order_by("-id")[0].pk
    assert len(shown["Attempt"].forms) == 1


def test_attempts_are_found_by_the_vendors_message_id(staff, world):
    attempt = world.jobs["delivered"].attempts.get()
    listed = staff.get("/admin/delivery/attempt/", {"q": attempt.provider_message_id})
    assert [a.pk for a in listed.context["cl"].result_list] == [attempt.pk]
    outbox = OutboxMessage.objects.get(job_uuid=world.jobs["delivered"].uuid)
    listed = staff.get("/admin/delivery/outboxmessage/", {"q": str(outbox.job_uuid)})
    assert [m.pk for m in listed.context["cl"].result_list] == [outbox.pk]


def _queries(browser, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["staff", "tenant_staff"])
def test_job_list_queries_do_not_grow_with_rows(
    request, who, tenant, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    browser = request.getfixturevalue(who)
    sandbox_for(tenant)
    make_jobs(tenant.id, django_capture_on_commit_callbacks, count=2)
    few = _queries(browser, JOBS)
    make_jobs(tenant.id, django_capture_on_commit_callbacks, count=40)
    with django_assert_max_num_queries(few):
        assert len(browser.get(JOBS).context["cl"].result_list) == 48
    for url in ("/admin/delivery/attempt/", "/admin/delivery/event/", f"{JOBS}?q=OTP"):
        assert _queries(browser, url) <= few


def test_only_a_finished_job_can_be_deleted_and_its_history_goes_with_it(staff, world):
    future, failed = world.jobs["future"], world.jobs["failed"]
    assert staff.get(f"{JOBS}{future.pk}/delete/").status_code == 403
    assert staff.post(f"{JOBS}{failed.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Job.objects.filter(pk=failed.pk).exists()
    assert not Event.objects.filter(job_id=failed.pk).exists()
    names = [name for name, *_ in staff.get(JOBS).context["action_form"].fields["action"].choices]
    assert "delete_selected" not in names


@pytest.mark.parametrize("url", [JOBS, "/admin/delivery/attempt/", "/admin/delivery/event/",
                                 "/admin/delivery/outboxmessage/"])  # fmt: skip
def test_the_engine_lists_never_scan_a_table_for_filter_choices_or_dates(staff, world, url):
    with CaptureQueriesContext(connection) as captured:
        assert staff.get(url).status_code == 200
    scans = [q["sql"] for q in captured if any(word in q["sql"].upper()
             for word in ("DISTINCT", "MIN(", "MAX(", "GROUP BY"))]  # fmt: skip
    assert scans == []
