"""okrdash.importing (decoding, headers, table, cells.sql): encodings, delimiters, headers, file kinds and the cell parsing macros."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdash.importing.cells import scratch_connection
from okrdash.importing.decide import decide_readings
from okrdash.importing.decoding import decode, sniff_delimiter
from okrdash.importing.headers import canonical_header, detect_kind, normalise_header
from okrdash.importing.reading import Evidence, NumberFormat, ReadingChoices
from okrdash.importing.table import read_csv
from okrdash.models import FileKind
from okrdash.problems import ImportFailed


@pytest.fixture
def con():
    connection = scratch_connection()
    yield connection
    connection.close()


def scalar(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchall()[0][0]


# -- headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Key Result", "key_result"), ("key_result", "key_result"), ("KEY-RESULT", "key_result"),
        ("  Key   Result ", "key_result"), ("hasil kunci", "key_result"), ("hasil_kunci", "key_result"),
        ("KR", "key_result"), ("tim", "team"), ("siklus", "cycle"), ("tujuan", "objective"),
        ("pemilik", "owner"), ("PIC", "owner"), ("nilai awal", "baseline"), ("nilai_awal", "baseline"),
        ("Target", "target"), ("nilai saat ini", "current"), ("satuan", "unit"), ("tanggal", "date"),
        ("bobot", "weight"), ("keyakinan", "confidence"), ("catatan", "note"), ("arah", "direction"),
        ("nama_kpi", "kpi"), ("tanggal_mulai", "start_date"), ("tanggal_selesai", "end_date"),
        ("batas_bawah", "min"), ("batas_atas", "max"), ("toleransi", "tolerance"), ("frekuensi", "frequency"),
        ("jenis_kpi", "kpi_type"), ("kategori", "category"),
        ("jenis_tujuan", "objective_type"), ("tujuan_induk", "parent_objective"), ("pemilik_tujuan", "objective_owner"),
        ("Nilai saat ini (Rp)", "current"), ("Target (%)", "target"), ("nilai", "value"),
    ],
)
def test_header_aliases(raw, canonical):
    assert canonical_header(raw) == canonical


def test_unknown_header_is_none():
    assert canonical_header("favourite colour") is None
    assert normalise_header(" Nilai  Awal ") == "nilai_awal"


@pytest.mark.parametrize(
    ("columns", "kind"),
    [
        ({"cycle", "team", "objective", "key_result", "baseline", "target"}, FileKind.OKRS),
        ({"cycle", "team", "objective", "key_result"}, FileKind.OKRS),
        ({"team", "key_result", "kind"}, FileKind.OKRS),
        ({"team", "key_result", "date", "value"}, FileKind.CHECKINS),
        ({"team", "key_result", "objective", "cycle", "date", "value"}, FileKind.CHECKINS),
        ({"team", "kpi", "date", "value"}, FileKind.KPIS),
        ({"team", "kpi"}, FileKind.KPIS),
        ({"team", "name", "amount"}, None),
    ],
)
def test_detect_kind(columns, kind):
    assert detect_kind(columns) is kind


# -- decoding and delimiters ------------------------------------------------------------------------


def test_decode_utf8_with_bom():
    decoded = decode("\ufeffteam,kpi\nTim Ä,é\n".encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.extra_boms) == ("team,kpi\nTim Ä,é\n", "utf-8", 0)


def test_decode_windows_1252():
    decoded = decode("team,kpi\nÉquipe,Über é\n".encode("cp1252"))
    assert (decoded.text, decoded.encoding) == ("team,kpi\nÉquipe,Über é\n", "windows-1252")


def test_decode_refuses_binary():
    with pytest.raises(ValueError):
        decode(b"PK\x03\x04\x00\x00" + bytes(range(256)))


def test_decode_keeps_a_utf8_file_as_its_own_bytes():
    """A UTF-8 upload is not copied into a string (a 127 MB file would be held twice, or 5x)."""
    data = "team,kpi\nTim Ä,é\n".encode("utf-8")
    decoded = decode(data)
    assert decoded.data is data and decoded.start == 0
    with_bom = b"\xef\xbb\xbf" + data
    assert decode(with_bom).data is with_bom and decode(with_bom).start == 3


def test_utf8_checked_piece_by_piece_finds_the_bad_byte_after_a_piece_boundary(monkeypatch):
    from okrdash.importing import decoding

    monkeypatch.setattr(decoding, "_CHECK_CHUNK", 7)  # pieces end inside "é" (2 bytes) and "€" (3 bytes)
    good = "ab,é\nc€,dé\n€€€,é\n".encode("utf-8")
    assert decoding.utf8_error_at(good) is None
    bad = good + b"x,\xe9t\n"  # a Windows-1252 "é" in a UTF-8 file
    assert decoding.utf8_error_at(bad) == len(good) + 2
    with pytest.raises(decoding.UndecodableFile) as caught:
        decode(bad)
    assert (caught.value.code, caught.value.line) == ("file_encoding_mixed", 4)


def test_read_csv_of_unicode_spaces_only_is_empty(con):
    """Blank as str.isspace says it (no-break spaces, ideographic spaces), though the bytes are never decoded."""
    with pytest.raises(ImportFailed) as caught:
        read_csv(con, "s.csv", "\u00a0 \n\u3000\t\n".encode("utf-8"), "t0", max_rows=100)
    assert [p.code for p in caught.value.problems] == ["file_empty"]
    with pytest.raises(ImportFailed) as caught:
        read_csv(con, "s.csv", "team,kpi,date,value\n\u00a0\n".encode("utf-8"), "t0", max_rows=100)
    assert [p.code for p in caught.value.problems] == ["file_no_rows"]


def test_scratch_connection_takes_the_import_memory_limit_and_threads():
    from okrdash.settings import load_settings

    con = scratch_connection(load_settings({"OKRDASH_IMPORT_MEMORY_LIMIT": "123MB", "OKRDASH_DUCKDB_THREADS": "1"}))
    try:
        limit, threads = con.execute("SELECT current_setting('memory_limit'), current_setting('threads')").fetchone()
    finally:
        con.close()
    assert (limit, threads) == ("117.3 MiB", 1)


def test_a_long_narrow_file_is_read_within_the_import_memory_limit_and_a_sheet_of_many_columns_gets_room():
    """Issue 27, upload memory: the scratch tables of a yearly KPI file (1.8 M rows) stay within
    128MB beside the uploaded bytes, spilling the rest to disk; a sheet with a column per day for
    years gets what scanning its columns takes (it was refused as unreadable below 256MB)."""
    from okrdash.importing.cells import COLUMN_MEMORY, current_limit, size_in_bytes
    from tests.test_wide_files import days_sheet

    rows = "".join(f"Sales,Leads {i % 50},2026-10-{i % 28 + 1:02d},{i}\n" for i in range(5000))
    con = scratch_connection()
    try:
        read_csv(con, "kpis.csv", f"team,kpi,date,value\n{rows}".encode(), "t0", max_rows=10_000)
        assert current_limit(con) <= size_in_bytes("128MB")
        read_csv(con, "harian.csv", days_sheet(3000), "t1", max_rows=10_000)
        assert current_limit(con) >= 3000 * COLUMN_MEMORY
    finally:
        con.close()


@pytest.mark.parametrize("size, expected", [("128MB", 128_000_000), ("117.3 MiB", int(117.3 * 2**20)),
                                            ("4GB", 4_000_000_000), ("1.5 GiB", 3 * 2**29), ("512 KiB", 2**19),
                                            ("100 bytes", 100)])
def test_memory_sizes_are_read_as_settings_and_duckdb_write_them(size, expected):
    from okrdash.importing.cells import size_in_bytes

    assert size_in_bytes(size) == expected


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("a,b,c", ","), ("a;b;c", ";"), ('"x;y",b,c', ","), ('"a,b";c;d', ";")],
)
def test_sniff_delimiter(header, delimiter):
    assert sniff_delimiter(header) == delimiter


# -- read_csv ---------------------------------------------------------------------------------------


def test_read_csv_semicolon_crlf_bom(con):
    data = "\ufeffTim;Nama KPI;Tanggal;Nilai\r\nSupport;Reply;31/05/2026;4,5\r\n\r\nSupport;Reply;30/06/2026;5\r\n"
    raw = data.encode("utf-8")
    table = read_csv(con, "k.csv", raw, "t0", max_rows=100)
    assert (table.kind, table.delimiter, table.encoding) == (FileKind.KPIS, ";", "utf-8")
    assert table.headers == {"team": "Tim", "kpi": "Nama KPI", "date": "Tanggal", "value": "Nilai"}
    assert table.sha256 == hashlib.sha256(raw).hexdigest()
    assert table.columns == ["team", "kpi", "date", "value"]
    rows = con.execute('SELECT line, team, kpi, "value" FROM t0 ORDER BY line').fetchall()
    # The empty line is skipped; the CRLF does not leak into the last cell.
    assert [r[1:] for r in rows] == [("Support", "Reply", "4,5"), ("Support", "Reply", "5")]
    assert rows[0][0] == 2


def test_read_csv_reports_unknown_headers_as_ignored(con):
    table = read_csv(con, "k.csv", b"team,kpi,favourite colour\nT,K,blue\n", "t0", max_rows=100)
    assert table.ignored_headers == ["favourite colour"]
    assert table.columns == ["team", "kpi"]


def test_read_csv_missing_required_column(con):
    with pytest.raises(ImportFailed) as caught:
        read_csv(con, "c.csv", b"key_result,date,value\nK,2026-05-01,3\n", "t0", max_rows=100)
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.code) == (1, "team", "header_missing")


def test_read_csv_duplicate_header(con):
    with pytest.raises(ImportFailed) as caught:
        read_csv(con, "k.csv", b"team,kpi,tim\nT,K,T\n", "t0", max_rows=100)
    assert [(p.line, p.code) for p in caught.value.problems] == [(1, "header_duplicate")]


def test_read_csv_row_limit(con):
    data = "team,kpi\n" + "".join(f"T,K{i}\n" for i in range(5))
    with pytest.raises(ImportFailed) as caught:
        read_csv(con, "k.csv", data.encode(), "t0", max_rows=4)
    assert [p.code for p in caught.value.problems] == ["file_too_many_rows"]


def test_read_csv_line_numbers_after_a_multiline_cell(con):
    data = 'team,key_result,date,value,note\nT,K,2026-05-01,1,"one\ntwo\nthree"\nT,K,2026-05-02,2,plain\n'
    read_csv(con, "c.csv", data.encode(), "t0", max_rows=100)
    rows = con.execute("SELECT line, note FROM t0 ORDER BY line").fetchall()
    assert rows == [(2, "one\ntwo\nthree"), (5, "plain")]


# Cells padded with what people's spreadsheets leave behind, inside and outside quotes.
_PADDING = st.text(alphabet=" \t\xa0\n", max_size=3)
_WORDS = st.text(alphabet=st.sampled_from("ab ,;\"'\n\t\xa0xyz1"), max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_PADDING, _WORDS, _PADDING, _WORDS), min_size=1, max_size=6),
       delimiter=st.sampled_from([",", ";"]))
def test_read_csv_trims_every_cell_like_python(con, rows, delimiter):
    """Whatever trimming path the file takes (none needed, spaces only, any whitespace), each cell
    comes out as Python's strip() of the whitespace characters sees it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["team", "kpi", "owner"])
    cells = [[f"Team{i}", before + word + after, word2] for i, (before, word, after, word2) in enumerate(rows)]
    writer.writerows(cells)
    read_csv(con, "k.csv", out.getvalue().encode(), "t0", max_rows=100)
    got = con.execute("SELECT team, nullif(kpi, ''), nullif(owner, '') FROM t0 ORDER BY line").fetchall()
    strip = lambda text: text.strip(" \t\n\r\xa0") or None  # noqa: E731  (blank is NULL or '')
    assert got == [tuple(strip(c) for c in row) for row in cells]


