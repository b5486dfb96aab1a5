"""Stored files of assets: saving uploads and deleting replaced files once the change commits."""

from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile

from apps.content.media import Upload


def file_store(*, field: FieldFile, upload: Upload, name: str) -> None:
    """Save ``upload`` into ``field`` (the storage picks the final name; the row is not saved)."""
    upload.file.seek(0)
    field.save(name, File(upload.file), save=False)


def stored_files(*fields: FieldFile) -> list[tuple]:
    """(storage, name) of the fields that hold a file, without repeats."""
    seen: dict[tuple, None] = {}
    for field in fields:
        if field and field.name:
            seen.setdefault((field.storage, field.name), None)
    return list(seen)


def files_delete_on_commit(files: list[tuple]) -> None:
    """Delete stored files after the transaction commits.

    Only after: a rolled-back replace or delete must still find its old file.
    """

    def delete() -> None:
        for storage, name in files:
            storage.delete(name)

    if files:
        transaction.on_commit(delete)
