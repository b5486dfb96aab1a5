"""Documents API: CRUD, and PDF media checked by content (replace, append, download)."""

import io

import pytest
from pypdf import PdfReader

from apps.content.models import Document
from tests.content.builders import PNG, pdf_bytes

pytestmark = pytest.mark.django_db

URL = "/api/messages/documents"


@pytest.fixture
def document_id(user_api) -> int:
    response = user_api.post(URL, {"name": "Invoice March", "description": "x"}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["document_id"]


def put_pdf(api, document_id, data: bytes, method: str = "put", **headers):
    send = getattr(api, method)
    return send(f"{URL}/{document_id}/media", data, content_type="application/pdf", **headers)


def test_create_read_update_delete(user_api, document_id, plain_user):
    body = user_api.get(f"{URL}/{document_id}").json()
    assert body["document_id"] == document_id and body["name"] == "Invoice March"
    assert (body["quality"], body["resolution_x"], body["resolution_y"]) == ("standard", 204, 98)
    assert body["pages"] == 0 and body["files"] == [] and body["user_id"] == plain_user.id
    response = user_api.put(f"{URL}/{document_id}", {"quality": "fine"}, format="json")
    assert response.status_code == 200
    assert (response.json()["quality"], response.json()["resolution_y"]) == ("fine", 196)
    response = user_api.put(f"{URL}/{document_id}", {"resolution_x": 300}, format="json")
    assert response.json()["resolution_x"] == 300 and response.json()["name"] == "Invoice March"
    assert user_api.delete(f"{URL}/{document_id}").json() is True
    assert not Document.objects.filter(pk=document_id).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"description": "no name"}, "name"),
        ({"name": "x", "quality": "blurry"}, "quality"),
        ({"name": "x" * 121}, "name"),
        ({"name": "x", "resolution_x": 0}, "resolution_x"),
    ],
)
def test_bad_fields_answer_412_naming_them(user_api, payload, field):
    response = user_api.post(URL, payload, format="json")
    assert response.status_code == 412 and field in response.json()["error"]["fields"]
    assert not Document.objects.exists()


