"""A client's whole Comms world, made through the API itself: one row of every resource.

Every create checks the answer is exactly ``{"<entity>_id": N}`` (DESIGN §3), so building the
world is already a conformance check of the creates.
"""

import pytest

from tests.conftest import api_client_for
from tests.content.builders import pdf_bytes, wav_bytes
from tests.factories import UserFactory


def created(api, path: str, body: dict, key: str) -> int:
    """POST ``body``; the answer must be exactly ``{key: N}``."""
    response = api.post(path, body, format="json")
    assert response.status_code == 200, (path, response.content)
    answer = response.json()
    assert list(answer) == [key] and isinstance(answer[key], int), (path, answer)
    return answer[key]


def _with_media(api, kind: str, tag: str, data: bytes, content_type: str) -> int:
    """A document or recording, created then given its file (PUT …/media)."""
    key = f"{kind}_id"
    body = {"name": f"{kind}{tag}", "description": f"d{tag}"}
    asset_id = created(api, f"/api/messages/{kind}s", body, key)
    url = f"/api/messages/{kind}s/{asset_id}/media"
    response = api.generic("PUT", url, data, content_type=content_type)
    assert response.status_code == 200 and response.json() == {key: asset_id}, response.content
    return asset_id


def _contacts(api, tag: str) -> dict:
    contact = {
        "first_name": f"Ada{tag}", "last_name": f"Lovelace{tag}", "phone": f"+1202555{tag}001",
        "email": f"ada{tag}@example.com", "address": f"{tag} Main St", "custom1": f"c1{tag}",
        "custom2": f"c2{tag}", "custom3": f"c3{tag}", "description": f"vip{tag}",
    }  # fmt: skip
    ids = {"contact_id": created(api, "/api/contacts", contact, "contact_id")}
    group = {"name": f"Customers{tag}", "description": f"all{tag}"}
    ids["group_id"] = created(api, "/api/groups", group, "group_id")
    assert api.put(f"/api/contacts/{ids['contact_id']}/link/{ids['group_id']}").status_code == 200
    return ids


def _messages(api, tag: str) -> dict:
    text = {"name": f"otp{tag}", "data": f"Code {tag}", "description": f"d{tag}"}
    template = {
        "name": f"welcome{tag}", "subject": f"Hi {tag}", "body": f"<p>Hello {tag}</p>",
        "body_alt": f"Hello {tag}", "description": f"d{tag}",
    }  # fmt: skip
    return {
        "text_id": created(api, "/api/messages/texts", text, "text_id"),
        "template_id": created(api, "/api/messages/templates", template, "template_id"),
        "document_id": _with_media(api, "document", tag, pdf_bytes(int(tag)), "application/pdf"),
        "recording_id": _with_media(api, "recording", tag, wav_bytes(int(tag)), "audio/wav"),
    }


def _identities(api, tag: str) -> dict:
    account = {
        "username": f"did{tag}", "passwd": "sip-secret", "passwd_pin": "1234", "active": 1,
        "first_name": f"Desk{tag}", "last_name": f"Line{tag}", "phone": f"+1213555{tag}000",
        "email": f"desk{tag}@example.com", "address": f"{tag} Fax Rd",
    }  # fmt: skip
    provider = {
        "name": f"sandbox{tag}", "type": "sandbox", "service_flag": 4 | 8, "node_id": int(tag),
        "host": f"h{tag}.example.com", "port": 5000 + int(tag), "username": f"u{tag}",
        "weight": int(tag), "prefix": tag, "dialstring": f"ds{tag}", "description": f"d{tag}",
    }  # fmt: skip
    user = {
        "username": f"clerk{tag}", "password": "Clerk-pass-123", "first_name": f"Cl{tag}",
        "last_name": f"Erk{tag}", "email": f"clerk{tag}@example.com", "company": f"Acme{tag}",
        "phone": f"+1415555{tag}000", "address": f"{tag} Desk Ave",
    }  # fmt: skip
    return {
        "account_id": created(api, "/api/accounts", account, "account_id"),
        "provider_id": created(api, "/api/providers", provider, "provider_id"),
        "user_id": created(api, "/api/users", user, "user_id"),
    }


def _traffic(api, ids: dict, tag: str) -> dict:
    """A program, a transmission that was sent (its spool) and a campaign."""
    program = {"name": f"OTP{tag}", "text_id": ids["text_id"]}
    ids["program_id"] = created(api, "/api/programs/sendsms", program, "program_id")
    transmission = {"program_id": ids["program_id"], "contact_id": ids["contact_id"],
                    "account_id": ids["account_id"], "title": f"t{tag}",
                    "try_allowed": int(tag)}  # fmt: skip
    ids["transmission_id"] = created(api, "/api/transmissions", transmission, "transmission_id")
    response = api.post(f"/api/transmissions/{ids['transmission_id']}/send")
    assert response.status_code == 200 and list(response.json()) == ["spool_id"]
    ids["spool_id"] = response.json()["spool_id"]
    campaign = {"program_id": ids["program_id"], "group_id": ids["group_id"], "cpm": 10 * int(tag),
                "account_id": ids["account_id"], "try_allowed": int(tag)}  # fmt: skip
    ids["campaign_id"] = created(api, "/api/campaigns", campaign, "campaign_id")
    return ids


def build_world(api, tag: str) -> dict:
    """One of everything, with field values that differ per ``tag`` ("1", "2", …)."""
    ids = {**_contacts(api, tag), **_messages(api, tag), **_identities(api, tag)}
    return _traffic(api, ids, tag)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(admin_api, media_root):
    return build_world(admin_api, "1")


@pytest.fixture
def their_world(other_tenant, media_root):
    """The same world in another client, made by that client's admin."""
    return build_world(api_client_for(UserFactory(client=other_tenant, roles=["admin"])), "2")
