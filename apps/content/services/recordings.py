"""Writes of voice recordings and their WAV files."""

from django.db import transaction

from apps.content.media import Upload, WavInfo, upload_check_size, wav_concatenate, wav_inspect
from apps.content.models import Recording
from apps.content.services.files import file_store, files_delete_on_commit, stored_files


def recording_create(*, client_id: int, created_by=None, **fields) -> Recording:
    """Create a recording (its audio is uploaded separately, as media)."""
    return Recording.objects.create(client_id=client_id, created_by=created_by, **fields)


def recording_update(*, recording: Recording, **fields) -> Recording:
    """Change the given fields."""
    for name, value in fields.items():
        setattr(recording, name, value)
    recording.save()
    return recording


def recording_delete(*, recording: Recording) -> None:
    """Delete a recording and, once that commits, its file."""
    files = stored_files(recording.file)
    with transaction.atomic():
        recording.delete()
        files_delete_on_commit(files)


def recording_media_replace(*, recording: Recording, upload: Upload) -> Recording:
    """Make ``upload`` the recording's audio (``PUT …/media``)."""
    info = wav_inspect(upload_check_size(upload))
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=recording.pk)
        return _recording_store(recording, upload, info)


def recording_media_append(*, recording: Recording, upload: Upload) -> Recording:
    """Play ``upload`` after the recording's audio (``POST …/media``).

    Both must have the same channels, sample width and rate, else 415; a recording without
    audio simply takes the upload.
    """
    info = wav_inspect(upload_check_size(upload))
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=recording.pk)
        if not recording.file:
            return _recording_store(recording, upload, info)
        with recording.file.open("rb") as current:
            joined, info = wav_concatenate(current, upload.file)
        size = joined.seek(0, 2)
        return _recording_store(recording, Upload(file=joined, size=size), info)


def _recording_store(recording: Recording, upload: Upload, info: WavInfo) -> Recording:
    old = stored_files(recording.file)
    file_store(field=recording.file, upload=upload, name="recording.wav")
    recording.type = "wav"
    recording.codec = "pcm"
    recording.size = upload.size
    recording.length = info.seconds
    recording.channel = info.channels
    recording.sample = info.rate
    recording.bitrate = info.sample_width * 8
    recording.save()
    files_delete_on_commit(old)
    return recording
