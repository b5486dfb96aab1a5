from django.apps import AppConfig


class ContactsConfig(AppConfig):
    """Contacts, contact groups and their CSV import/export (the Comms face's address book)."""

    name = "apps.contacts"
    label = "contacts"
