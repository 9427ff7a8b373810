"""The scoring rules of okrdash/rules.sql, through the importer and the store's bulk queries.

One module-wide store holds a 100-day test cycle (on START + n days the elapsed share is n / 100),
so expected progress is exact: committed objectives expect n / 100, aspirational ones 0.7 * n / 100.
Nothing here recomputes a formula in Python; each test states the number the rules must give.
"""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash.importing import Upload, import_files
from okrdash.settings import Settings
from okrdash.store import open_store
from tests.conftest import DATA_DIR, kpi_row, kr_row, objective_row

# Each test using the store fixture runs on DuckDB and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

START = dt.date(2026, 1, 1)
END = START + dt.timedelta(days=100)
CYCLE = f"Test100,{START.isoformat()},{END.isoformat()}"
GRID = range(0, 101)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def _okr_rows() -> list[str]:
    rows = []

    def kr(objective, otype, title, *, kind="", baseline="", target="", weight="", current="", when=None, conf=""):
        date = day(0 if when is None else when).isoformat() if current != "" else ""
        rows.append(f"{CYCLE},Rules,{objective},{otype},{title},{kind},{baseline},{target},{weight},{current},{date},{conf}")

    for n in GRID:
        kr("Committed grid", "committed", f"c{n}", baseline=0, target=100, current=n)
        kr("Aspirational grid", "aspirational", f"a{n}", baseline=0, target=100, current=n)
    # low confidence
    kr("Confidence", "committed", "conf 3", baseline=0, target=100, current=50, conf=3)
    kr("Confidence", "committed", "conf 4", baseline=0, target=100, current=50, conf=4)
    kr("Confidence", "committed", "conf low", baseline=0, target=100, current=50, conf="low")
    kr("Confidence", "committed", "conf merah done", baseline=0, target=100, current=100, conf="merah")
    kr("Confidence", "committed", "conf 2 off track", baseline=0, target=100, current=10, conf=2)
    # bounds (their check-ins come from the check-in file below)
    kr("Bounds", "committed", "floor 80", kind="at_least", target=80)
    kr("Bounds", "committed", "ceiling 2", kind="at_most", target=2)
    kr("Bounds", "committed", "floor always kept", kind="at_least", target=80)
    # milestones
    kr("Milestones", "committed", "launch done", kind="milestone")
    kr("Milestones", "committed", "launch selesai", kind="milestone")
    kr("Milestones", "committed", "launch not yet", kind="milestone")
    kr("Milestones", "committed", "launch unreported", kind="milestone")
    # no data / no target
    kr("Gaps", "committed", "no checkin", baseline=0, target=100)
    kr("Gaps", "committed", "Grow something without target", current=5)
    # history and baselines
    kr("History", "committed", "history", baseline=0, target=100)
    kr("History", "committed", "first checkin is the baseline", target=100)
    kr("History", "committed", "decrease 100 to 0", baseline=100, target=0, current=60)
    # objectives
    kr("Weighted", "committed", "w1 half", baseline=0, target=100, weight=1, current=50)
    kr("Weighted", "committed", "w2 overshoot", baseline=0, target=100, weight=2, current=120)
    kr("Weighted", "committed", "w5 no data", baseline=0, target=100, weight=5)
    kr("Worst", "committed", "worst on track", baseline=0, target=100, current=50)
    kr("Worst", "committed", "worst at risk", baseline=0, target=100, current=30)
    kr("Worst", "committed", "worst off track", baseline=0, target=100, current=10)
    kr("Risky", "committed", "risky on track", baseline=0, target=100, current=50)
    kr("Risky", "committed", "risky at risk", baseline=0, target=100, current=30)
    kr("Risky", "committed", "risky no data", baseline=0, target=100)
    kr("All done", "committed", "done 100", baseline=0, target=100, current=100)
    kr("All done", "committed", "done 150", baseline=0, target=100, current=150)
    kr("Nothing measured", "committed", "unmeasured", baseline=0, target=100)
    kr("Below baseline", "committed", "went backwards", baseline=0, target=100, current=-10)
    return rows


# The confidence column says its scale: its numbers all lie from 1 to 5, which would be asked.
OKR_HEADER = ("cycle,start_date,end_date,team,objective,objective_type,key_result,kind,baseline,target,weight,"
              "current,date,confidence (0-10)\n")

CHECKINS = [
    # at_least 80: 85 in, 80 in (inclusive), 70 out, 90 in -> 3/4
    ("floor 80", 0, "85"), ("floor 80", 1, "80"), ("floor 80", 2, "70"), ("floor 80", 3, "90"),
    # at_most 2: 1 in, 2 in (inclusive), 3 out, 2 in -> 3/4
    ("ceiling 2", 0, "1"), ("ceiling 2", 1, "2"), ("ceiling 2", 2, "3"), ("ceiling 2", 3, "2"),
    ("floor always kept", 0, "90"), ("floor always kept", 5, "95"),
    ("launch done", 10, "done"), ("launch selesai", 10, "selesai"), ("launch not yet", 10, "0"),
    ("history", 10, "20"), ("history", 30, "40"), ("history", 60, "70"),
    ("first checkin is the baseline", 0, "20"), ("first checkin is the baseline", 50, "60"),
]


