"""Abstract base models shared by every app."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds creation and last-update times."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TenantModel(TimeStampedModel):
    """A row that belongs to one Client (tenant); nobody else may see or change it."""

    client = models.ForeignKey("accounts.Client", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True
