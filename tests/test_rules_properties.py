"""Properties of the scoring rules, checked with Hypothesis against the real DuckDB macros.

One module-level store per backend (DuckDB, PostgreSQL); each example writes its key results in a transaction, reads
``kr_scores`` and rolls back, so an example costs a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from okrdash.rules import Rules
from okrdash.settings import Settings
from okrdash.store import Store, open_store

CONFIG = Settings()
STORE: Store


@pytest.fixture(scope="module", params=["duckdb", "postgresql"], autouse=True)
def _backend_store(request):
    """The module's store on each backend in turn: on PostgreSQL the rules run in the mirror."""
    global STORE
    url = request.getfixturevalue("pg_server").new_database() if request.param == "postgresql" else ":memory:"
    STORE = open_store(url, CONFIG)
    yield STORE
    STORE.close()
START = dt.date(2026, 1, 1)
END = START + dt.timedelta(days=100)
RANK = {"Off Track": 0, "At Risk": 1, "On Track": 2, "Complete": 3}

PROPERTY_SETTINGS = settings(max_examples=50, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])


def score(key_results, as_of: dt.date, objective_type: str = "committed",
          plans: dict[int, list[tuple[int, float]]] | None = None) -> list[dict]:
    """Write key results ``(kind, baseline, target, [values...])`` in a rolled-back transaction; their scores.
    ``plans``: per key result's index, its planned values (days after START, planned value)."""
    with STORE.cursor() as cur:
        cur.begin()
        try:
            cur.execute("INSERT INTO cycles (name, start_date, end_date) VALUES ('P', ?, ?)", [START, END])
            objective_id = cur.execute(
                "INSERT INTO objectives (cycle, team, title, type) VALUES ('P', 'T', 'O', ?) RETURNING id",
                [objective_type]).fetchall()[0][0]
            ids = []
            for index, (kind, baseline, target, values) in enumerate(key_results):
                kr_id = cur.execute(
                    """INSERT INTO key_results (objective_id, title, kind, baseline, target, weight)
                       VALUES (?, ?, ?, ?, ?, 1) RETURNING id""",
                    [objective_id, f"k{index}", kind, baseline, target]).fetchall()[0][0]
                for offset, value in enumerate(values):
                    cur.execute("INSERT INTO checkins (key_result_id, date, value) VALUES (?, ?, ?)",
                                [kr_id, START + dt.timedelta(days=offset), value])
                for offset, planned in (plans or {}).get(index, []):
                    cur.execute("INSERT INTO kr_plans (key_result_id, date, planned) VALUES (?, ?, ?)",
                                [kr_id, START + dt.timedelta(days=offset), planned])
                ids.append(kr_id)
            result = cur.execute(
                "SELECT key_result_id, progress, progress_clamped, expected, status, grade, grade_band, band "
                "FROM kr_scores(?::DATE)", [as_of])
            names = [d[0] for d in result.description]
            by_id = {row[0]: dict(zip(names, row)) for row in result.fetchall()}
        finally:
            cur.rollback()
    return [by_id[i] for i in ids]


def direction(baseline: float, target: float) -> str:
    return "increase" if target > baseline else "decrease"


def close(a: float, b: float, scale: float = 1.0) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * max(1.0, scale))


numbers = st.integers(min_value=-1_000_000, max_value=1_000_000)
days = st.integers(min_value=0, max_value=130)  # check-ins are dated from START on
objective_types = st.sampled_from(["committed", "aspirational"])


@st.composite
def baseline_target(draw):
    baseline = draw(numbers)
    target = draw(numbers.filter(lambda t: t != baseline))
    return baseline, target


@PROPERTY_SETTINGS
@given(bt=baseline_target(), start=numbers, steps=st.lists(st.integers(0, 1000), min_size=1, max_size=6))
def test_progress_moves_toward_one_as_current_moves_toward_target(bt, start, steps):
    baseline, target = bt
    kind = direction(baseline, target)
    # Each current lies between the previous one and the target: the distance to the target shrinks.
    currents = [float(start)]
    for share in sorted(steps):
        currents.append(currents[-1] + (target - currents[-1]) * share / 1000)
    rows = score([(kind, baseline, target, [c]) for c in currents] + [(kind, baseline, target, [target]),
                                                                      (kind, baseline, target, [baseline])],
                 START + dt.timedelta(days=50))
    *moving, at_target, at_baseline = rows
    assert close(at_target["progress"], 1.0) and close(at_baseline["progress"], 0.0)
    distances = [abs(1 - r["progress"]) for r in moving]
    for before, after in zip(distances, distances[1:]):
        assert after <= before + 1e-9 * max(1.0, before), (kind, baseline, target, currents, distances)
    # Moving toward the target from below (p < 1) never lowers progress.
    for before, after in zip(moving, moving[1:]):
        if before["progress"] <= 1:
            assert after["progress"] >= before["progress"] - 1e-9


@PROPERTY_SETTINGS
@given(bt=baseline_target(), current=numbers, mirror=numbers, n=days, otype=objective_types)
def test_increase_and_decrease_are_mirror_images(bt, current, mirror, n, otype):
    baseline, target = bt
    reflected = (2 * mirror - baseline, 2 * mirror - target, 2 * mirror - current)
    original, image = score(
        [(direction(baseline, target), baseline, target, [current]),
         (direction(reflected[0], reflected[1]), reflected[0], reflected[1], [reflected[2]])],
        START + dt.timedelta(days=n), otype)
    assert {direction(baseline, target), direction(reflected[0], reflected[1])} == {"increase", "decrease"}
    assert close(original["progress"], image["progress"], abs(original["progress"]))
    assert original["status"] == image["status"]
    assert original["expected"] == image["expected"]


