"""Writes of providers."""

from apps.providers.models import Provider


def provider_create(*, client_id: int, **fields) -> Provider:
    """Create a provider of the client; the password is encrypted by its field."""
    return Provider.objects.create(client_id=client_id, **fields)


def provider_update(*, provider: Provider, **fields) -> Provider:
    """Change the given fields; an empty password keeps the stored one."""
    if not fields.get("password"):
        fields.pop("password", None)
    for name, value in fields.items():
        setattr(provider, name, value)
    provider.save()
    return provider


def provider_delete(*, provider: Provider) -> None:
    """Delete the provider; jobs, attempts and outbox rows that used it keep a null provider."""
    provider.delete()
