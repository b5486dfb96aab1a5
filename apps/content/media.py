"""Uploaded media: the errors, and checks of what a file really is (by content, not by header).

A "PDF" must start with ``%PDF-`` and be readable enough to count its pages (pypdf, tolerant
mode); a "WAV" must open with the standard library's ``wave`` (PCM). The Content-Type a client
declares is never trusted for these.
"""

import io
import mimetypes
import tempfile
import wave
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from pypdf import PdfReader, PdfWriter
from rest_framework import status
from rest_framework.exceptions import APIException

from apps.content.catalog import PDF_TYPE, WAV_TYPE

_CHUNK = 64 * 1024
_SPOOL_IN_MEMORY = 1024 * 1024  # larger uploads spill to a temporary file


class UnsupportedMedia(APIException):
    """The body is not the kind of file the endpoint takes (415)."""

    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_detail = "Unsupported media type."
    default_code = "unsupported_media_type"


class EmptyMedia(APIException):
    """No file, or an empty one, was uploaded (411, as ICTCore answers "Empty file")."""

    status_code = status.HTTP_411_LENGTH_REQUIRED
    default_detail = "Empty file: no media was uploaded."
    default_code = "empty_media"


class MediaTooLarge(APIException):
    """The file is over FUSION_MEDIA_MAX_BYTES (413)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "media_too_large"

    def __init__(self, limit: int):
        super().__init__(f"Media is larger than {limit} bytes.")


@dataclass
class Upload:
    """One uploaded file: a seekable binary stream plus what the client said about it."""

    file: IO[bytes]
    size: int
    content_type: str = "application/octet-stream"
    filename: str = ""

    def extension(self) -> str:
        """The file's extension without the dot: from its name, else from its type."""
        suffix = PurePath(self.filename).suffix or mimetypes.guess_extension(self.content_type)
        return (suffix or "").lstrip(".").lower()[:16]

    def read_all(self) -> bytes:
        self.file.seek(0)
        return self.file.read()


@dataclass(frozen=True)
class PdfInfo:
    """What Fusion keeps of a PDF: page count and first-page size in points."""

    pages: int
    width: int
    height: int


@dataclass(frozen=True)
class WavInfo:
    """The format and duration of a PCM WAV file."""

    channels: int
    sample_width: int
    rate: int
    frames: int

    @property
    def seconds(self) -> float:
        return round(self.frames / self.rate, 3) if self.rate else 0.0

    def describe(self) -> str:
        return f"{self.channels} channel(s), {self.sample_width * 8}-bit, {self.rate} Hz"


def media_max_bytes() -> int:
    """The size cap of one uploaded file (read per call so a settings override applies)."""
    return settings.FUSION_MEDIA_MAX_BYTES


def spool_stream(stream, *, limit: int) -> tempfile.SpooledTemporaryFile:
    """Copy ``stream`` to a spooled temporary file; 413 as soon as it passes ``limit`` bytes."""
    # Handed to the caller, who closes it once the upload is stored.
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            spool.close()
            raise MediaTooLarge(limit)
        spool.write(chunk)
    spool.seek(0)
    return spool


def upload_check_size(upload: Upload) -> Upload:
    """411 for an empty file, 413 for one over the cap."""
    if upload.size <= 0:
        raise EmptyMedia()
    if upload.size > media_max_bytes():
        raise MediaTooLarge(media_max_bytes())
    return upload


def pdf_inspect(upload: Upload) -> PdfInfo:
    """Page count and page size of a PDF upload; 415 when it is not a readable PDF."""
    upload.file.seek(0)
    if not upload.file.read(5) == b"%PDF-":
        raise UnsupportedMedia(f"Expected {PDF_TYPE}: the body is not a PDF document.")
    upload.file.seek(0)
    try:
        reader = PdfReader(upload.file, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedMedia(f"Expected {PDF_TYPE} without a password.")
        pages = len(reader.pages)
        box = reader.pages[0].mediabox if pages else None
    except UnsupportedMedia:
        raise
    except Exception as exc:  # pypdf raises many error types for damaged files
        raise UnsupportedMedia(f"Expected {PDF_TYPE}: the PDF cannot be read ({exc}).") from exc
    if not pages:
        raise UnsupportedMedia(f"Expected {PDF_TYPE} with at least one page.")
    return PdfInfo(pages=pages, width=round(abs(box.width)), height=round(abs(box.height)))


def pdf_concatenate(files: list[IO[bytes]]) -> tempfile.SpooledTemporaryFile:
    """One PDF holding the pages of ``files`` in order (each already passed pdf_inspect)."""
    writer = PdfWriter()
    for handle in files:
        handle.seek(0)
        writer.append(PdfReader(handle, strict=False))
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 (returned)
    writer.write(out)
    out.seek(0)
    return out


def wav_inspect(upload: Upload) -> WavInfo:
    """The format and true length of a WAV upload; 415 when ``wave`` cannot read it."""
    upload.file.seek(0)
    try:
        with wave.open(upload.file, "rb") as reader:
            frame_bytes = reader.getnchannels() * reader.getsampwidth()
            # Count the frames really present: a truncated file's header overstates them.
            data = reader.readframes(reader.getnframes())
            info = WavInfo(
                channels=reader.getnchannels(),
                sample_width=reader.getsampwidth(),
                rate=reader.getframerate(),
                frames=len(data) // frame_bytes if frame_bytes else 0,
            )
    except (wave.Error, EOFError, ValueError) as exc:
        raise UnsupportedMedia(f"Expected {WAV_TYPE} (PCM): the body is not a WAV file.") from exc
    finally:
        upload.file.seek(0)
    return info


def wav_concatenate(first: IO[bytes], second: IO[bytes]) -> tuple[io.BytesIO, WavInfo]:
    """``first`` followed by ``second`` as one WAV; 415 unless both have the same format."""
    parts = []
    for handle in (first, second):
        handle.seek(0)
        with wave.open(handle, "rb") as reader:
            parts.append((reader.getparams(), reader.readframes(reader.getnframes())))
    (params, head), (other, tail) = parts
    if params[:3] != other[:3]:
        expected = WavInfo(params.nchannels, params.sampwidth, params.framerate, 0)
        raise UnsupportedMedia(
            f"Expected {WAV_TYPE} with {expected.describe()}, the format of the recording."
        )
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setparams(params)
        writer.writeframes(head + tail)
    out.seek(0)
    frame_bytes = params.nchannels * params.sampwidth
    info = WavInfo(
        params.nchannels, params.sampwidth, params.framerate, len(head + tail) // frame_bytes
    )
    return out, info