def test_pdf_upload_counts_pages_and_downloads_with_a_pdf_file_name(user_api, document_id):
    pdf = pdf_bytes(2, width=612, height=792)
    response = put_pdf(user_api, document_id, pdf)
    assert response.status_code == 200, response.content
    assert response.json() == {"document_id": document_id}
    body = user_api.get(f"{URL}/{document_id}").json()
    assert (body["pages"], body["size"], body["type"]) == (2, len(pdf), "pdf")
    assert (body["size_x"], body["size_y"]) == (612, 792)
    assert [f["pages"] for f in body["files"]] == [2] and body["file_name"].endswith(".pdf")
    download = user_api.get(f"{URL}/{document_id}/media", HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert 'filename="invoice-march.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == pdf


def test_put_replaces_and_post_appends_pages(user_api, document_id, stored, on_commit):
    with on_commit(execute=True):
        assert put_pdf(user_api, document_id, pdf_bytes(2)).status_code == 200
        assert put_pdf(user_api, document_id, pdf_bytes(3)).status_code == 200
    assert user_api.get(f"{URL}/{document_id}").json()["pages"] == 3
    assert len(stored()) == 1  # the replaced file is gone
    with on_commit(execute=True):
        response = put_pdf(user_api, document_id, pdf_bytes(2), method="post")
    assert response.status_code == 200 and response.json() == {"document_id": document_id}
    body = user_api.get(f"{URL}/{document_id}").json()
    assert body["pages"] == 5 and [f["position"] for f in body["files"]] == [1, 2]
    merged = b"".join(user_api.get(f"{URL}/{document_id}/media").streaming_content)
    assert len(PdfReader(io.BytesIO(merged)).pages) == 5
    part = user_api.get(f"{URL}/{document_id}/media?part=2")
    assert len(PdfReader(io.BytesIO(b"".join(part.streaming_content))).pages) == 2
    assert user_api.get(f"{URL}/{document_id}/media?part=3").status_code == 404
    assert user_api.get(f"{URL}/{document_id}/media?part=x").status_code == 412
    assert len(stored()) == 3  # two uploads and the assembled PDF
    with on_commit(execute=True):
        put_pdf(user_api, document_id, pdf_bytes(1), method="post")
    assert len(stored()) == 4  # the previous assembly was replaced, not kept
    assert user_api.get(f"{URL}/{document_id}").json()["pages"] == 6


def test_delete_removes_the_stored_files(user_api, document_id, stored, on_commit):
    with on_commit(execute=True):
        put_pdf(user_api, document_id, pdf_bytes(1))
        put_pdf(user_api, document_id, pdf_bytes(1), method="post")
    assert len(stored()) == 3
    with on_commit(execute=True):
        assert user_api.delete(f"{URL}/{document_id}").json() is True
    assert stored() == set()


def test_multipart_upload_is_accepted(user_api, document_id):
    upload = io.BytesIO(pdf_bytes(2))
    upload.name = "scan.pdf"
    response = user_api.put(f"{URL}/{document_id}/media", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    body = user_api.get(f"{URL}/{document_id}").json()
    assert body["pages"] == 2 and body["files"][0]["name"] == "scan.pdf"


def test_content_type_header_is_not_trusted(user_api, document_id):
    response = put_pdf(user_api, document_id, PNG)
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == 415 and "application/pdf" in error["message"]
    response = user_api.put(
        f"{URL}/{document_id}/media", pdf_bytes(1), content_type="application/octet-stream"
    )
    assert response.status_code == 200  # a real PDF is a PDF whatever its label


@pytest.mark.parametrize(
    "body",
    [b"%PDF-1.4\nthis is not a pdf at all", b"%PDF-", b"hello world", b"\x00" * 64],
)
def test_unreadable_pdfs_answer_415(user_api, document_id, body):
    response = put_pdf(user_api, document_id, body)
    assert response.status_code == 415
    assert Document.objects.get(pk=document_id).pages == 0


def test_empty_body_answers_411(user_api, document_id):
    response = put_pdf(user_api, document_id, b"")
    assert response.status_code == 411 and response.json()["error"]["code"] == 411
    response = user_api.post(f"{URL}/{document_id}/media", {}, format="multipart")
    assert response.status_code == 411


def test_file_over_the_media_cap_answers_413(user_api, document_id, settings):
    settings.FUSION_MEDIA_MAX_BYTES = 2000
    response = put_pdf(user_api, document_id, pdf_bytes(1, pad=3000))
    assert response.status_code == 413 and response.json()["error"]["code"] == 413
    upload = io.BytesIO(pdf_bytes(1, pad=3000))
    upload.name = "big.pdf"
    response = user_api.put(f"{URL}/{document_id}/media", {"file": upload}, format="multipart")
    assert response.status_code == 413
    assert put_pdf(user_api, document_id, pdf_bytes(1)).status_code == 200


def test_media_may_pass_the_general_body_cap(user_api, document_id, settings):
    settings.FUSION_MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big_pdf = pdf_bytes(2, pad=4000)
    assert put_pdf(user_api, document_id, big_pdf).status_code == 200
    upload = io.BytesIO(big_pdf)
    upload.name = "big.pdf"
    response = user_api.post(f"{URL}/{document_id}/media", {"file": upload}, format="multipart")
    assert response.status_code == 200 and Document.objects.get(pk=document_id).pages == 4
    # …while any other endpoint keeps the general cap.
    response = user_api.post(URL, {"name": "x" * 2000}, format="json")
    assert response.status_code == 413


def test_download_without_media_answers_404(user_api, document_id):
    response = user_api.get(f"{URL}/{document_id}/media")
    assert response.status_code == 404 and response.json()["error"]["code"] == 404


def test_list_shows_pages_and_filters(user_api, document_id):
    put_pdf(user_api, document_id, pdf_bytes(2))
    user_api.post(URL, {"name": "Contract"}, format="json")
    rows = user_api.get(f"{URL}?name=invoice").json()
    assert [(r["name"], r["pages"]) for r in rows] == [("Invoice March", 2)]
    assert [r["name"] for r in user_api.get(f"{URL}?type=pdf").json()] == ["Invoice March"]
