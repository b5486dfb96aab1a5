"""Writes of contacts, groups, memberships and CSV imports.

Phones reach these functions already in E.164 (the API serializers and the admin form
normalise them with ``apps.contacts.phones``); the CSV import normalises its own rows.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from apps.contacts.bulk import members_insert
from apps.contacts.csv_io import CsvRecords, RowRejected, looks_like_header, row_to_fields
from apps.contacts.models import Contact, Group, Membership
from apps.contacts.phones import region_for_client

CSV_CHUNK_ROWS = 5000  # rows per bulk insert: few round trips, bounded memory
REJECTED_LISTED = 1000  # rejected rows itemised in a report; the rest are only counted


def contact_create(*, client_id: int, created_by=None, **fields) -> Contact:
    """Create a contact of the client (``fields`` as validated by the API)."""
    return Contact.objects.create(client_id=client_id, created_by=created_by, **fields)


def contact_update(*, contact: Contact, **fields) -> Contact:
    """Change the given fields only."""
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.save()
    return contact


def contact_delete(*, contact: Contact) -> None:
    """Delete the contact; its memberships go with it, its groups stay."""
    contact.delete()


def contact_link(*, contact: Contact, group: Group) -> None:
    """Put the contact in the group; linking twice is harmless (even when two requests race)."""
    Membership.objects.bulk_create(
        [Membership(group=group, contact=contact)], ignore_conflicts=True
    )


def contact_unlink(*, contact: Contact, group: Group) -> None:
    """Take the contact out of the group; it stays an address-book contact."""
    Membership.objects.filter(group=group, contact=contact).delete()


def group_create(*, client_id: int, created_by=None, **fields) -> Group:
    """Create a contact group of the client."""
    return Group.objects.create(client_id=client_id, created_by=created_by, **fields)


def group_update(*, group: Group, **fields) -> Group:
    """Change the given fields only."""
    for name, value in fields.items():
        setattr(group, name, value)
    group.save()
    return group


def group_delete(*, group: Group) -> None:
    """Delete the group and its memberships; the contacts themselves are kept."""
    group.delete()


@dataclass
class CsvImportReport:
    """What a CSV import did: counts, and the rejected rows with their line and reason."""

    group_id: int
    imported: int = 0
    duplicates: int = 0
    rejected_total: int = 0
    rejected: list[dict] = field(default_factory=list)
    header_skipped: bool = False
    rows: int = 0  # non-empty records read, the header included

    def reject(self, line: int, reason: str) -> None:
        self.rejected_total += 1
        if len(self.rejected) < REJECTED_LISTED:
            self.rejected.append({"line": line, "reason": reason})

    def as_dict(self) -> dict:
        return {
            "group_id": self.group_id,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "rejected_total": self.rejected_total,
            "header_skipped": self.header_skipped,
        }


def group_csv_import(*, group: Group, lines: Iterable[bytes], created_by=None) -> CsvImportReport:
    """Import a CSV stream (ICTCore's nine columns, phone first) into the group.

    Each good row becomes a new contact linked to the group. A row whose phone (or, without a
    phone, whose email) is already in the group or earlier in the file counts as a duplicate;
    bad rows are reported with their line and never stop the good ones. The file is read row by
    row and written in chunks, all in one transaction, so the report always matches the
    database. ``report.rows == 0`` means the file held nothing at all.
    """
    report = CsvImportReport(group_id=group.id)
    region = region_for_client(group.client)
    with transaction.atomic():
        # Imports into one group run one after another, so two cannot add the same phone.
        list(Group.objects.select_for_update().filter(pk=group.pk).values_list("pk"))
        seen = _group_keys(group)
        rows = _accepted_rows(CsvRecords(lines), report, region=region)
        for chunk in _chunks(_new_rows(rows, report, seen), CSV_CHUNK_ROWS):
            members_insert(group=group, rows=chunk, created_by_id=getattr(created_by, "pk", None))
            report.imported += len(chunk)
    return report


def _duplicate_key(phone: str, email: str) -> str:
    return phone or f"@{email.lower()}"


def _group_keys(group: Group) -> set[str]:
    """Keys of the group's current members: one query, however big the group."""
    pairs = Contact.objects.filter(memberships__group=group).values_list("phone", "email")
    return {_duplicate_key(phone, email) for phone, email in pairs.iterator(chunk_size=5000)}


def _accepted_rows(records: CsvRecords, report: CsvImportReport, *, region: str) -> Iterator[dict]:
    """Contact fields of the good rows; unreadable and bad rows go to the report, empty lines
    are skipped, and a header is skipped when it is the first row. A refused row that spans
    several lines is reported by its first line and the rest is read again."""
    for record in records:
        if not record.error and not any(cell.strip() for cell in record.cells):
            continue
        report.rows += 1
        if record.error:
            report.reject(record.line, record.error)
        elif report.rows == 1 and looks_like_header(record.cells):
            report.header_skipped = True
        else:
            try:
                yield row_to_fields(record.cells, region=region)
            except RowRejected as exc:
                report.reject(record.line, str(exc))
                if record.lines > 1:
                    records.reread_rest()


def _new_rows(rows: Iterable[dict], report: CsvImportReport, seen: set[str]) -> Iterator[dict]:
    """Rows whose phone (or email) is neither in the group nor earlier in the file."""
    for fields in rows:
        key = _duplicate_key(fields["phone"], fields["email"])
        if key in seen:
            report.duplicates += 1
            continue
        seen.add(key)
        yield fields


def _chunks(items: Iterable[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
