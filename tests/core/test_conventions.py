"""Conventions every face shares: trailing slashes, paging headers, 404s, 413, envelopes."""

import pytest
from django.test import override_settings

from apps.core.exceptions import CALLBACKS, COMMS, QUEUE, VIDEO, error_body
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_paths_answer_with_and_without_trailing_slash(admin_api, admin_user):
    assert admin_api.get("/api/users").status_code == 200
    assert admin_api.get("/api/users/").status_code == 200
    assert admin_api.get(f"/api/users/{admin_user.id}/").status_code == 200


def test_post_is_never_redirected(admin_api):
    body = {"username": "slashy", "password": "Slash-pass-123"}
    response = admin_api.post("/api/users/", body, format="json")
    assert response.status_code == 200 and "user_id" in response.json()
    response = admin_api.post("/api/users", {**body, "username": "noslash"}, format="json")
    assert response.status_code == 200


def test_lists_are_plain_arrays_paged_by_limit_and_offset(admin_api, tenant):
    UserFactory.create_batch(4, client=tenant)  # 5 users with the admin
    response = admin_api.get("/api/users?limit=2&offset=1")
    assert isinstance(response.json(), list) and len(response.json()) == 2
    assert response["X-Total-Count"] == "5"
    assert 'rel="next"' in response["Link"] and "offset=3" in response["Link"]
    last = admin_api.get("/api/users?limit=2&offset=4")
    assert len(last.json()) == 1 and 'rel="next"' not in last.get("Link", "")


def test_limit_defaults_to_100_and_is_capped_at_1000(admin_api, tenant):
    UserFactory.create_batch(101, client=tenant)
    assert len(admin_api.get("/api/users").json()) == 100
    assert len(admin_api.get("/api/users?limit=5000").json()) == 102


def test_unknown_route_answers_404_in_the_faces_envelope(admin_api):
    response = admin_api.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 404
    assert admin_api.get("/api/users/999999").json()["error"]["code"] == 404


@override_settings(FUSION_MAX_BODY_BYTES=1024)
def test_oversized_body_answers_413(admin_api):
    response = admin_api.post("/api/users", {"username": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == 413


def test_malformed_json_answers_412_not_500(admin_api):
    response = admin_api.generic("POST", "/api/users", "{not json", content_type="application/json")
    assert response.status_code == 412


def test_each_face_has_its_envelope():
    detail = {"phone": ["Not a phone number."]}
    assert error_body(COMMS, 400, detail) == (
        {"error": {"code": 412, "message": "phone: Not a phone number.", "fields": detail}},
        412,
    )
    assert error_body(QUEUE, 400, detail) == ({"code": 400, "errors": detail}, 400)
    assert error_body(QUEUE, 404, "Job not found.") == (
        {"code": 401, "message": "Job not found."},
        404,
    )
    body, status = error_body(VIDEO, 403, "Not a moderator.")
    assert body["status"] == 0 and body["message"] == "Not a moderator." and status == 403
    assert error_body(CALLBACKS, 400, detail)[0]["errors"] == detail
