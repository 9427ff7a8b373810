"""Planned paths (issue 26): a key result's planned values, written in a check-ins sheet's planned
column (a plan sheet), make its expected progress follow the plan instead of a straight line.

The numbers are the issue's: a sales target that lands after Lebaran (10% planned by the end of the
second month, all of it at the end) and a launch planned for the last month. Real files through the
importer, on DuckDB and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash.access import admin_writer
from tests.conftest import kr_row

pytestmark = pytest.mark.both_backends

# 2026-Q1 runs 1 January to 31 March; Lebaran 2026 falls on 20 March: the deals close after it.
OKRS = ("okrs.csv", """cycle,team,objective,objective_type,key_result,kind,baseline,target,owner
2026-Q1,Sales,Grow revenue after Lebaran,committed,Close Rp3.000.000.000 in new deals,increase,0,3000000000,Sari
2026-Q1,Sales,Grow revenue after Lebaran,committed,Launch the reseller portal,milestone,,1,Budi
2026-Q1,Sales,Grow revenue after Lebaran,committed,Keep churn at most 2%,at_most,,2,Sari
""")
# 10% of the target closed by 20 February, the portal not live yet.
CHECKINS = ("checkins.csv", """team,key_result,date,value
Sales,Close Rp3.000.000.000 in new deals,2026-02-20,300000000
Sales,Launch the reseller portal,2026-02-10,belum
""")
# The plan sheet, as an Indonesian team writes it: 10% by the end of February; the portal live on 15 March.
PLAN = ("rencana.csv", """Tim;Hasil kunci;Tanggal;Rencana
Sales;Close Rp3.000.000.000 in new deals;28/02/2026;300.000.000
Sales;Launch the reseller portal;15/03/2026;selesai
""")
MONTH_TWO = dt.date(2026, 2, 20)


def test_a_sales_target_that_lands_after_lebaran_is_on_track_at_ten_percent_in_month_two(store, load):
    load(OKRS, CHECKINS)
    linear = kr_row(store, "Close Rp3.000.000.000 in new deals", MONTH_TWO)
    assert linear["progress"] == pytest.approx(0.1)
    assert linear["expected"] == pytest.approx(50 / 89)  # 50 of the cycle's 89 days: a straight line
    assert linear["status"] == "Off Track"

    planned = load(PLAN)
    row = kr_row(store, "Close Rp3.000.000.000 in new deals", MONTH_TWO)
    # On the plan: 0 on 1 January, 10% on 28 February (58 days), so 10% x 50/58 on 20 February.
    assert row["expected"] == pytest.approx(0.1 * 50 / 58)
    assert row["status"] == "On Track"
    # After the plan's point the path rises to the target at the end: 1 March, 10% + 90% x 1/31.
    assert kr_row(store, "Close Rp3.000.000.000 in new deals", dt.date(2026, 3, 1))["expected"] == pytest.approx(
        0.1 + 0.9 / 31)

    # The plan is a batch like any other: undone, the straight line is back.
    store.undo(planned.written[0].batch_id, admin_writer("lead@contoh.co.id"))
    assert kr_row(store, "Close Rp3.000.000.000 in new deals", MONTH_TWO)["status"] == "Off Track"


def test_a_milestone_planned_for_the_last_month_is_not_off_track_before(store, load):
    load(OKRS, CHECKINS)
    assert kr_row(store, "Launch the reseller portal", MONTH_TWO)["status"] == "Off Track"
    load(PLAN)
    before = kr_row(store, "Launch the reseller portal", MONTH_TWO)
    assert (before["expected"], before["status"]) == (0.0, "On Track")
    # Done is expected from the planned day on, not a share of it before (a step, not a ramp).
    assert kr_row(store, "Launch the reseller portal", dt.date(2026, 3, 14))["expected"] == 0.0
    due = kr_row(store, "Launch the reseller portal", dt.date(2026, 3, 15))
    assert (due["expected"], due["status"]) == (1.0, "Off Track")


def test_the_burn_up_draws_the_planned_path(store, load):
    from okrdash import readmodels

    load(OKRS, CHECKINS, PLAN)
    kr = kr_row(store, "Close Rp3.000.000.000 in new deals", MONTH_TWO)
    view = readmodels.objective_view(store, kr["objective_id"], MONTH_TWO)
    line = readmodels.expected_line(kr, view.expected_paths[kr["key_result_id"]])
    assert [(d, round(v)) for d, v in zip(line["date"], line["value"])] == [
        (dt.date(2026, 1, 1), 0), (dt.date(2026, 2, 28), 300_000_000), (dt.date(2026, 3, 31), 3_000_000_000)]


def test_a_row_may_carry_a_check_in_and_a_plan_and_a_plan_point_is_replaced_by_day(store, load):
    load(OKRS)
    load(("both.csv", """team,key_result,date,value,planned
