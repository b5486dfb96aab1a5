"""Reading CSV records from a byte stream: line numbers, stray quotes, odd line endings."""

from apps.contacts.csv_io import CsvRecords, looks_like_header
from apps.contacts.csv_io.reading import MAX_RECORD_LINES


def records(data: bytes | list[bytes]) -> list[tuple]:
    lines = data.splitlines(keepends=True) if isinstance(data, bytes) else data
    return [(r.line, r.cells, r.error[:12]) for r in CsvRecords(lines)]


def test_quoted_values_may_span_lines_and_keep_the_starting_line_number():
    assert records(b'a,b\r\n"c\r\nd",e\r\nf,g\r\n') == [
        (1, ["a", "b"], ""),
        (2, ["c\r\nd", "e"], ""),
        (4, ["f", "g"], ""),
    ]


def test_a_runaway_quote_costs_only_its_own_line():
    body = b'1,"open\n' + b"".join(b"%d,row\n" % n for n in range(2, MAX_RECORD_LINES + 5))
    got = records(body)
    assert got[0] == (1, [], "unterminated")
    assert got[1:] == [(n, [str(n), "row"], "") for n in range(2, MAX_RECORD_LINES + 5)]


def test_a_quote_left_open_at_the_end_of_the_file():
    assert records(b'1,ok\n2,"open\n3,ok\n') == [
        (1, ["1", "ok"], ""),
        (2, [], "unterminated"),
        (3, ["3", "ok"], ""),
    ]


def test_old_mac_line_endings_and_a_byte_order_mark():
    assert records([b'\xef\xbb\xbf1,a\r2,b\r3,"q""x"\r']) == [
        (1, ["1", "a"], ""),
        (2, ["2", "b"], ""),
        (3, ["3", 'q"x'], ""),
    ]


def test_header_detection():
    assert looks_like_header(["phone", "first_name"])
    assert looks_like_header(["Mobile Number"])
    assert not looks_like_header(["+92 300 1234567"])
    assert not looks_like_header(["", "Mail", "Only", "m@example.com"])
    assert not looks_like_header(["phone1"])
