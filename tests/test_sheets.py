"""Workbooks read cell by cell, and sheets that repeat each other (issue 21, class 4).

The workbook reader (importing/workbook.py) tells, per column, which rows hold text cells beside
typed number cells (``Sheet.text_cells``); a column mixing both is read per cell: a typed cell as the
number it is, a text cell in the column's own format, decided by the text cells alone.
"""

from __future__ import annotations

import datetime as dt

from tests.conftest import stored_measurements
from tests.helpers.workbooks import XCell, workbook

TODAY = dt.date(2026, 11, 20)
OCTOBER = dt.date(2026, 10, 31)


def test_a_column_of_typed_percent_cells_and_indonesian_text_numbers_is_read_per_cell(store, load):
    """Issue 21: 0.8 formatted 0% beside 7,5 and Rp1.500.000.000 was refused as "uses a decimal comma"
    and, once Indonesian style was chosen, the number cells were "not a number"."""
    rows = [["Tim", "Nama KPI", "Tanggal", "Realisasi"],
            ["Sales", "Win rate", OCTOBER, XCell(0.8, "0%")],  # a number cell formatted as a percentage
            ["Sales", "Rating", OCTOBER, "7,5"],  # text cells
            ["Sales", "Revenue", OCTOBER, "Rp1.500.000.000"],
            ["Sales", "Leads", OCTOBER, 1234.5]]  # a number cell
    result = load(("book.xlsx", workbook({"KPI": rows})), today=TODAY)
    assert stored_measurements(store) == {
        ("Win rate", OCTOBER): 80.0, ("Rating", OCTOBER): 7.5,
        ("Revenue", OCTOBER): 1_500_000_000.0, ("Leads", OCTOBER): 1234.5}
    reading = result.files[0].reading.numbers["value"]
    assert (reading.format.value, reading.example) == ("id", "7,5")


def test_typed_cells_of_a_mixed_column_are_no_evidence(store, reject):
    """Only the text cells decide: a lone "1.500" text cell is still asked, whatever the typed cells say."""
    rows = [["team", "kpi", "date", "value"], ["Sales", "A", OCTOBER, 0.25], ["Sales", "B", OCTOBER, "1.500"]]
    [problem] = reject(("book.xlsx", workbook({"KPI": rows})), today=TODAY)
    assert (problem.line, problem.value, problem.code) == (3, "1.500", "numbers_ambiguous")


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
