"""Every endpoint of the ICTCore document (method + path) is served under ``/api``.

``SPEC_ENDPOINTS`` is the document's endpoint list (each ``[/path]`` resource with its
``[METHOD]`` actions), plus ``GET /statistics`` whose object the document describes without
a route. When the document is next to the repository (``../shared/spec``) the list is checked
against it, so neither can drift. Each endpoint must resolve, with and without a trailing
slash, to a view that handles the method, and answer a real request with neither the
unknown-route 404 nor 405.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.conftest import api_client_for
from tests.factories import UserFactory

SPEC_FILE = Path(settings.BASE_DIR).parent / "shared" / "spec" / "ictcore-api.txt"
NOT_IN_DOCUMENT_AS_ROUTE = {("GET", "/statistics")}
SPEC_ENDPOINTS = """
POST /authenticate
GET /programs
GET /programs/{program_id}
DELETE /programs/{program_id}
PUT /programs/{program_id}/transmissions
GET /programs/{program_id}/transmissions
POST /programs/emailtofax
POST /programs/faxtoemail
POST /programs/receiveemail
POST /programs/receivefax
POST /programs/receivesms
POST /programs/sendemail
POST /programs/sendfax
POST /programs/sendsms
POST /programs/voicemessage
POST /programs/voicetts
POST /transmissions
GET /transmissions
GET /transmissions/{transmission_id}
DELETE /transmissions/{transmission_id}
POST /transmissions/{transmission_id}/send
POST /transmissions/{transmission_id}/retry
PUT /transmissions/{transmission_id}/schedule
DELETE /transmissions/{transmission_id}/schedule
GET /transmissions/{transmission_id}/clone
POST /contacts
GET /contacts
GET /contacts/{contact_id}
PUT /contacts/{contact_id}
DELETE /contacts/{contact_id}
PUT /contacts/{contact_id}/link/{group_id}
DELETE /contacts/{contact_id}/link/{group_id}
POST /groups
GET /groups
GET /groups/{group_id}
PUT /groups/{group_id}
DELETE /groups/{group_id}
GET /groups/{group_id}/contacts
POST /groups/{group_id}/csv
GET /groups/{group_id}/csv
GET /groups/sample/csv
POST /campaigns
GET /campaigns
PUT /campaigns/{campaign_id}
GET /campaigns/{campaign_id}
DELETE /campaigns/{campaign_id}
PUT /campaigns/{campaign_id}/start
PUT /campaigns/{campaign_id}/stop
POST /campaigns/{campaign_id}/start/schedule
POST /campaigns/{campaign_id}/stop/schedule
POST /campaigns/{campaign_id}/schedule
POST /messages/documents
GET /messages/documents
GET /messages/documents/{document_id}
PUT /messages/documents/{document_id}
DELETE /messages/documents/{document_id}
PUT /messages/documents/{document_id}/media
GET /messages/documents/{document_id}/media
POST /messages/recordings
GET /messages/recordings
GET /messages/recordings/{recording_id}
PUT /messages/recordings/{recording_id}
DELETE /messages/recordings/{recording_id}
PUT /messages/recordings/{recording_id}/media
GET /messages/recordings/{recording_id}/media
POST /messages/templates
GET /messages/templates
GET /messages/templates/{template_id}
PUT /messages/templates/{template_id}
DELETE /messages/templates/{template_id}
PUT /messages/templates/{template_id}/media
GET /messages/templates/{template_id}/media
POST /messages/texts
GET /messages/texts
GET /messages/texts/{text_id}
PUT /messages/texts/{text_id}
DELETE /messages/texts/{text_id}
GET /transmissions/{transmission_id}/status
GET /transmissions/{transmission_id}/detail
GET /transmissions/{transmission_id}/result
GET /spools/{spool_id}/status
GET /spools/{spool_id}/result
POST /accounts
GET /accounts
GET /accounts/{account_id}
PUT /accounts/{account_id}
DELETE /accounts/{account_id}
PUT /accounts/{account_id}/programs/{program_id}
DELETE /accounts/{account_id}/programs/{program_id}
DELETE /accounts/{account_id}/programs
PUT /accounts/{account_id}/users/{user_id}
DELETE /accounts/{account_id}/users
GET /accounts/{account_id}/settings/{name}
PUT /accounts/{account_id}/settings/{name}
DELETE /accounts/{account_id}/settings/{name}
POST /users
GET /users
GET /users/{user_id}
PUT /users/{user_id}
DELETE /users/{user_id}
PUT /users/{user_id}/password
PUT /users/{user_id}/roles/{role_id}
DELETE /users/{user_id}/roles/{role_id}
PUT /users/{user_id}/permissions/{permission_id}
DELETE /users/{user_id}/permissions/{permission_id}
POST /providers
GET /providers
PUT /providers/{provider_id}
GET /providers/{provider_id}
DELETE /providers/{provider_id}
GET /statistics
"""
ENDPOINTS = [tuple(line.split()) for line in SPEC_ENDPOINTS.strip().splitlines()]
UNKNOWN_ROUTE = "Invalid API location"


def document_endpoints(text: str) -> list[tuple[str, str]]:
    """(method, path) of an API Blueprint: ``Name [/path]`` then ``Action [METHOD]`` lines."""
    found, path = [], None
    for line in text.splitlines():
        line = line.strip()
        if resource := re.search(r"\[(/[^\]]*)\]$", line):
            path = resource.group(1)
        elif (action := re.search(r"\[(GET|POST|PUT|DELETE|PATCH)\]$", line)) and path:
            found.append((action.group(1), path))
    return found


def concrete(path: str) -> str:
    """A real URL for a documented path: ids that exist nowhere, a setting name."""
    return "/api" + re.sub(
        r"\{(\w+)\}", lambda m: "coverpage" if m[1] == "name" else "999999", path
    )


@pytest.mark.skipif(not SPEC_FILE.exists(), reason="the ICTCore document is not next to the repo")
def test_the_list_is_the_documents_endpoint_list():
    listed = [e for e in ENDPOINTS if e not in NOT_IN_DOCUMENT_AS_ROUTE]
    assert listed == document_endpoints(SPEC_FILE.read_text())


@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=" ".join)
def test_endpoint_resolves_to_a_view_handling_the_method(method, path):
    url = concrete(path)
    for variant in (url, url + "/"):
        try:
            match = resolve(variant)
        except Resolver404:
            pytest.fail(f"{method} {variant}: no route")
        view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
        assert view_class is not None, f"{variant} is not a class-based view"
        assert hasattr(view_class, method.lower()), f"{view_class.__name__} has no {method}"


@pytest.mark.django_db
def test_every_endpoint_answers_a_real_request_without_405(admin_user):
    # The spec's own header spelling, so every endpoint also proves it reads it.
    token = RefreshToken.for_user(admin_user).access_token
    api = APIClient(HTTP_AUTHENTICATION=f"Bearer {token}")
    failures = []
    for method, path in ENDPOINTS:
        response = api.generic(method, concrete(path), "{}", content_type="application/json")
        unknown = response.status_code == 404 and UNKNOWN_ROUTE in response.content.decode()
        protected = path != "/authenticate" and response.status_code == 401
        if response.status_code == 405 or unknown or protected or response.status_code >= 500:
            failures.append(f"{method} {path} → {response.status_code}")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[]", '"text"', "null", "7", "{"])
def test_no_endpoint_answers_500_to_a_body_of_the_wrong_shape(admin_api, world, body):
    ids = {**world, "role_id": 1, "permission_id": 1, "name": "coverpage"}
    failures = []
    for method, path in ENDPOINTS:
        url = "/api" + re.sub(r"\{(\w+)\}", lambda m: str(ids[m[1]]), path)
        response = admin_api.generic(method, url, body, content_type="application/json")
        if response.status_code >= 500:
            failures.append(f"{method} {path} → {response.status_code}")
    assert "; ".join(failures) == ""


@pytest.mark.django_db
def test_every_endpoint_but_authenticate_answers_401_without_a_token():
    failures = []
    for method, path in ENDPOINTS:
        if path == "/authenticate":
            continue
        response = APIClient().generic(method, concrete(path))
        if response.status_code != 401 or response.json()["error"]["code"] != 401:
            failures.append(f"{method} {path} → {response.status_code}")
    assert "; ".join(failures) == ""


# Any signed-in user may read the client's statistics and change their own password.
OPEN_TO_EVERY_USER = {("GET", "/statistics"), ("PUT", "/users/{user_id}/password")}


@pytest.mark.django_db
def test_a_user_without_permissions_gets_403_before_any_lookup(tenant):
    # 403 comes first, even for ids that exist nowhere (as ICTCore checks permissions first).
    api = api_client_for(UserFactory(client=tenant))
    failures = []
    for method, path in ENDPOINTS:
        if path == "/authenticate" or (method, path) in OPEN_TO_EVERY_USER:
            continue
        response = api.generic(method, concrete(path), "{}", content_type="application/json")
        if response.status_code != 403 or response.json()["error"]["code"] != 403:
            failures.append(f"{method} {path} → {response.status_code}")
    assert "; ".join(failures) == ""


@pytest.mark.django_db
def test_ids_beyond_any_column_answer_404_not_500(admin_api):
    huge = "9" * 25
    failures = []
    for method, path in ENDPOINTS:
        url = "/api" + re.sub(r"\{(\w+)\}", lambda m: "coverpage" if m[1] == "name" else huge, path)
        if url == concrete(path):
            continue  # no id in this path
        response = admin_api.generic(method, url, "{}", content_type="application/json")
        if response.status_code != 404:
            failures.append(f"{method} {path} → {response.status_code}")
    assert "; ".join(failures) == ""


BODY_IDS = ["program_id", "contact_id", "account_id", "group_id", "text_id", "parent_id"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/transmissions", "/api/campaigns", "/api/programs/sendsms", "/api/contacts"]
)
def test_ids_beyond_any_column_in_a_body_answer_412_not_500(admin_api, path):
    body = dict.fromkeys(BODY_IDS, 10**25) | {"phone": "+12025550100"}
    response = admin_api.post(path, body, format="json")
    assert response.status_code in (200, 412), response.content
