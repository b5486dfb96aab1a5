"""Every Queue-face endpoint: 401 without a token, 403 without its permission, both slashes."""

import uuid

import pytest

from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JOB = str(uuid.uuid4())
ENDPOINTS = [
    ("post", "/queue/", [{"task": 1, "task_type": 1, "data": {}}]),
    ("post", "/schedule/", [{"task": 1, "task_type": 1, "data": {}}]),
    ("post", "/jobInfo/", {"id": JOB}),
    ("post", "/cancelJob/", {"job_id": [JOB]}),
    ("post", "/rescheduleJob/", {"job_id": JOB, "resc_at": "2099-01-01T00:00:00"}),
    ("post", "/retryTask/", [{"job_id": JOB}]),
    ("post", "/mapping/", [{"keyword": "k", "data": 1}]),
    ("get", "/mapping/", None),
    ("get", "/mapping/k/", None),
    ("post", "/update_consent/", {"type": "opt_in", "cache_key": "k"}),
]


def call(api, method: str, path: str, body):
    return getattr(api, method)(path, body, format="json") if body is not None else api.get(path)


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("slash", [True, False])
def test_no_token_answers_401_in_the_queue_envelope(anon_api, method, path, body, slash):
    response = call(anon_api, method, path if slash else path.rstrip("/"), body)
    assert response.status_code == 401 and response.json()["code"] == 401


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_a_user_without_permissions_gets_403(tenant, method, path, body):
    response = call(api_client_for(UserFactory(client=tenant)), method, path, body)
    assert response.status_code == 403 and response.json()["code"] == 403


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("slash", [True, False])
def test_the_user_role_reaches_every_endpoint_with_or_without_slash(
    user_api, method, path, body, slash
):
    response = call(user_api, method, path if slash else path.rstrip("/"), body)
    assert response.status_code not in (401, 403, 405), response.json()
    # A 404 here must be the view's "not found", not an unknown route.
    assert "Invalid API location" not in str(response.json())
