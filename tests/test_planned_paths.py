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
    (first,) = editing.save_plan(store, "2026-Q1", "Sales", "Grow revenue after Lebaran", title, points, opened,
                                 editor, {"planned": "Rencana"}, dt.date(2026, 2, 20), numbers=NumberFormat.ID)
    # What undoing it would change, as the Upload page asks before it undoes: two planned values.
    assert store.batch_changes(first.batch_id) == [("kr_plans", 2, 0)]
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
    assert store.batch_changes(written[0].batch_id) == [("kr_plans", 1, 2)]
    store.undo(written[0].batch_id, editor)
    assert len(store.team_plans("2026-Q1", "Sales")) == 2


# A key result added a month into the cycle, and one with no target yet, beside the plan's others.
LATE = ("okrs.csv", """cycle,team,objective,objective_type,key_result,kind,baseline,target,owner,kr start
2026-Q1,Sales,Grow revenue after Lebaran,committed,Sign 12 resellers,increase,2,12,Budi,2026-02-01
2026-Q1,Sales,Grow revenue after Lebaran,committed,Grow the pipeline,increase,,,Sari,
""")


def test_plan_points_the_rules_would_never_read_are_refused_naming_line_header_and_value(store, load, reject):
    """rules.sql reads a plan strictly inside the key result's span, from its start (the baseline) to
    the cycle's end (the target), as shares of the way from baseline to target: a point before a
    later start, another value on the start or the last day, a plan without a target are refused."""
    load(OKRS, LATE)
    problems = reject(("rencana.csv", """Tim;Hasil kunci;Tanggal;Rencana
Sales;Sign 12 resellers;15/01/2026;4
Sales;Sign 12 resellers;01/02/2026;3
Sales;Close Rp3.000.000.000 in new deals;01/01/2026;100.000.000
Sales;Close Rp3.000.000.000 in new deals;31/03/2026;2.500.000.000
Sales;Launch the reseller portal;01/01/2026;selesai
Sales;Launch the reseller portal;31/03/2026;belum
Sales;Grow the pipeline;28/02/2026;40
"""))
    assert [(p.line, p.column, p.value, p.code) for p in problems] == [
        (2, "Tanggal", "15/01/2026", "planned_before_key_result_start"),
        (3, "Rencana", "3", "planned_at_start"),
        (4, "Rencana", "100.000.000", "planned_at_start"),
        (5, "Rencana", "2.500.000.000", "planned_at_end"),
        (6, "Rencana", "selesai", "planned_at_start"),
        (7, "Rencana", "belum", "planned_at_end"),
        (8, "Rencana", "40", "planned_without_target")]
    said = {p.line: (p.message("en"), p.message("id")) for p in problems}
    assert "2026-02-01" in said[2][0] and "2026-02-01" in said[2][1]
    assert "(2)" in said[3][0] and "nilai awal (2)" in said[3][1]
    assert "(3,000,000,000)" in said[5][0] and "(3.000.000.000)" in said[5][1]
    assert "(not done)" in said[6][0] and "(belum selesai)" in said[6][1]
    assert "(done)" in said[7][0] and "(selesai)" in said[7][1]


def test_plan_points_the_rules_read_as_the_path_does_are_kept(store, load):
    """The start day at the baseline and the last day at the target say what the path says anyway;
    a plan that dips below the baseline (a slow month) is unusual, not unusable: the rules follow it."""
    load(OKRS, LATE, CHECKINS)
    load(("rencana.csv", """Tim;Hasil kunci;Tanggal;Rencana
Sales;Sign 12 resellers;01/02/2026;2
Sales;Sign 12 resellers;31/03/2026;12
Sales;Launch the reseller portal;01/01/2026;belum
Sales;Launch the reseller portal;31/03/2026;selesai
Sales;Close Rp3.000.000.000 in new deals;31/01/2026;-300.000.000
Sales;Close Rp3.000.000.000 in new deals;28/02/2026;300.000.000
"""))
    # Straight from 0 on 1 January down to -10% on 31 January, up to 10% on 28 February.
    assert kr_row(store, "Close Rp3.000.000.000 in new deals", dt.date(2026, 1, 16))["expected"] == pytest.approx(
        -0.1 * 15 / 30)
    assert kr_row(store, "Close Rp3.000.000.000 in new deals", MONTH_TWO)["expected"] == pytest.approx(
        -0.1 + 0.2 * 20 / 28)


def test_a_plan_in_the_same_upload_as_its_key_results_is_checked_against_them(store, load, reject):
    """The okrs file of the same upload gives the start and target the plan is checked against."""
    problems = reject(LATE, ("rencana.csv", """Tim;Hasil kunci;Tanggal;Rencana
Sales;Sign 12 resellers;20/01/2026;4
Sales;Sign 12 resellers;31/03/2026;10
"""))
    assert [(p.line, p.code) for p in problems] == [(2, "planned_before_key_result_start"), (3, "planned_at_end")]


