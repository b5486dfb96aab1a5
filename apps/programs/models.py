"""Programs: reusable scenarios, e.g. "send text #5 as SMS" or "email received faxes"."""

from django.conf import settings
from django.core.exceptions import ValidationError
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


class Subscription(models.Model):
    """An account subscribed to an inbound program: traffic to that account runs the program.

    This is ICTCore's dialplan entry ("this DID receives faxes with faxtoemail"). An account
    has at most one program per inbound route (see ``apps.programs.inbound.ROUTES``); a new
    subscription on the same route replaces the old one.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="subscriptions")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="program_subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "account"], name="programs_subscription_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} → {self.program}"

    def clean(self) -> None:
        # The admin could otherwise pair a program with another client's account.
        if self.program_id and self.account_id and self.program.client_id != self.account.client_id:
            raise ValidationError("The account and the program belong to different clients.")
