"""POST /api/authenticate, refresh rotation, logout, both header spellings, throttling."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client: APIClient, **body):
    return client.post("/api/authenticate", body, format="json")


def test_good_password_answers_token_refresh_and_lifetime(anon_api, plain_user):
    response = _login(anon_api, username=plain_user.username, password=PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"token", "refresh", "expires_in"}
    assert body["expires_in"] == 3600
    assert AccessToken(body["token"])["user_id"] == str(plain_user.id)


def test_login_by_email_and_at_root_path(anon_api, plain_user):
    response = anon_api.post(
        "/authenticate", {"email": plain_user.email.upper(), "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert AccessToken(response.json()["token"])["user_id"] == str(plain_user.id)


@pytest.mark.parametrize(
    "body",
    [
        {"username": "nobody", "password": PASSWORD},
        {"username": "USER", "password": "wrong"},
        {"username": "USER"},
        {},
    ],
)
def test_bad_credentials_answer_401_in_comms_envelope(anon_api, plain_user, body):
    if body.get("username") == "USER":
        body["username"] = plain_user.username
    response = _login(anon_api, **body)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401
    assert response.json()["error"]["message"]


def test_inactive_user_cannot_log_in_nor_use_an_old_token(anon_api, plain_user):
    token = _login(anon_api, username=plain_user.username, password=PASSWORD).json()["token"]
    plain_user.is_active = False
    plain_user.save()
    assert _login(anon_api, username=plain_user.username, password=PASSWORD).status_code == 401
    anon_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert anon_api.get("/api/users").status_code == 401


def test_expired_token_answers_401(anon_api, admin_user):
    token = AccessToken.for_user(admin_user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    anon_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = anon_api.get("/api/users")
    assert response.status_code == 401
    assert "error" in response.json()


def test_tampered_token_answers_401(anon_api, admin_user):
    token = str(AccessToken.for_user(admin_user))
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"
    anon_api.credentials(HTTP_AUTHORIZATION=f"Bearer {tampered}")
    assert anon_api.get("/api/users").status_code == 401
    anon_api.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")
    assert anon_api.get("/api/users").status_code == 401


def test_missing_token_answers_401(anon_api):
    response = anon_api.get("/api/users")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_AUTHENTICATION"])
def test_both_header_spellings_are_accepted(anon_api, admin_user, header):
    token = _login(anon_api, username=admin_user.username, password=PASSWORD).json()["token"]
    response = anon_api.get("/api/users", **{header: f"Bearer {token}"})
    assert response.status_code == 200


def test_refresh_rotates_and_a_rotated_refresh_cannot_be_reused(anon_api, plain_user):
    first = _login(anon_api, username=plain_user.username, password=PASSWORD).json()
    rotated = anon_api.post(
        "/api/authenticate/refresh", {"refresh": first["refresh"]}, format="json"
    )
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != first["refresh"]
    assert AccessToken(rotated.json()["token"])["user_id"] == str(plain_user.id)
    reused = anon_api.post(
        "/api/authenticate/refresh", {"refresh": first["refresh"]}, format="json"
    )
    assert reused.status_code == 401


def test_logout_blacklists_the_refresh_token(anon_api, plain_user):
    tokens = _login(anon_api, username=plain_user.username, password=PASSWORD).json()
    assert (
        anon_api.post(
            "/api/authenticate/logout", {"refresh": tokens["refresh"]}, format="json"
        ).status_code
        == 200
    )
    again = anon_api.post(
        "/api/authenticate/refresh", {"refresh": tokens["refresh"]}, format="json"
    )
    assert again.status_code == 401


def test_ten_failures_per_username_then_429_with_retry_after(plain_user):
    for n in range(10):
        client = APIClient(REMOTE_ADDR=f"10.0.0.{n + 1}")  # spread over addresses
        assert _login(client, username=plain_user.username, password="bad").status_code == 401
    blocked = _login(
        APIClient(REMOTE_ADDR="10.0.1.1"), username=plain_user.username, password=PASSWORD
    )
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) >= 1
    other = UserFactory(client=plain_user.client)
    assert (
        _login(
            APIClient(REMOTE_ADDR="10.0.1.1"), username=other.username, password=PASSWORD
        ).status_code
        == 200
    )


def test_ten_failures_per_address_then_429_for_any_username(plain_user):
    client = APIClient(REMOTE_ADDR="192.0.2.7")
    for n in range(10):
        assert _login(client, username=f"guess{n}", password="bad").status_code == 401
    assert _login(client, username=plain_user.username, password=PASSWORD).status_code == 429
    assert (
        _login(
            APIClient(REMOTE_ADDR="192.0.2.8"), username=plain_user.username, password=PASSWORD
        ).status_code
        == 200
    )


def test_logins_answer_503_not_500_while_the_failure_counters_cannot_be_read(
    anon_api, plain_user, redis_down
):
    """Redis (the cache) down: fail closed — no login goes unthrottled — with a clear 503."""
    response = _login(anon_api, username=plain_user.username, password=PASSWORD)
    assert response.status_code == 503
    assert (
        response.json()["error"]["message"]
        == "Login is briefly unavailable; try again in a moment."
    )
