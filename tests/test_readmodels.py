"""okrdash.readmodels: the alignment tree, the expected line, the filters and kept views of the scores."""

from __future__ import annotations

import pandas as pd

import datetime as dt

from okrdash.readmodels import alignment_tree, expected_line


def objectives(*rows: tuple[int, str, str, str | None]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["objective_id", "team", "title", "parent_title"])


def test_company_objectives_are_roots_with_their_aligned_team_objectives():
    tree = alignment_tree(objectives(
        (1, "Company", "Grow revenue", None),
        (2, "Sales", "Win new accounts", "Grow revenue"),
        (3, "Support", "Delight customers", "Happy customers"),  # its parent is not an objective here
        (4, "Marketing", "Fill the funnel", "Grow revenue"),
        (5, "Ops", "Happy customers", None),                      # named as a parent: a root
        (6, "Ops", "Cut costs", None),                            # neither: unaligned
    ))
    shape = [(root.get("objective_id"), list(children["objective_id"])) for root, children in tree]
    assert shape == [(1, [2, 4]), (5, [3]), (None, [6])]


def test_a_root_is_never_its_own_child_and_an_empty_frame_has_no_tree():
    tree = alignment_tree(objectives((1, "Company", "Grow", "Grow"), (2, "Sales", "Sell", "Grow")))
    assert [(root["objective_id"], list(children["objective_id"])) for root, children in tree] == [(1, [2])]
    assert alignment_tree(objectives()) == []


def _key_result(kind: str, baseline: float | None, target: float, end_point: float) -> dict:
    return {"kind": kind, "baseline": baseline, "target": target, "end_point": end_point,
            "start_date": dt.date(2026, 10, 1), "end_date": dt.date(2026, 12, 31)}


def _path(*points: tuple[dt.date, float]) -> pd.DataFrame:
    return pd.DataFrame(points, columns=["date", "expected"])


def test_expected_line_is_the_rules_path_in_the_key_results_values():
    line = expected_line(_key_result("increase", 0.0, 100.0, 0.7),
                         _path((dt.date(2026, 10, 1), 0.0), (dt.date(2026, 12, 31), 0.7)))
    assert list(line["value"]) == [0.0, 70.0]
    assert list(line["date"]) == [dt.date(2026, 10, 1), dt.date(2026, 12, 31)]
    # A decrease from 48 to 30 minutes planned to reach 44 by the end of November.
    line = expected_line(_key_result("decrease", 48.0, 30.0, 1.0), _path(
        (dt.date(2026, 10, 1), 0.0), (dt.date(2026, 11, 30), 4 / 18), (dt.date(2026, 12, 31), 1.0)))
    assert [round(v, 9) for v in line["value"]] == [48.0, 44.0, 30.0]


def test_expected_line_of_a_bound_is_flat_at_the_bound():
    # "Keep features blocked at 2% or less", first check-in 1.0, aspirational: not a line from 1.0 to 1.7.
    assert list(expected_line(_key_result("at_most", 1.0, 2.0, 0.7), None)["value"]) == [2.0, 2.0]
    assert list(expected_line(_key_result("at_least", None, 80.0, 1.0), None)["value"]) == [80.0, 80.0]


def test_the_team_pages_filters_match_the_scores():
    """The team page's filters (run in readmodels.sql) pick the key results filtering the scores does,
    for every team and owner of the demo company."""
    from okrdash import demo, readmodels
    from okrdash.store import open_store

    store = open_store(":memory:")
    try:
        demo.load_demo(store, demo.DEMO_ANCHOR)
        as_of = demo.DEMO_ANCHOR
        cycle = readmodels.pick_cycle(store, None, as_of)
        for team in store.teams():
            krs = store.kr_scores(as_of, cycle=cycle.name, team=team)

            def matching(*filters, team=team) -> list[int]:
                page = readmodels.team_page(store, team, cycle, as_of, *filters, per_page=1000)
                return list(page.key_results.loc[page.key_results["matches"], "key_result_id"])

            behind = krs[krs["status"].isin(["Off Track", "At Risk"])]
            assert matching(("Off Track", "At Risk")) == list(behind["key_result_id"]), team
            for owner in set(krs["owner"].dropna()):
                assert matching((), owner) == list(krs[krs["owner"] == owner]["key_result_id"]), (team, owner)
            assert matching() == list(krs["key_result_id"]), team
    finally:
        store.close()


