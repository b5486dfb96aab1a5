"""Contacts and contact groups (ICTCore's ``contact``, ``contact_group`` and ``contact_link``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from apps.core.models import TenantModel


class Group(TenantModel):
    """A named list of contacts of one client; campaigns send to every member.

    The member count (the spec's ``contact_total``) is not stored: the selectors annotate it
    from the membership table, so it can never drift from the real membership.
    """

    name = models.CharField(max_length=120)
    description = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["client", "name"])]

    def __str__(self) -> str:
        return self.name


class Contact(TenantModel):
    """A person or party that can be reached: a phone (E.164) and/or an email address.

    Nothing is unique: like ICTCore, two contacts may share a phone. ``custom1``-``custom3``
    are free fields a message template may use.
    """

    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +923001234567.")
    email = models.EmailField(max_length=254, blank=True)
    address = models.CharField(max_length=255, blank=True)
    custom1 = models.CharField(max_length=255, blank=True)
    custom2 = models.CharField(max_length=255, blank=True)
    custom3 = models.CharField(max_length=255, blank=True)
    description = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    groups = models.ManyToManyField(Group, through="Membership", related_name="contacts")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["client", "phone"]),
            models.Index(fields=["client", "email"]),
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} <{self.phone or self.email}>" if name else self.phone or self.email

    def clean(self) -> None:
        if not (self.phone or self.email):
            raise ValidationError("A contact needs a phone or an email.")


class Membership(models.Model):
    """A contact's place in a group (ICTCore's ``contact_link``); at most one per pair."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "contact"], name="contacts_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contact} in {self.group}"

    def clean(self) -> None:
        # The admin could otherwise pair a contact with another client's group.
        if self.group_id and self.contact_id and self.group.client_id != self.contact.client_id:
            raise ValidationError("The contact and the group belong to different clients.")