def test_line_numbers_follow_the_file_when_read_in_parallel(con):
    # Large enough for DuckDB to read in several parallel chunks; "owner" holds each row's line.
    rows = 400_000
    body = "".join(f"Team {i % 97},KPI {i % 1009},{i + 2}\n" for i in range(rows))
    read_csv(con, "k.csv", ("team,kpi,owner\n" + body).encode(), "t0", max_rows=rows)
    assert con.execute("SELECT count(*), count(*) FILTER (WHERE line = owner::INTEGER) FROM t0").fetchall() == [
        (rows, rows)]


def test_number_format_decided_per_column_from_its_cells(con):
    comma = read_csv(con, "a.csv", b'team,kpi,value\nT,K,"4,5"\n', "t0", max_rows=10)
    dot = read_csv(con, "b.csv", b'team,kpi,value\nT,K,"1,234,567"\nT,K,4.5\n', "t1", max_rows=10)
    assert decide_readings(con, [comma, dot], ReadingChoices()) == []
    assert (comma.reading.numbers["value"].format, dot.reading.numbers["value"].format) == (
        NumberFormat.ID, NumberFormat.EN)
    assert comma.reading.numbers["value"].evidence is Evidence.CELLS


# -- cell macros --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "decimal_comma", "number"),
    [
        ("4.5", False, 4.5), ("4,5", True, 4.5), ("Rp150.000.000", False, 150_000_000.0),
        ("Rp150.000.000", True, 150_000_000.0), ("Rp 150.000", False, 150_000.0), ("rp150.000", False, 150_000.0),
        ("1,234,567", False, 1_234_567.0), ("1.234.567,5", True, 1_234_567.5), ("45%", False, 45.0),
        ("IDR 2.500", False, 2500.0), ("$1,200.50", False, 1200.5), ("-3", False, -3.0), ("+3", False, 3.0),
        (" 12 ", False, 12.0), (".5", False, 0.5), ("0,75", True, 0.75),
    ],
)
def test_okr_number(con, text, decimal_comma, number):
    assert scalar(con, "SELECT okr_number(?, ?)", text, decimal_comma) == pytest.approx(number)


