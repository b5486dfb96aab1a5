"""Fixtures of the inbound and receipt tests: private media storage, a client with a sandbox
provider and a communication account, and small real PDFs."""

import base64
import io

import pytest
from pypdf import PdfWriter

from apps.accounts.models import Account
from apps.providers.inbound import provider_inbound_url
from tests.conftest import api_client_for
from tests.delivery.conftest import sandbox  # noqa: F401 (fixture)
from tests.factories import UserFactory

DID = "+12135550100"
MAILBOX = "desk@acme.example"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files go to a temporary folder, removed with the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored(media_root):
    """The files in storage now (paths relative to MEDIA_ROOT)."""

    def files() -> set[str]:
        if not media_root.exists():
            return set()
        return {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}

    return files


@pytest.fixture
def account(tenant, admin_user):
    """The client's DID and mailbox: where inbound traffic is addressed."""
    return Account.objects.create(
        client=tenant, owner=admin_user, type="did", username="desk", phone=DID, email=MAILBOX
    )


@pytest.fixture
def inbound_url(sandbox):  # noqa: F811 (the imported fixture)
    """The sandbox provider's inbound base URL (a path: FUSION_PUBLIC_URL is unset)."""
    return provider_inbound_url(sandbox.id)


@pytest.fixture
def stranger_api(other_tenant):
    """An admin of another client."""
    return api_client_for(UserFactory(client=other_tenant, roles=["admin"]))


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def program_for(api, program_type: str, account) -> int:
    """A receiving program made through the API (which subscribes the account to it)."""
    response = api.post(f"/api/programs/{program_type}", {"account_id": account.id}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["program_id"]
