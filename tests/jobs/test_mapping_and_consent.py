"""POST/GET /mapping/ (synchronous upsert) and POST /update_consent/ (WhatsApp consent)."""

import pytest

from apps.delivery.models import Job
from apps.jobs.models import KeywordMapping, WhatsAppConsent
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_api(other_tenant):
    return api_client_for(UserFactory(client=other_tenant, roles=["user"]))


def mapping_post(api, *entries):
    return api.post("/mapping/", list(entries), format="json")


# --- /mapping/ --------------------------------------------------------------------------


def test_mapping_upserts_at_once_and_queues_no_job(user_api, tenant):
    response = mapping_post(
        user_api, {"keyword": "term1", "data": {"a": 1}}, {"keyword": "term2", "data": [1, 2]}
    )
    assert response.status_code == 200
    assert response.json() == {"code": 200, "job_ids": [], "keywords": ["term1", "term2"]}
    stored = {m.keyword: m.data for m in KeywordMapping.objects.filter(client=tenant)}
    assert stored == {"term1": {"a": 1}, "term2": [1, 2]}
    assert Job.objects.count() == 0


def test_mapping_replaces_the_data_of_an_existing_keyword(user_api, tenant):
    mapping_post(user_api, {"keyword": "term1", "data": {"v": 1}})
    first = KeywordMapping.objects.get()
    mapping_post(user_api, {"keyword": "term1", "data": {"v": 2}})
    again = KeywordMapping.objects.get()
    assert again.pk == first.pk and again.data == {"v": 2}
    assert again.updated_at > first.updated_at


def test_a_keyword_given_twice_keeps_its_last_data(user_api):
    response = mapping_post(
        user_api, {"keyword": "k", "data": {"v": 1}}, {"keyword": "k", "data": {"v": 2}}
    )
    assert response.json()["keywords"] == ["k"]
    assert KeywordMapping.objects.get().data == {"v": 2}


def test_a_bad_entry_rejects_the_batch(user_api):
    response = mapping_post(user_api, {"keyword": "ok", "data": {}}, {"data": {}})
    assert response.status_code == 400 and "1.keyword" in response.json()["errors"]
    assert KeywordMapping.objects.count() == 0


def test_mappings_of_clients_are_separate(user_api, other_api):
    mapping_post(user_api, {"keyword": "term1", "data": "mine"})
    mapping_post(other_api, {"keyword": "term1", "data": "theirs"})
    assert KeywordMapping.objects.count() == 2
    assert user_api.get("/mapping/term1").json()["data"] == "mine"
    assert [m["data"] for m in other_api.get("/mapping/").json()] == ["theirs"]


def test_mapping_list_is_a_paged_plain_array(user_api):
    mapping_post(user_api, *({"keyword": f"k{i}", "data": i} for i in range(3)))
    response = user_api.get("/mapping/?limit=2")
    assert response.status_code == 200 and response["X-Total-Count"] == "3"
    body = response.json()
    assert [m["keyword"] for m in body] == ["k0", "k1"]
    assert set(body[0]) == {"keyword", "data", "updated_at"}
    assert 'rel="next"' in response["Link"]


def test_mapping_detail_and_its_404(user_api, other_api):
    mapping_post(other_api, {"keyword": "theirs", "data": 1})
    mapping_post(user_api, {"keyword": "a b", "data": {"x": "y"}})
    assert user_api.get("/mapping/a%20b/").json()["data"] == {"x": "y"}
    for keyword in ("missing", "theirs"):
        response = user_api.get(f"/mapping/{keyword}")
        assert response.status_code == 404 and response.json()["code"] == 401


def test_mapping_needs_a_token_and_a_client(anon_api, global_staff):
    assert mapping_post(anon_api, {"keyword": "k", "data": 1}).status_code == 401
    assert anon_api.get("/mapping/").status_code == 401
    response = mapping_post(api_client_for(global_staff), {"keyword": "k", "data": 1})
    assert response.status_code == 400 and "client" in response.json()["errors"]


@pytest.mark.parametrize("path", ["/mapping", "/mapping/"])
def test_mapping_answers_with_and_without_trailing_slash(user_api, path):
    assert user_api.post(path, [{"keyword": "k", "data": 1}], format="json").status_code == 200
    assert user_api.get(path).status_code == 200


# --- /update_consent/ -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        ("opt_in", "opted_in"), ("optin", "opted_in"), ("subscribe", "opted_in"), (1, "opted_in"),
        ("OPT_OUT", "opted_out"), ("optout", "opted_out"), ("unsubscribe", "opted_out"),
        (0, "opted_out"), ("0", "opted_out"),
    ],
)  # fmt: skip
def test_consent_types_map_to_opted_in_or_out(user_api, tenant, kind, state):
    body = {"type": kind, "cache_key": "patient-42", "details_obj": {"via": "sms"}}
    response = user_api.post("/update_consent/", body, format="json")
    assert response.status_code == 200
    assert response.json() == {"code": 200, "cache_key": "patient-42", "state": state}
    consent = WhatsAppConsent.objects.get(client=tenant, cache_key="patient-42")
    assert consent.state == state and consent.details == {"via": "sms"}


def test_consent_keeps_the_latest_state_per_key(user_api):
    for kind in ("opt_in", "opt_out"):
        body = {"type": kind, "cache_key": "k", "details_obj": {"step": kind}}
        user_api.post("/update_consent", body, format="json")
    consent = WhatsAppConsent.objects.get()
    assert consent.state == "opted_out" and consent.details == {"step": "opt_out"}
    assert consent.updated_at >= consent.created_at


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "maybe", "cache_key": "k"}, "type"),
        ({"type": 2, "cache_key": "k"}, "type"),
        ({"cache_key": "k"}, "type"),
        ({"type": "opt_in"}, "cache_key"),
        ({"type": "opt_in", "cache_key": "k", "details_obj": "x"}, "details_obj"),
    ],
)
def test_bad_consent_is_refused_naming_the_field(user_api, body, field):
    response = user_api.post("/update_consent/", body, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert WhatsAppConsent.objects.count() == 0


def test_consent_is_per_client(user_api, other_api, tenant):
    user_api.post("/update_consent/", {"type": "opt_out", "cache_key": "k"}, format="json")
    other_api.post("/update_consent/", {"type": "opt_in", "cache_key": "k"}, format="json")
    assert WhatsAppConsent.objects.get(client=tenant).state == "opted_out"
    assert WhatsAppConsent.objects.count() == 2


def test_consent_needs_a_token(anon_api):
    body = {"type": "opt_out", "cache_key": "k"}
    assert anon_api.post("/update_consent/", body, format="json").status_code == 401