@pytest.mark.parametrize("text", ["ten", "4..5", "NaN", "Infinity", "1e308", "12abc", "--3", "", "  "])
def test_okr_number_rejects(con, text):
    assert scalar(con, "SELECT okr_number(?, false)", text) is None


# The fast paths of okr_number / okr_date must answer exactly as the full parsers behind them.
_NUMBERISH = st.from_regex(r"\A[+-]?[0-9]{0,17}([.,][0-9]{0,17})?([.,][0-9]{0,4})?\Z") | st.text(
    alphabet="0123456789+-.,eE %Rp", max_size=12)
_DATEISH = st.from_regex(r"\A[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}\Z") | st.text(alphabet="0123456789-/", max_size=11)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_NUMBERISH, decimal_comma=st.booleans())
def test_okr_number_fast_path_agrees_with_the_full_parser(con, text, decimal_comma):
    fast, full = con.execute("SELECT okr_number(?, ?), okr_number_spelled(?, ?)",
                             [text, decimal_comma, text, decimal_comma]).fetchall()[0]
    assert fast == full or (fast != fast and full != full)  # NaN never equals itself


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_DATEISH, order=st.sampled_from(["dmy", "mdy", "ymd"]))
def test_okr_date_fast_path_agrees_with_the_full_parser(con, text, order):
    assert scalar(con, "SELECT okr_date(?, ?) IS NOT DISTINCT FROM okr_date_spelled(?, ?)", text, order, text, order)


