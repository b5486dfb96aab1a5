"""Templates API: CRUD, 412 naming fields, filters, attachments (any type) as media."""

import io

import pytest

from apps.content.models import Template
from tests.content.builders import PNG

pytestmark = pytest.mark.django_db

URL = "/api/messages/templates"
TEMPLATE = {
    "name": "Welcome",
    "subject": "Welcome aboard",
    "body": "<h1>Hello&nbsp;{first_name}</h1>\n<p>Thanks for <b>joining</b>.</p>",
}


@pytest.fixture
def template_id(user_api) -> int:
    response = user_api.post(URL, TEMPLATE, format="json")
    assert response.status_code == 200, response.content
    return response.json()["template_id"]


def test_create_read_update_delete(user_api, template_id):
    body = user_api.get(f"{URL}/{template_id}").json()
    assert body["subject"] == "Welcome aboard" and body["body_alt"] == ""
    assert body["length"] == len(TEMPLATE["body"]) and body["attachments"] == []
    response = user_api.put(f"{URL}/{template_id}", {"body_alt": "Hello"}, format="json")
    assert response.status_code == 200
    assert response.json()["body_alt"] == "Hello" and response.json()["name"] == "Welcome"
    assert user_api.delete(f"{URL}/{template_id}").json() is True
    assert not Template.objects.filter(pk=template_id).exists()


@pytest.mark.parametrize("field", ["name", "subject", "body"])
def test_required_fields_answer_412_naming_them(user_api, field):
    response = user_api.post(URL, {k: v for k, v in TEMPLATE.items() if k != field}, format="json")
    assert response.status_code == 412 and field in response.json()["error"]["fields"]
    response = user_api.post(URL, {**TEMPLATE, field: ""}, format="json")
    assert response.status_code == 412 and field in response.json()["error"]["fields"]
    assert not Template.objects.exists()


def test_plain_body_is_derived_from_html_when_body_alt_is_empty(template_id):
    template = Template.objects.get(pk=template_id)
    assert template.plain_body() == "Hello\xa0{first_name}\nThanks for joining."
    template.body_alt = "Plain version"
    assert template.plain_body() == "Plain version"


def test_filters_cover_subject_body_and_body_alt(user_api, template_id):
    user_api.post(URL, {**TEMPLATE, "name": "Bye", "subject": "Goodbye", "body_alt": "see ya"},
                  format="json")  # fmt: skip

    def names(query):
        return [row["name"] for row in user_api.get(f"{URL}?{query}").json()]

    assert names("subject=aboard") == ["Welcome"]
    assert names("body=joining") == ["Welcome", "Bye"]
    assert names("body_alt=see") == ["Bye"]
    assert names(f"template_id={template_id}") == ["Welcome"]


def test_attachment_of_any_type_round_trips(user_api, template_id):
    response = user_api.put(
        f"{URL}/{template_id}/media", PNG, content_type="image/png",
        HTTP_CONTENT_DISPOSITION='attachment; filename="../../etc/logo.png"',
    )  # fmt: skip
    assert response.status_code == 200 and response.json() == {"template_id": template_id}
    body = user_api.get(f"{URL}/{template_id}").json()
    assert body["type"] == "png"
    (attachment,) = body["attachments"]
    assert attachment["position"] == 1 and attachment["name"] == "logo.png"
    assert (attachment["content_type"], attachment["size"]) == ("image/png", len(PNG))
    download = user_api.get(f"{URL}/{template_id}/media")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert 'filename="logo.png"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PNG


def test_post_appends_attachments_and_put_replaces_them(user_api, template_id, stored, on_commit):
    with on_commit(execute=True):
        user_api.put(f"{URL}/{template_id}/media", b"a,b\n1,2\n", content_type="text/csv")
        upload = io.BytesIO(b"%PDF-1.4 whatever")
        upload.name = "terms.pdf"
        response = user_api.post(f"{URL}/{template_id}/media", {"file": upload}, format="multipart")
    assert response.status_code == 200
    attachments = user_api.get(f"{URL}/{template_id}").json()["attachments"]
    assert [(a["position"], a["name"]) for a in attachments] == [
        (1, "attachment-1.csv"), (2, "terms.pdf")
    ]  # fmt: skip
    second = user_api.get(f"{URL}/{template_id}/media?part=2")
    assert b"".join(second.streaming_content) == b"%PDF-1.4 whatever"
    assert 'filename="terms.pdf"' in second["Content-Disposition"]
    assert len(stored()) == 2
    with on_commit(execute=True):
        user_api.put(f"{URL}/{template_id}/media", b"hello", content_type="text/plain")
    attachments = user_api.get(f"{URL}/{template_id}").json()["attachments"]
    assert [a["name"] for a in attachments] == ["attachment-1.txt"] and len(stored()) == 1
    with on_commit(execute=True):
        user_api.delete(f"{URL}/{template_id}")
    assert stored() == set()


def test_attachment_empty_and_oversized(user_api, template_id, settings):
    response = user_api.put(f"{URL}/{template_id}/media", b"", content_type="text/plain")
    assert response.status_code == 411
    settings.FUSION_MEDIA_MAX_BYTES = 10
    response = user_api.put(f"{URL}/{template_id}/media", b"x" * 11, content_type="text/plain")
    assert response.status_code == 413
    assert user_api.get(f"{URL}/{template_id}/media").status_code == 404
