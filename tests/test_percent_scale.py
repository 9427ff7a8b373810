"""A percent is read per cell first, then by its column, never from the column's largest value alone
(issue 21, class 1): over 100% achievement is normal in Indonesian reports."""

from __future__ import annotations

import datetime as dt

from tests.conftest import kr_row, stored_measurements

TODAY = dt.date(2026, 11, 20)
HEAD = "Siklus,Tim,Tujuan,Hasil Kunci,Progress,Update Terakhir\n"


def progress(store, *titles: str) -> list[float]:
    return [round(kr_row(store, title, TODAY)["progress"], 6) for title in titles]


def test_one_over_achieving_share_does_not_turn_the_others_into_hundredths(store, load):
    """Issue 21: one 120% made every other row hundredths (65% stored as 0.0065)."""
    data = HEAD + ("2026-Q4,Sales,Tumbuh,Deals,1.2,2026-11-10\n2026-Q4,Sales,Tumbuh,Calls,0.65,2026-11-10\n"
                   "2026-Q4,Sales,Tumbuh,Visits,0.4,2026-11-10\n")
    load(("okr.csv", data), today=TODAY)
    assert progress(store, "Deals", "Calls", "Visits") == [1.2, 0.65, 0.4]


def test_percent_points_with_an_over_achiever(store, load):
    data = HEAD + "2026-Q4,Sales,Tumbuh,Deals,120,2026-11-10\n2026-Q4,Sales,Tumbuh,Calls,65,2026-11-10\n"
    load(("okr.csv", data), today=TODAY)
    assert progress(store, "Deals", "Calls") == [1.2, 0.65]


def test_each_cell_with_a_percent_sign_is_read_by_it(store, load):
    data = HEAD + ('2026-Q4,Sales,Tumbuh,Deals,120%,2026-11-10\n2026-Q4,Sales,Tumbuh,Calls,"65,5%",2026-11-10\n'
                   '2026-Q4,Sales,Tumbuh,Visits,0%,2026-11-10\n')
    load(("okr.csv", data), today=TODAY)
    assert progress(store, "Deals", "Calls", "Visits") == [1.2, 0.655, 0.0]


def test_bare_shares_beside_a_percent_sign_are_asked(store, reject):
    data = HEAD + ('2026-Q4,Sales,Tumbuh,Deals,120%,2026-11-10\n2026-Q4,Sales,Tumbuh,Calls,"0,65",2026-11-10\n')
    [problem] = reject(("okr.csv", data), today=TODAY)
    assert (problem.line, problem.code) == (3, "percent_scale_mixed")


def test_a_share_among_percent_points_is_asked(store, reject):
    """Issue 21: "0,8" among 65 and 40% became 0.008."""
    data = HEAD + ('2026-Q4,Sales,Tumbuh,Deals,65,2026-11-10\n2026-Q4,Sales,Tumbuh,Calls,"0,8",2026-11-10\n'
                   "2026-Q4,Sales,Tumbuh,Visits,40%,2026-11-10\n")
    [problem] = reject(("okr.csv", data), today=TODAY)
    assert (problem.line, problem.column, problem.value, problem.code) == (3, "Progress", "0,8", "percent_scale_mixed")
    assert problem.params["other"] == "65"


def test_a_percent_header_makes_its_bare_cells_points(store, load):
    data = ("Siklus,Tim,Tujuan,Hasil Kunci,Progress (%),Update Terakhir\n"
            "2026-Q4,Sales,Tumbuh,Deals,65,2026-11-10\n2026-Q4,Sales,Tumbuh,Calls,0.5,2026-11-10\n")
    load(("okr.csv", data), today=TODAY)
    assert progress(store, "Deals", "Calls") == [0.65, 0.005]


def test_a_kpi_value_on_two_scales_is_asked(store, reject):
    """Issue 21: one column mixing 0.92 formatted 0% (read without its format) and "94%" stored two scales."""
    data = "Tim,KPI,Tanggal,Realisasi\nSales,Konversi,31/10/2026,0.92\nSales,Konversi,30/11/2026,94%\n"
    [problem] = reject(("kpi.csv", data), today=TODAY)
    assert (problem.line, problem.code, problem.params["other"]) == (2, "share_beside_percent", "94%")


def test_different_kpis_may_use_different_scales(store, load):
    data = "Tim,KPI,Tanggal,Realisasi\nSales,Konversi,31/10/2026,94%\nSales,Rasio lancar,31/10/2026,0.8\n"
    load(("kpi.csv", data), today=TODAY)
    assert stored_measurements(store) == {("Konversi", dt.date(2026, 10, 31)): 94.0,
                                          ("Rasio lancar", dt.date(2026, 10, 31)): 0.8}


def test_one_number_cell_of_two_is_asked_naming_no_other_cell(store, reject):
    """Found by the oracle (progress-only): a workbook's one Progress cell 2.0 (no % format) was refused as
    "mixed" with a phantom other cell "–" (line –). 2 is 2% or 200% (over-achievement): asked."""
    from tests.helpers.workbooks import workbook

    data = workbook({"OKR": [["Cycle", "Team", "Objective", "Key Result", "Progress"],
                             ["2026-Q4", "Sales", "Grow", "Deals", 2.0], ["2026-Q4", "Sales", "Grow", "Calls", None]]})
    [problem] = reject(("okr.xlsx", data), today=TODAY)
    assert (problem.line, problem.column, problem.value, problem.code) == (2, "Progress", "2", "percent_scale_undecided")
    assert problem.params == {}
    assert "–" not in problem.message("en") and "200%" in problem.message("id")


def test_cells_from_one_to_two_agreeing_are_asked_not_refused_as_mixed(store, reject):
    data = HEAD + "2026-Q4,Sales,Tumbuh,Deals,1.5,2026-11-10\n2026-Q4,Sales,Tumbuh,Calls,1,2026-11-10\n"
    [problem] = reject(("okr.csv", data), today=TODAY)
    assert (problem.line, problem.value, problem.code) == (2, "1.5", "percent_scale_undecided")


def test_a_percent_header_decides_cells_from_one_to_two(store, load):
    data = ("Siklus,Tim,Tujuan,Hasil Kunci,Progress (%),Update Terakhir\n"
            "2026-Q4,Sales,Tumbuh,Deals,2,2026-11-10\n")
    load(("okr.csv", data), today=TODAY)
    assert progress(store, "Deals") == [0.02]