def _kpi_rows() -> list[str]:
    rows = []

    def kpi(name, direction, values, *, target="", lo="", hi="", tolerance="", targets=None):
        for i, value in enumerate(values):
            period_target = targets[i] if targets else (target if i == 0 else "")
            rows.append(f"Rules,{name},{day(i * 10).isoformat()},{value},{period_target},{direction},{lo},{hi},{tolerance}")

    for value in (100, 120, 95, 90, 89):
        kpi(f"higher {value}", "higher_is_better", [value], target=100)
    for value in (30, 20, 33, 34):
        kpi(f"lower {value}", "lower_is_better", [value], target=30)
    for value in (95, 94):
        kpi(f"higher abs {value}", "higher", [value], target=100, tolerance="5")
    for value in (80, 79):
        kpi(f"higher pct {value}", "higher", [value], target=100, tolerance="20%")
    for value in (35, 36):
        kpi(f"lower abs {value}", "lower", [value], target=30, tolerance="5")
    for value in (45, 46):
        kpi(f"lower pct {value}", "lower", [value], target=30, tolerance="50%")
    for value in ("2", "8", "5", "8.5", "1.5", "8.7", "1.3"):
        kpi(f"range {value}", "range", [value], lo=2, hi=8)
    for value in ("9", "9.5", "1"):
        kpi(f"range abs {value}", "range", [value], lo=2, hi=8, tolerance="1")
    kpi("no target", "higher", [5])
    kpi("trend higher up", "higher", [90, 95], target=100)
    kpi("trend higher down", "higher", [95, 90], target=100)
    kpi("trend higher flat", "higher", [90, 90], target=100)
    kpi("trend lower down", "lower", [50, 48], target=30)
    kpi("trend lower up", "lower", [48, 50], target=30)
    kpi("trend range inward", "range", [9, 7], lo=2, hi=8)
    kpi("trend range outward", "range", [5, 7], lo=2, hi=8)
    kpi("trend range mirrored", "range", [3, 7], lo=2, hi=8)
    kpi("single measurement", "higher", [50], target=100)
    kpi("trend reply time rising", "lower", [34, 38, 41, 44, 48, 48], target=30)
    kpi("trend window of six", "higher", [0, 100, 100, 100, 100, 100, 100], target=100)
    kpi("trend noise is flat", "higher", [100, 100.5, 99.8, 100.2], target=100)
    kpi("trend range drifting out", "range", [5, 6, 6, 7, 7, 7], lo=2, hi=8)
    kpi("period targets", "higher", [50, 50], targets=[40, 60])
    return rows


@pytest.fixture(scope="module")
def rules_store():
    store = open_store(":memory:", Settings())
    okrs = OKR_HEADER + "\n".join(_okr_rows()) + "\n"
    checkins = "team,key_result,date,value\n" + "".join(f"Rules,{t},{day(d).isoformat()},{v}\n" for t, d, v in CHECKINS)
    kpis = "team,kpi,date,value,target,direction,min,max,tolerance\n" + "\n".join(_kpi_rows()) + "\n"
    import_files(store, [Upload("okrs.csv", okrs.encode()), Upload("checkins.csv", checkins.encode()),
                         Upload("kpis.csv", kpis.encode())], today=START)
    yield store
    store.close()


def status(store, title, n):
    return kr_row(store, title, day(n))["status"]


# -- acceptance numbers from the source documents ------------------------------------------------------


@pytest.fixture(scope="module")
def acceptance_store():
    store = open_store(":memory:", Settings())
    import_files(store, [Upload(p.name, p.read_bytes()) for p in (
        DATA_DIR / "acceptance_kpis.csv", DATA_DIR / "acceptance_okrs.csv")], today=dt.date(2026, 5, 31))
    yield store
    store.close()


ACCEPTANCE_DAY = dt.date(2026, 5, 31)


@pytest.mark.parametrize(
    ("title", "progress"),
    [
        ("Reduce average reply time from 48 to 30 minutes", 0.4444),
        ("Raise NPS from 4 to 10", 0.5),
        ("Raise 30-day retention from 45% to 60%", 0.4),
        ("Cut time to value from 7 to 3 days", 0.5),
        ("Reduce monthly bug reports from 72 to 60", 0.25),
        ("Raise sprint velocity from 42 to 60 points", 1.0),
    ],
)
def test_acceptance_key_result_progress(acceptance_store, title, progress):
    row = kr_row(acceptance_store, title, ACCEPTANCE_DAY)
    assert row["progress"] == pytest.approx(progress, abs=1e-4)


def test_acceptance_kinds_and_units(acceptance_store):
    assert kr_row(acceptance_store, "Reduce average reply time from 48 to 30 minutes", ACCEPTANCE_DAY)["kind"] == "decrease"
    retention = kr_row(acceptance_store, "Raise 30-day retention from 45% to 60%", ACCEPTANCE_DAY)
    assert (retention["kind"], retention["unit"], retention["baseline"], retention["target"], retention["current"]) == (
        "increase", "%", 45.0, 60.0, 51.0)


