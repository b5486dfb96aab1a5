"""One CSV row → the fields of a contact, or the reason the row is refused."""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from apps.contacts.models import Contact
from apps.contacts.phones import InvalidPhone, phone_normalise

# ICTCore's order: phone first (not the blueprint's first_name first).
COLUMNS = (
    "phone", "first_name", "last_name", "email", "address",
    "custom1", "custom2", "custom3", "description",
)  # fmt: skip
_MAX_LENGTH = {name: Contact._meta.get_field(name).max_length for name in COLUMNS}
# Columns that never hold a line break: one there means a stray quote glued lines together.
_SINGLE_LINE = ("phone", "first_name", "last_name", "email")
_email_valid = EmailValidator()


class RowRejected(ValueError):
    """The row cannot become a contact; the message is the reason the import report shows."""


def looks_like_header(cells: list[str]) -> bool:
    """A header's first cell is words ("phone", "Mobile number"): text without any digit.

    An empty first cell is not a header: it is a contact with an email and no phone.
    """
    first = cells[0].strip() if cells else ""
    return bool(first) and not any(char.isdigit() for char in first)


def _clean(cell: str) -> str:
    # Line breaks inside a quoted value are stored as "\n", whatever the file used.
    cell = cell.strip()
    return cell.replace("\r\n", "\n").replace("\r", "\n") if "\r" in cell else cell


def row_to_fields(cells: list[str], *, region: str) -> dict[str, str]:
    """The contact fields of a row of 1 to 9 cells (missing trailing cells are empty).

    The phone comes back in E.164; bulk inserts skip model validation, so lengths and the
    email are checked here.
    """
    if len(cells) > len(COLUMNS):
        raise RowRejected(f"{len(cells)} columns; at most {len(COLUMNS)} are allowed.")
    values = [_clean(cell) for cell in cells]
    values += [""] * (len(COLUMNS) - len(values))
    fields = dict(zip(COLUMNS, values, strict=True))
    for name in _SINGLE_LINE:
        if "\n" in fields[name]:
            raise RowRejected(f"{name}: contains a line break (a stray quote?).")
    if not (fields["phone"] or fields["email"]):
        raise RowRejected("phone: a phone or an email is required.")
    if fields["phone"]:
        try:
            fields["phone"] = phone_normalise(fields["phone"], region=region)
        except InvalidPhone as exc:
            raise RowRejected(f"phone: {exc}") from exc
    if fields["email"]:
        try:
            _email_valid(fields["email"])
        except ValidationError as exc:
            raise RowRejected(f"email: '{fields['email']}' is not a valid email address.") from exc
    for name, value in fields.items():
        if len(value) > _MAX_LENGTH[name]:
            raise RowRejected(f"{name}: longer than {_MAX_LENGTH[name]} characters.")
        if "\x00" in value:  # PostgreSQL text cannot hold NUL
            raise RowRejected(f"{name}: contains a NUL character.")
    return fields
