"""Texts API: CRUD, computed length/segments/encoding, charset checks, filters."""

import time

import pytest

from apps.content.models import Text

pytestmark = pytest.mark.django_db

URL = "/api/messages/texts"


def create(api, **fields) -> dict:
    response = api.post(URL, {"name": "hello", "data": "Hello there", **fields}, format="json")
    assert response.status_code == 200, response.content
    return api.get(f"{URL}/{response.json()['text_id']}").json()


def test_create_answers_text_id_and_computes_length_segments_and_encoding(user_api, plain_user):
    response = user_api.post(URL, {"name": "hi", "data": "Hello {name}"}, format="json")
    assert response.status_code == 200
    assert list(response.json()) == ["text_id"]
    text = Text.objects.get(pk=response.json()["text_id"])
    assert text.client == plain_user.client and text.created_by == plain_user
    body = user_api.get(f"{URL}/{text.id}").json()
    assert body["length"] == 12 and body["segments"] == 1
    assert body["encoding"] == 0 and body["type"] == "UTF-8" and body["class"] == 1
    assert body["user_id"] == plain_user.id


def test_unicode_text_is_encoded_ucs2_with_70_67_segments(user_api):
    body = create(user_api, data="Привет " * 10)  # 70 characters
    assert (body["encoding"], body["length"], body["segments"]) == (2, 70, 1)
    body = create(user_api, data="Привет " * 10 + "!")
    assert (body["encoding"], body["length"], body["segments"]) == (2, 71, 2)


def test_extension_characters_count_double_for_segments_not_length(user_api):
    body = create(user_api, data="€" * 80)
    assert (body["encoding"], body["length"], body["segments"]) == (0, 80, 1)
    body = create(user_api, data="€" * 81)
    assert (body["encoding"], body["length"], body["segments"]) == (0, 81, 2)
    assert create(user_api, data="a" * 161)["segments"] == 2


def test_update_of_data_rederives_encoding_and_counts(user_api):
    text_id = create(user_api, data="plain")["text_id"]
    response = user_api.put(f"{URL}/{text_id}", {"data": "ĉu vi?"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["encoding"], body["length"], body["segments"], body["name"]) == (
        2, 6, 1, "hello"
    )  # fmt: skip


def test_explicit_binary_encoding_is_kept_and_counts_bytes(user_api):
    body = create(user_api, data="a" * 141, encoding=1)
    assert (body["encoding"], body["segments"]) == (1, 2)
    body = user_api.put(f"{URL}/{body['text_id']}", {"data": "b" * 10}, format="json").json()
    assert (body["encoding"], body["segments"]) == (1, 1)


def test_class_and_charset_are_stored(user_api):
    body = create(user_api, **{"class": 8, "type": "iso-8859-1", "data": "Café"})
    assert body["class"] == 8 and body["type"] == "ISO-8859-1"
    assert Text.objects.get(pk=body["text_id"]).message_class == 8


def test_blueprint_types_are_understood(user_api):
    body = create(user_api, type="unicode", data="abc")
    assert (body["type"], body["encoding"]) == ("UTF-8", 2)
    body = create(user_api, type="plain", data="abc")
    assert (body["type"], body["encoding"]) == ("GSM", 0)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"data": "x"}, "name"),
        ({"name": "x"}, "data"),
        ({"name": "x", "data": ""}, "data"),
        ({"name": "x", "data": "x", "type": "EBCDIC"}, "type"),
        ({"name": "x", "data": "x", "class": 3}, "class"),
        ({"name": "x", "data": "x", "encoding": 7}, "encoding"),
        ({"name": "x", "data": "Привет", "encoding": 0}, "encoding"),
        ({"name": "x", "data": "Привет", "type": "ISO-8859-1"}, "data"),
        ({"name": "x", "data": "ç", "type": "GSM"}, "data"),
        ({"name": "x", "data": "€", "type": "ASCII"}, "data"),
    ],
)
def test_bad_fields_answer_412_naming_them(user_api, payload, field):
    response = user_api.post(URL, payload, format="json")
    assert response.status_code == 412, response.content
    error = response.json()["error"]
    assert error["code"] == 412 and field in error["fields"] and field in error["message"]
    assert not Text.objects.exists()


def test_put_changes_only_given_fields_and_412_on_bad_ones(user_api):
    text_id = create(user_api, description="first")["text_id"]
    response = user_api.put(f"{URL}/{text_id}", {"description": "second"}, format="json")
    assert response.status_code == 200
    assert response.json()["description"] == "second" and response.json()["data"] == "Hello there"
    response = user_api.put(f"{URL}/{text_id}", {"type": "ASCII", "data": "Ω"}, format="json")
    assert response.status_code == 412 and "data" in response.json()["error"]["fields"]
    assert Text.objects.get(pk=text_id).data == "Hello there"


def test_delete_answers_true(user_api):
    text_id = create(user_api)["text_id"]
    response = user_api.delete(f"{URL}/{text_id}")
    assert response.status_code == 200 and response.json() is True
    assert not Text.objects.filter(pk=text_id).exists()
    assert user_api.get(f"{URL}/{text_id}").status_code == 404


def test_list_filters(user_api):
    a = create(user_api, name="Welcome SMS", description="greeting")
    b = create(user_api, name="Reminder", type="ASCII", data="Due tomorrow")

    def names(query: str) -> list[str]:
        response = user_api.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()]

    assert names("") == ["Welcome SMS", "Reminder"]
    assert names("name=welcome") == ["Welcome SMS"]
    assert names("description=greet") == ["Welcome SMS"]
    assert names("type=asc") == ["Reminder"]
    assert names(f"text_id={b['text_id']}") == ["Reminder"]
    assert names(f"user_id={a['user_id']}") == ["Welcome SMS", "Reminder"]
    assert names("unknown=1") == ["Welcome SMS", "Reminder"]
    later = int(time.time()) + 3600
    assert names(f"before={later}") == ["Welcome SMS", "Reminder"]
    assert names(f"after={later}") == []
    assert names("after=2000-01-01") == ["Welcome SMS", "Reminder"]
    response = user_api.get(f"{URL}?before=yesterday")
    assert response.status_code == 412 and "before" in response.json()["error"]["fields"]
