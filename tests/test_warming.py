"""The warmer (okrdash/warming.py) scores a new write version before any view asks, on both stores,
and nothing a view is served mixes two versions of the data while writes and the warmer run at once."""

from __future__ import annotations

import threading

import pytest

from okrdash import demo, readmodels, reminders, warming
from okrdash.store import scores as scores_module
from okrdash.i18n import LANGUAGES
from okrdash.views import overview as overview_view
from okrdash.views import review as review_view
from okrdash.views.common import Scope
from okrdash.viewstate import HomeState

pytestmark = pytest.mark.both_backends

AS_OF = demo.DEMO_ANCHOR
WAIT = 120.0  # seconds a warm-up may take on a loaded machine before the test says it never came


@pytest.fixture
def demo_store(store):
    demo.load_demo(store, anchor=AS_OF)
    return store


@pytest.fixture
def warmer(demo_store):
    running = warming.Warmer(demo_store, today=lambda: AS_OF, poll_seconds=0.05).start()
    yield running
    running.stop()


def checkin(row: dict, value: float) -> tuple[str, str]:
    return ("checkins.csv", "team,key_result,cycle,date,value\n"
                            f"{row['team']},{row['title']},{row['cycle']},{AS_OF.isoformat()},{value}\n")


def test_after_a_write_the_next_views_find_the_new_version_scored_and_kept(demo_store, warmer, load, monkeypatch):
    assert warmer.wait_warm(WAIT)
    cycle = readmodels.pick_cycle(demo_store, None, AS_OF)
    row = demo_store.kr_scores(AS_OF, cycle=cycle.name).dropna(subset=["current"]).iloc[0].to_dict()
    new_value = float(row["current"]) + 987.0
    load(checkin(row, new_value))
    warming.poke()
    assert warmer.wait_warm(WAIT)
    scored: list[object] = []
    real_score = scores_module.score

    def counting_score(cur, as_of, *args):
        scored.append(as_of)
        return real_score(cur, as_of, *args)

    monkeypatch.setattr(scores_module, "score", counting_score)
    kept = demo_store.scores(AS_OF)
    for name, read in {
        "overview": lambda: readmodels.overview(demo_store, cycle, AS_OF),
        **{f"overview's view ({lang})": lambda lang=lang: overview_view.view(demo_store, HomeState(),
                                                                             Scope(lang, cycle, AS_OF))
           for lang in LANGUAGES},
        "review": lambda: review_view.quarter_review(demo_store, cycle, AS_OF, None),
        "week": lambda: reminders.week_checkins(demo_store, AS_OF),
        "teams": lambda: readmodels.teams(demo_store, AS_OF),
    }.items():
        before = dict(kept._kept)
        read()
        assert dict(kept._kept).keys() == before.keys(), f"{name} was not warmed"
    team = readmodels.team_page(demo_store, row["team"], cycle, AS_OF, per_page=1000)
    assert float(team.key_results.set_index("key_result_id").loc[row["key_result_id"], "current"]) == new_value
    assert scored == [], f"a view scored {scored} itself"


def test_an_undo_is_warmed_like_any_write(demo_store, warmer, load):
    cycle = readmodels.pick_cycle(demo_store, None, AS_OF)
    row = demo_store.kr_scores(AS_OF, cycle=cycle.name).dropna(subset=["current"]).iloc[0].to_dict()
    result = load(checkin(row, float(row["current"]) + 11.0))
    assert warmer.wait_warm(WAIT)
    from okrdash.access import admin_writer

    demo_store.undo(result.written[0].batch_id, admin_writer("lead"))
    assert warmer.wait_warm(WAIT)
    week = {kr.key_result_id: kr.current for kr in reminders.week_checkins(demo_store, AS_OF)}
    scored = demo_store.kr_scores(AS_OF).set_index("key_result_id")
    assert float(scored.loc[row["key_result_id"], "current"]) == float(row["current"])
    if row["key_result_id"] in week:
        assert week[row["key_result_id"]] == float(row["current"])