def test_acceptance_sprint_velocity_is_complete(acceptance_store):
    assert kr_row(acceptance_store, "Raise sprint velocity from 42 to 60 points", ACCEPTANCE_DAY)["status"] == "Complete"


@pytest.mark.parametrize(
    ("name", "value", "target", "direction"),
    [("Customer support reply time", 48.0, 30.0, "lower_is_better"), ("Net Promoter Score", 4.0, 10.0, "higher_is_better")],
)
def test_acceptance_kpis_are_off_track(acceptance_store, name, value, target, direction):
    row = kpi_row(acceptance_store, name, ACCEPTANCE_DAY)
    assert (row["value"], row["target"], row["direction"], row["status"]) == (value, target, direction, "Off Track")


def test_key_result_linked_to_kpi_takes_the_kpi_measurements(acceptance_store):
    title = "Bring the reply time KPI from 60 to 30 minutes"
    latest = kr_row(acceptance_store, title, ACCEPTANCE_DAY)
    assert (latest["kpi_name"], latest["current"]) == ("Customer support reply time", 48.0)
    assert latest["progress"] == pytest.approx(0.4)  # (48 - 60) / (30 - 60)
    earlier = kr_row(acceptance_store, title, dt.date(2026, 5, 15))
    assert earlier["current"] == 52.0
    assert earlier["progress"] == pytest.approx(8 / 30)
    history = acceptance_store.checkin_histories([int(latest["key_result_id"])])[int(latest["key_result_id"])]
    assert list(history["value"]) == [52.0, 48.0]


# -- expected progress ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "committed", "aspirational"),
    [(-30, 0.0, 0.0), (-1, 0.0, 0.0), (0, 0.0, 0.0), (25, 0.25, 0.175), (50, 0.5, 0.35), (100, 1.0, 0.7),
     (101, 1.0, 0.7), (400, 1.0, 0.7)],
)
def test_expected_progress(rules_store, n, committed, aspirational):
    assert kr_row(rules_store, "c0", day(n))["expected"] == pytest.approx(committed)
    assert kr_row(rules_store, "a0", day(n))["expected"] == pytest.approx(aspirational)
    assert objective_row(rules_store, "Committed grid", day(n))["expected"] == pytest.approx(committed)
    assert objective_row(rules_store, "Aspirational grid", day(n))["expected"] == pytest.approx(aspirational)


def test_elapsed_macro(rules_store):
    with rules_store.cursor() as cur:
        values = cur.execute(
            "SELECT okr_elapsed(DATE '2026-01-01', DATE '2026-04-11', d::DATE) FROM (VALUES "
            "('2025-12-01'), ('2026-01-01'), ('2026-01-11'), ('2026-04-11'), ('2027-01-01')) v(d)"
        ).fetchall()
    assert [v[0] for v in values] == pytest.approx([0.0, 0.0, 0.1, 1.0, 1.0])


@pytest.mark.parametrize(("last_checkin", "started", "as_of", "interval", "stale"), [
    # 7 days: the default (settings.checkin_interval_days, the weekly check-in the sources recommend)
    ("2026-01-01", "2025-12-01", "2026-01-08", None, False),
    ("2026-01-01", "2025-12-01", "2026-01-09", None, True),
    (None, "2026-01-01", "2026-01-08", None, False),          # no check-in yet, in its first week
    (None, "2026-01-01", "2026-01-09", None, True),           # no check-in a week after it started
    ("2026-01-10", "2025-12-01", "2026-01-01", None, False),  # checked in after the as-of date looked at
    ("2026-01-01", "2025-12-01", "2026-01-04", 2, True), ("2026-01-01", "2025-12-01", "2026-01-03", 2, False),
])
def test_stale_macro(rules_store, last_checkin, started, as_of, interval, stale):
    given = "" if interval is None else f", interval_days := {interval}"
    with rules_store.cursor() as cur:
        found = cur.execute(f"SELECT okr_is_stale(?::DATE, ?::DATE, ?::DATE{given})",
                            [last_checkin, started, as_of]).fetchall()[0][0]
    assert found is stale


def test_the_stale_rule_takes_its_default_from_settings():
    store = open_store(":memory:", Settings(checkin_interval_days=30))
    try:
        with store.cursor() as cur:
            assert cur.execute("SELECT okr_is_stale(DATE '2026-01-01', DATE '2025-12-01', DATE '2026-01-31'), "
                               "okr_is_stale(DATE '2026-01-01', DATE '2025-12-01', DATE '2026-02-01')"
                               ).fetchall() == [(False, True)]
    finally:
        store.close()


