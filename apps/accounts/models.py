"""Tenants and users."""

import base64
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from apps.core.fields import EncryptedTextField


def _webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Client(models.Model):
    """A tenant: every row in Fusion belongs to one Client, and only its users see it."""

    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=60, unique=True, help_text="Short unique code (slug).")
    active = models.BooleanField(default=True)
    settings = models.JSONField(default=dict, blank=True)
    webhook_secret = models.CharField(
        max_length=80,
        default=_webhook_secret,
        help_text="Signs this client's callbacks (Standard Webhooks, HMAC-SHA256).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("access_all_clients", "Can see and manage every client's rows"),
            ("manage_webhook_secret", "Can view and rotate the client's callback signing secret"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class User(AbstractUser):
    """A person or system that signs in; belongs to one Client unless global staff.

    ``is_active`` is the spec's ``active``. Roles are Django groups and permissions are
    Django permissions, so the admin and the API share one model of who may do what.
    """

    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    address = models.CharField(max_length=255, blank=True)
    company = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")
    timezone = models.CharField(max_length=64, blank=True, help_text="IANA time zone name.")
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.CASCADE, related_name="users"
    )

    objects = UserManager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
            )
        ]

    def __str__(self) -> str:
        return self.username


class Account(models.Model):
    """A communication identity (ICTCore's account): a caller id or sender address, a DID, an
    extension or an email address, owned by a user of the client.

    Transmissions send *as* an account (its phone or email is the source) and inbound traffic
    is routed *to* one (the receive programs subscribed to it). Passwords and PINs are
    encrypted at rest and never returned.
    """

    class Type(models.TextChoices):
        ACCOUNT = "account"
        DID = "did"
        EXTENSION = "extension"
        EADDRESS = "eaddress"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="accounts")
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="comm_accounts"
    )
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.ACCOUNT)
    username = models.CharField(max_length=120)
    passwd = EncryptedTextField(blank=True)
    passwd_pin = EncryptedTextField(blank=True)
    first_name = models.CharField(max_length=120, blank=True)
    last_name = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=32, blank=True, db_index=True)
    email = models.EmailField(blank=True, db_index=True)
    address = models.CharField(max_length=255, blank=True)
    active = models.BooleanField(default=True)
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "type", "username"], name="accounts_account_username_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.username} ({self.type})"
