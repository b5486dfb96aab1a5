"""Recordings API: CRUD, WAV media checked with ``wave`` (length, format, append)."""

import io

import pytest

from apps.content.models import Recording
from tests.content.builders import PNG, pdf_bytes, wav_bytes, wav_seconds

pytestmark = pytest.mark.django_db

URL = "/api/messages/recordings"


@pytest.fixture
def recording_id(user_api) -> int:
    response = user_api.post(URL, {"name": "Welcome prompt"}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["recording_id"]


def send_wav(api, recording_id, data: bytes, method="put", content_type="audio/wav"):
    return getattr(api, method)(f"{URL}/{recording_id}/media", data, content_type=content_type)


def test_create_read_update_delete(user_api, recording_id):
    body = user_api.get(f"{URL}/{recording_id}").json()
    assert (body["codec"], body["channel"], body["sample"], body["bitrate"]) == ("pcm", 1, 8000, 16)
    assert body["length"] == 0 and body["file_name"] == ""
    response = user_api.put(
        f"{URL}/{recording_id}", {"description": "IVR", "length": 99}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["description"] == "IVR" and response.json()["length"] == 0
    assert user_api.delete(f"{URL}/{recording_id}").json() is True
    assert not Recording.objects.filter(pk=recording_id).exists()


def test_missing_name_answers_412(user_api):
    response = user_api.post(URL, {"description": "x"}, format="json")
    assert response.status_code == 412 and "name" in response.json()["error"]["fields"]


@pytest.mark.parametrize("content_type", ["audio/wav", "audio/x-wav"])
def test_wav_upload_reads_length_and_format_and_downloads_as_audio_wav(
    user_api, recording_id, content_type
):
    wav = wav_bytes(2.5, rate=16000, channels=2)
    response = send_wav(user_api, recording_id, wav, content_type=content_type)
    assert response.status_code == 200 and response.json() == {"recording_id": recording_id}
    body = user_api.get(f"{URL}/{recording_id}").json()
    assert body["length"] == 2.5 and (body["sample"], body["channel"], body["bitrate"]) == (
        16000, 2, 16
    )  # fmt: skip
    assert (body["type"], body["codec"], body["size"]) == ("wav", "pcm", len(wav))
    download = user_api.get(f"{URL}/{recording_id}/media")
    assert download.status_code == 200 and download["Content-Type"] == "audio/wav"
    assert 'filename="welcome-prompt.wav"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == wav


def test_put_replaces_the_audio(user_api, recording_id, stored, on_commit):
    with on_commit(execute=True):
        send_wav(user_api, recording_id, wav_bytes(1))
        send_wav(user_api, recording_id, wav_bytes(3))
    assert user_api.get(f"{URL}/{recording_id}").json()["length"] == 3
    assert len(stored()) == 1


def test_post_appends_audio_of_the_same_format(user_api, recording_id, stored, on_commit):
    with on_commit(execute=True):
        assert send_wav(user_api, recording_id, wav_bytes(1), method="post").status_code == 200
        assert send_wav(user_api, recording_id, wav_bytes(2), method="post").status_code == 200
    assert user_api.get(f"{URL}/{recording_id}").json()["length"] == 3
    audio = b"".join(user_api.get(f"{URL}/{recording_id}/media").streaming_content)
    assert wav_seconds(audio) == 3
    assert len(stored()) == 1
    response = send_wav(user_api, recording_id, wav_bytes(1, rate=16000), method="post")
    assert response.status_code == 415
    assert "8000 Hz" in response.json()["error"]["message"]
    assert user_api.get(f"{URL}/{recording_id}").json()["length"] == 3


@pytest.mark.parametrize("body", [PNG, pdf_bytes(1), b"RIFF\x00\x00\x00\x00WAVEjunk", b"x" * 100])
def test_anything_but_a_wav_answers_415_naming_audio_wav(user_api, recording_id, body, stored):
    response = send_wav(user_api, recording_id, body)
    assert response.status_code == 415 and "audio/wav" in response.json()["error"]["message"]
    assert stored() == set()


def test_multipart_upload_empty_body_and_size_cap(user_api, recording_id, settings):
    upload = io.BytesIO(wav_bytes(1))
    upload.name = "hello.wav"
    response = user_api.post(f"{URL}/{recording_id}/media", {"file": upload}, format="multipart")
    assert response.status_code == 200
    assert send_wav(user_api, recording_id, b"").status_code == 411
    settings.FUSION_MEDIA_MAX_BYTES = 1000
    assert send_wav(user_api, recording_id, wav_bytes(1)).status_code == 413
    assert user_api.get(f"{URL}/{recording_id}").json()["length"] == 1


def test_delete_removes_the_file(user_api, recording_id, stored, on_commit):
    with on_commit(execute=True):
        send_wav(user_api, recording_id, wav_bytes(1))
    assert len(stored()) == 1
    with on_commit(execute=True):
        user_api.delete(f"{URL}/{recording_id}")
    assert stored() == set()