# okr_blank finds most cells not blank from their first character: it must answer as trim() does.
_SPACES = "".join(map(chr, (32, 160, 5760, *range(8192, 8203), 8239, 8287, 12288))) + "\t\n\r\u200b\u180e\x85"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.none() | st.text(alphabet=_SPACES, max_size=4) | st.text(max_size=6)
       | st.builds(str.__add__, st.text(alphabet=_SPACES, max_size=3), st.text(max_size=3)))
def test_okr_blank_is_blank_after_trim(con, text):
    assert scalar(con, "SELECT okr_blank(?) = (?::VARCHAR IS NULL OR trim(?) = '')", text, text, text)


def test_okr_blank_knows_every_character_trim_removes(con):
    """Every code point alone: blank exactly when DuckDB's trim() takes it away."""
    assert scalar(con, """SELECT count(*) FROM (SELECT chr(c::INTEGER) AS t  -- (surrogates are no characters)
                                          FROM (SELECT * FROM range(1, 55296) UNION ALL SELECT * FROM range(57344, 1114112)) r(c))
                          WHERE okr_blank(t) <> (trim(t) = '')""") == 0


@pytest.mark.parametrize(
    ("text", "unit"),
    [("45%", "%"), ("Rp150.000", "Rp"), ("IDR 2.500", "Rp"), ("$1,200.50", "$"), ("1200", None)],
)
def test_okr_number_unit(con, text, unit):
    assert scalar(con, "SELECT okr_number_unit(?)", text) == unit


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-05-31", dt.date(2026, 5, 31)), ("31/05/2026", dt.date(2026, 5, 31)),
        ("31-05-2026", dt.date(2026, 5, 31)), ("31.05.2026", dt.date(2026, 5, 31)),
        ("1/5/2026", dt.date(2026, 5, 1)), ("2026-5-1", dt.date(2026, 5, 1)),
    ],
)
def test_okr_date(con, text, day):
    assert scalar(con, "SELECT okr_date(?, 'dmy')", text) == day


