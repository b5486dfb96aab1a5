"""Signed, expiring public URLs of stored files, for vendors that fetch media themselves.

Fax and voice vendors (Telnyx, Twilio) take a URL of the document or recording, not its
bytes, and cannot log in. ``stored_file_public_url`` gives them
``{FUSION_PUBLIC_URL}/api/media/{token}/{name}``: ``name`` is the file's name in Django's
storage and ``token`` is ``{expires}-{hmac}``, the HMAC (``apps.core.signing``, keyed with
SECRET_KEY) of the expiry and the name together, so neither can be changed and the URL stops
working after ``FUSION_MEDIA_URL_SECONDS`` (24 h). The view is ``apps.delivery.api.media_views``.
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


def stored_pdfs_merged(names: list[str]) -> str:
    """One stored PDF of ``names`` in order: the name itself for one file, else a stored
    concatenation (named by a hash of the names, so every try of a job reuses it)."""
    if len(names) == 1:
        return names[0]
    from pypdf import PdfWriter

    digest = hashlib.sha256("\n".join(names).encode()).hexdigest()[:32]
    merged = f"{MERGED_FOLDER}/{digest}.pdf"
    if default_storage.exists(merged):
        return merged
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
    return default_storage.save(merged, ContentFile(out.getvalue()))
