"""The kept scores: the whole company scored by the rules once per write and as-of date, and the
store's queries over them (statements in scores.sql)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from okrdash import sqlfiles

# pandas only names the frames' type here: DuckDB loads it with the first frame a read returns,
# so a command that never asks for one (okrdash status) starts without it.
if TYPE_CHECKING:
    import pandas as pd

    from okrdash.store.interface import Store

SCORES_SQL = Path(__file__).with_name("scores.sql")
# As-of dates whose scored company stays in memory (a few hundred KB to a few MB each at 30,000 key results).
SCORES_KEPT = 4


@dataclass(frozen=True)
class Scores:
    """The whole company as the rules of rules.sql score it at one as-of date, in each view's order.

    Kept by the store until the next write, so a team, objective or KPI never viewed before is a
    filtered lookup, not another run of the macros over every check-in and measurement. Lookups
    by a column go through that column's row positions (:meth:`rows`), built once per kept
    scoring: one team's rows out of 30,000 without comparing every row's team again.
    """

    key_results: pd.DataFrame  # kr_scores, by team, objective, key_result_id
    objectives: pd.DataFrame   # objective_scores, by team, objective_id
    kpis: pd.DataFrame         # kpi_scores, by team, name
    # Each key result's expected path (kr_scores' expected_path: key_result_id, date, expected), in
    # path order: what the burn-up draws as its expected line.
    expected_lines: pd.DataFrame
    # The store's write version these frames are the data of (-1: not known, e.g. built by hand),
    # and how to read the store's version now: what is derived from them is kept only when the
    # version did not move while it was built, so nothing kept mixes two versions of the data.
    version: int = field(default=-1, compare=False)
    version_now: Callable[[], int] | None = field(default=None, repr=False, compare=False)
    # What is derived from these frames once (row positions per column, read models' extras).
    _kept: dict[object, object] = field(default_factory=dict, repr=False, compare=False)
    _kept_lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def register(self, cur: duckdb.DuckDBPyConnection, prefix: str = "scored") -> None:
        """Let ``cur``'s queries read these scores as tables ``<prefix>_key_results``,
        ``<prefix>_objectives`` and ``<prefix>_kpis``: Arrow tables of the frames, made once per
        kept scoring (registering a frame inspects every column again, 5 ms a table and query)."""
        for name in ("key_results", "objectives", "kpis"):
            cur.register(f"{prefix}_{name}", self.kept(("arrow", name), lambda name=name: _arrow(getattr(self, name))))

    @property
    def current(self) -> bool:
        """Whether the store still holds the data these scores were made from."""
        return self.version_now is None or self.version_now() == self.version

    def kept(self, key: object, build: Callable[[], Any]) -> Any:
        """``build()`` computed once for these scores (freed with them after the next write).

        A build during which a write committed may have read the newer data: it is returned to its
        caller (as any read during a write would be) but not kept under these scores' version."""
        found = self._kept.get(key)
        if found is None:
            with self._kept_lock:
                found = self._kept.get(key)
                if found is None:
                    found = build()
                    if self.current:
                        self._kept[key] = found
        return found

    def frame(self, table: object) -> pd.DataFrame:
        """Frame ``table``: key_results, objectives, kpis, or one kept under that key (:meth:`kept`)."""
        return getattr(self, table) if isinstance(table, str) else self._kept[table]

    def rows(self, table: object, column: str) -> dict[object, Any]:
        """Value of ``column`` -> the positions of its rows in frame ``table`` (ascending: view order)."""
        frame = self.frame(table)
        return self.kept(("rows", table, column),
                         lambda: frame.groupby(column, sort=False, dropna=True).indices if len(frame) else {})

    def lookup(self, table: object, **wanted: object) -> pd.DataFrame:
        """The rows of frame ``table`` whose columns equal every value given that is not None, in
        view order and renumbered (a new frame: a caller that changes it leaves the kept scores alone).
        The first column given narrows by its row positions; the rest compare the rows left."""
        frame = self.frame(table)
        given = {column: value for column, value in wanted.items() if value is not None}
        if not given:
            return frame.reset_index(drop=True)
        column, value = next(iter(given.items()))
        positions = self.rows(table, column).get(value)
        narrowed = frame.iloc[positions if positions is not None else []]
        return _matching(narrowed, **{k: v for k, v in given.items() if k != column})


