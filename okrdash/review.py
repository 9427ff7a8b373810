"""The quarter review of one cycle: grades, their distribution, the objectives to talk about, and the
change against the previous cycle per team. Read from the store's kept scores (``Store.scores``, the
rules of rules.sql run once per write and date) through review.sql; no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from okrdash import sqlfiles
from okrdash.models import Cycle
from okrdash.store import Scores, Store

REVIEW_SQL = Path(__file__).with_name("review.sql")
# The grade bands of okr_grade_band in rules.sql, best first; None is "not graded" (no data).
GRADE_BANDS: tuple[str | None, ...] = ("green", "yellow", "red", None)
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
    teams: pd.DataFrame            # team, objective_count, key_result_count, mean_grade, previous_mean_grade, change
    objectives: pd.DataFrame       # objective_id, team, title, owner, objective_type, grade, grade_band, review_flag ...
    key_results: pd.DataFrame      # key_result_id, objective_id, team, objective, title, grade, grade_band ...
    distribution: dict[str, dict[str | None, int]]   # subject -> band -> count, every band present

    @property
    def is_final(self) -> bool:
        """True once the cycle is over: the grades are final, not grades so far."""
        return self.graded_on >= self.cycle.end_date

    @property
    def is_empty(self) -> bool:
        return self.objectives.empty

    @property
    def needs_postmortem(self) -> pd.DataFrame:
        """Committed objectives that did not reach 1.0."""
        return self.objectives[self.objectives["review_flag"] == "needs_postmortem"].reset_index(drop=True)

    @property
    def not_ambitious(self) -> pd.DataFrame:
        """Aspirational objectives that scored 1.0."""
        return self.objectives[self.objectives["review_flag"] == "not_ambitious"].reset_index(drop=True)


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
        by_band = {None if pd.isna(band) else band: int(n) for band, n in zip(rows["grade_band"], rows["count"])}
        distribution[subject] = {band: by_band.get(band, 0) for band in GRADE_BANDS}
    return Review(
        cycle=cycle, previous=previous, graded_on=on, team=team,
        teams=teams, objectives=objectives, key_results=key_results,
        distribution=distribution,
    )
