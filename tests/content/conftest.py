"""Fixtures of the content tests: a private MEDIA_ROOT per test and API clients by role."""

import pytest

from tests.conftest import api_client_for
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files go to a temporary folder, removed with the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored(media_root):
    """The files currently in storage (relative paths), to see what was written or deleted."""

    def files() -> set[str]:
        if not media_root.exists():
            return set()
        return {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}

    return files


@pytest.fixture
def other_api(other_tenant):
    """A "user" of another client."""
    return api_client_for(UserFactory(client=other_tenant, roles=["user"]))


@pytest.fixture
def powerless_api(tenant):
    """A user of the client without any role or permission."""
    return api_client_for(UserFactory(client=tenant))


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit work (deleting replaced files) inside the test's transaction."""
    return django_capture_on_commit_callbacks
