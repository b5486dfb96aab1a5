"""Model fields: secrets encrypted at rest."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _fernet() -> MultiFernet:
    """Fernet keys from FUSION_ENCRYPTION_KEYS (comma list, newest first), else from SECRET_KEY."""
    raw = getattr(settings, "FUSION_ENCRYPTION_KEYS", None) or [settings.SECRET_KEY]
    keys = [base64.urlsafe_b64encode(hashlib.sha256(k.encode()).digest()) for k in raw]
    return MultiFernet([Fernet(key) for key in keys])


class EncryptedTextField(models.TextField):
    """Text stored Fernet-encrypted; reads decrypt, so code sees the plain value.

    Rotate keys by putting a new key first in FUSION_ENCRYPTION_KEYS and keeping the old one
    after it until every row has been re-saved.
    """

    prefix = "enc:"

    def from_db_value(self, value, expression, connection):
        if not value or not value.startswith(self.prefix):
            return value
        try:
            return _fernet().decrypt(value[len(self.prefix) :].encode()).decode()
        except InvalidToken:
            return ""  # unreadable with the configured keys: treat as unset, never crash

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return self.prefix + _fernet().encrypt(value.encode()).decode()
