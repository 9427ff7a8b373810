"""The store scores the whole company once per write and as-of date and serves every view from it.

Every page's read model on the demo equals the one computed with nothing kept (``SCORES_KEPT`` 0:
each call runs the rules' macros again), the filtered lookups equal the macros filtered in SQL, and
a write (import, check-in, undo, reset) makes the next view show the new data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pytest

from okrdash import bridge, coach, demo, okrfiles, readmodels, status_report
from okrdash.store import scores as scores_module
from okrdash.access import admin_writer
from okrdash.views import review as review_view

AS_OF = demo.DEMO_ANCHOR
EARLIER = AS_OF - dt.timedelta(days=30)


@pytest.fixture
def demo_store(store):
    demo.load_demo(store, anchor=AS_OF)
    return store


def every_read_model(store, as_of: dt.date) -> dict[tuple, Any]:
    """What each page (and the CLI) asks the store for, for every cycle, team, objective and owner."""
    models: dict[tuple, Any] = {("kpis",): readmodels.kpi_table(store, as_of)}
    for cycle in store.cycles():
        models[("overview", cycle.name)] = readmodels.overview(store, cycle, as_of)
        models[("status", cycle.name)] = status_report.status_report(store, as_of, cycle.name)
        models[("coach", cycle.name)] = coach.check_store(store, as_of, cycle.name)
        models[("proposals", cycle.name)] = bridge.proposals(store, as_of, cycle.name)
        for team in store.teams():
            models[("team", team, cycle.name)] = readmodels.team_page(store, team, cycle, as_of, per_page=1000)
            models[("team okrs", team, cycle.name)] = okrfiles.team_okrs(store, team, cycle, as_of)
        for owner in store.owners():
            models[("mine", owner, cycle.name)] = readmodels.owned_key_results(store, cycle, as_of, owner)
    for objective_id in store.objective_scores(as_of)["objective_id"]:
        models[("objective", int(objective_id))] = readmodels.objective_view(store, int(objective_id), as_of)
    return models


def assert_same(kept: Any, fresh: Any, where: str) -> None:
    if isinstance(kept, pd.DataFrame):
        pd.testing.assert_frame_equal(kept, fresh, obj=where)
    elif dataclasses.is_dataclass(kept) and not isinstance(kept, type):
        for field in dataclasses.fields(kept):
            assert_same(getattr(kept, field.name), getattr(fresh, field.name), f"{where}.{field.name}")
    elif isinstance(kept, dict):
        assert kept.keys() == fresh.keys(), where
        for key in kept:
            assert_same(kept[key], fresh[key], f"{where}[{key!r}]")
    elif isinstance(kept, (list, tuple)):
        assert len(kept) == len(fresh), where
        for index, (a, b) in enumerate(zip(kept, fresh)):
            assert_same(a, b, f"{where}[{index}]")
    else:
        assert kept == fresh, where


def nothing_kept(monkeypatch) -> None:
    monkeypatch.setattr(scores_module, "SCORES_KEPT", 0)


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
def test_every_read_model_from_kept_scores_equals_one_scored_afresh(demo_store, monkeypatch, as_of):
    kept = every_read_model(demo_store, as_of)
    again = every_read_model(demo_store, as_of)  # served from the kept scores
    nothing_kept(monkeypatch)
    fresh = every_read_model(demo_store, as_of)
    assert len(kept) > 40  # every team, objective and owner of the demo, two cycles
    assert_same(kept, fresh, "read models")
    assert_same(again, fresh, "read models, second time")


def test_filtered_lookups_equal_the_macros_filtered_in_sql(demo_store):
    # Values and order must match; dtypes may not: DuckDB gives a subset's all-NULL text column
    # as object (None), where the company's column it is filtered from is a string column (NaN).
    def plain(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.astype(object).where(frame.notna(), None)

    def same(kept: pd.DataFrame, macro_frame: pd.DataFrame) -> None:
        pd.testing.assert_frame_equal(plain(kept), plain(macro_frame))

    def macro(name: str, order: str, **where: Any) -> pd.DataFrame:
        conditions = " AND ".join(f"{column} = ?" for column in where) or "true"
        # A key result's expected path (a list) is kept as rows of their own (compared below).
        columns = "* EXCLUDE (expected_path)" if name == "kr_scores" else "*"
        with demo_store.cursor() as cur:
            return cur.execute(f"SELECT {columns} FROM {name}(?::DATE) WHERE {conditions} ORDER BY {order}",
                               [AS_OF, *where.values()]).df()

    teams = demo_store.teams()
    cycle = demo_store.cycles()[-1].name
    for team in [*teams, "No such team"]:
        same(demo_store.kr_scores(AS_OF, cycle=cycle, team=team),
             macro("kr_scores", "team, objective, key_result_id", cycle=cycle, team=team))
        same(demo_store.objective_scores(AS_OF, team=team),
             macro("objective_scores", "team, objective_id", team=team))
        same(demo_store.kpi_scores(AS_OF, team=team),
             macro("kpi_scores", "team, name", team=team))
    for objective_id in demo_store.objective_scores(AS_OF)["objective_id"].head(5):
        same(demo_store.kr_scores(AS_OF, objective_id=int(objective_id)),
             macro("kr_scores", "team, objective, key_result_id",
                   objective_id=int(objective_id)))
    same(demo_store.kr_scores(AS_OF), macro("kr_scores", "team, objective, key_result_id"))
    with demo_store.cursor() as cur:
        paths = cur.execute("""SELECT key_result_id, expected_path[i].date AS date, expected_path[i].expected AS expected
                               FROM (SELECT key_result_id, expected_path,
                                            unnest(generate_series(1, len(expected_path))) AS i
                                     FROM kr_scores(?::DATE)) ORDER BY key_result_id, i""", [AS_OF]).df()
    same(demo_store.scores(AS_OF).expected_lines, paths)


def test_scoring_scores_each_key_result_once(demo_store, monkeypatch):
    """The objectives are rolled up from the key results just scored (objective_rollup), not by
    objective_scores, which would score every key result again (issue 27)."""
    executed: list[str] = []
    real_cursor = demo_store.cursor

    class Recording:
        def __init__(self, cursor):
            self._cursor = cursor

        def execute(self, sql, *args, **kwargs):
            executed.append(sql)
            return self._cursor.execute(sql, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self._cursor, name)

    @contextmanager
    def recording():
        with real_cursor() as cursor:
            yield Recording(cursor)

    monkeypatch.setattr(demo_store, "cursor", recording)
    scored = demo_store.scores(AS_OF)
    assert len(scored.key_results) and len(scored.objectives) and len(scored.kpis)
    assert sum(sql.count("kr_scores(") for sql in executed) == 1
    assert not [sql for sql in executed if "objective_scores(" in sql]


def test_a_caller_changing_a_returned_frame_leaves_the_kept_scores_alone(demo_store):
    frame = demo_store.kr_scores(AS_OF)
    frame["status"] = "changed"
    frame.loc[0, "progress"] = -1.0
    assert "changed" not in set(demo_store.kr_scores(AS_OF)["status"])
    assert demo_store.kr_scores(AS_OF).loc[0, "progress"] != -1.0


def checkin_file(row: dict[str, Any], value: float) -> tuple[str, str]:
    return ("checkins.csv", "team,key_result,cycle,date,value\n"
                            f"{row['team']},{row['title']},{row['cycle']},{AS_OF.isoformat()},{value}\n")


def test_an_import_a_checkin_an_undo_and_a_reset_each_make_the_next_view_fresh(demo_store, load):
    cycle = readmodels.pick_cycle(demo_store, None, AS_OF)
    krs = demo_store.kr_scores(AS_OF, cycle=cycle.name)
    row = krs[krs["kpi_id"].isna() & krs["current"].notna()].iloc[0].to_dict()
    before = readmodels.team_page(demo_store, row["team"], cycle, AS_OF, per_page=1000)
    new_value = float(row["current"]) + 1234.5

    def current_value() -> float:
        view = readmodels.team_page(demo_store, row["team"], cycle, AS_OF, per_page=1000)
        return float(view.key_results.set_index("key_result_id").loc[row["key_result_id"], "current"])

    result = load(checkin_file(row, new_value))
    assert current_value() == new_value
    objective = readmodels.objective_view(demo_store, int(row["objective_id"]), AS_OF)
    assert new_value in set(objective.key_results["current"])

    demo_store.undo(result.written[0].batch_id, admin_writer("lead"))
    assert_same(readmodels.team_page(demo_store, row["team"], cycle, AS_OF, per_page=1000), before, "team view after undo")

    demo_store.reset(admin_writer("lead"))
    assert demo_store.kr_scores(AS_OF).empty and demo_store.kpi_scores(AS_OF).empty
    assert readmodels.overview(demo_store, None, AS_OF).is_empty


def test_a_kpi_measurement_import_makes_the_kpi_views_fresh(demo_store, load):
    kpi = demo_store.kpi_scores(AS_OF).iloc[0].to_dict()
    new_value = float(kpi["value"]) + 777.0
    load(("kpis.csv", f"team,kpi,date,value\n{kpi['team']},{kpi['name']},{AS_OF.isoformat()},{new_value}\n"))
    table = readmodels.kpi_table(demo_store, AS_OF, team=kpi["team"]).kpis
    assert float(table.set_index("kpi_id").loc[kpi["kpi_id"], "value"]) == new_value


def test_the_pages_cached_lists_and_quarter_review_follow_a_write(demo_store, load):
    """The quarter review and the pickers' teams and owners are kept with the scores until the next
    write: a check-in typed in the browser still shows in the quarter review, and a new owner and
    team in the pickers."""
    cycle = readmodels.pick_cycle(demo_store, None, AS_OF)
    krs = demo_store.kr_scores(AS_OF, cycle=cycle.name)
    row = krs[krs["kpi_id"].isna() & krs["current"].notna() & (krs["kind"] == "increase")].iloc[0].to_dict()
    before = review_view.quarter_review(demo_store, cycle, AS_OF, None)
    teams_before, owners_before = readmodels.teams(demo_store, AS_OF), readmodels.owners(demo_store, AS_OF)
    load(checkin_file(row, float(row["target"])))  # the key result reaches its target: grade 1.0
    after = review_view.quarter_review(demo_store, cycle, AS_OF, None)
    grade = after.key_results.set_index("key_result_id").loc[row["key_result_id"], "grade"]
    assert grade == 1.0 != before.key_results.set_index("key_result_id").loc[row["key_result_id"], "grade"]
    load(("okrs.csv", f"cycle,team,objective,key_result,owner,baseline,target\n"
                      f"{cycle.name},Legal,Be audit ready,Close 5 findings,Zed Newowner,0,5\n"))
    assert "Legal" in readmodels.teams(demo_store, AS_OF) and "Legal" not in teams_before
    assert "Zed Newowner" in readmodels.owners(demo_store, AS_OF) and "Zed Newowner" not in owners_before


def test_a_checkin_rescores_once_per_date_however_many_sessions_view_it(demo_store, load, monkeypatch):
    """Six sessions open every view (the quarter review included) at two dates at once after a check-in:
    the rules' macros run once per date, and every session sees the new value."""
    import threading

    from okrdash import review

    cycle = readmodels.pick_cycle(demo_store, None, AS_OF)
    krs = demo_store.kr_scores(AS_OF, cycle=cycle.name)
    row = krs[krs["kpi_id"].isna() & krs["current"].notna()].iloc[0].to_dict()
    new_value = float(row["current"]) + 4321.0
    load(checkin_file(row, new_value))
    scored: list[str] = []
    real_score = scores_module.score

    def counting_score(cur, as_of: dt.date, *args) -> scores_module.Scores:
        scored.append(as_of)
        return real_score(cur, as_of, *args)

    monkeypatch.setattr(scores_module, "score", counting_score)
    seen: list[float] = []
    failures: list[BaseException] = []
    start = threading.Barrier(6)

    def session(index: int) -> None:
        try:
            start.wait()
            for as_of in (AS_OF, EARLIER) if index % 2 else (EARLIER, AS_OF):
                readmodels.overview(demo_store, cycle, as_of)
                view = readmodels.team_page(demo_store, row["team"], cycle, as_of, per_page=1000)
                readmodels.objective_view(demo_store, int(row["objective_id"]), as_of)
                readmodels.kpi_table(demo_store, as_of)
                review.review(demo_store, cycle, as_of)
                if as_of == AS_OF:
                    seen.append(float(view.key_results.set_index("key_result_id").loc[row["key_result_id"], "current"]))
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=session, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert seen == [new_value] * 6
    graded_on = {AS_OF, EARLIER, *(review.graded_on(c, d) for c in demo_store.cycles() for d in (AS_OF, EARLIER))}
    assert sorted(scored) == sorted(set(scored)), f"a date scored twice: {scored}"
    assert AS_OF in scored and EARLIER in scored and set(scored) <= graded_on


