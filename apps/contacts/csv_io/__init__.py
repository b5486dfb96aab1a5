"""Contacts CSV: the ICTCore column order, streaming reading and writing, the sample file."""

from apps.contacts.csv_io.reading import CsvRecord, CsvRecords
from apps.contacts.csv_io.rows import COLUMNS, RowRejected, looks_like_header, row_to_fields
from apps.contacts.csv_io.writing import SAMPLE_ROWS, csv_lines

__all__ = [
    "COLUMNS",
    "SAMPLE_ROWS",
    "CsvRecord",
    "CsvRecords",
    "RowRejected",
    "csv_lines",
    "looks_like_header",
    "row_to_fields",
]