@PROPERTY_SETTINGS
@given(bt=baseline_target(), current=numbers, n=days, otype=objective_types,
       plan_days=st.lists(st.integers(1, 99), min_size=1, max_size=6, unique=True))
def test_a_plan_of_the_linear_points_expects_what_the_linear_rule_does(bt, current, n, otype, plan_days):
    """A plan whose points lie on the straight line from baseline to target (planned value at day d of
    the 100-day cycle: baseline + (target - baseline) * d / 100) gives the linear rule's expected
    progress and status, on any day, for either type."""
    baseline, target = bt
    kind = direction(baseline, target)
    line = [(d, baseline + (target - baseline) * d / 100) for d in sorted(plan_days)]
    linear, planned = score([(kind, baseline, target, [current]), (kind, baseline, target, [current])],
                            START + dt.timedelta(days=n), otype, plans={1: line})
    assert planned["expected"] == linear["expected"], (line, n)
    assert planned["status"] == linear["status"]


@PROPERTY_SETTINGS
@given(bound=numbers, values=st.lists(numbers, min_size=1, max_size=8), mirror=numbers, n=days)
def test_at_least_and_at_most_are_mirror_images(bound, values, mirror, n):
    original, image = score(
        [("at_least", None, bound, values), ("at_most", None, 2 * mirror - bound, [2 * mirror - v for v in values])],
        START + dt.timedelta(days=max(n, len(values))))
    assert original["progress"] == image["progress"]
    assert original["status"] == image["status"]
    assert 0.0 <= original["progress"] <= 1.0
    assert (original["progress"] == 1.0) == all(v >= bound for v in values)
    assert (original["progress"] == 0.0) == all(v < bound for v in values)


@PROPERTY_SETTINGS
@given(bt=baseline_target(), currents=st.lists(numbers, min_size=2, max_size=12), n=days, otype=objective_types)
def test_status_is_monotone_in_progress_at_a_fixed_date(bt, currents, n, otype):
    baseline, target = bt
    kind = direction(baseline, target)
    rows = score([(kind, baseline, target, [c]) for c in currents], START + dt.timedelta(days=n), otype)
    ordered = sorted(rows, key=lambda r: r["progress"])
    ranks = [RANK[r["status"]] for r in ordered]
    assert ranks == sorted(ranks), [(r["progress"], r["expected"], r["status"]) for r in ordered]


@PROPERTY_SETTINGS
@given(p1=st.floats(-1, 2, allow_nan=False), p2=st.floats(-1, 2, allow_nan=False), e=st.floats(0, 1))
def test_status_macro_is_monotone(p1, p2, e):
    low, high = sorted((p1, p2))
    with STORE.cursor() as cur:
        statuses = [
            cur.execute("SELECT okr_kr_status(?, ?, true, ?, ?, ?, ?)",
                        [p, e, CONFIG.on_track_ratio, CONFIG.on_track_gap, CONFIG.at_risk_ratio,
                         CONFIG.at_risk_gap]).fetchall()[0][0]
            for p in (low, high)
        ]
    assert RANK[statuses[0]] <= RANK[statuses[1]], (low, high, e, statuses)


@PROPERTY_SETTINGS
@given(p=st.floats(-1, 2, allow_nan=False), e=st.floats(0, 1))
def test_the_status_floors_the_demo_plans_by_agree_with_the_status_rule(p, e):
    """okr_kr_status_floors (where On Track and At Risk begin, what the demo company and the bench
    generator plan their values by through okrdash/rules.py) gives every progress the status
    okr_kr_status gives it, but within a rounding error of a floor (p >= r * e OR e - p <= g is
    p >= least(r * e, e - g) in exact arithmetic)."""
    with STORE.cursor() as cur:
        [floors] = Rules(CONFIG, cur).status_floors([e])
        assume(all(abs(p - floor) > 1e-9 for floor in floors))
        status = cur.execute("SELECT okr_kr_status(?, ?, true, ?, ?, ?, ?)",
                             [p, e, CONFIG.on_track_ratio, CONFIG.on_track_gap, CONFIG.at_risk_ratio,
                              CONFIG.at_risk_gap]).fetchall()[0][0]
    assert floors.status(p) == status, (p, e, floors)


@PROPERTY_SETTINGS
@given(bt=baseline_target(), current=numbers, n=days, otype=objective_types)
def test_grade_and_band_follow_clamped_progress(bt, current, n, otype):
    baseline, target = bt
    [row] = score([(direction(baseline, target), baseline, target, [current])], START + dt.timedelta(days=n), otype)
    assert 0.0 <= row["progress_clamped"] <= 1.0
    assert abs(row["grade"] - row["progress_clamped"]) <= 0.05 + 1e-9
    assert close(row["grade"] * 10, round(row["grade"] * 10))
    assert row["grade_band"] == ("green" if row["grade"] >= 0.7 else "yellow" if row["grade"] >= 0.4 else "red")
    # Read by type: a committed key result is met only at 1.0; an aspirational one reads its grade band.
    assert row["band"] == (("met" if row["grade"] == 1.0 else "missed") if otype == "committed" else row["grade_band"])
    assert 0.0 <= row["expected"] <= (1.0 if otype == "committed" else CONFIG.aspirational_end_point)
