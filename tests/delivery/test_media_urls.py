"""Signed media URLs (``/api/media/{token}/{name}``): what a fax or voice vendor is given to
fetch a stored document or recording, without logging in, until the URL expires."""

import time
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfReader

from apps.delivery.gateways.base import DeliveryError
from apps.delivery.services.media import (
    media_token,
    media_token_valid,
    stored_file_public_url,
    stored_pdfs_merged,
)
from tests.content.builders import pdf_bytes, wav_bytes

PUBLIC = "https://fusion.example"
PDF_NAME = "content/7/documents/0123abcd.pdf"
WAV_NAME = "content/7/recordings/4567ef.wav"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """A private MEDIA_ROOT and a public URL for every test here."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FUSION_PUBLIC_URL = PUBLIC
    return settings.MEDIA_ROOT


def store(name: str, content: bytes) -> str:
    return default_storage.save(name, ContentFile(content))


def path_of(url: str) -> str:
    """The URL's path, for Django's test client (which serves the whole site)."""
    return urlsplit(url).path


def test_the_url_serves_the_exact_bytes_with_the_content_type(anon_api):
    pdf, wav = pdf_bytes(3), wav_bytes(0.5)
    for name, content, kind in ((PDF_NAME, pdf, "application/pdf"), (WAV_NAME, wav, "wav")):
        url = stored_file_public_url(store(name, content))
        assert url.startswith(f"{PUBLIC}/api/media/") and url.endswith(name)
        response = anon_api.get(path_of(url))  # no JWT: vendors cannot log in
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert kind in response["Content-Type"]


def test_a_vendor_accept_header_does_not_refuse_the_file(anon_api):
    url = stored_file_public_url(store(WAV_NAME, wav_bytes(0.2)))
    response = anon_api.get(path_of(url), HTTP_ACCEPT="audio/*")
    assert response.status_code == 200 and "wav" in response["Content-Type"]


def test_a_tampered_token_or_name_answers_404(anon_api):
    store(PDF_NAME, pdf_bytes(1))
    other = store("content/8/documents/secret.pdf", pdf_bytes(1))
    url = stored_file_public_url(PDF_NAME)
    token = urlsplit(url).path.split("/")[3]
    expires, signature = token.split("-")
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    later = int(expires) + 3600
    for path in (
        f"/api/media/{expires}-{flipped}/{PDF_NAME}",  # changed signature
        f"/api/media/{later}-{signature}/{PDF_NAME}",  # expiry pushed back
        f"/api/media/{token}/{other}",  # another file with this token
        f"/api/media/{token}/{PDF_NAME}x",
    ):
        response = anon_api.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == 404
    assert anon_api.get(path_of(url)).status_code == 200


def test_an_expired_token_answers_404(anon_api):
    store(PDF_NAME, pdf_bytes(1))
    expired = media_token(name=PDF_NAME, expires=int(time.time()) - 1)
    assert anon_api.get(f"/api/media/{expired}/{PDF_NAME}").status_code == 404
    url = stored_file_public_url(PDF_NAME, seconds=-5)
    assert anon_api.get(path_of(url)).status_code == 404


def test_tokens_last_fusion_media_url_seconds(settings):
    settings.FUSION_MEDIA_URL_SECONDS = 120
    store(PDF_NAME, pdf_bytes(1))
    token = urlsplit(stored_file_public_url(PDF_NAME)).path.split("/")[3]
    expires = int(token.split("-")[0])
    assert abs(expires - (time.time() + 120)) < 5
    assert media_token_valid(name=PDF_NAME, token=token)
    assert not media_token_valid(name=PDF_NAME, token=token, now=expires + 1)


def test_a_file_removed_since_answers_404(anon_api):
    url = stored_file_public_url(store(PDF_NAME, pdf_bytes(1)))
    default_storage.delete(PDF_NAME)
    assert anon_api.get(path_of(url)).status_code == 404


def test_no_public_url_or_no_file_is_a_permanent_delivery_error(settings):
    with pytest.raises(DeliveryError) as missing:
        stored_file_public_url("content/7/documents/none.pdf")
    assert missing.value.permanent and missing.value.reason == "attachment_unavailable"
    settings.FUSION_PUBLIC_URL = ""
    with pytest.raises(DeliveryError) as unset:
        stored_file_public_url(store(PDF_NAME, pdf_bytes(1)))
    assert unset.value.permanent and unset.value.reason == "no_public_url"


def test_several_pdfs_are_joined_once_in_order():
    first = store("content/7/documents/a.pdf", pdf_bytes(2, width=300))
    second = store("content/7/documents/b.pdf", pdf_bytes(1, width=400))
    assert stored_pdfs_merged([first]) == first
    merged = stored_pdfs_merged([first, second])
    with default_storage.open(merged, "rb") as handle:
        pages = PdfReader(handle).pages
        assert [int(page.mediabox.width) for page in pages] == [300, 300, 400]
    assert stored_pdfs_merged([first, second]) == merged  # a retry reuses it
    with pytest.raises(DeliveryError) as broken:
        stored_pdfs_merged([first, "content/7/documents/gone.pdf"])
    assert broken.value.permanent and broken.value.reason == "attachment_unavailable"