def test_records_are_plain_python_values_with_none_for_missing():
    """records() converts per column; each value is what converting it alone gives (_none)."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    from okrdash.readmodels import _none, records

    frame = pd.DataFrame({
        "int": [1, 2], "float": [1.5, np.nan], "text": ["a", None], "day": [dt.date(2026, 1, 1), None],
        "stamp": pd.to_datetime(["2026-01-01", None]), "nullable": pd.array([1, None], dtype="Int64"),
        "flag": [True, False], "values": [[1.0], []], "string": pd.array(["x", None], dtype="string"),
    })
    expected = [{k: _none(v) for k, v in row.items()} for row in frame.to_dict("records")]
    got = records(frame)
    assert got == expected
    assert [[type(v) for v in row.values()] for row in got] == [[type(v) for v in row.values()] for row in expected]
    assert type(got[0]["int"]) is int and got[1]["float"] is None and got[0]["stamp"] == dt.date(2026, 1, 1)
    assert records(frame.iloc[0:0]) == [] and records(frame, ["int"]) == [{"int": 1}, {"int": 2}]


def test_the_kpis_are_built_once_per_scoring_and_every_filter_reads_the_kept_rows(monkeypatch):
    """Every KPI's row with its sparkline values is built by one query over the scores per kept
    scoring; a team's KPIs and any filter read those kept rows, never the scores again."""
    from okrdash import demo, readmodels
    from okrdash.store import open_store
    from okrdash.store.scores import Scores

    store = open_store(":memory:")
    try:
        demo.load_demo(store, demo.DEMO_ANCHOR)
        as_of = demo.DEMO_ANCHOR
        every = readmodels.kpi_table(store, as_of).kpis

        def no_scores_query(*args, **kwargs):
            raise AssertionError("the scores were queried again")

        monkeypatch.setattr(Scores, "register", no_scores_query)
        for team in sorted(set(every["team"])):
            mine = readmodels.kpi_table(store, as_of, team=team).kpis
            assert list(mine["kpi_id"]) == list(every.loc[every["team"] == team, "kpi_id"]), team
        assert readmodels.kpi_table(store, as_of, team="nobody").kpis.empty
    finally:
        monkeypatch.undo()
        store.close()


def test_an_objectives_histories_come_from_one_query_and_equal_each_key_results():
    """objective_view reads every key result's history (check-ins, or its KPI's measurements) in one
    query; each equals the history of that key result read alone."""
    from okrdash import demo, readmodels
    from okrdash.store import open_store

    store = open_store(":memory:")
    try:
        demo.load_demo(store, demo.DEMO_ANCHOR)
        as_of = demo.DEMO_ANCHOR
        krs = store.kr_scores(as_of)
        with_kpi = int(krs[krs["kpi_id"].notna()].iloc[0]["objective_id"])
        for objective_id in {with_kpi, *[int(i) for i in krs["objective_id"].head(6)]}:
            view = readmodels.objective_view(store, objective_id, as_of)
            assert set(view.histories) == set(view.key_results["key_result_id"])
            for kr_id, history in view.histories.items():
                alone = store.checkin_histories([kr_id], as_of)[kr_id]
                assert list(history.columns) == list(alone.columns)
                # Values (None for missing): a column empty for one key result has another dtype alone.
                assert readmodels.records(history.sort_values(["date", "value"])) == readmodels.records(
                    alone.sort_values(["date", "value"])), (objective_id, kr_id)
        assert any(len(h) for h in readmodels.objective_view(store, with_kpi, as_of).histories.values())
        assert readmodels.objective_view(store, -1, as_of) is None
        assert store.checkin_histories([], as_of) == {}
    finally:
        store.close()