@pytest.mark.parametrize(("last_date", "frequency", "as_of", "stale"), [
    # A KPI is stale once its next measurement (last + its period) is overdue by more than a quarter of
    # the period (settings.kpi_stale_grace_share), in whole days.
    ("2026-01-01", "daily", "2026-01-02", False), ("2026-01-01", "daily", "2026-01-03", True),
    ("2026-01-04", "weekly", "2026-01-12", False), ("2026-01-04", "weekly", "2026-01-13", True),
    ("2026-10-31", "monthly", "2026-12-07", False), ("2026-10-31", "monthly", "2026-12-08", True),
    ("2026-03-31", "quarterly", "2026-07-22", False), ("2026-03-31", "quarterly", "2026-07-23", True),
    ("2025-12-31", "yearly", "2027-04-01", False), ("2025-12-31", "yearly", "2027-04-02", True),
    (None, "monthly", "2026-01-01", True),  # never measured
])
def test_kpi_stale_macro(rules_store, last_date, frequency, as_of, stale):
    with rules_store.cursor() as cur:
        found = cur.execute("SELECT okr_kpi_is_stale(?::DATE, okr_kpi_period(?), ?::DATE)",
                            [last_date, frequency, as_of]).fetchall()[0][0]
    assert found is stale


def test_the_kpi_stale_grace_takes_its_default_from_settings():
    store = open_store(":memory:", Settings(kpi_stale_grace_share=0))
    try:
        with store.cursor() as cur:
            assert cur.execute("SELECT okr_kpi_is_stale(DATE '2026-10-31', INTERVAL 1 MONTH, DATE '2026-11-30'), "
                               "okr_kpi_is_stale(DATE '2026-10-31', INTERVAL 1 MONTH, DATE '2026-12-01')"
                               ).fetchall() == [(False, True)]
    finally:
        store.close()


@pytest.mark.parametrize(("direction", "value", "target", "gap"), [
    ("lower_is_better", 48, 30, 0.6),    # reply time 48 min against at most 30: 60% behind
    ("lower_is_better", 24, 30, -0.2),   # ahead of the target
    ("higher_is_better", 4, 10, 0.6),    # NPS 4 against 10
    ("higher_is_better", 4, -10, -1.4),  # a negative target: the share of its size
    ("higher_is_better", 4, 0, None),    # no share of a target of 0
    ("range", 5, 10, None),
])
def test_kpi_gap_macro(rules_store, direction, value, target, gap):
    with rules_store.cursor() as cur:
        found = cur.execute("SELECT okr_kpi_gap(?, ?::DOUBLE, ?::DOUBLE)", [direction, value, target]).fetchall()[0][0]
    assert found == (None if gap is None else pytest.approx(gap))


# -- status thresholds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "current", "expected_status"),
    [
        # e = 0.5: On Track down to p = 0.40 (e - p <= 0.10), At Risk down to 0.25 (e - p <= 0.25)
        (50, 100, "Complete"), (50, 60, "On Track"), (50, 45, "On Track"), (50, 40, "On Track"),
        (50, 39, "At Risk"), (50, 25, "At Risk"), (50, 24, "Off Track"), (50, 0, "Off Track"),
        # e = 1 (cycle over): On Track from 0.9 (p >= 0.9e), At Risk from 0.7 (p >= 0.7e, wider than the 0.25 gap)
        (100, 90, "On Track"), (100, 89, "At Risk"), (100, 72, "At Risk"), (100, 70, "At Risk"),
        (100, 69, "Off Track"), (100, 99, "On Track"), (140, 89, "At Risk"), (140, 69, "Off Track"),
        # e = 0.1: zero progress is still within the 0.10 gap
        (10, 0, "On Track"), (20, 0, "At Risk"), (35, 10, "At Risk"), (35, 9, "Off Track"),
        # on the first day nothing is expected yet
        (0, 0, "On Track"),
    ],
)
def test_committed_status_thresholds(rules_store, n, current, expected_status):
    assert status(rules_store, f"c{current}", n) == expected_status


@pytest.mark.parametrize(
    ("n", "current", "expected_status"),
    [
        # e = 0.7 at the end of an aspirational objective's cycle
        (100, 70, "On Track"), (100, 60, "On Track"), (100, 59, "At Risk"), (100, 45, "At Risk"),
        (100, 44, "Off Track"), (100, 100, "Complete"), (120, 60, "On Track"),
        # e = 0.35 half way
        (50, 25, "On Track"), (50, 24, "At Risk"), (50, 10, "At Risk"), (50, 9, "Off Track"),
    ],
)
def test_aspirational_status_thresholds(rules_store, n, current, expected_status):
    assert status(rules_store, f"a{current}", n) == expected_status


def test_no_data_without_a_value(rules_store):
    row = kr_row(rules_store, "no checkin", day(50))
    assert (row["progress"], row["current"], row["status"], row["checkin_count"]) == (None, None, "No Data", 0)
    # A check-in dated after as_of does not count either.
    assert status(rules_store, "history", 5) == "No Data"


def test_no_target_without_a_target(rules_store):
    row = kr_row(rules_store, "Grow something without target", day(50))
    assert (row["target"], row["current"], row["status"]) == (None, 5.0, "No Target")


def test_checkins_after_as_of_are_ignored(rules_store):
    assert kr_row(rules_store, "history", day(40))["current"] == 40.0
    assert kr_row(rules_store, "history", day(40))["progress"] == pytest.approx(0.4)
    assert kr_row(rules_store, "history", day(70))["progress"] == pytest.approx(0.7)
    assert kr_row(rules_store, "history", day(70))["checkin_count"] == 3


