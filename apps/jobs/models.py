"""Rows the Queue face keeps besides the engine's jobs: idempotent requests, keyword mapping,
WhatsApp consent."""

from django.db import models

from apps.core.models import TenantModel


class IdempotentRequest(models.Model):
    """A POST /queue/ or /schedule/ sent with an ``Idempotency-Key`` header, and its answer.

    The unique (client, key) constraint is what makes a replay safe: of two concurrent
    requests with one key, only one can insert this row, so only one creates jobs; the other
    answers the stored ``job_ids``. ``body_sha256`` tells a replay from a reused key (409).
    """

    client = models.ForeignKey("accounts.Client", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=16, help_text="queue or schedule.")
    body_sha256 = models.CharField(max_length=64)
    job_ids = models.JSONField(default=list, help_text="Job UUIDs answered, in input order.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="jobs_idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"


class KeywordMapping(TenantModel):
    """One entry of a client's keyword dictionary (POST /mapping/ upserts these)."""

    keyword = models.CharField(max_length=255)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["keyword"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "keyword"], name="jobs_keyword_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return self.keyword


class WhatsAppConsent(TenantModel):
    """The latest WhatsApp consent of one recipient key of a client.

    ``cache_key`` is the key the client uses (a WhatsApp job's ``data.cache_key``, else the
    recipient's E.164 number). An opted-out key makes WhatsApp jobs to it fail with reason
    ``no_consent`` before any vendor call; a key without a row is not blocked.
    """

    class State(models.TextChoices):
        OPTED_IN = "opted_in"
        OPTED_OUT = "opted_out"

    cache_key = models.CharField(max_length=255)
    state = models.CharField(max_length=16, choices=State.choices)
    details = models.JSONField(default=dict, blank=True, help_text="The request's details_obj.")

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "WhatsApp consent"
        constraints = [
            models.UniqueConstraint(fields=["client", "cache_key"], name="jobs_consent_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cache_key}: {self.state}"
