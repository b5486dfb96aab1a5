"""Shared fixtures: tenants, users by role, and API clients that carry a JWT."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.factories import ClientFactory, UserFactory


def _cache_clear() -> None:
    """Empty this run's cache keys (only ours: Redis may be shared)."""
    backend = cache._cache if hasattr(cache, "_cache") else None
    if backend is not None and hasattr(backend, "get_client"):
        redis = backend.get_client(write=True)
        for key in redis.scan_iter(match=f"{cache.key_prefix}:*"):
            redis.delete(key)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    _cache_clear()
    yield
    _cache_clear()


@pytest.fixture
def tenant(db):
    return ClientFactory()


@pytest.fixture
def other_tenant(db):
    return ClientFactory()


@pytest.fixture
def admin_user(tenant):
    """A client's admin: manages its own client's users."""
    return UserFactory(client=tenant, roles=["admin"])


@pytest.fixture
def plain_user(tenant):
    return UserFactory(client=tenant, roles=["user"])


@pytest.fixture
def global_staff(db):
    """Staff with the global permission: sees every client."""
    return UserFactory(client=None, is_staff=True, is_superuser=True)


def api_client_for(user) -> APIClient:
    """An API client whose requests carry ``Authorization: Bearer <access token>``."""
    client = APIClient()
    token = RefreshToken.for_user(user).access_token
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def admin_api(admin_user):
    return api_client_for(admin_user)


@pytest.fixture
def user_api(plain_user):
    return api_client_for(plain_user)


@pytest.fixture
def anon_api():
    return APIClient()


@pytest.fixture
def allow_local_http(settings):
    """Let the SSRF guard reach this machine's test servers (127.0.0.1 only)."""
    settings.FUSION_SSRF_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture
def redis_down(settings):
    """Redis unreachable, as broker and as cache (nothing listens on port 1)."""
    dead = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}
    }
    settings.CELERY_BROKER_URL = dead
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's broker folder, and its worker logs when everything passed."""
    import shutil

    from django.conf import settings

    run = getattr(settings, "FUSION_TEST_RUN", None)
    if not run:
        return
    shutil.rmtree(settings.VAR_DIR / f"test-broker-{run}", ignore_errors=True)
    if exitstatus == 0:
        for log in settings.VAR_DIR.glob(f"test-worker-{run}-*.log"):
            log.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def httpserver_listen_address():
    """pytest-httpserver binds 127.0.0.1 (never "localhost", which may resolve to ::1)."""
    return ("127.0.0.1", 0)