def test_first_checkin_is_the_baseline_when_none_is_given(rules_store):
    row = kr_row(rules_store, "first checkin is the baseline", day(60))
    assert row["baseline"] == 20.0
    assert row["progress"] == pytest.approx(0.5)  # (60 - 20) / (100 - 20)


def test_decrease_progress(rules_store):
    assert kr_row(rules_store, "decrease 100 to 0", day(50))["progress"] == pytest.approx(0.4)


# -- the status macro on its own, each threshold separately ---------------------------------------------------


def macro_status(store, p, e, complete_allowed=True, on_ratio=0.9, on_gap=0.1, risk_ratio=0.7, risk_gap=0.25):
    with store.cursor() as cur:
        return cur.execute("SELECT okr_kr_status(?, ?, ?, ?, ?, ?, ?)",
                           [p, e, complete_allowed, on_ratio, on_gap, risk_ratio, risk_gap]).fetchall()[0][0]


@pytest.mark.parametrize(
    ("p", "e", "thresholds", "expected"),
    [
        # ratio rules only (gaps switched off)
        (0.45, 0.5, {"on_gap": 0, "risk_gap": 0}, "On Track"), (0.44, 0.5, {"on_gap": 0, "risk_gap": 0}, "At Risk"),
        (0.35, 0.5, {"on_gap": 0, "risk_gap": 0}, "At Risk"), (0.34, 0.5, {"on_gap": 0, "risk_gap": 0}, "Off Track"),
        # gap rules only (ratios switched off by asking for more than the expected progress)
        (0.4, 0.5, {"on_ratio": 2, "risk_ratio": 2}, "On Track"), (0.39, 0.5, {"on_ratio": 2, "risk_ratio": 2}, "At Risk"),
        (0.25, 0.5, {"on_ratio": 2, "risk_ratio": 2}, "At Risk"), (0.24, 0.5, {"on_ratio": 2, "risk_ratio": 2}, "Off Track"),
        (None, 0.5, {}, "No Data"), (1.0, 0.5, {}, "Complete"), (1.5, 0.5, {}, "Complete"),
        (1.0, 1.0, {"complete_allowed": False}, "On Track"),
    ],
)
def test_status_macro_thresholds(rules_store, p, e, thresholds, expected):
    assert macro_status(rules_store, p, e, **thresholds) == expected


# -- confidence ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected_status", "disagrees"),
    [("conf 3", "At Risk", True), ("conf 4", "On Track", False), ("conf low", "At Risk", True),
     ("conf merah done", "Complete", False), ("conf 2 off track", "Off Track", False)],
)
def test_low_confidence_caps_on_track(rules_store, title, expected_status, disagrees):
    row = kr_row(rules_store, title, day(50))
    assert row["status_by_numbers"] in ("On Track", "Complete", "Off Track")
    assert (row["status"], row["confidence_disagrees"]) == (expected_status, disagrees)


def test_an_objectives_progress_is_the_same_whatever_order_its_key_results_arrive_in(rules_store):
    """objective_rollup sums in key result order: threads hand rows over in any order, and a
    floating-point sum taken in another order gives another last bit."""
    with rules_store.cursor() as cur:
        cur.execute("CREATE TEMP TABLE scored AS SELECT * FROM kr_scores(?::DATE) WHERE objective = 'Committed grid'",
                    [day(50)])
        # One whole progress and a hundred tiny ones: added before the whole one, the tiny ones count.
        cur.execute("UPDATE scored SET progress_clamped = CASE WHEN title = 'c0' THEN 1.0 ELSE 1.1e-16 END")
        cur.execute("CREATE TEMP TABLE forward AS SELECT * FROM scored ORDER BY key_result_id")
        cur.execute("CREATE TEMP TABLE backward AS SELECT * FROM scored ORDER BY key_result_id DESC")
        progress = {name: cur.execute(f"SELECT progress FROM objective_rollup('{name}', ?::DATE) "
                                      "WHERE title = 'Committed grid'", [day(50)]).fetchall()
                    for name in ("forward", "backward")}
        cur.execute("DROP TABLE scored; DROP TABLE forward; DROP TABLE backward")
    assert progress["forward"] == progress["backward"]
    assert progress["forward"][0][0] == pytest.approx(1.0 / 101, rel=1e-12)


def test_objective_flags_confidence_disagreement(rules_store):
    row = objective_row(rules_store, "Confidence", day(50))
    assert row["confidence_disagrees"] is True
    assert objective_row(rules_store, "Committed grid", day(50))["confidence_disagrees"] is False


# -- at_least / at_most -------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["floor 80", "ceiling 2"])
def test_bound_progress_is_share_of_checkins_inside_inclusive(rules_store, title):
    assert kr_row(rules_store, title, day(50))["progress"] == pytest.approx(0.75)
    assert kr_row(rules_store, title, day(2))["progress"] == pytest.approx(2 / 3)
    assert kr_row(rules_store, title, day(1))["progress"] == pytest.approx(1.0)


def test_bound_expected_is_the_end_point_all_cycle_long(rules_store):
    for n in (0, 10, 50, 100):
        assert kr_row(rules_store, "floor 80", day(n))["expected"] == pytest.approx(1.0)


