"""Task numbers under concurrency (PostgreSQL), and the back-office pages of cases."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from apps.cases.models import Case, CaseMember
from apps.cases.numbering import task_num_allocate
from tests.cases.conftest import CUSTOMER, case_create


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_concurrent_allocations_never_hand_out_a_number_twice():
    day, numbers, errors = dt.date(2031, 5, 6), [], []
    barrier = threading.Barrier(8)

    def allocate():
        try:
            barrier.wait()
            for _ in range(10):
                with transaction.atomic():
                    numbers.append(task_num_allocate(day=day))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == [f"20310506{n:07d}" for n in range(1, 81)]


@pytest.mark.django_db
def test_admin_lists_filters_searches_and_shows_members(admin_api, staff_browser):
    task_num = case_create(admin_api)
    admin_api.post(
        "/video/createTaskPublisher", {"task_num": task_num, "customer": [CUSTOMER]}, format="json"
    )
    case = Case.objects.get(task_num=task_num)
    listing = staff_browser.get("/admin/cases/case/", {"q": task_num, "status__exact": "open"})
    assert listing.status_code == 200 and task_num in listing.content.decode()
    empty = staff_browser.get("/admin/cases/case/", {"q": "nothing-like-it"})
    assert task_num not in empty.content.decode()
    page = staff_browser.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert CaseMember.objects.get().join_token in page and "Chen" in page


@pytest.mark.django_db
def test_a_case_added_in_the_admin_gets_a_task_number(staff_browser, tenant):
    response = staff_browser.post(
        "/admin/cases/case/add/",
        {
            "client": tenant.pk, "business_id": 1, "out_task_num": "ADM-1", "task_type": "normal",
            "task_time_0": "2030-01-01", "task_time_1": "10:00:00", "branch_code": "1",
            "room_type": "normal", "video": "on", "status": "open",
            "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(out_task_num="ADM-1")
    assert len(case.task_num) == 15 and case.task_num.isdigit()