def test_the_editor_refuses_a_last_day_value_other_than_the_target_in_the_readers_words(store, load):
    import pandas as pd

    from okrdash import editing
    from okrdash.importing.reading import NumberFormat
    from okrdash.problems import ImportFailed

    load(OKRS, CHECKINS)
    title = "Close Rp3.000.000.000 in new deals"
    points = pd.DataFrame({"date": [dt.date(2026, 2, 28), dt.date(2026, 3, 31)],
                           "planned": ["300.000.000", "2.900.000.000"]})
    with pytest.raises(ImportFailed) as failed:
        editing.save_plan(store, "2026-Q1", "Sales", "Grow revenue after Lebaran", title, points,
                          store.okr_version("2026-Q1", "Sales"), admin_writer("sari@contoh.co.id"),
                          {"date": "Tanggal", "planned": "Nilai rencana"}, MONTH_TWO, numbers=NumberFormat.ID)
    [problem] = failed.value.problems
    assert (problem.line, problem.column, problem.value, problem.code) == (
        2, "Nilai rencana", "2.900.000.000", "planned_at_end")  # the grid's second row
    assert store.team_plans("2026-Q1", "Sales").empty


def test_an_okrs_file_that_would_leave_stored_plan_points_unread_says_which(store, load):
    """A key result's start moved past a planned value, or a plan's key result made a bound: the
    rules would stop reading those points without a word; the import names them before it writes."""
    load(OKRS, CHECKINS, PLAN)
    moved = OKRS[1].replace("target,owner\n", "target,owner,kr_start\n").replace(
        "3000000000,Sari\n", "3000000000,Sari,2026-03-01\n").replace("milestone,,1,Budi\n", "at_least,,1,Budi,\n").replace(
        "2,Sari\n", "2,Sari,\n")
    for lang in ("en", "id"):
        result = load(("okrs.csv", moved), today=MONTH_TWO)
        [note] = [n for f in result.files for n in f.reading_notes if n.code == "plans_left_unread"]
        assert note.params == {"count": 2, "key_results": "Close Rp3.000.000.000 in new deals (2026-02-28); "
                                                            "Launch the reseller portal (2026-03-15)"}
        assert note.message(lang).startswith("2 planned value(s) already stored would no longer be read"
                                             if lang == "en" else "2 nilai rencana yang sudah tersimpan")
        store.undo(result.written[0].batch_id, admin_writer("lead@contoh.co.id"))
    # The same key results with their start and kind as before: every point is still read, no note.
    unchanged = load(OKRS, today=MONTH_TWO)
    assert "plans_left_unread" not in [n.code for f in unchanged.files for n in f.reading_notes]
    # Once the moved file is stored, the same file again changes nothing: its points are not named twice.
    load(("okrs.csv", moved), today=MONTH_TWO)
    again = load(("okrs.csv", moved), today=MONTH_TWO)
    assert "plans_left_unread" not in [n.code for f in again.files for n in f.reading_notes]


def test_an_okrs_file_that_drops_a_planned_targets_or_turns_a_milestone_into_a_number_says_so(store, load):
    """A plan is not read for a key result without a target, and a milestone's planned "done" is read
    as a number once the key result counts one: both change the expected progress."""
    load(OKRS, CHECKINS, PLAN)
    changed = OKRS[1].replace("increase,0,3000000000,Sari", "increase,0,,Sari").replace(
        "milestone,,1,Budi", "increase,0,5,Budi")
    result = load(("okrs.csv", changed), today=MONTH_TWO)
    [note] = [n for f in result.files for n in f.reading_notes if n.code == "plans_left_unread"]
    assert note.params == {"count": 2, "key_results": "Close Rp3.000.000.000 in new deals (2026-02-28); "
                                                        "Launch the reseller portal (2026-03-15)"}


def test_a_start_moved_onto_a_planned_day_names_that_point(store, load):
    """The rules read a plan point only after the start (rules.sql planned_points: date > start): a
    start moved onto the day of a planned 10% leaves it unread, and the import says so."""
    load(OKRS, CHECKINS, PLAN)
    moved = OKRS[1].replace("target,owner\n", "target,owner,kr_start\n").replace(
        "3000000000,Sari\n", "3000000000,Sari,2026-02-28\n").replace("1,Budi\n", "1,Budi,\n").replace("2,Sari\n", "2,Sari,\n")
    result = load(("okrs.csv", moved), today=MONTH_TWO)
    [note] = [n for f in result.files for n in f.reading_notes if n.code == "plans_left_unread"]
    assert note.params == {"count": 1, "key_results": "Close Rp3.000.000.000 in new deals (2026-02-28)"}
    # Unread indeed: from the new start the path is the straight line to the target.
    assert kr_row(store, "Close Rp3.000.000.000 in new deals", dt.date(2026, 3, 1))["expected"] == pytest.approx(1 / 31)