def test_bound_status(rules_store):
    assert status(rules_store, "floor 80", 50) == "At Risk"  # 0.75 of 1.0 expected
    # Keeping the bound so far is On Track, not Complete, until the cycle is over.
    assert status(rules_store, "floor always kept", 50) == "On Track"
    assert status(rules_store, "floor always kept", 100) == "Complete"


# -- milestones ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "progress", "expected_status"),
    [("launch done", 1.0, "Complete"), ("launch selesai", 1.0, "Complete"), ("launch not yet", 0.0, "Off Track"),
     ("launch unreported", None, "No Data")],
)
def test_milestones(rules_store, title, progress, expected_status):
    row = kr_row(rules_store, title, day(50))
    assert (row["progress"], row["status"]) == (progress, expected_status)


def test_milestone_before_its_checkin(rules_store):
    assert status(rules_store, "launch done", 5) == "No Data"


# -- objectives ------------------------------------------------------------------------------------------------


def test_objective_progress_is_weighted_mean_of_clamped_progress(rules_store):
    row = objective_row(rules_store, "Weighted", day(50))
    assert row["progress"] == pytest.approx((0.5 * 1 + 1.0 * 2) / 3)  # 1.2 clamps to 1; No Data is left out
    assert row["key_result_count"] == 3
    assert (row["status"], row["grade"], row["grade_band"]) == ("On Track", 0.8, "green")


def test_negative_progress_clamps_to_zero(rules_store):
    kr = kr_row(rules_store, "went backwards", day(50))
    assert kr["progress"] == pytest.approx(-0.1)
    assert (kr["progress_clamped"], kr["grade"], kr["grade_band"]) == (0.0, 0.0, "red")
    assert objective_row(rules_store, "Below baseline", day(50))["progress"] == 0.0


@pytest.mark.parametrize(
    ("objective", "expected_status"),
    [("Worst", "Off Track"), ("Risky", "At Risk"), ("All done", "Complete"), ("Nothing measured", "No Data"),
     ("Milestones", "Off Track")],
)
def test_objective_status_is_the_worst_key_result_status(rules_store, objective, expected_status):
    assert objective_row(rules_store, objective, day(50))["status"] == expected_status


def test_objective_without_measurements_has_no_progress(rules_store):
    row = objective_row(rules_store, "Nothing measured", day(50))
    assert (row["progress"], row["grade"], row["grade_band"]) == (None, None, None)


def test_key_result_without_data_has_no_grade(rules_store):
    row = kr_row(rules_store, "unmeasured", day(50))
    assert (row["progress"], row["progress_clamped"], row["grade"], row["grade_band"]) == (None, None, None, None)


def test_objective_progress_of_all_complete(rules_store):
    assert objective_row(rules_store, "All done", day(50))["progress"] == pytest.approx(1.0)


# -- grades -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "grade", "band"),
    [(0, 0.0, "red"), (14, 0.1, "red"), (34, 0.3, "red"), (36, 0.4, "yellow"), (44, 0.4, "yellow"),
     (64, 0.6, "yellow"), (66, 0.7, "green"), (86, 0.9, "green"), (100, 1.0, "green")],
)
def test_grade_rounds_to_tenths_with_bands(rules_store, current, grade, band):
    row = kr_row(rules_store, f"c{current}", day(100))
    assert row["grade"] == pytest.approx(grade)
    assert row["grade_band"] == band


def test_grade_of_overshoot_is_capped_at_one(rules_store):
    row = kr_row(rules_store, "done 150", day(100))
    assert (row["progress"], row["grade"], row["grade_band"]) == (pytest.approx(1.5), 1.0, "green")


# -- KPIs --------------------------------------------------------------------------------------------------------

KPI_DAY = day(100)


@pytest.mark.parametrize(
    ("name", "expected_status"),
    [
        # higher is better, target 100, default tolerance 10% of the target
        ("higher 100", "On Track"), ("higher 120", "On Track"), ("higher 95", "At Risk"), ("higher 90", "At Risk"),
        ("higher 89", "Off Track"),
        # lower is better, target 30, default tolerance 3
        ("lower 30", "On Track"), ("lower 20", "On Track"), ("lower 33", "At Risk"), ("lower 34", "Off Track"),
        # stated tolerances: absolute and percent of the target
        ("higher abs 95", "At Risk"), ("higher abs 94", "Off Track"), ("higher pct 80", "At Risk"),
        ("higher pct 79", "Off Track"), ("lower abs 35", "At Risk"), ("lower abs 36", "Off Track"),
        ("lower pct 45", "At Risk"), ("lower pct 46", "Off Track"),
        # range 2..8, default tolerance 10% of the band (0.6), and an absolute tolerance of 1
        ("range 2", "On Track"), ("range 8", "On Track"), ("range 5", "On Track"), ("range 8.5", "At Risk"),
        ("range 1.5", "At Risk"), ("range 8.7", "Off Track"), ("range 1.3", "Off Track"),
        ("range abs 9", "At Risk"), ("range abs 1", "At Risk"), ("range abs 9.5", "Off Track"),
        # missing pieces
        ("no target", "No Target"),
    ],
)
def test_kpi_status(rules_store, name, expected_status):
    assert kpi_row(rules_store, name, KPI_DAY)["status"] == expected_status


