"""Writes of SMS texts."""

from apps.content.models import Text
from apps.content.sms import ENCODING_BINARY


def text_create(*, client_id: int, created_by=None, **fields) -> Text:
    """Create a text; length, segments and (unless given) encoding follow its data."""
    return Text.objects.create(client_id=client_id, created_by=created_by, **fields)


def text_update(*, text: Text, **fields) -> Text:
    """Change the given fields.

    New data without an explicit encoding re-derives it, except binary, which is never
    derived and so must have been chosen on purpose.
    """
    if "data" in fields and "encoding" not in fields and text.encoding != ENCODING_BINARY:
        text.encoding = None
    for name, value in fields.items():
        setattr(text, name, value)
    text.save()
    return text


def text_delete(*, text: Text) -> None:
    """Delete a text (texts have no files)."""
    text.delete()
