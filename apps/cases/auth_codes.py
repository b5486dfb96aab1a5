"""getAuthCode: short-lived, single-use codes with which a user joins as moderator."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from apps.cases.models import CaseAuthCode

DEFAULT_LIFETIME_SECONDS = 600
INVALID_CODE = "Invalid, expired or already used code."


def code_hash(code: str) -> str:
    """What is stored instead of the code (SHA-256; the code has 192 random bits)."""
    return hashlib.sha256(code.encode()).hexdigest()


def auth_code_lifetime() -> dt.timedelta:
    """How long a new code is valid: FUSION_VIDEO_AUTH_CODE_SECONDS (600)."""
    seconds = getattr(settings, "FUSION_VIDEO_AUTH_CODE_SECONDS", DEFAULT_LIFETIME_SECONDS)
    return dt.timedelta(seconds=seconds)


def auth_code_issue(*, user, issued_by) -> tuple[str, CaseAuthCode]:
    """A new code for ``user`` (returned once, in clear) and its stored row."""
    code = secrets.token_urlsafe(24)
    row = CaseAuthCode.objects.create(
        client_id=user.client_id,
        user=user,
        code_hash=code_hash(code),
        expires_at=timezone.now() + auth_code_lifetime(),
        issued_by=issued_by,
    )
    return code, row


def auth_code_redeem(*, code: str) -> CaseAuthCode:
    """Spend ``code``: its row, now used. Raises a ValidationError naming ``code`` when the
    code is unknown, expired or spent. Call it inside the caller's transaction so that a
    later refusal gives the code back."""
    now = timezone.now()
    with transaction.atomic():
        spent = CaseAuthCode.objects.filter(
            code_hash=code_hash(code),
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(used_at=now)  # only the row's own columns: re-checked under the row lock
        row = CaseAuthCode.objects.select_related("user").filter(code_hash=code_hash(code))
        row = row.first() if spent else None
        if row is None or not row.user.is_active:
            raise ValidationError({"code": [INVALID_CODE]})
        return row
