"""Workbooks read cell by cell, and sheets that repeat each other (issue 21, class 4).

The workbook reader (importing/workbook.py) tells, per column, which rows hold text cells beside
typed number cells (``Sheet.text_cells``); a column mixing both is read per cell: a typed cell as the
number it is, a text cell in the column's own format, decided by the text cells alone. These tests
hand the reader a Sheet as the workbook reader makes it, so they do not depend on its version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from okrdash.importing import table as table_module
from okrdash.importing.workbook import Sheet
from tests.conftest import stored_measurements

TODAY = dt.date(2026, 11, 20)


@dataclasses.dataclass(frozen=True)
class CellSheet(Sheet):
    """A Sheet with the per-cell record the workbook reader adds (column index -> text rows)."""

    text_cells: dict[int, frozenset[int]] = dataclasses.field(default_factory=dict)


@pytest.fixture
def sheets(monkeypatch):
    """Hand the reader these sheets for any upload that looks like a workbook."""
    given: list[Sheet] = []
    monkeypatch.setattr(table_module, "read_sheets", lambda data: list(given))
    return given


WORKBOOK = b"PK\x03\x04 a hand-made workbook"


def test_a_column_of_typed_percent_cells_and_indonesian_text_numbers_is_read_per_cell(store, load, sheets):
    """Issue 21: 0.8 formatted 0% beside 7,5 and Rp1.500.000.000 was refused as "uses a decimal comma"
    and, once Indonesian style was chosen, the number cells were "not a number"."""
    text = ("Tim,Nama KPI,Tanggal,Realisasi\n"
            "Sales,Win rate,2026-10-31,80%\n"          # a typed cell 0.8 formatted 0%, as the workbook reader writes it
            "Sales,Rating,2026-10-31,\"7,5\"\n"        # text
            "Sales,Revenue,2026-10-31,Rp1.500.000.000\n"  # text
            "Sales,Leads,2026-10-31,1234.5\n")          # a typed number cell
    sheets.append(CellSheet("KPI", text, {3: 4}, {3: frozenset({3, 4})}))
    result = load(("book.xlsx", WORKBOOK), today=TODAY)
    assert stored_measurements(store) == {
        ("Win rate", dt.date(2026, 10, 31)): 80.0, ("Rating", dt.date(2026, 10, 31)): 7.5,
        ("Revenue", dt.date(2026, 10, 31)): 1_500_000_000.0, ("Leads", dt.date(2026, 10, 31)): 1234.5}
    reading = result.files[0].reading.numbers["value"]
    assert (reading.format.value, reading.example) == ("id", "7,5")


def test_typed_cells_of_a_mixed_column_are_no_evidence(store, reject, sheets):
    """Only the text cells decide: a lone "1.500" text cell is still asked, whatever the typed cells say."""
    text = "team,kpi,date,value\nSales,A,2026-10-31,0.25\nSales,B,2026-10-31,1.500\n"
    sheets.append(CellSheet("KPI", text, {3: 3}, {3: frozenset({3})}))
    [problem] = reject(("book.xlsx", WORKBOOK), today=TODAY)
    assert (problem.line, problem.value, problem.code) == (3, "1.500", "numbers_ambiguous")


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


DIVISION = [["Tim", "Nama KPI", "Tanggal", "Realisasi"], ["Sales", "Omzet", dt.date(2026, 10, 31), 120],
            ["Sales", "Leads", dt.date(2026, 10, 31), 40]]


def test_a_summary_sheet_repeating_a_division_sheet_is_one_value(store, load):
    summary = [["Ringkasan Oktober 2026"], *DIVISION]
    load(("kpi.xlsx", workbook({"Sales": DIVISION, "Ringkasan": summary})), today=TODAY)
    assert stored_measurements(store) == {("Omzet", dt.date(2026, 10, 31)): 120.0,
                                          ("Leads", dt.date(2026, 10, 31)): 40.0}


def test_a_summary_sheet_that_disagrees_names_both_sheets_and_lines(store, reject):
    """Issue 21: the last sheet won, by sheet order."""
    summary = [["Ringkasan Oktober 2026"], DIVISION[0], ["Sales", "Omzet", dt.date(2026, 10, 31), 125]]
    [problem] = reject(("kpi.xlsx", workbook({"Sales": DIVISION, "Ringkasan": summary})), today=TODAY)
    assert (problem.file_name, problem.line, problem.column, problem.code) == (
        "kpi.xlsx › Ringkasan", 3, "Realisasi", "conflicting_sheets")
    assert problem.params == {"other_file": "kpi.xlsx › Sales", "other": 120.0, "other_line": 2}


def test_the_same_key_result_on_two_sheets_with_different_values(store, reject):
    okrs = [["Siklus", "Tim", "Tujuan", "Hasil Kunci", "Nilai Awal", "Target", "Nilai Saat Ini", "Tanggal"],
            ["2026-Q4", "Sales", "Tumbuh", "Deals", 0, 10, 4, dt.date(2026, 11, 10)]]
    copied = [["Hasil Kunci", "Tim", "Tanggal", "Nilai"], ["Deals", "Sales", dt.date(2026, 11, 10), 5]]
    [problem] = reject(("okr.xlsx", workbook({"OKR": okrs, "Rekap": copied})), today=TODAY)
    assert (problem.file_name, problem.line, problem.code) == ("okr.xlsx › Rekap", 2, "conflicting_sheets")
    assert problem.params["other_file"] == "okr.xlsx › OKR"
