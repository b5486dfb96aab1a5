"""GET /api/statistics: integer counts of the caller's client, with ICTCore's filters."""

import pytest

from apps.accounts.models import Account
from apps.contacts.models import Contact
from apps.programs.models import Program
from apps.transmissions.models import Transmission
from tests.campaigns.conftest import create_campaign, make_group
from tests.campaigns.test_campaign_run import _due_now
from tests.conftest import api_client_for
from tests.delivery.conftest import run_engine
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_tenant(admin_api, sms, tenant, admin_user, django_capture_on_commit_callbacks):
    """Two groups (3 + 2 contacts), two campaigns (one running), one did, an inbound
    transmission, and the running campaign's three SMS delivered."""
    Account.objects.create(client=tenant, owner=admin_user, username="+15550001", type="did")
    running = create_campaign(admin_api, sms["program"].id, make_group(tenant, 3).id, cpm=6000)
    create_campaign(admin_api, sms["program"].id, make_group(tenant, 2, name="b").id)
    admin_api.put(f"/api/campaigns/{running}/start")
    inbound = Program.objects.create(client=tenant, name="in", type="receivesms",
                                     data={"account_id": sms["account"].id})  # fmt: skip
    Transmission.objects.create(client=tenant, program=inbound, direction="inbound",
                                service_flag=4, status="completed")  # fmt: skip
    _due_now()
    run_engine(django_capture_on_commit_callbacks)


def test_statistics_count_the_callers_client(admin_api, busy_tenant, other_tenant):
    Contact.objects.create(client=other_tenant, phone="+12025550100")  # not ours
    stats = admin_api.get("/api/statistics").json()
    assert stats == {
        "user_total": 1, "account_total": 2, "did_total": 1, "campaign_total": 2,
        "campaign_active": 1, "group_total": 2, "contact_total": 5, "transmission_total": 4,
        "transmission_active": 0, "transmission_inbound": 1, "transmission_outbound": 3,
        "spool_total": 3, "spool_success": 3, "spool_failed": 0,
    }  # fmt: skip
    assert all(type(value) is int for value in stats.values())


def test_statistics_filters(admin_api, busy_tenant):
    def get(query: str) -> dict:
        response = admin_api.get(f"/api/statistics{query}")
        assert response.status_code == 200, response.content
        return response.json()

    assert get("?account_type=did")["account_total"] == 1
    email = get("?service_flag=8")
    assert (email["transmission_total"], email["spool_total"]) == (0, 0)
    sms = get("?service_flag=4")
    assert (sms["transmission_total"], sms["spool_total"]) == (4, 3)
    future = get("?since=2999-01-01T00:00:00Z")
    assert set(future.values()) == {0}
    assert get("?since=946684800")["contact_total"] == 5  # unix seconds: 2000-01-01
    assert admin_api.get("/api/statistics?since=soon").status_code == 412


def test_global_staff_choose_the_client_and_users_cannot(
    admin_api, anon_api, busy_tenant, tenant, other_tenant, global_staff
):
    staff = api_client_for(global_staff)
    assert staff.get(f"/api/statistics?client_id={tenant.id}").json()["contact_total"] == 5
    assert staff.get(f"/api/statistics?client_id={other_tenant.id}").json()["contact_total"] == 0
    assert admin_api.get(f"/api/statistics?client_id={other_tenant.id}").status_code == 404
    stranger = api_client_for(UserFactory(client=other_tenant))
    assert stranger.get("/api/statistics").json()["campaign_total"] == 0
    assert anon_api.get("/api/statistics").status_code == 401
