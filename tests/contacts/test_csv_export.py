"""CSV export (streamed, properly quoted) and its round trip through import; the sample file."""

import csv
import io

import pytest

from tests.contacts.conftest import post_csv

pytestmark = pytest.mark.django_db

TRICKY = {
    "first_name": 'Dwayne "The Rock"',
    "last_name": "Johnson, Jr.",
    "email": "rock@example.com",
    "address": '1 Quote St,\nApt "B"',
    "custom1": "=1+1",
    "custom2": "ünïcödé ✓",
    "custom3": "",
    "description": '""',
}


def export(api, group_id: int, query: str = "", **headers) -> tuple:
    response = api.get(f"/api/groups/{group_id}/csv{query}", **headers)
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode()
    return response, text


def test_export_is_a_streamed_quoted_attachment(admin_api, make_group, make_contact):
    group = make_group()
    contact = make_contact("+923001234567", groups=[group], **TRICKY)
    response, text = export(admin_api, group.id)
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="group_{group.id}.csv"'
    assert text.startswith('"+923001234567","Dwayne ""The Rock""","Johnson, Jr."')
    assert list(csv.reader(io.StringIO(text))) == [
        [contact.phone, *(TRICKY[name] for name in list(TRICKY))]
    ]


def test_export_then_import_into_another_group_gives_the_same_contacts(
    admin_api, make_group, make_contact
):
    source, target = make_group("Source"), make_group("Target")
    make_contact("+923001234567", groups=[source], **TRICKY)
    make_contact("+12025550199", groups=[source], first_name="Plain")
    make_contact("", groups=[source], email="mail.only@example.com", description="no phone")
    for n in range(1200):  # more than one chunk of the stream
        make_contact(f"+9230055{n:05d}", groups=[source], first_name=f"bulk {n}")
    _, text = export(admin_api, source.id)
    report = post_csv(admin_api, target.id, text).json()
    assert (report["imported"], report["rejected_total"], report["duplicates"]) == (1203, 0, 0)
    columns = ("phone", "first_name", "last_name", "email", "address", "custom1", "custom2",
               "custom3", "description")  # fmt: skip
    assert sorted(target.contacts.values_list(*columns)) == sorted(
        source.contacts.values_list(*columns)
    )
    assert post_csv(admin_api, target.id, text).json()["duplicates"] == 1203


def test_export_applies_the_contact_filters_and_accepts_any_accept_header(
    admin_api, make_group, make_contact
):
    group = make_group()
    make_contact("+923001234567", groups=[group], first_name="Alice")
    make_contact("+923007654321", groups=[group], first_name="Bob")
    _, text = export(admin_api, group.id, "?first_name=bo", HTTP_ACCEPT="text/csv")
    assert text == '"+923007654321","Bob","","","","","","",""\r\n'
    _, empty = export(admin_api, make_group("Empty").id)
    assert empty == ""


def test_sample_file_is_an_attachment_that_imports(admin_api, make_group):
    response = admin_api.get("/api/groups/sample/csv/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="contact_sample.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2 and all(len(row) == 9 for row in rows)
    assert rows[0][:3] == ["+923330000000", "Valid", "Contact"] and rows[1][8] == ""
    assert response.content.startswith(b'"+923330000000","Valid","Contact","email@domain.com"')
    group = make_group()
    assert post_csv(admin_api, group.id, response.content).json()["imported"] == 2