def test_a_write_committing_during_a_scoring_leaves_it_one_snapshot_and_unkept(demo_store, load, monkeypatch):
    """A KPI measurement commits after the key results are scored and before the KPIs are: the
    scoring is still of one snapshot (the KPI's old value beside the old key results), and it is not
    kept, so the next view scores the new data."""
    kpi = demo_store.kpi_scores(AS_OF).iloc[0].to_dict()
    old_value, new_value = float(kpi["value"]), float(kpi["value"]) + 555.0
    real_score = scores_module.score
    written: list[bool] = []

    def score_with_a_write_inside(cur, as_of, *args):
        class WritingCursor:
            def execute(self, sql, *params):
                result = cur.execute(sql, *params)
                if "EXCLUDE (expected_path)" in sql and not written:
                    written.append(True)
                    load(("kpis.csv", f"team,kpi,date,value\n{kpi['team']},{kpi['name']},{AS_OF.isoformat()},"
                                      f"{new_value}\n"))
                return result

            def __getattr__(self, name):
                return getattr(cur, name)

        return real_score(WritingCursor(), as_of, *args)

    demo_store.kpi_scores(EARLIER)  # a write makes the next scoring a new one
    load(("kpis.csv", f"team,kpi,date,value\n{kpi['team']},{kpi['name']},{AS_OF.isoformat()},{old_value}\n"))
    monkeypatch.setattr(scores_module, "score", score_with_a_write_inside)
    during = demo_store.scores(AS_OF)
    assert written
    assert float(during.kpis.set_index("kpi_id").loc[kpi["kpi_id"], "value"]) == old_value
    monkeypatch.setattr(scores_module, "score", real_score)
    after = demo_store.scores(AS_OF)
    assert after is not during and not during.current
    assert float(after.kpis.set_index("kpi_id").loc[kpi["kpi_id"], "value"]) == new_value


def test_what_is_built_while_a_write_commits_is_not_kept(demo_store, load):
    """Read models kept with the scores (Scores.kept) are kept only when no write committed while
    they were built: one built across a write is given to its caller and built again afterwards."""
    row = demo_store.kr_scores(AS_OF).dropna(subset=["current"]).iloc[0].to_dict()
    scored = demo_store.scores(AS_OF)
    builds: list[int] = []

    def build_across_a_write() -> int:
        builds.append(1)
        load(checkin_file(row, float(row["current"]) + 1.0))
        return len(builds)

    assert scored.kept(("probe",), build_across_a_write) == 1
    assert scored.kept(("probe",), lambda: 2) == 2  # not kept: built again
    assert not scored.current
    fresh = demo_store.scores(AS_OF)
    assert fresh.current and fresh.kept(("probe",), lambda: 3) == 3 and fresh.kept(("probe",), lambda: 4) == 3
