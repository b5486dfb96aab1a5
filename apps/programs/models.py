"""Programs: reusable scenarios, e.g. "send text #5 as SMS" or "email received faxes"."""

from django.conf import settings
from django.db import models

from apps.core.models import TenantModel


class Program(TenantModel):
    """A program of one type (see ``types.py``) with its parameters in ``data``.

    ``data`` holds the resource the type needs (``text_id``, ``template_id``, ``document_id``,
    ``recording_id``, ``account_id``) or the TTS ``text``. ``parent`` links a child program
    (e.g. the notification email of an emailtofax) to the program that made it.
    """

    class Type(models.TextChoices):
        SENDSMS = "sendsms"
        SENDEMAIL = "sendemail"
        SENDFAX = "sendfax"
        VOICEMESSAGE = "voicemessage"
        VOICETTS = "voicetts"
        RECEIVESMS = "receivesms"
        RECEIVEFAX = "receivefax"
        RECEIVEEMAIL = "receiveemail"
        FAXTOEMAIL = "faxtoemail"
        EMAILTOFAX = "emailtofax"

    name = models.CharField(max_length=120)
    type = models.CharField(max_length=16, choices=Type.choices)
    data = models.JSONField(default=dict, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["client", "type"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.type})"
