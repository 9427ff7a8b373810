"""A confidence column's scale, decided per column (issue 26): the source documents write 1-5 or
red / yellow / green, okrdash keeps 0-10. A header naming the scale decides; numbers from 1 to 5 alone
are asked; a 1-5 confidence is kept on 0-10 linearly (1 -> 0, 3 -> 5, 5 -> 10; docs/rules.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import kr_row
from tests.helpers.workbooks import workbook

AS_OF = dt.date(2026, 5, 31)
OKRS = ("o.csv", "cycle,team,objective,key_result,baseline,target\n2026-Q2,T,O,A,0,10\n2026-Q2,T,O,B,0,10\n"
                 "2026-Q2,T,O,C,0,10\n")


def checkins(header: str, *values: object) -> str:
    return f"team,key_result,date,value,{header}\n" + "".join(
        f"T,{kr},2026-05-0{day},5,{value}\n" for day, (kr, value) in enumerate(zip("ABC", values), start=1))


def confidences(store) -> list[float]:
    return [kr_row(store, kr, AS_OF)["confidence"] for kr in "ABC"]


@pytest.mark.parametrize("header", ["Confidence (1-5)", "Keyakinan 1-5", "Tingkat keyakinan (skala 1 - 5)"])
def test_a_header_naming_1_to_5_decides(store, load, header):
    result = load(OKRS, ("c.csv", checkins(header, 1, 3, "\"4,5\"")))
    assert confidences(store) == [0.0, 5.0, 8.75]
    notes = [n for f in result.files for n in f.reading_notes if n.code == "confidence_five"]
    assert [n.params["header"] for n in notes] == [header]
    assert "3 menjadi 5" in notes[0].message("id")


def test_a_three_on_1_to_5_no_longer_caps_the_status(store, load):
    """Issue 26: a 3 meant on 1-5 capped On Track at At Risk (3 is low on 0-10)."""
    load(OKRS, ("c.csv", checkins("Confidence (1-5)", 3, 3, 3)))
    row = kr_row(store, "A", dt.date(2026, 5, 2))
    assert (row["confidence"], row["status_by_numbers"], row["status"], row["confidence_disagrees"]) == (
        5.0, "On Track", "On Track", False)


@pytest.mark.parametrize("header", ["Confidence 1-10", "Keyakinan (0-10)"])
def test_a_header_naming_0_to_10_keeps_the_numbers(store, load, header):
    load(OKRS, ("c.csv", checkins(header, 1, 3, 5)))
    assert confidences(store) == [1.0, 3.0, 5.0]


def test_numbers_from_1_to_5_alone_are_asked(store, reject):
    [problem] = reject(OKRS, ("c.csv", checkins("Keyakinan", 4, 2, "hijau")))
    assert (problem.file_name, problem.line, problem.column, problem.value, problem.code) == (
        "c.csv", 2, "Keyakinan", "4", "confidence_scale_undecided")
    assert '"Confidence (1-5)"' in problem.message("en") and '"Keyakinan (1-5)"' in problem.message("id")


@pytest.mark.parametrize(("values", "stored"), [((0, 3, 5), [0.0, 3.0, 5.0]), ((7, 3, "merah"), [7.0, 3.0, 2.0])])
def test_a_zero_or_a_number_above_5_says_0_to_10(store, load, values, stored):
    load(OKRS, ("c.csv", checkins("confidence", *values)))
    assert confidences(store) == stored


def test_a_number_outside_the_headers_scale_is_refused(store, reject):
    [problem] = reject(OKRS, ("c.csv", checkins("Confidence (1-5)", 1, 7, 3)))
    assert (problem.line, problem.value, problem.code) == (3, "7", "not_a_confidence_five")
    assert "1 sampai 5" in problem.message("id") and "1 to 5" in problem.message("en")


def test_an_okrs_workbook_with_title_rows_and_a_1_to_5_header(store, load):
    data = workbook({"OKR Q2": [
        ["OKR Tim T, Kuartal II 2026"], [],
        ["Siklus", "Tim", "Tujuan", "Hasil Kunci", "Nilai Awal", "Target", "Nilai Saat Ini", "Tanggal", "Keyakinan 1-5"],
        ["2026-Q2", "T", "O", "A", 0, 10, 4, dt.date(2026, 5, 2), 5],
        ["2026-Q2", "T", "O", "B", 0, 10, 4, dt.date(2026, 5, 2), 2],
        ["2026-Q2", "T", "O", "C", 0, 10, 4, dt.date(2026, 5, 2), "kuning"]]})
    load(("okr.xlsx", data))
    assert confidences(store) == [10.0, 2.5, 5.0]


def test_an_xlsx_of_1_to_5_numbers_is_asked(store, reject):
    data = workbook({"Check-in": [["Tim", "Hasil Kunci", "Tanggal", "Nilai", "Keyakinan"],
                                  ["T", "A", dt.date(2026, 5, 2), 5, 3]]})
    [problem] = reject(OKRS, ("c.xlsx", data))
    assert (problem.line, problem.column, problem.code) == (2, "Keyakinan", "confidence_scale_undecided")
