"""CSV import: raw and multipart bodies, header, 1-9 columns, duplicates, bad rows, 411/415/413."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.contacts.models import Contact
from tests.contacts.conftest import post_csv

pytestmark = pytest.mark.django_db

FULL_ROW = '"+923001234567","Alice","Khan","alice@example.com","1 Main St","c1","c2","c3","first"\n'


@pytest.fixture
def group(make_group, tenant):
    tenant.settings = {"default_region": "PK"}
    tenant.save()
    return make_group()


def members(group) -> list[tuple]:
    fields = ("phone", "first_name", "last_name", "email", "address", "custom1", "custom2",
              "custom3", "description")  # fmt: skip
    return list(group.contacts.order_by("id").values_list(*fields))


def test_raw_body_imports_nine_columns(admin_api, admin_user, group):
    response = post_csv(admin_api, group.id, FULL_ROW)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "group_id": group.id, "imported": 1, "duplicates": 0, "rejected": [],
        "rejected_total": 0, "header_skipped": False,
    }  # fmt: skip
    assert members(group) == [
        ("+923001234567", "Alice", "Khan", "alice@example.com", "1 Main St", "c1", "c2", "c3",
         "first"),
    ]  # fmt: skip
    contact = group.contacts.get()
    assert contact.client_id == group.client_id and contact.created_by == admin_user


def test_text_plain_and_a_multipart_file_under_any_name(admin_api, group):
    assert post_csv(admin_api, group.id, "03001234567\n", "text/plain").json()["imported"] == 1
    upload = SimpleUploadedFile("list.csv", b"03007654321\r\n03331234567\r\n", "text/csv")
    response = admin_api.post(f"/api/groups/{group.id}/csv/", {"whatever": upload})
    assert response.status_code == 200 and response.json()["imported"] == 2
    assert [m[0] for m in members(group)] == ["+923001234567", "+923007654321", "+923331234567"]


def test_a_header_row_is_skipped(admin_api, group):
    body = "phone,first_name,last_name\n03001234567,Ali,Raza\n"
    response = post_csv(admin_api, group.id, body)
    assert response.json()["header_skipped"] is True and response.json()["imported"] == 1
    assert response.json()["rejected"] == []
    assert members(group)[0][:3] == ("+923001234567", "Ali", "Raza")


def test_one_to_nine_columns_import_and_ten_are_rejected(admin_api, group):
    values = ["Ann", "Lee", "ann@example.com", "addr", "c1", "c2", "c3", "desc", "extra"]
    rows = [",".join([f"0300123450{n}", *values[: n - 1]]) for n in range(1, 11)]
    response = post_csv(admin_api, group.id, "\n".join(rows) + "\n")
    body = response.json()
    assert body["imported"] == 9
    assert body["rejected"] == [{"line": 10, "reason": "10 columns; at most 9 are allowed."}]
    assert members(group)[0] == ("+923001234501", "", "", "", "", "", "", "", "")
    assert members(group)[4] == ("+923001234505", "Ann", "Lee", "ann@example.com", "addr",
                                 "", "", "", "")  # fmt: skip
    assert members(group)[8] == ("+923001234509", *values[:8])


def test_duplicates_within_the_file_and_against_the_group(admin_api, group, make_contact):
    make_contact("+923001234567", groups=[group])
    make_contact("+923007654321")  # in the address book but not in the group: no duplicate
    body = "03001234567\n+92 300 7654321\n03007654321\n,Mail,Only,m@example.com\n,,,M@EXAMPLE.com\n"
    response = post_csv(admin_api, group.id, body)
    assert (response.json()["imported"], response.json()["duplicates"]) == (2, 3)
    assert group.contacts.count() == 3


def test_bad_rows_are_reported_and_good_rows_still_import(admin_api, group):
    lines = [
        "03001234567,Good,One",
        "12345,Bad,Phone",
        "03007654321,Bad,Email,not-an-email",
        ",No,Phone",
        '03331234567,"runaway quote',
        "03331234568," + "x" * 101,
        "03331234569,Good,Two",
        "",
        '"03331234570","Multi","Line","m@example.com","Street 1',
        'Town"',
    ]
    response = post_csv(admin_api, group.id, "\r\n".join(lines) + "\r\n")
    body = response.json()
    assert (body["imported"], body["rejected_total"]) == (3, 5), body
    reasons = {item["line"]: item["reason"] for item in body["rejected"]}
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert reasons[2].startswith("phone:") and reasons[3].startswith("email:")
    assert reasons[4].startswith("phone:") and "quote" in reasons[5]
    assert reasons[6].startswith("first_name:")
    assert [m[1] for m in members(group)] == ["Good", "Good", "Multi"]
    assert members(group)[2][4] == "Street 1\nTown"


def test_the_rejected_list_is_capped_but_counted(admin_api, group):
    body = "".join(f"1{n},bad\n" for n in range(1005)) + "03001234567\n"
    response = post_csv(admin_api, group.id, body)
    body = response.json()
    assert body["imported"] == 1 and body["rejected_total"] == 1005
    assert len(body["rejected"]) == 1000 and body["rejected"][-1]["line"] == 1000


def test_bom_crlf_and_windows_1252_are_read(admin_api, group):
    body = "\ufeffphone,name\r\n".encode() + "03001234567,José\r\n".encode("cp1252")
    response = post_csv(admin_api, group.id, body)
    assert response.json()["header_skipped"] is True and members(group)[0][1] == "José"


@pytest.mark.parametrize("body", [b"", b"\n\n \n"])
def test_an_empty_file_answers_411(admin_api, group, body):
    response = post_csv(admin_api, group.id, body)
    assert response.status_code == 411 and response.json()["error"]["code"] == 411


def test_a_multipart_request_without_a_file_answers_411(admin_api, group):
    assert admin_api.post(f"/api/groups/{group.id}/csv", {"note": "x"}).status_code == 411
    empty = SimpleUploadedFile("empty.csv", b"", "text/csv")
    assert admin_api.post(f"/api/groups/{group.id}/csv", {"file": empty}).status_code == 411


@pytest.mark.parametrize("content_type", ["application/json", "application/octet-stream"])
def test_other_content_types_answer_415(admin_api, group, content_type):
    response = post_csv(admin_api, group.id, "03001234567\n", content_type)
    assert response.status_code == 415 and response.json()["error"]["code"] == 415
    assert not Contact.objects.exists()


def test_csv_uploads_have_their_own_body_cap(admin_api, group, settings):
    settings.FUSION_MAX_BODY_BYTES = 1024
    settings.FUSION_CSV_MAX_BYTES = 4096
    body = "".join(f"0300{n:07d},Name{n}\n" for n in range(150))  # about 3 KB
    response = post_csv(admin_api, group.id, body)
    assert response.status_code == 200 and response.json()["imported"] == 150
    response = post_csv(admin_api, group.id, body * 2)
    assert response.status_code == 413 and "4096" in response.json()["error"]["message"]
    response = admin_api.post("/api/contacts", {"first_name": "x" * 2000}, format="json")
    assert response.status_code == 413 and "1024" in response.json()["error"]["message"]
    response = admin_api.generic("POST", "/api/no-such-route", "x" * 2000, "text/plain")
    assert response.status_code == 413
