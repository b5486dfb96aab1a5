"""Write contacts as CSV text, a chunk at a time (for StreamingHttpResponse)."""

import csv
from collections.abc import Iterable, Iterator

# ICTCore's data/contact_sample.csv, with the phone in E.164 so it imports in any region.
SAMPLE_ROWS = [
    ["+923330000000", "Valid", "Contact", "email@domain.com", "street address",
     "custom 1", "custom 2", "custom 3", "any comments will be here"],
    ["+923330000001", "Another", "Contact", "another@domain.com", "street address",
     "custom 1", "custom 2", "custom 3", ""],
]  # fmt: skip


class _Line:
    """A file-like target that hands back what csv.writer writes instead of storing it."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[Iterable[str]], *, per_chunk: int = 500) -> Iterator[str]:
    """CSV text of ``rows``, every field quoted and inner quotes doubled, in chunks of
    ``per_chunk`` rows so a big export neither builds one string nor sends one tiny write
    per row."""
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL)
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow(row))
        if len(chunk) >= per_chunk:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
