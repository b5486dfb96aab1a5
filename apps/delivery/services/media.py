"""Signed, expiring public URLs of stored files, for vendors that fetch media themselves.

Fax and voice vendors (Telnyx, Twilio) take a URL of the document or recording, not its
bytes, and cannot log in. ``stored_file_public_url`` gives them
``{FUSION_PUBLIC_URL}/api/media/{token}/{name}``: ``name`` is the file's name in Django's
storage and ``token`` is ``{expires}-{hmac}``, the HMAC (``apps.core.signing``, keyed with
SECRET_KEY) of the expiry and the name together, so neither can be changed and the URL stops
working after ``FUSION_MEDIA_URL_SECONDS`` (24 h). The view is ``apps.delivery.api.media_views``.

Several PDFs of one fax are joined into one stored file first (vendors take one document).
Those files exist only for the vendor, so ``merged_pdfs_prune`` (hourly, on beat) deletes each
once no URL of it can still be valid.
"""

import hashlib
import io
import time
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from apps.core.signing import url_token, url_token_matches
from apps.delivery.gateways.base import DeliveryError

_PURPOSE = "media"
MERGED_FOLDER = "delivery/fax"  # several PDFs of one fax, joined (vendors take one document)
# A joined PDF is reused only by tries within the same hour (its name carries the hour), so
# the last URL of it is made before that hour ends and expires FUSION_MEDIA_URL_SECONDS later.
MERGED_REUSE_SECONDS = 3600
# Kept this much longer still: the worker, web and beat machines' clocks may disagree.
MERGED_KEEP_MARGIN_SECONDS = 3600


def _signed_value(name: str, expires: int) -> str:
    # The expiry comes first and is digits only, so "expires:name" is never ambiguous.
    return f"{expires}:{name}"


def media_token(*, name: str, expires: int) -> str:
    """``{expires}-{hmac}`` for the stored file ``name``, valid until unix time ``expires``."""
    return f"{expires}-{url_token(_PURPOSE, _signed_value(name, expires))}"


def media_token_valid(*, name: str, token: str, now: float | None = None) -> bool:
    """True when ``token`` was made for ``name`` and has not expired."""
    expires, _, _ = (token or "").partition("-")
    if not expires.isdigit() or int(expires) < (time.time() if now is None else now):
        return False
    signature = token[len(expires) + 1 :]
    return url_token_matches(_PURPOSE, _signed_value(name, int(expires)), signature)


def media_urls_check() -> None:
    """Raise ``DeliveryError(permanent=True, reason="no_public_url")`` unless FUSION_PUBLIC_URL
    is set: without it a vendor could fetch nothing, and retrying will not change that."""
    if not settings.FUSION_PUBLIC_URL:
        raise DeliveryError(
            "FUSION_PUBLIC_URL is not set: the vendor cannot fetch the media",
            permanent=True,
            reason="no_public_url",
        )


def stored_file_public_url(name: str, *, seconds: int | None = None) -> str:
    """The public URL through which a vendor fetches the stored file ``name``.

    Its callers are gateways, so it raises their error: ``no_public_url`` (see
    ``media_urls_check``), or ``attachment_unavailable`` when the file is not in storage; both
    permanent.
    """
    media_urls_check()
    if not name or not default_storage.exists(name):
        raise DeliveryError(
            f"stored file {name!r} is missing", permanent=True, reason="attachment_unavailable"
        )
    lifetime = settings.FUSION_MEDIA_URL_SECONDS if seconds is None else seconds
    token = media_token(name=name, expires=int(time.time()) + int(lifetime))
    return f"{settings.FUSION_PUBLIC_URL.rstrip('/')}/api/media/{token}/{quote(name)}"


def stored_pdfs_merged(names: list[str], *, now: float | None = None) -> str:
    """One stored PDF of ``names`` in order: the name itself for one file, else a stored
    concatenation, named by the hour and a hash of the names, so the tries of a job (and
    jobs faxing the same files) within an hour reuse it and ``merged_pdfs_prune`` knows when
    it may go."""
    if len(names) == 1:
        return names[0]
    merged = _merged_name(names, time.time() if now is None else now)
    if default_storage.exists(merged):
        return merged
    return default_storage.save(merged, ContentFile(_pdfs_joined(names)))


def merged_pdfs_prune(*, now: float | None = None) -> int:
    """Delete the joined fax PDFs that no signed URL can reach any more; how many went.

    A file of the hour starting at ``H`` (its name's prefix) was last handed out before
    ``H + MERGED_REUSE_SECONDS``, in a URL valid ``FUSION_MEDIA_URL_SECONDS``: it goes once
    both and ``MERGED_KEEP_MARGIN_SECONDS`` have passed, so a vendor that fetches the
    document late (Telnyx fetches after the send call returned) still finds it. Files named
    before hours were (``<hash>.pdf``) go by their modification time instead.
    """
    now = time.time() if now is None else now
    keep = settings.FUSION_MEDIA_URL_SECONDS + MERGED_KEEP_MARGIN_SECONDS
    try:
        _, files = default_storage.listdir(MERGED_FOLDER)
    except FileNotFoundError:  # nothing was ever joined
        return 0
    deleted = 0
    for filename in files:
        name = f"{MERGED_FOLDER}/{filename}"
        last_handed_out = _merged_last_handed_out(name, filename)
        if last_handed_out is not None and last_handed_out + keep < now:
            default_storage.delete(name)
            deleted += 1
    return deleted


def _merged_name(names: list[str], now: float) -> str:
    digest = hashlib.sha256("\n".join(names).encode()).hexdigest()[:32]
    hour = int(now) - int(now) % MERGED_REUSE_SECONDS
    return f"{MERGED_FOLDER}/{hour}-{digest}.pdf"


def _merged_last_handed_out(name: str, filename: str) -> float | None:
    """When a URL of the joined file ``name`` was last made, at the latest; None: unknown
    (the file is kept)."""
    hour, dash, _ = filename.partition("-")
    if dash and hour.isdigit():
        return int(hour) + MERGED_REUSE_SECONDS
    try:  # the older naming: reused by every try, whenever; the last write is the best guess
        return default_storage.get_modified_time(name).timestamp()
    # Django storages without modification times raise NotImplementedError; a file deleted
    # since it was listed raises FileNotFoundError. Either way the file is not pruned now.
    except (NotImplementedError, FileNotFoundError):
        return None


def _pdfs_joined(names: list[str]) -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    try:
        for name in names:
            with default_storage.open(name, "rb") as handle:
                writer.append(io.BytesIO(handle.read()))
        writer.write(out)
    except Exception as exc:  # storage errors, and pypdf raises many types on bad input
        raise DeliveryError(
            f"cannot join the fax documents: {exc}"[:500],
            permanent=True,
            reason="attachment_unavailable",
        ) from exc
    return out.getvalue()