@pytest.mark.parametrize("text", ["31/02/2026", "2026-02-30", "2026-13-01", "05/31/26", "tomorrow", "31 Mie 2026"])
def test_okr_date_rejects(con, text):
    assert scalar(con, "SELECT okr_date(?, 'dmy')", text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("low", 2), ("LOW", 2), ("red", 2), ("rendah", 2), ("merah", 2),
        ("medium", 5), ("yellow", 5), ("sedang", 5), ("kuning", 5),
        ("high", 8), ("green", 8), ("tinggi", 8), ("hijau", 8),
        ("0", 0), ("7", 7), ("7,5", 7.5), ("10", 10),
    ],
)
def test_okr_confidence(con, text, value):
    assert scalar(con, "SELECT okr_confidence(?, 10)", text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["11", "-1", "very", "sangat"])
def test_okr_confidence_rejects(con, text):
    assert scalar(con, "SELECT okr_confidence(?, 10)", text) is None


@pytest.mark.parametrize(("text", "value"), [("1", 0), ("2", 2.5), ("3", 5), ("4,5", 8.75), ("5", 10), ("hijau", 8),
                                             ("0", None), ("6", None)])
def test_okr_confidence_on_1_to_5(con, text, value):
    assert scalar(con, "SELECT okr_confidence(?, 5)", text) == (None if value is None else pytest.approx(value))


def test_typed_workbook_columns_are_read_as_written_without_asking(con):
    # A workbook's typed cells arrive as plain numbers and ISO dates: no question even where a text
    # cell would have been ambiguous, and the reading says why.
    table = read_csv(con, "k.xlsx", b"team,kpi,date,value\nT,K,2026-10-01,1.500\n", "t0", max_rows=10)
    table.typed_columns = frozenset({"value", "date"})
    assert decide_readings(con, [table], ReadingChoices()) == []
    assert (table.reading.numbers["value"].format, table.reading.numbers["value"].evidence) == (
        NumberFormat.EN, Evidence.TYPED)
    assert table.reading.dates["date"].evidence is Evidence.TYPED
