"""Turn an uploaded byte stream into CSV records one at a time, never the whole file at once.

The csv module reads a quoted field across line breaks, so one stray quote could swallow the
rest of the file. ``_LineFeeder`` bounds that: a record may span at most
``MAX_RECORD_LINES`` lines; past that (or at the end of the file) its first line is reported
as unreadable and the lines after it are read again as records of their own.
"""

import csv
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

MAX_RECORD_LINES = 20
_BOM = "\ufeff"
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")  # old Mac line ends: "\r" not followed by "\n"
_CLOSE_QUOTE = '"\n'  # what the feeder hands csv to end a runaway quoted field


@dataclass(slots=True)
class CsvRecord:
    """One CSV record: the line it starts on and its cells, or why it could not be read."""

    line: int
    cells: list[str] = field(default_factory=list)
    error: str = ""
    lines: int = 1  # physical lines the record spans


def _decode(raw: bytes) -> str:
    # UTF-8 is the norm; a line that is not UTF-8 most likely came from Excel on Windows.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def decoded_lines(byte_lines: Iterable[bytes]) -> Iterator[str]:
    """Text lines (line endings kept, as the csv module wants them), a leading BOM dropped."""
    first = True
    for raw in byte_lines:
        text = _decode(raw)
        if first:
            text, first = text.removeprefix(_BOM), False
        if "\r" in text:
            yield from (piece for piece in _LONE_CR.split(text) if piece)
        else:
            yield text


class _LineFeeder:
    """The line iterator csv.reader pulls from; it knows which lines the current record used."""

    def __init__(self, lines: Iterable[str]):
        self._source = iter(lines)
        self._number = 0
        self._replay: deque[tuple[int, str]] = deque()
        self._record: list[tuple[int, str]] = []
        self.runaway = False

    def start_record(self) -> None:
        self._record, self.runaway = [], False

    @property
    def first_line(self) -> int:
        return self._record[0][0] if self._record else self._number

    @property
    def line_count(self) -> int:
        return len(self._record)

    def replay_rest(self) -> None:
        """Queue the current record's lines after its first one to be read again."""
        self._replay.extendleft(reversed(self._record[1:]))

    def _take(self) -> tuple[int, str] | None:
        if self._replay:
            return self._replay.popleft()
        text = next(self._source, None)
        if text is None:
            return None
        self._number += 1
        return self._number, text

    def __iter__(self):
        return self

    def __next__(self) -> str:
        # csv asks for another line mid-record only inside an open quoted field.
        if len(self._record) >= MAX_RECORD_LINES:
            return self._close_runaway()
        item = self._take()
        if item is None:
            if self._record:  # end of file inside a quoted field
                return self._close_runaway()
            raise StopIteration
        self._record.append(item)
        return item[1]

    def _close_runaway(self) -> str:
        self.runaway = True
        return _CLOSE_QUOTE


class CsvRecords:
    """The records of a byte stream, each with the line it starts on.

    A record that cannot be read (a NUL byte, an unterminated quote) comes back with ``error``
    set and reading goes on, so one bad row never stops the file. A consumer that refuses a
    record spanning several lines calls ``reread_rest()`` before taking the next record: the
    lines after its first are then read again as records of their own (a stray quote had glued
    them together).
    """

    def __init__(self, byte_lines: Iterable[bytes]):
        self._feeder = _LineFeeder(decoded_lines(byte_lines))

    def reread_rest(self) -> None:
        self._feeder.replay_rest()

    def __iter__(self) -> Iterator[CsvRecord]:
        feeder = self._feeder
        reader = csv.reader(feeder)
        while True:
            feeder.start_record()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield CsvRecord(line=feeder.first_line, error=f"unreadable CSV: {exc}.")
                feeder.replay_rest()
                continue
            if feeder.runaway:
                yield CsvRecord(line=feeder.first_line, error="unterminated quoted field.")
                feeder.replay_rest()
                continue
            yield CsvRecord(line=feeder.first_line, cells=cells, lines=feeder.line_count)
