"""KPI and check-in files with many problems at once: every check still reports its rows, in order.

The fact files' checks share scans (``Validator._cell_problems`` flags the rows of the file's own
checks, ``Validator._kpi_groups`` tells which definition columns can conflict); these tests fail if a
check stops seeing a row because the shared scan no longer selects it.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_backends


def found(problems):
    return [(p.line, p.column, p.value, p.code) for p in problems]


KPI_FILE = (
    "team,kpi,date,value,target,tolerance,direction,unit\n"
    ",Revenue,2026-04-30,10,12,,,\n"
    "T,Revenue,2026-05-31,abc,12,,,\n"
    "T,Revenue,,5,12,,,\n"
    "T,Churn,2026-05-31,3,5,lots,,\n"
    "T,Churn,2026-04-30,3,5,,lower_is_better,%\n"
    "T,Churn,2026-03-31,3,5,,higher_is_better,%\n"
    "t,CHURN,2026-02-28,3,5,,Lower Is Better,%\n"
    "T,NPS,2026-05-31,1e400,8,,,\n"
    "T,NPS,2026-04-30,7,8,,,points\n"
    "T,NPS,2026-03-31,7,8,,,Points\n"
)


# Line 8 ("Lower Is Better") and line 11 ("Points") spell the first row's value another way: no conflict.
EXPECTED_KPI = [
    (2, "team", None, "required"), (3, "value", "abc", "not_a_number"), (4, "date", "5", "value_without_date"),
    (5, "tolerance", "lots", "not_a_number"), (7, "direction", "higher_is_better", "conflicting_value"),
    (9, "value", "1e400", "number_out_of_range"),
]


def test_kpi_file_reports_every_planted_problem(store, reject):
    assert found(reject(("k.csv", KPI_FILE), into=store)) == EXPECTED_KPI


CHECKIN_SETUP = (
    ("k.csv", "team,kpi,date,value\nT,Revenue,2026-05-31,1\n"),
    ("o.csv", "cycle,team,objective,key_result,baseline,target,kind,kpi\n"
              "2026-Q2,T,O,Grow revenue,0,100,,Revenue\n2026-Q2,T,O,Launch app,,,milestone,\n"
              "2026-Q2,T,O,Win deals,0,10,,\n"),
)

CHECKIN_FILE = (
    "team,key_result,date,value\n"
    "T,Grow revenue,2026-05-01,5\n"
    "T,Nope,2026-05-01,5\n"
    "T,Launch app,2026-05-01,maybe\n"
    "T,Win deals,2026-05-01,done\n"
    "T,Win deals,2026-05-02,inf\n"
    "T,Win deals,,3\n"
    "T,Launch app,2026-05-03,selesai\n"
    "T,win deals,2026-05-04,4\n"
    "T,WIN DEALS,2026-05-04,5\n"
)


EXPECTED_CHECKINS = [
    (2, "key_result", "Grow revenue", "linked_kr_checkin"), (3, "key_result", "Nope", "unknown_key_result"),
    (4, "value", "maybe", "not_a_milestone"), (5, "value", "done", "not_a_number"),
    (6, "value", "inf", "number_out_of_range"), (7, "date", None, "required"),
    (10, "key_result + date", None, "duplicate_key"),
]


def test_checkin_file_reports_every_planted_problem(store, load, reject):
    load(*CHECKIN_SETUP)
    assert found(reject(("c.csv", CHECKIN_FILE), into=store)) == EXPECTED_CHECKINS


def test_a_row_of_empty_cells_still_counts_as_a_line(store, reject):
    """The reader numbers the rows as it reads them and drops the rows of empty cells afterwards:
    a problem below such a row names the line the user's editor shows."""
    data = ("team,kpi,date,value\n"
            "T,Revenue,2026-04-30,10\n"
            ",,,\n"
            "T,Revenue,2026-05-31,abc\n")
    assert found(reject(("k.csv", data), into=store)) == [(4, "value", "abc", "not_a_number")]
