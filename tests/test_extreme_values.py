"""Values at the edges that once crashed the rules, the status command or a page.

Each test imports through the real importer and reads the rules' own output: grades of key
results without data, forecasts that would land centuries away, targets far above the current value.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import END, START, day, kr_row, objective_row

CYCLE = f"Edge,{START.isoformat()},{END.isoformat()}"
HEADER = "cycle,start_date,end_date,team,objective,key_result,kind,baseline,target,current,date\n"


def _okrs(*rows: str) -> tuple[str, str]:
    return ("okrs.csv", HEADER + "".join(f"{CYCLE},Edge,{row}\n" for row in rows))


def test_key_result_without_data_has_no_grade(store, load):
    load(_okrs("Unmeasured,no data,increase,0,100,,"))
    row = kr_row(store, "no data", day(50))
    assert (row["status"], row["progress"], row["progress_clamped"], row["grade"], row["grade_band"]) == (
        "No Data", None, None, None, None)


def test_key_result_without_target_has_no_grade(store, load):
    # (An undated value is dated the import day, which must be inside its cycle: issue 21.)
    load(_okrs("Untargeted,no target,,,,5,"), today=day(50))
    row = kr_row(store, "no target", day(50))
    assert (row["status"], row["progress_clamped"], row["grade"], row["grade_band"]) == ("No Target", None, None, None)


def test_objective_with_only_unmeasured_key_results_has_no_grade(store, load):
    load(_okrs("Nothing yet,a,increase,0,100,,", "Nothing yet,b,increase,0,100,,"))
    row = objective_row(store, "Nothing yet", day(50))
    assert (row["status"], row["progress"], row["grade"], row["grade_band"]) == ("No Data", None, None, None)


def test_forecast_beyond_the_horizon_is_not_at_this_pace(store, load):
    # 10 of 1,000,000 after 50 days: the pace reaches the target in about 13,700 years.
    load(_okrs(f"Downloads,app downloads,increase,0,1000000,10,{day(50).isoformat()}"))
    row = kr_row(store, "app downloads", day(50))
    assert row["progress"] == pytest.approx(1e-5)
    assert row["forecast_date"] is None


def test_forecast_inside_the_horizon_is_kept(store, load):
    # Half way after 50 days: the target on day 100, well inside the horizon.
    load(_okrs(f"Downloads,half way,increase,0,100,50,{day(50).isoformat()}"))
    assert kr_row(store, "half way", day(50))["forecast_date"] == day(100)


def test_a_huge_target_does_not_overflow_the_rules(store, load):
    # (1 - 0) / 1e12 of the way: the days to the target do not fit a 32-bit integer.
    load(_okrs(f"Huge,trillion,increase,0,1000000000000,1,{day(50).isoformat()}"))
    row = kr_row(store, "trillion", day(50))
    assert row["progress"] == pytest.approx(1e-12)
    assert row["forecast_date"] is None
    assert row["status"] == "Off Track"


def test_forecast_horizon_comes_from_settings(store, load):
    # 1 of 100 after 50 days: the target on day 5,000, about 13.5 years after the start.
    load(_okrs(f"Slow,slow,increase,0,100,1,{day(50).isoformat()}"))
    assert kr_row(store, "slow", day(50))["forecast_date"] is None  # default horizon: 10 years
    with store.cursor() as cur:
        found = cur.execute("SELECT forecast_date FROM kr_scores(?::DATE, forecast_horizon := 20 * 366)",
                            [day(50)]).fetchall()
    assert found == [(START + dt.timedelta(days=5000),)]
