"""Who may reach message assets: tenancy (404), permissions (403), JWT (401), aliases, admin."""

import pytest

from apps.content.models import Document, Recording, Template, Text
from tests.conftest import api_client_for
from tests.content.builders import pdf_bytes, wav_bytes

pytestmark = pytest.mark.django_db

KINDS = ["texts", "templates", "documents", "recordings"]
MEDIA_KINDS = ["templates", "documents", "recordings"]


def make_assets(client) -> dict[str, int]:
    """One asset of each kind for ``client``, straight through the ORM."""
    return {
        "texts": Text.objects.create(client=client, name="t", data="hi").id,
        "templates": Template.objects.create(client=client, name="m", subject="s", body="b").id,
        "documents": Document.objects.create(client=client, name="d").id,
        "recordings": Recording.objects.create(client=client, name="r").id,
    }


def routes(ids: dict[str, int], prefix: str = "/api/messages/") -> list[tuple[str, str, dict]]:
    """Every (method, path, json body) of the content API for the given ids."""
    calls = []
    for kind in KINDS:
        base = f"{prefix}{kind}/{ids[kind]}"
        calls += [("get", base, {}), ("put", base, {"description": "x"}), ("delete", base, {})]
        if kind in MEDIA_KINDS:
            calls += [("get", f"{base}/media", {}), ("put", f"{base}/media", {}),
                      ("post", f"{base}/media", {})]  # fmt: skip
    return calls


def media_body(path: str) -> tuple[bytes, str]:
    if "/recordings/" in path:
        return wav_bytes(0.1), "audio/wav"
    return pdf_bytes(1), "application/pdf"


def call(api, method: str, path: str, body: dict):
    if path.endswith("/media") and method in ("put", "post"):
        data, content_type = media_body(path)
        return getattr(api, method)(path, data, content_type=content_type)
    return getattr(api, method)(path, body, format="json") if body else getattr(api, method)(path)


@pytest.mark.parametrize("prefix", ["/api/messages/", "/api/"])
def test_another_clients_assets_answer_404_on_every_route(user_api, other_tenant, prefix):
    theirs = make_assets(other_tenant)
    for method, path, body in routes(theirs, prefix):
        response = call(user_api, method, path, body)
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["error"]["code"] == 404
    for kind in KINDS:
        assert user_api.get(f"{prefix}{kind}").json() == []
    assert Text.objects.get(pk=theirs["texts"]).description == ""
    assert Document.objects.filter(pk=theirs["documents"], pages=0).exists()


def test_a_user_without_permissions_gets_403_on_every_route_even_for_missing_ids(
    powerless_api, tenant
):
    mine = make_assets(tenant)
    missing = dict.fromkeys(KINDS, 999999)
    for method, path, body in routes(mine) + routes(missing):
        response = call(powerless_api, method, path, body)
        assert response.status_code == 403, (method, path)
    for kind in KINDS:
        assert powerless_api.get(f"/api/messages/{kind}").status_code == 403
        response = powerless_api.post(f"/api/messages/{kind}", {"name": "x"}, format="json")
        assert response.status_code == 403


def test_view_permission_alone_reads_but_does_not_write(tenant):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    reader = UserFactory(client=tenant)
    reader.user_permissions.add(Permission.objects.get(codename="view_document"))
    api = api_client_for(reader)
    document_id = make_assets(tenant)["documents"]
    assert api.get(f"/api/messages/documents/{document_id}").status_code == 200
    response = api.put(
        f"/api/messages/documents/{document_id}/media", pdf_bytes(1), content_type="application/pdf"
    )
    assert response.status_code == 403
    assert api.get(f"/api/messages/texts/{make_assets(tenant)['texts']}").status_code == 403


def test_anonymous_callers_get_401(anon_api, tenant):
    for method, path, body in routes(make_assets(tenant)):
        assert call(anon_api, method, path, body).status_code == 401, (method, path)


@pytest.mark.parametrize("kind", KINDS)
def test_short_aliases_serve_the_same_assets(user_api, kind):
    payload = {"name": "alias", "data": "x", "subject": "s", "body": "b"}
    created = user_api.post(f"/api/{kind}", payload, format="json")
    assert created.status_code == 200, created.content
    ((key, asset_id),) = created.json().items()
    assert key == f"{kind[:-1]}_id"
    assert user_api.get(f"/api/messages/{kind}/{asset_id}").json()["name"] == "alias"
    assert (
        user_api.put(f"/api/{kind}/{asset_id}/", {"name": "renamed"}, format="json").json()["name"]
        == "renamed"
    )
    assert [row["name"] for row in user_api.get(f"/api/{kind}/").json()] == ["renamed"]
    assert user_api.delete(f"/api/{kind}/{asset_id}").json() is True


def test_alias_media_route_uploads_and_downloads(user_api):
    document_id = user_api.post("/api/documents", {"name": "fax"}, format="json").json()[
        "document_id"
    ]
    response = user_api.put(
        f"/api/documents/{document_id}/media", pdf_bytes(2), content_type="application/pdf"
    )
    assert response.status_code == 200
    assert user_api.get(f"/api/messages/documents/{document_id}").json()["pages"] == 2
    assert user_api.get(f"/api/documents/{document_id}/media")["Content-Type"] == "application/pdf"


def test_admin_role_has_content_permissions_too(admin_api):
    response = admin_api.post("/api/messages/texts", {"name": "a", "data": "b"}, format="json")
    assert response.status_code == 200


def test_global_staff_creates_for_a_named_client(global_staff, tenant):
    api = api_client_for(global_staff)
    response = api.post("/api/messages/texts", {"name": "a", "data": "b"}, format="json")
    assert response.status_code == 412 and "client_id" in response.json()["error"]["fields"]
    response = api.post(
        "/api/messages/texts", {"name": "a", "data": "b", "client_id": tenant.id}, format="json"
    )
    assert Text.objects.get(pk=response.json()["text_id"]).client == tenant


def test_admin_pages_list_assets_and_serve_files_of_the_staff_members_client(
    client, tenant, other_tenant, user_api
):
    from tests.factories import UserFactory

    staff = UserFactory(client=tenant, roles=["admin"], is_staff=True)
    client.force_login(staff)
    document_id = user_api.post("/api/documents", {"name": "fax"}, format="json").json()[
        "document_id"
    ]
    user_api.put(
        f"/api/documents/{document_id}/media", pdf_bytes(2), content_type="application/pdf"
    )
    page = client.get("/admin/content/document/")
    assert page.status_code == 200 and b"fax" in page.content
    assert f"/admin/content/document/{document_id}/download/".encode() in page.content
    download = client.get(f"/admin/content/document/{document_id}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    part = client.get(f"/admin/content/document/{document_id}/download/1/")
    assert part.status_code == 200
    theirs = make_assets(other_tenant)["documents"]
    assert client.get(f"/admin/content/document/{theirs}/download/").status_code == 404
    for kind in ("text", "template", "recording"):
        assert client.get(f"/admin/content/{kind}/").status_code == 200