def test_no_kept_view_mixes_two_versions_while_writes_and_the_warmer_run(demo_store, warmer, load):
    """A writer sets one key result's check-in and one KPI's measurement to the same number in one
    write, again and again; sessions and the warmer read at once. Every kept scoring, and the week's
    check-ins kept with it, hold one number for both: never one write's key result beside another's KPI."""
    cycle = readmodels.pick_cycle(demo_store, None, AS_OF)
    row = demo_store.kr_scores(AS_OF, cycle=cycle.name).query("kpi_id.isna()").dropna(subset=["current"]).iloc[0]
    kpi = demo_store.kpi_scores(AS_OF).iloc[0]
    done = threading.Event()
    problems: list[str] = []

    def both(value: int) -> None:
        load(checkin(row.to_dict(), float(value)),
             ("kpis.csv", f"team,kpi,date,value\n{kpi['team']},{kpi['name']},{AS_OF.isoformat()},{value}\n"))
        warming.poke()

    def write() -> None:
        try:
            for value in range(1, 16):
                both(value)
        finally:
            done.set()

    both(100)  # from here on, every version holds one number for both

    def read() -> None:
        while not done.is_set():
            scored = demo_store.scores(AS_OF)
            readmodels.overview(demo_store, cycle, AS_OF)
            reminders.week_checkins(demo_store, AS_OF)
            krs = float(scored.key_results.set_index("key_result_id").loc[row["key_result_id"], "current"])
            kpis = float(scored.kpis.set_index("kpi_id").loc[kpi["kpi_id"], "value"])
            if krs != kpis:
                problems.append(f"scores of version {scored.version}: key result {krs}, KPI {kpis}")
            week = scored._kept.get(("week_checkins",))
            if week is not None:
                mine = [kr.current for kr in week if kr.key_result_id == row["key_result_id"]]
                if mine and mine[0] != krs:
                    problems.append(f"week's check-ins {mine[0]} kept with scores of {krs}")

    readers = [threading.Thread(target=read) for _ in range(3)]
    writer = threading.Thread(target=write)
    for thread in [*readers, writer]:
        thread.start()
    for thread in [writer, *readers]:
        thread.join()
    assert not problems, problems[:5]
    assert warmer.wait_warm(WAIT)
    final = demo_store.scores(AS_OF)
    assert float(final.key_results.set_index("key_result_id").loc[row["key_result_id"], "current"]) == 15.0
    assert float(final.kpis.set_index("kpi_id").loc[kpi["kpi_id"], "value"]) == 15.0


def test_the_explainers_worked_cases_are_scored_before_the_first_visit(demo_store):
    """The explainer's cases as a link opens them (their starting numbers), in both languages, are
    scored in the sandbox by the warmer: the first visit after a start finds them kept."""
    from okrdash.i18n import LANGUAGES
    from okrdash.views import explainer
    from okrdash.views.common import Words

    for kept in (explainer._kpi_cases, explainer._kr_cases):
        kept.cache_clear()
    running = warming.Warmer(demo_store, today=lambda: AS_OF, poll_seconds=0.05).start()
    try:
        assert running.wait_warm(WAIT)
        misses = [kept.cache_info().misses for kept in (explainer._kpi_cases, explainer._kr_cases)]
        for lang in LANGUAGES:
            explainer.worked_cases(Words(lang), explainer.CASE_INPUTS)
        assert [kept.cache_info().misses for kept in (explainer._kpi_cases, explainer._kr_cases)] == misses
    finally:
        running.stop()


def test_a_teams_an_objectives_and_a_kpis_first_lookups_find_their_rows_kept(demo_store, warmer):
    """What the team, objective and KPI pages look up first after a start (a team's key results,
    objectives and KPIs, an objective's key results and expected lines, the coach's titles) builds
    nothing of its own: the warmer made the row positions and titles they go through."""
    from okrdash import coach

    assert warmer.wait_warm(WAIT)
    cycle = readmodels.pick_cycle(demo_store, None, AS_OF)
    kept = demo_store.scores(AS_OF)
    row = kept.key_results.iloc[0]
    before = dict(kept._kept)
    demo_store.kr_scores(AS_OF, cycle=cycle.name, team=row["team"])
    demo_store.objective_scores(AS_OF, cycle=cycle.name, team=row["team"])
    demo_store.kpi_scores(AS_OF, team=row["team"])
    demo_store.kr_scores(AS_OF, objective_id=int(row["objective_id"]))
    kept.lookup("objectives", objective_id=int(row["objective_id"]))
    kept.lookup("expected_lines", key_result_id=int(row["key_result_id"]))
    coach.check_store(demo_store, AS_OF, cycle=cycle.name, team=row["team"])
    assert set(kept._kept) - set(before) == set(), "a first view built these itself"


def test_what_the_warmer_keeps_is_left_out_of_the_collections_a_view_sets_off(demo_store, warmer, load):
    """After a warm-up (at a start and after a write) the warmer collects the garbage itself and
    freezes what is alive: a view's allocations then never set off a walk over the kept scores."""
    import gc

    def tracked() -> set[int]:
        return {id(found) for generation in range(3) for found in gc.get_objects(generation)}

    assert warmer.wait_warm(WAIT)
    assert id(demo_store.scores(AS_OF)._kept) not in tracked()
    cycle = readmodels.pick_cycle(demo_store, None, AS_OF)
    row = demo_store.kr_scores(AS_OF, cycle=cycle.name).dropna(subset=["current"]).iloc[0].to_dict()
    load(checkin(row, float(row["current"]) + 3.0))
    warming.poke()
    assert warmer.wait_warm(WAIT)
    assert id(demo_store.scores(AS_OF)._kept) not in tracked()