def _arrow(frame: pd.DataFrame) -> Any:
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def _matching(frame: pd.DataFrame, **wanted: object) -> pd.DataFrame:
    """The rows of ``frame`` whose columns equal every value given that is not None, renumbered
    (a new frame: under copy-on-write a caller that changes it leaves the kept scores alone)."""
    mask = None
    for column, value in wanted.items():
        if value is not None:
            equal = frame[column] == value
            mask = equal if mask is None else mask & equal
    return (frame if mask is None else frame[mask]).reset_index(drop=True)


def score(cur: duckdb.DuckDBPyConnection, as_of: dt.date, version: int = -1,
          version_now: Callable[[], int] | None = None) -> Scores:
    """Run the rules' macros over the whole company at ``as_of``, every key result scored once.

    In one read transaction: the key results, objectives and KPIs are of one snapshot of the data,
    even when a write commits meanwhile."""
    queries = sqlfiles.named_queries(SCORES_SQL)
    cur.begin()
    try:
        cur.execute(queries["score_key_results"], {"as_of": as_of})
        return Scores(cur.execute(queries["key_results"]).df(),
                      cur.execute(queries["objectives"], {"as_of": as_of}).df(),
                      cur.execute(queries["kpis"], {"as_of": as_of}).df(),
                      cur.execute(queries["expected_lines"]).df(), version, version_now)
    finally:
        cur.rollback()  # nothing to keep: the scoring's temp table goes with it


class ScoreKeeper:
    """The last :data:`SCORES_KEPT` scorings of one write version, most recently used last; one
    scoring at a time, so sessions asking for the same new date wait for one result."""

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[int, dt.date], Scores] = OrderedDict()
        self._asked: OrderedDict[dt.date, None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: int, as_of: dt.date, compute: Callable[[], Scores]) -> Scores:
        """The scores of ``as_of`` at write version ``version``: kept, or ``compute()``d and kept
        unless a write committed while they were computed (then :attr:`Scores.current` is False and
        the next call computes them again, of the new version)."""
        key = (version, as_of)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
            scored = compute()
            for stale in [k for k in self._kept if k[0] != version]:
                del self._kept[stale]
            if scored.current:
                self._kept[key] = scored
            while len(self._kept) > SCORES_KEPT:
                self._kept.popitem(last=False)
            self._asked[as_of] = None
            self._asked.move_to_end(as_of)
            while len(self._asked) > SCORES_KEPT:
                self._asked.popitem(last=False)
            return scored

    def asked(self) -> list[dt.date]:
        """The as-of dates scored most recently (at most :data:`SCORES_KEPT`), the latest first:
        the dates worth scoring again after a write, before anyone asks."""
        with self._lock:
            return list(reversed(self._asked))


def _over_scores(store: Store, as_of: dt.date, name: str, **params: object) -> pd.DataFrame:
    """Query ``name`` of scores.sql over the kept scores of ``as_of``."""
    sql = sqlfiles.named_queries(SCORES_SQL)[name]
    scored = store.scores(as_of)
    with store.cursor() as cur:
        scored.register(cur)
        return cur.execute(sql, sqlfiles.parameters(sql, {**params, "as_of": as_of})).df()


def status_counts(store: Store, as_of: dt.date, cycle: str) -> pd.DataFrame:
    """Per team: how many key results and KPIs have each status (aggregated in the engine)."""
    return _over_scores(store, as_of, "status_counts", cycle=cycle)


def needs_attention(store: Store, as_of: dt.date, cycle: str, limit: int = 50, team: str | None = None
                    ) -> pd.DataFrame:
    """Off Track and At Risk key results and KPIs, and stale key results (of one ``team``, or of
    all); biggest gap first."""
    return _over_scores(store, as_of, "needs_attention", cycle=cycle, limit=limit, team=team)
