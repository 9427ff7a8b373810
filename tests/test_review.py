"""The quarter review (okrdash/review.py) on two small cycles imported through the real importer."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pandas as pd
import pytest

from okrdash import review
from okrdash.settings import Settings
from okrdash.store import open_store

HEADER = "cycle,start_date,end_date,team,objective,objective_type,key_result,baseline,target,current,date\n"
Q1 = "2026-Q1,2026-01-01,2026-03-31"
Q2 = "2026-Q2,2026-04-01,2026-06-30"
# Q1: Alpha's committed objective reached 1.0 and its aspirational one 0.5; Beta was not there yet.
# Q2: Alpha's committed objective stops at 0.6 (missed: a postmortem), its only aspirational one scores
# 1.0 (every aspirational objective at 1.0: raise the ambition); Beta's committed objective has no
# check-in at all (not graded, and missed).
OKRS = HEADER + "\n".join([
    f"{Q1},Alpha,Ship v1,committed,v1 features,0,10,10,2026-03-20",
    f"{Q1},Alpha,Win the market,aspirational,signups,0,100,50,2026-03-20",
    f"{Q2},Alpha,Ship v2,committed,v2 features,0,10,6,2026-06-20",
    f"{Q2},Alpha,Ship v2,committed,v2 docs,0,10,6,2026-06-20",
    f"{Q2},Alpha,Grow usage,aspirational,weekly users,0,100,100,2026-06-20",
    f"{Q2},Beta,Hire a team,committed,hires,0,5,,",
]) + "\n"
AFTER_Q2 = dt.date(2026, 7, 15)


@pytest.fixture
def cycles(store, load):
    load(("okrs.csv", OKRS))
    q1, q2 = store.cycles()
    return q1, q2


def test_review_counts_grades_and_names_the_objectives_to_talk_about(store, cycles):
    q1, q2 = cycles
    result = review.review(store, q2, AFTER_Q2)

    assert result.previous == q1
    assert result.graded_on == q2.end_date and result.is_final
    teams = result.teams.set_index("team")
    assert teams.loc["Alpha", "objective_count"] == 2 and teams.loc["Alpha", "key_result_count"] == 3
    assert teams.loc["Beta", "objective_count"] == 1 and teams.loc["Beta", "key_result_count"] == 1
    # Alpha: (0.6 + 1.0) / 2 now against (1.0 + 0.5) / 2 in Q1; Beta had no Q1 and has no grade.
    assert teams.loc["Alpha", "mean_grade"] == pytest.approx(0.8)
    assert teams.loc["Alpha", "previous_mean_grade"] == pytest.approx(0.75)
    assert teams.loc["Alpha", "change"] == pytest.approx(0.05)
    assert teams["previous_mean_grade"].isna()["Beta"] and teams["change"].isna()["Beta"]

    grades = dict(zip(result.objectives["title"], result.objectives["grade"]))
    assert grades["Ship v2"] == pytest.approx(0.6) and grades["Grow usage"] == pytest.approx(1.0)
    bands = dict(zip(result.objectives["title"], result.objectives["band"]))
    assert bands == {"Ship v2": "missed", "Grow usage": "green", "Hire a team": "missed"}
    assert result.distribution["objective"] == {"met": 0, "missed": 2, "green": 1, "yellow": 0, "red": 0, None: 0}
    assert result.distribution["key_result"] == {"met": 0, "missed": 3, "green": 1, "yellow": 0, "red": 0, None: 0}

    assert sorted(result.needs_postmortem["title"]) == ["Hire a team", "Ship v2"]
    assert list(result.raise_ambition["team"]) == ["Alpha"]
    assert teams.loc["Alpha", "aspirational_mean_grade"] == 1.0
    assert teams.loc["Alpha", "previous_aspirational_mean_grade"] == pytest.approx(0.5)
    assert pd.isna(teams.loc["Beta", "aspirational_mean_grade"]) and not teams.loc["Beta", "raise_ambition"]
    kr_grades = dict(zip(result.key_results["title"], result.key_results["grade"]))
    assert kr_grades["v2 docs"] == pytest.approx(0.6) and kr_grades["weekly users"] == pytest.approx(1.0)


def test_review_of_one_team_is_filtered_in_every_part(store, cycles):
    _, q2 = cycles
    result = review.review(store, q2, AFTER_Q2, team="Beta")

    assert list(result.teams["team"]) == ["Beta"]
    assert list(result.objectives["title"]) == ["Hire a team"]
    assert list(result.key_results["title"]) == ["hires"]
    assert result.distribution["objective"] == {"met": 0, "missed": 1, "green": 0, "yellow": 0, "red": 0, None: 0}
    assert review.cycle_teams(store, q2) == ["Alpha", "Beta"]


def test_first_cycle_has_no_previous_and_a_running_cycle_is_graded_so_far(store, cycles):
    q1, q2 = cycles
    first = review.review(store, q1, AFTER_Q2)
    assert first.previous is None
    assert first.teams["previous_mean_grade"].isna().all()
    # Q1 over: graded on its last day, whatever came later.
    assert first.graded_on == q1.end_date
    assert dict(zip(first.objectives["title"], first.objectives["grade"])) == {"Ship v1": 1.0, "Win the market": 0.5}

    running = review.review(store, q2, dt.date(2026, 5, 1))
    assert running.graded_on == dt.date(2026, 5, 1) and not running.is_final
    # No Q2 check-in is dated before May: nothing graded yet (a commitment not met so far reads missed).
    assert running.distribution["objective"] == {"met": 0, "missed": 2, "green": 0, "yellow": 0, "red": 0, None: 1}
    assert running.raise_ambition.empty



# Ambition is judged on a team's aspirational average (issue 26). Each team's objectives, graded on the
# cycle's last day; key results run 0 -> 10, so a value of 8 is a grade of 0.8.
AMBITION = HEADER + "\n".join(
    f"{Q2},{team},{objective},{kind},{objective} result,0,10,{value},2026-06-20"
    for team, objective, kind, value in [
        ("Steady", "Win the market", "aspirational", 10),       # one success at 1.0 ...
        ("Steady", "Open a second city", "aspirational", 5),    # ... in a team averaging 0.75: no flag
        ("Sure", "Grow usage", "aspirational", 10),             # every aspirational objective at 1.0
        ("Sure", "Grow revenue", "aspirational", 10),
        ("High", "Grow usage", "aspirational", 10),             # averaging 0.9: raise the ambition
        ("High", "Grow revenue", "aspirational", 8),
        ("Promise", "Ship v2", "committed", 10),                # commitments met do not count ...
        ("Promise", "Ship docs", "committed", 10),
        ("Promise", "Grow usage", "aspirational", 6),           # ... the aspirational average is 0.6
    ]) + "\n"


def test_ambition_is_judged_on_a_teams_aspirational_average_never_on_one_objective(store, load):
    load(("okrs.csv", AMBITION))
    [q2] = store.cycles()
    result = review.review(store, q2, AFTER_Q2)
    teams = result.teams.set_index("team")
    assert dict(teams["aspirational_mean_grade"]) == pytest.approx(
        {"High": 0.9, "Promise": 0.6, "Steady": 0.75, "Sure": 1.0})
    assert dict(teams["raise_ambition"]) == {"High": True, "Promise": False, "Steady": False, "Sure": True}
    assert list(result.raise_ambition["team"]) == ["High", "Sure"]
    # An objective carries no ambition flag of its own: Steady's 1.0 is a success.
    steady = result.objectives[result.objectives["team"] == "Steady"].set_index("title")
    assert (steady.loc["Win the market", "band"], steady.loc["Win the market", "postmortem"]) == ("green", False)


def test_the_ambition_bar_is_a_setting(load):
    lower = open_store(":memory:", Settings(raise_ambition_mean_grade=0.75))
    try:
        load(("okrs.csv", AMBITION), into=lower)
        [q2] = lower.cycles()
        flagged = review.review(lower, q2, AFTER_Q2).raise_ambition
        assert list(flagged["team"]) == ["High", "Steady", "Sure"]
    finally:
        lower.close()


def test_the_review_document_names_objectives_and_teams_never_a_person(store, cycles):
    _, q2 = cycles
    document = review.review(store, q2, AFTER_Q2).document()
    assert (document["cycle"], document["graded_on"], document["final"], document["team"]) == (
        "2026-Q2", "2026-06-30", True, None)
    assert document["objectives"] == [
        {"team": "Alpha", "title": "Grow usage", "type": "aspirational", "grade": 1.0, "band": "green", "flags": []},
        {"team": "Alpha", "title": "Ship v2", "type": "committed", "grade": 0.6, "band": "missed",
         "flags": ["postmortem"]},
        {"team": "Beta", "title": "Hire a team", "type": "committed", "grade": None, "band": "missed",
         "flags": ["postmortem"]},
    ]
    assert document["teams"] == [
        {"team": "Alpha", "mean_grade": 0.8, "aspirational_mean_grade": 1.0, "flags": ["raise_ambition"]},
        {"team": "Beta", "mean_grade": None, "aspirational_mean_grade": None, "flags": []},
    ]
    assert "owner" not in str(document)


class _Recording:
    """A cursor that remembers the SQL it runs."""

    def __init__(self, cursor, executed: list[str]):
        self._cursor, self._executed = cursor, executed

    def execute(self, sql, *args, **kwargs):
        self._executed.append(sql)
        return self._cursor.execute(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


def test_review_reads_the_kept_scores_and_runs_no_rule_itself(store, cycles, monkeypatch):
    q1, q2 = cycles
    expected = review.review(store, q2, AFTER_Q2)  # also keeps the scores of both grading days
    executed: list[str] = []
    real_cursor = store.cursor

    @contextmanager
    def recording():
        with real_cursor() as cursor:
            yield _Recording(cursor, executed)

    monkeypatch.setattr(store, "cursor", recording)
    again = review.review(store, q2, AFTER_Q2)
    assert executed, "the review reads nothing"
    assert not [sql for sql in executed if "kr_scores(" in sql or "objective_scores(" in sql]
    pd.testing.assert_frame_equal(again.objectives, expected.objectives)
    pd.testing.assert_frame_equal(again.teams, expected.teams)
    assert again.distribution == expected.distribution