@pytest.mark.parametrize(
    ("name", "tolerance"),
    [("higher 100", 10.0), ("lower 30", 3.0), ("higher abs 95", 5.0), ("higher pct 80", 20.0), ("range 2", 0.6),
     ("range abs 9", 1.0)],
)
def test_kpi_effective_tolerance(rules_store, name, tolerance):
    assert kpi_row(rules_store, name, KPI_DAY)["tolerance"] == pytest.approx(tolerance)


@pytest.mark.parametrize(
    ("name", "trend", "change"),
    [("trend higher up", 1, 5.0), ("trend higher down", -1, -5.0), ("trend higher flat", 0, 0.0),
     ("trend lower down", 1, -2.0), ("trend lower up", -1, 2.0), ("trend range inward", 1, -2.0),
     ("trend range outward", -1, 2.0), ("trend range mirrored", 0, 4.0), ("single measurement", 0, None)],
)
def test_kpi_trend_sign_follows_the_direction(rules_store, name, trend, change):
    row = kpi_row(rules_store, name, KPI_DAY)
    assert row["trend"] == trend
    assert row["change"] == (None if change is None else pytest.approx(change))


@pytest.mark.parametrize(
    ("name", "trend", "change"),
    [("trend reply time rising", -1, 0.0), ("trend window of six", 0, 0.0), ("trend noise is flat", 0, 0.4),
     ("trend range drifting out", -1, 0.0)],
)
def test_kpi_trend_follows_the_line_through_the_recent_measurements(rules_store, name, trend, change):
    """Reply time rising from 34 to 48 over six readings is worse even though the last two are equal;
    only the last six readings count; a wobble of under 1% of the level is flat."""
    row = kpi_row(rules_store, name, KPI_DAY)
    assert (row["trend"], row["change"]) == (trend, pytest.approx(change))


def test_kpi_target_is_the_latest_period_target(rules_store):
    assert kpi_row(rules_store, "period targets", KPI_DAY)["target"] == 60.0
    assert kpi_row(rules_store, "period targets", KPI_DAY)["status"] == "Off Track"  # 50 < 60 - 6
    assert kpi_row(rules_store, "period targets", day(5))["target"] == 40.0
    assert kpi_row(rules_store, "period targets", day(5))["status"] == "On Track"


def test_kpi_measurements_after_as_of_are_ignored(rules_store):
    row = kpi_row(rules_store, "trend higher up", day(5))
    assert (row["value"], row["previous_value"], row["trend"], row["measurement_count"]) == (90.0, None, 0, 1)
    assert kpi_row(rules_store, "higher 100", day(-1))["status"] == "No Data"


# -- forecast ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "n", "forecast"), [(50, 50, 100), (25, 50, 200), (80, 40, 50), (50, 140, 200)])
def test_forecast_date_extends_the_pace_so_far(rules_store, current, n, forecast):
    # The pace since the cycle start (progress per day, up to the cycle end) reaches the target on this day.
    assert kr_row(rules_store, f"c{current}", day(n))["forecast_date"] == day(forecast)


@pytest.mark.parametrize(("title", "n"), [("c0", 50), ("c100", 50), ("floor 80", 50), ("launch done", 50)])
def test_no_forecast_without_movement_or_when_done(rules_store, title, n):
    assert kr_row(rules_store, title, day(n))["forecast_date"] is None


@pytest.mark.parametrize("row, band", [
    ("T,Reply time,2026-05-01,48,30,lower_is_better,,,", (30.0, 33.0)),      # default 10% of the target
    ("T,NPS,2026-05-01,4,10,higher_is_better,,,2", (8.0, 10.0)),             # absolute tolerance
    ("T,Overtime,2026-05-01,5,,range,2,8,", (1.4, 8.6)),                     # 10% of the band width
])
def test_kpi_at_risk_band_comes_from_the_rules(store, load, row, band):
    load(("k.csv", "team,kpi,date,value,target,direction,min,max,tolerance\n" + row + "\n"))
    kpi = store.kpi_scores(dt.date(2026, 5, 15)).iloc[0]
    assert (kpi["band_low"], kpi["band_high"]) == pytest.approx(band)


# -- a grade read by the objective's type (issue 26) --------------------------------------------------------------


@pytest.mark.parametrize(("current", "committed", "aspirational"), [
    (100, "met", "green"), (86, "missed", "green"), (80, "missed", "green"), (66, "missed", "green"),
    (64, "missed", "yellow"), (36, "missed", "yellow"), (34, "missed", "red"), (0, "missed", "red"),
])
def test_a_key_results_grade_reads_by_its_objectives_type(rules_store, current, committed, aspirational):
    assert kr_row(rules_store, f"c{current}", day(100))["band"] == committed
    assert kr_row(rules_store, f"a{current}", day(100))["band"] == aspirational