Sales,Close Rp3.000.000.000 in new deals,2026-02-20,300000000,
Sales,Close Rp3.000.000.000 in new deals,2026-02-28,,600000000
"""))
    assert kr_row(store, "Close Rp3.000.000.000 in new deals", MONTH_TWO)["expected"] == pytest.approx(0.2 * 50 / 58)
    load(PLAN)  # the same day planned again: the later file's value stands
    assert kr_row(store, "Close Rp3.000.000.000 in new deals", MONTH_TWO)["expected"] == pytest.approx(0.1 * 50 / 58)


def test_plans_that_cannot_hold_are_refused_naming_line_and_header(store, load, reject):
    load(OKRS)
    problems = reject(("rencana.csv", """Tim;Hasil kunci;Tanggal;Rencana;Nilai
Sales;Keep churn at most 2%;28/02/2026;1;
Sales;Close Rp3.000.000.000 in new deals;15/04/2026;300.000.000;
Sales;Close Rp3.000.000.000 in new deals;10/02/2026;;
"""))
    found = {(p.line, p.column, p.code) for p in problems}
    assert found == {(2, "Rencana", "planned_for_bound"), (3, "Tanggal", "planned_outside_cycle"),
                     (4, "Nilai", "required")}
    outside = next(p for p in problems if p.code == "planned_outside_cycle")
    assert "2026-Q1" in outside.message("id") and "rencana" in outside.message("id").lower()


def test_the_editor_saves_a_key_results_plan_as_typed_replacing_it_whole_and_undoably(store, load):
    import pandas as pd

    from okrdash import editing
    from okrdash.importing.reading import NumberFormat

    load(OKRS, CHECKINS)
    editor = admin_writer("sari@contoh.co.id")
    title = "Close Rp3.000.000.000 in new deals"
    opened = store.okr_version("2026-Q1", "Sales")
    points = pd.DataFrame({"date": [dt.date(2026, 1, 31), dt.date(2026, 2, 28), None],
                           "planned": ["150.000.000", "300.000.000", None]})  # typed the Indonesian way
    editing.save_plan(store, "2026-Q1", "Sales", "Grow revenue after Lebaran", title, points, opened, editor,
                      {"planned": "Rencana"}, dt.date(2026, 2, 20), numbers=NumberFormat.ID)
    assert list(store.team_plans("2026-Q1", "Sales")["planned"]) == [150_000_000.0, 300_000_000.0]
    assert kr_row(store, title, MONTH_TWO)["status"] == "On Track"

    # Taking a point out is a change: the plan is replaced whole.
    kept = store.okr_version("2026-Q1", "Sales")
    written = editing.save_plan(store, "2026-Q1", "Sales", "Grow revenue after Lebaran", title,
                                points.iloc[1:2], kept, editor, {}, dt.date(2026, 2, 20), numbers=NumberFormat.ID)
    assert list(store.team_plans("2026-Q1", "Sales")["date"].dt.date) == [dt.date(2026, 2, 28)]
    # A save over the tables as first opened is refused: someone changed them since.
    with pytest.raises(editing.Conflict):
        editing.save_plan(store, "2026-Q1", "Sales", "Grow revenue after Lebaran", title, points.iloc[:0], opened,
                          editor, {}, dt.date(2026, 2, 20))
    store.undo(written[0].batch_id, editor)
    assert len(store.team_plans("2026-Q1", "Sales")) == 2