def test_the_overview_is_kept_per_scoring_and_each_caller_gets_its_own_frames():
    """The overview is built once per kept scoring and cycle; a caller that changes its frames
    leaves the next caller's overview as it was."""
    from okrdash import demo, readmodels
    from okrdash.store import open_store

    store = open_store(":memory:")
    try:
        demo.load_demo(store, demo.DEMO_ANCHOR)
        as_of = demo.DEMO_ANCHOR
        cycle = readmodels.pick_cycle(store, None, as_of)
        first = readmodels.overview(store, cycle, as_of)
        titles = list(first.objectives["title"])
        first.objectives["title"] = "changed"
        first.objectives.loc[0, "progress"] = -1.0
        first.key_result_counts["On Track"] = -5
        again = readmodels.overview(store, cycle, as_of)
        assert list(again.objectives["title"]) == titles and again.objectives.loc[0, "progress"] != -1.0
        assert again.key_result_counts["On Track"] != -5
        assert again.objectives is not first.objectives
        built = []
        real = readmodels._overview
        try:
            readmodels._overview = lambda *args: built.append(args) or real(*args)
            readmodels.overview(store, cycle, as_of)
            assert built == []  # kept
        finally:
            readmodels._overview = real
    finally:
        store.close()


def test_queries_over_the_kept_scores_read_arrow_tables_made_once_per_scoring():
    """Registering a DataFrame with DuckDB inspects every column again (5 ms a table and query, three
    tables a team page query): the kept scores register Arrow tables made once, and their queries
    find the rows the frames hold."""
    import pyarrow as pa

    from okrdash import demo
    from okrdash.store import open_store

    class Cursor:
        def __init__(self):
            self.registered = {}

        def register(self, name, table):
            self.registered[name] = table

    store = open_store(":memory:")
    try:
        demo.load_demo(store, demo.DEMO_ANCHOR)
        scored = store.scores(demo.DEMO_ANCHOR)
        first, second = Cursor(), Cursor()
        scored.register(first)
        scored.register(second, prefix="previous")
        assert all(isinstance(table, pa.Table) for table in first.registered.values())
        assert [id(t) for t in first.registered.values()] == [id(t) for t in second.registered.values()]
        assert first.registered["scored_key_results"].num_rows == len(scored.key_results)
    finally:
        store.close()


def test_the_last_check_ins_of_a_page_are_each_key_results_last_up_to_the_date_in_one_query():
    """Issue 27: readmodels.with_last_checkins gives a check-in form the last check-in of each key result
    (the last row of its history up to the date shown; none for one without a check-in or that follows
    a KPI), for all of a page's key results at once."""
    from okrdash import demo, readmodels
    from okrdash.store import open_store

    store = open_store(":memory:")
    try:
        demo.load_demo(store, demo.DEMO_ANCHOR)
        as_of = demo.DEMO_ANCHOR - dt.timedelta(days=20)  # an earlier day: later check-ins are not its last
        rows = readmodels.with_last_checkins(store, readmodels.records(store.kr_scores(as_of)), as_of)
        histories = store.checkin_histories([kr["key_result_id"] for kr in rows], as_of)
        assert any(kr["last_checkin_row"] for kr in rows) and any(kr["last_checkin_row"] is None for kr in rows)
        for kr in rows:
            history = histories[kr["key_result_id"]]
            if kr["kpi_id"] is not None or history.empty:
                assert kr["last_checkin_row"] is None, kr["title"]
            else:
                assert kr["last_checkin_row"] == readmodels.records(history.tail(1), ["date", "value", "note"])[0]
        assert store.last_checkins([], as_of) == {}
    finally:
        store.close()