TYPED = """cycle,start_date,end_date,team,objective,objective_type,key_result,baseline,target,current,date
T,2026-01-01,2026-03-31,Support,Answer faster,committed,Cut reply time from 48 to 30 minutes,48,30,33.6,2026-03-30
T,2026-01-01,2026-03-31,Support,Hire the manager,committed,Make 1 hire,0,1,1,2026-03-30
T,2026-01-01,2026-03-31,Support,Be known for kind answers,committed,Ask every customer how we did,0,100,,
T,2026-01-01,2026-03-31,Support,Delight our customers,aspirational,Raise NPS from 4 to 10,4,10,8.8,2026-03-30
T,2026-01-01,2026-03-31,Support,Win the market,aspirational,Grow sign-ups from 0 to 100,0,100,50,2026-03-30
T,2026-01-01,2026-03-31,Support,Try something new,aspirational,Try 10 ideas,0,10,,
"""


def test_a_committed_objective_is_met_at_one_and_a_committed_08_is_missed_with_a_postmortem(store, load):
    """The playbook's grading: a committed objective is a promise, met at 1.0 and missed below it (a
    postmortem), never green; the 0.7 sweet spot and the green / yellow / red bands are the
    aspirational objective's."""
    load(("okrs.csv", TYPED))
    rows = {title: objective_row(store, title, dt.date(2026, 3, 31))
            for title in store.objective_scores(dt.date(2026, 3, 31))["title"]}
    read = {title: (row["grade"], row["band"], row["postmortem"]) for title, row in rows.items()}
    assert read == {
        "Answer faster": (pytest.approx(0.8), "missed", True),          # 48 -> 33.6 of 30: 0.8
        "Hire the manager": (1.0, "met", False),
        "Be known for kind answers": (None, "missed", True),              # nothing measured: not met either
        "Delight our customers": (pytest.approx(0.8), "green", False),   # the same 0.8, aspirational
        "Win the market": (pytest.approx(0.5), "yellow", False),
        "Try something new": (None, None, False),                         # not graded
    }


def test_the_grade_bands_take_their_thresholds_from_settings():
    store = open_store(":memory:", Settings(grade_green_from=0.9, grade_yellow_from=0.5))
    try:
        with store.cursor() as cur:
            assert cur.execute("SELECT okr_grade_band(0.8), okr_grade_band(0.9), okr_grade_band(0.4), "
                               "okr_band('aspirational', 0.8, okr_grade_band(0.8)), okr_band('committed', 1.0, 'green')"
                               ).fetchall() == [("yellow", "green", "red", "yellow", "met")]
    finally:
        store.close()


# -- stale key results and KPIs in the scored rows (issue 26) -------------------------------------------------------

STALE_OKRS = """cycle,start_date,end_date,team,objective,objective_type,key_result,baseline,target,kpi,kr_start
S,2026-01-01,2026-03-31,Support,Answer faster,committed,Checked in a week ago,0,10,,
S,2026-01-01,2026-03-31,Support,Answer faster,committed,Checked in eight days ago,0,10,,
S,2026-01-01,2026-03-31,Support,Answer faster,committed,Added three days ago,0,10,,2026-02-12
S,2026-01-01,2026-03-31,Support,Answer faster,committed,Follows a monthly KPI,10,4,Net Promoter Score,
S,2026-01-01,2026-03-31,Support,Answer faster,committed,Follows a weekly KPI,48,30,Average reply time,
"""
STALE_CHECKINS = """team,key_result,cycle,date,value
Support,Checked in a week ago,S,2026-02-08,5
Support,Checked in eight days ago,S,2026-02-07,5
"""
STALE_KPIS = """team,kpi,date,value,target,direction,frequency
Support,Net Promoter Score,2026-01-31,7,10,higher_is_better,monthly
Support,Average reply time,2026-02-01,40,30,lower_is_better,weekly
Support,Tickets resolved,2026-02-14,380,400,higher_is_better,daily
"""


def test_the_scored_rows_say_what_is_stale(store, load):
    """A key result is stale after the check-in interval (7 days), counted from its start before its
    first check-in; a KPI, and a key result that follows one, when not measured within the KPI's own
    frequency (plus a quarter of it)."""
    load(("kpis.csv", STALE_KPIS), ("okrs.csv", STALE_OKRS), ("checkins.csv", STALE_CHECKINS))
    as_of = dt.date(2026, 2, 15)
    stale = dict(zip(store.kr_scores(as_of)["title"], store.kr_scores(as_of)["stale"]))
    assert stale == {"Checked in a week ago": False, "Checked in eight days ago": True, "Added three days ago": False,
                     "Follows a monthly KPI": False,   # due 28 Feb
                     "Follows a weekly KPI": True}     # due 8 Feb, a day of grace: stale from 10 Feb
    kpis = dict(zip(store.kpi_scores(as_of)["name"], store.kpi_scores(as_of)["stale"]))
    assert kpis == {"Net Promoter Score": False, "Average reply time": True, "Tickets resolved": False}
    # NPS, measured on 31 January, is due on 28 February: stale after a quarter of its 28 days.
    later = dict(zip(store.kpi_scores(dt.date(2026, 3, 7))["name"], store.kpi_scores(dt.date(2026, 3, 7))["stale"]))
    assert later == {"Net Promoter Score": False, "Average reply time": True, "Tickets resolved": True}
    assert store.kpi_scores(dt.date(2026, 3, 8)).set_index("name").loc["Net Promoter Score", "stale"]
