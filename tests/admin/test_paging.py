"""Counting big lists: the planner's estimate for an unfiltered table on PostgreSQL, a count
that stops at COUNT_CAP for a filtered one, an exact count for a small unfiltered one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import admin_paging
from apps.core.admin_paging import EstimatedCountPaginator, ShownCount
from apps.delivery.models import Job
from tests.admin.conftest import make_jobs, sandbox_for

pytestmark = pytest.mark.django_db
POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the estimate reads pg_class.reltuples (runs in the PostgreSQL suite)",
)


@pytest.fixture
def jobs(tenant, django_capture_on_commit_callbacks):
    sandbox_for(tenant)
    make_jobs(tenant.id, django_capture_on_commit_callbacks, count=4)  # 7 jobs
    return Job.objects.order_by("-id")


def _analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE delivery_job")


def _job_counts(queries) -> list[str]:
    sqls = [query["sql"] for query in queries]
    return [sql for sql in sqls if "COUNT(" in sql.upper() and "delivery_job" in sql]


def test_a_filtered_list_is_counted_up_to_the_cap(jobs, monkeypatch):
    monkeypatch.setattr(admin_paging, "COUNT_CAP", 3)
    count = EstimatedCountPaginator(jobs.filter(channel="sms"), 2).count
    assert count == 3 and isinstance(count, ShownCount) and str(count) == "3+"
    exact = EstimatedCountPaginator(jobs.filter(channel="email"), 2).count
    assert exact == 1 and str(exact) == "1"


def test_a_small_unfiltered_table_is_counted_exactly(jobs):
    count = EstimatedCountPaginator(jobs, 2).count
    assert count == 7 and not isinstance(count, ShownCount)


@POSTGRES_ONLY
def test_a_big_unfiltered_table_is_estimated_without_counting(jobs, monkeypatch):
    monkeypatch.setattr(admin_paging, "ESTIMATE_ABOVE", 5)
    _analyse()
    with CaptureQueriesContext(connection) as captured:
        count = EstimatedCountPaginator(jobs, 2).count
    assert count == 7 and str(count) == "about 7" and _job_counts(captured) == []


@POSTGRES_ONLY
def test_the_job_list_of_global_staff_never_counts_the_table(staff, jobs, monkeypatch):
    monkeypatch.setattr(admin_paging, "ESTIMATE_ABOVE", 5)
    _analyse()
    with CaptureQueriesContext(connection) as captured:
        page = staff.get("/admin/delivery/job/")
    assert page.status_code == 200 and _job_counts(captured) == []
    assert "about 7 jobs" in page.content.decode()


def test_a_client_staff_list_counts_at_most_the_cap(tenant_staff, jobs, monkeypatch):
    monkeypatch.setattr(admin_paging, "COUNT_CAP", 5)
    with CaptureQueriesContext(connection) as captured:
        page = tenant_staff.get("/admin/delivery/job/")
    counts = _job_counts(captured)
    assert len(counts) == 1 and "LIMIT 6" in counts[0].upper()
    assert "5+ jobs" in page.content.decode()
