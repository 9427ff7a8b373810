"""The quarter review of one cycle: grades read by type, their distribution, the objectives and teams
to talk about, and the change against the previous cycle per team. Read from the store's kept scores
(``Store.scores``, the rules of rules.sql run once per write and date) through review.sql; no
Streamlit. The page draws a :class:`Review`; ``okrdash review`` prints it, or its :meth:`Review.document`
as JSON. Grades are given per objective, key result and team, never per person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from okrdash import sqlfiles
from okrdash.models import Cycle
from okrdash.readmodels import records
from okrdash.store import Scores, Store

REVIEW_SQL = Path(__file__).with_name("review.sql")
# The bands of okr_band in rules.sql: a committed objective's, then an aspirational one's best first;
# None is "not graded" (an aspirational objective with no data).
GRADE_BANDS: tuple[str | None, ...] = ("met", "missed", "green", "yellow", "red", None)
# The review's flags, each a boolean column of the rows it flags: an objective's (objective_scores in
# rules.sql) and a team's (okr_raise_ambition, in review.sql's teams).
OBJECTIVE_FLAGS: tuple[str, ...] = ("postmortem",)
TEAM_FLAGS: tuple[str, ...] = ("raise_ambition",)
# Rows of each table the review page sends a browser (a large company grades 15,000 key results); each
# table's download holds every row.
REVIEW_ROWS = 100


def _run(store: Store, name: str, **params: object) -> pd.DataFrame:
    sql = sqlfiles.named_queries(REVIEW_SQL)[name]
    used = sqlfiles.parameters(sql, params)
    with store.cursor() as cur:
        return cur.execute(sql, used).df()


def _run_scored(store: Store, names: tuple[str, ...], graded: Scores, previous: Scores | None,
                **params: object) -> list[pd.DataFrame]:
    """The queries ``names`` over the store's kept scores (registered under the names review.sql reads)."""
    with store.cursor() as cur:
        graded.register(cur)
        (previous or graded).register(cur, prefix="previous")
        frames = []
        for name in names:
            sql = sqlfiles.named_queries(REVIEW_SQL)[name]
            used = sqlfiles.parameters(sql, params)
            frames.append(cur.execute(sql, used).df())
        return frames


def previous_cycle(cycles: list[Cycle], cycle: Cycle) -> Cycle | None:
    """The cycle that started last before ``cycle`` did (cycles come ordered by start date)."""
    earlier = [c for c in cycles if c.start_date < cycle.start_date]
    return earlier[-1] if earlier else None


def graded_on(cycle: Cycle, as_of: dt.date) -> dt.date:
    """The day a review grades a cycle on: its last day once it is over, else ``as_of`` (grades so far)."""
    return min(as_of, cycle.end_date)


@dataclass(frozen=True)
class Review:
    cycle: Cycle
    previous: Cycle | None
    graded_on: dt.date
    team: str | None
    # team, objective_count, key_result_count, mean_grade, previous_mean_grade, change, aspirational_count,
    # aspirational_mean_grade, previous_aspirational_mean_grade, raise_ambition
    teams: pd.DataFrame
    # objective_id, team, title, owner, objective_type, grade, grade_band, band, postmortem, status ...
    objectives: pd.DataFrame
    # key_result_id, objective_id, team, objective, objective_type, title, grade, grade_band, band ...
    key_results: pd.DataFrame
    distribution: dict[str, dict[str | None, int]]   # subject -> band (GRADE_BANDS) -> count, every band present

    @property
    def is_final(self) -> bool:
        """True once the cycle is over: the grades are final, not grades so far."""
        return self.graded_on >= self.cycle.end_date

    @property
    def is_empty(self) -> bool:
        return self.objectives.empty

    @property
    def needs_postmortem(self) -> pd.DataFrame:
        """Committed objectives that were missed (graded below 1.0, or not graded at all)."""
        return self.objectives[self.objectives["postmortem"]].reset_index(drop=True)

    @property
    def raise_ambition(self) -> pd.DataFrame:
        """Teams whose aspirational objectives average so high that their goals were not ambitious enough."""
        return self.teams[self.teams["raise_ambition"]].reset_index(drop=True)

    def document(self) -> dict[str, Any]:
        """The review as ``okrdash review --json`` prints it: every objective with its team, title, type,
        grade, band and flags, and every team with its mean grade and flags; no person is named."""
        objectives = [
            {"team": row["team"], "title": row["title"], "type": row["objective_type"], "grade": row["grade"],
             "band": row["band"], "flags": [flag for flag in OBJECTIVE_FLAGS if row[flag]]}
            for row in records(self.objectives)]
        teams = [
            {"team": row["team"], "mean_grade": _mean(row["mean_grade"]),
             "aspirational_mean_grade": _mean(row["aspirational_mean_grade"]),
             "flags": [flag for flag in TEAM_FLAGS if row[flag]]}
            for row in records(self.teams)]
        return {"cycle": self.cycle.name, "graded_on": self.graded_on.isoformat(), "final": self.is_final,
                "team": self.team, "objectives": objectives, "teams": teams}


def _mean(value: float | None) -> float | None:
    """A mean of grades to two decimals, as the review shows it (0.37, not 0.36666666666666664)."""
    return None if value is None else round(value, 2)


def cycle_teams(store: Store, cycle: Cycle) -> list[str]:
    """The teams with an objective in ``cycle`` (what the review can be filtered to)."""
    return _run(store, "cycle_teams", cycle=cycle.name)["team"].tolist()


def review(store: Store, cycle: Cycle, as_of: dt.date, team: str | None = None) -> Review:
    """The review of ``cycle`` (of one team, or of every team) as graded on ``graded_on(cycle, as_of)``."""
    previous = previous_cycle(store.cycles(), cycle)
    on = graded_on(cycle, as_of)
    # The whole company's kept scores at the grading day (Store.scores: once per write and date, shared
    # with every other view of that day), and the previous cycle's at its own grading day.
    previous_on = graded_on(previous, as_of) if previous else on
    graded = store.scores(on)
    earlier = store.scores(previous_on) if previous else None
    counts, teams, objectives, key_results = _run_scored(
        store, ("distribution", "teams", "objectives", "key_results"), graded, earlier,
        cycle=cycle.name, team=team, previous_cycle=previous.name if previous else None)
    distribution: dict[str, dict[str | None, int]] = {}
    for subject in ("objective", "key_result"):
        rows = counts[counts["subject"] == subject]
        by_band = {None if pd.isna(band) else band: int(n) for band, n in zip(rows["band"], rows["count"])}
        distribution[subject] = {band: by_band.get(band, 0) for band in GRADE_BANDS}
    return Review(
        cycle=cycle, previous=previous, graded_on=on, team=team,
        teams=teams, objectives=objectives, key_results=key_results,
        distribution=distribution,
    )
