"""/health/ up and down, heartbeats, and the OpenAPI schema."""

import pytest
from django.core.management import call_command
from django.db import connection

from apps.core.heartbeat import heartbeat_record

pytestmark = pytest.mark.django_db


def test_health_is_public_and_reports_every_part(anon_api):
    response = anon_api.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok" and body["broker"]["status"] == "ok"
    assert body["worker"]["status"] == "missing" and body["beat"]["status"] == "missing"


def test_health_shows_worker_and_beat_heartbeats(anon_api):
    heartbeat_record(kind="worker", name="celery@test")
    heartbeat_record(kind="beat", name="beat-host")
    body = anon_api.get("/health").json()
    assert body["worker"]["status"] == "ok" and body["worker"]["instances"] == ["celery@test"]
    assert body["beat"]["status"] == "ok"


def test_health_answers_503_when_the_broker_is_unreachable(anon_api, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = anon_api.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"]["status"] == "down"


def test_health_answers_503_when_the_database_is_unreachable(anon_api, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.OperationalError("connection refused")

    # Stand-in for a dead server: the driver refuses to open a cursor.
    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = anon_api.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "down"


def test_openapi_schema_builds_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/users/{user_id}/roles/{role_id}" in text and "bearerAuth" in text


def test_docs_and_schema_are_served(anon_api):
    assert anon_api.get("/schema/").status_code == 200
    assert anon_api.get("/docs/").status_code == 200


def test_health_answers_503_not_500_when_redis_is_down(anon_api, redis_down):
    """Redis is both broker and cache: the heartbeats it holds cannot be read either."""
    response = anon_api.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["status"] == "down" and body["database"]["status"] == "ok"
    assert body["worker"]["status"] == body["beat"]["status"] == "unknown"
