"""The DuckDB store: connection, schema and migrations, and every SQL statement okrdash runs.

One ``Store`` per process holds one DuckDB connection; every call takes its own cursor, so
Streamlit's session threads never share a result set (DuckDB 2.0 ties a result to the
connection until it is fully fetched). Values always travel as parameters or as registered
Arrow/pandas tables, never inside the SQL text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from okrdash.access import Access, Role
from okrdash.i18n import translate
from okrdash.models import Batch, Cycle, FileKind
from okrdash.settings import Settings, settings as default_settings

SCHEMA_VERSION = 3

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE SEQUENCE batch_ids START 1;
    CREATE SEQUENCE objective_ids START 1;
    CREATE SEQUENCE key_result_ids START 1;
    CREATE SEQUENCE kpi_ids START 1;
    CREATE TABLE batches (
        id INTEGER PRIMARY KEY DEFAULT nextval('batch_ids'),
        imported_at TIMESTAMP NOT NULL,
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        inserted INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        imported_by VARCHAR
    );
    CREATE TABLE cycles (
        name VARCHAR PRIMARY KEY,
        start_date DATE NOT NULL,
        end_date DATE NOT NULL
    );
    CREATE TABLE objectives (
        id INTEGER PRIMARY KEY DEFAULT nextval('objective_ids'),
        cycle VARCHAR NOT NULL,
        team VARCHAR NOT NULL,
        title VARCHAR NOT NULL,
        owner VARCHAR,
        type VARCHAR NOT NULL,
        parent_title VARCHAR,
        batch_id INTEGER,
        UNIQUE (cycle, team, title)
    );
    CREATE TABLE key_results (
        id INTEGER PRIMARY KEY DEFAULT nextval('key_result_ids'),
        objective_id INTEGER NOT NULL,
        title VARCHAR NOT NULL,
        owner VARCHAR,
        kind VARCHAR NOT NULL,
        baseline DOUBLE,
        target DOUBLE,
        unit VARCHAR,
        weight DOUBLE NOT NULL,
        kpi_id INTEGER,
        batch_id INTEGER,
        UNIQUE (objective_id, title)
    );
    CREATE TABLE checkins (
        key_result_id INTEGER NOT NULL,
        date DATE NOT NULL,
        value DOUBLE NOT NULL,
        confidence DOUBLE,
        note VARCHAR,
        batch_id INTEGER,
        PRIMARY KEY (key_result_id, date)
    );
    CREATE TABLE kpis (
        id INTEGER PRIMARY KEY DEFAULT nextval('kpi_ids'),
        team VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        unit VARCHAR,
        direction VARCHAR NOT NULL,
        target DOUBLE,
        min_value DOUBLE,
        max_value DOUBLE,
        tolerance DOUBLE,
        tolerance_is_share BOOLEAN NOT NULL,
        frequency VARCHAR NOT NULL,
        kpi_type VARCHAR NOT NULL,
        indicator VARCHAR NOT NULL,
        category VARCHAR,
        owner VARCHAR,
        batch_id INTEGER,
        UNIQUE (team, name)
    );
    CREATE TABLE kpi_measurements (
        kpi_id INTEGER NOT NULL,
        date DATE NOT NULL,
        value DOUBLE NOT NULL,
        target DOUBLE,
        batch_id INTEGER,
        PRIMARY KEY (kpi_id, date)
    );
    """,
    # Undo: the version of every row an import replaced, and who undid which batch.
    2: """
    ALTER TABLE batches ADD COLUMN undone_at TIMESTAMP;
    ALTER TABLE batches ADD COLUMN undone_by VARCHAR;
    ALTER TABLE cycles ADD COLUMN batch_id INTEGER;
    CREATE TABLE objectives_prior AS SELECT *, 0::INTEGER AS replaced_by FROM objectives LIMIT 0;
    CREATE TABLE key_results_prior AS SELECT *, 0::INTEGER AS replaced_by FROM key_results LIMIT 0;
    CREATE TABLE checkins_prior AS SELECT *, 0::INTEGER AS replaced_by FROM checkins LIMIT 0;
    CREATE TABLE kpis_prior AS SELECT *, 0::INTEGER AS replaced_by FROM kpis LIMIT 0;
    CREATE TABLE kpi_measurements_prior AS SELECT *, 0::INTEGER AS replaced_by FROM kpi_measurements LIMIT 0;
    """,
    # Browser check-ins: two on one key result and day are both kept (``seq`` orders them; a file's
    # row is seq 0, so re-importing a file still updates its own check-in). Key results get the
    # day they are measured from (NULL: the cycle's start).
    3: """
    CREATE TABLE checkins_v3 (
        key_result_id INTEGER NOT NULL,
        date DATE NOT NULL,
        value DOUBLE NOT NULL,
        confidence DOUBLE,
        note VARCHAR,
        batch_id INTEGER,
        seq INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (key_result_id, date, seq)
    );
    INSERT INTO checkins_v3 BY NAME SELECT * FROM checkins;
    DROP TABLE checkins;
    ALTER TABLE checkins_v3 RENAME TO checkins;
    ALTER TABLE checkins_prior ADD COLUMN seq INTEGER DEFAULT 0;
    ALTER TABLE key_results ADD COLUMN start_date DATE;
    ALTER TABLE key_results_prior ADD COLUMN start_date DATE;
    """,
}

# Tables whose rows imports write, parents before children.
VERSIONED_TABLES = ("kpis", "kpi_measurements", "objectives", "key_results", "checkins")

DATA_TABLES = ("batches", "cycles", "objectives", "key_results", "checkins", "kpis", "kpi_measurements",
               *(f"{t}_prior" for t in VERSIONED_TABLES))
RULES_SQL = Path(__file__).with_name("rules.sql")
# As-of dates whose scored company stays in memory (a few hundred KB to a few MB each at 30,000 key results).
SCORES_KEPT = 4


@dataclass
class FileChanges:
    """What one validated file writes, as natural-key rows (ids are resolved by the store).

    Every frame is optional; its columns are those the matching ``_upsert_*`` method reads. Fact
    rows from a file of them come as Arrow tables: DuckDB reads those without a copy, where a
    pandas frame of millions of rows costs seconds to build.
    """

    file_name: str
    sha256: str
    kind: FileKind
    cycles: pd.DataFrame | None = None
    objectives: pd.DataFrame | None = None
    key_results: pd.DataFrame | None = None
    checkins: pa.Table | pd.DataFrame | None = None
    kpis: pd.DataFrame | None = None
    measurements: pa.Table | None = None
    # Check-ins from the browser are added beside one stored for the same key result and day
    # (two people at once); a file's row replaces its own earlier version.
    keep_same_day: bool = False
    # What a file cannot say, from the browser's OKR editor: objectives and key results removed
    # (columns subject, cycle, team, objective, key_result) and renamed or moved to another
    # objective (the same plus new_objective, new_title). ``subject`` is "objective" or "key_result".
    removals: pd.DataFrame | None = None
    renames: pd.DataFrame | None = None

    def teams(self) -> set[str]:
        """Every team a row of this file belongs to (what the writer must be allowed to write)."""
        found: set[str] = set()
        for frame in (self.objectives, self.key_results, self.checkins, self.kpis, self.measurements,
                      self.removals, self.renames):
            if frame is None or not len(frame):
                continue
            # Distinct values only: a KPI file may hold millions of measurement rows.
            found.update(pc.unique(frame.column("team")).to_pylist() if isinstance(frame, pa.Table)
                         else frame["team"].unique().tolist())
        return found


class StoreError(Exception):
    """A store operation that cannot go ahead, with a message code for the reader's language."""

    def __init__(self, code: str, **params: object):
        self.code, self.params = code, params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return translate(f"store.{self.code}", lang, **self.params)


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
    # What is derived from these frames once (row positions per column, read models' extras).
    _kept: dict[object, object] = field(default_factory=dict, repr=False, compare=False)
    _kept_lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def kept(self, key: object, build: Callable[[], Any]) -> Any:
        """``build()`` computed once for these scores (freed with them after the next write)."""
        found = self._kept.get(key)
        if found is None:
            with self._kept_lock:
                found = self._kept.get(key)
                if found is None:
                    found = self._kept[key] = build()
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


def _matching(frame: pd.DataFrame, **wanted: object) -> pd.DataFrame:
    """The rows of ``frame`` whose columns equal every value given that is not None, renumbered
    (a new frame: under copy-on-write a caller that changes it leaves the kept scores alone)."""
    mask = None
    for column, value in wanted.items():
        if value is not None:
            equal = frame[column] == value
            mask = equal if mask is None else mask & equal
    return (frame if mask is None else frame[mask]).reset_index(drop=True)


@dataclass(frozen=True)
class WriteCounts:
    batch_id: int
    file_name: str
    kind: str
    inserted: int
    updated: int


class Store:
    """The okrdash database. Create one per process with :func:`open_store`."""

    def __init__(self, path: Path | str, config: Settings | None = None):
        self.path = Path(path) if str(path) != ":memory:" else path
        self.config = config or default_settings()
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = _connect(str(self.path), self.config)
        # Re-entrant: an import validates and writes under it, and apply() takes it again.
        # One per database file and process (not per Store), so that a second Store of the same file,
        # or a Streamlit cache that lost the first one, still waits for the running import.
        self._write_lock = _write_lock_of(self.path)
        # Bumped after every committed write of this process (the only writer of the file), so
        # reads the importer repeats on every upload can be kept until the data changes.
        self._write_version = 0
        self._key_result_index: tuple[int, pd.DataFrame] | None = None
        # (write version, as-of date) -> the company scored then, most recently used last.
        self._scores: OrderedDict[tuple[int, dt.date], Scores] = OrderedDict()
        # One scoring at a time: sessions asking for the same new date wait for one result.
        self._scores_lock = threading.Lock()
        try:
            # Two Stores of one file in one process are two connections to one DuckDB instance:
            # installing the schema and the rules macros at once is a catalog write-write conflict
            # (several sessions' first visits right after the server started). One at a time.
            with self._write_lock:
                self._migrate()
                self._install_rules()
        except duckdb.Error as error:  # opened, but its tables cannot be read (a truncated file)
            self._con.close()
            raise StoreError("store_unreadable", path=str(self.path), detail=_first_line(error)) from None

    @property
    def write_lock(self) -> threading.RLock:
        """Held by every write; an import holds it from validation to commit so that two imports
        at once validate against each other's result (same spelling of a new team, say)."""
        return self._write_lock

    def close(self) -> None:
        self._con.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for the calling thread, closed afterwards."""
        self._before_read()
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def _before_read(self) -> None:
        """Called before every read: this process is the file's only writer, so nothing to do here
        (a :class:`~okrdash.postgres_store.PostgresStore` brings in other processes' writes)."""

    @contextmanager
    def _write_transaction(self, undo_of: int | None = None, everything: bool = False
                           ) -> Iterator[duckdb.DuckDBPyConnection]:
        """The one way a write runs: under the write lock, in one DuckDB transaction, committed
        when the block ends (rolled back if it raises), then the write version bumped.

        ``undo_of`` (the batch an undo reverses) and ``everything`` (a reset) tell a subclass which
        rows the block may change before it runs; the file store needs neither.
        """
        with self._write_lock, self.cursor() as cur:
            cur.begin()
            try:
                yield cur
                cur.commit()
            except BaseException:
                _rollback_quietly(cur)
                raise
            self._write_version += 1

    # -- schema ---------------------------------------------------------------------------------

    def _migrate(self) -> None:
        with self.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            current = cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]
            for version in sorted(v for v in _MIGRATIONS if v > current):
                cur.begin()
                cur.execute(_MIGRATIONS[version])
                cur.execute("INSERT INTO schema_version VALUES (?, now())", [version])
                cur.commit()

    def schema_version(self) -> int:
        with self.cursor() as cur:
            return cur.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]

    def _install_rules(self) -> None:
        thresholds = self.config.model_dump(
            include={"on_track_ratio", "on_track_gap", "at_risk_ratio", "at_risk_gap",
                     "aspirational_end_point", "low_confidence", "kpi_tolerance_share",
                     "forecast_horizon_days", "kpi_trend_points", "kpi_trend_flat_share"}
        )
        # Thresholds are validated floats from settings, written as SQL literals for macro defaults.
        sql = RULES_SQL.read_text().format(**{k: repr(float(v)) for k, v in thresholds.items()})
        with self.cursor() as cur:
            cur.execute(sql)

    # -- reads ----------------------------------------------------------------------------------

    def _df(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).df()

    def _records(self, sql: str, params: list | None = None) -> list[dict]:
        """Rows as plain Python dicts (dates stay dates, NULL stays None)."""
        with self.cursor() as cur:
            result = cur.execute(sql, params or [])
            names = [d[0] for d in result.description]
            return [dict(zip(names, row)) for row in result.fetchall()]

    def is_empty(self) -> bool:
        with self.cursor() as cur:
            return cur.execute(
                "SELECT (SELECT count(*) FROM objectives) + (SELECT count(*) FROM kpis)"
            ).fetchall()[0][0] == 0

    def table_counts(self) -> dict[str, int]:
        with self.cursor() as cur:
            return {t: cur.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in DATA_TABLES}

    def cycles(self) -> list[Cycle]:
        with self.cursor() as cur:
            rows = cur.execute("SELECT name, start_date, end_date FROM cycles ORDER BY start_date, name").fetchall()
        return [Cycle(name=n, start_date=s, end_date=e) for n, s, e in rows]

    def teams(self) -> list[str]:
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT team FROM objectives UNION SELECT team FROM kpis ORDER BY team"
            ).fetchall()
        return [r[0] for r in rows]

    @property
    def write_version(self) -> int:
        """Bumped after every committed write (import, form, undo, reset; of any process sharing a
        PostgreSQL database): what anything derived from the stored data is kept by."""
        self._before_read()
        return self._write_version

    def scores(self, as_of: dt.date) -> Scores:
        """Every key result, objective and KPI scored at ``as_of``: computed once per write and date.

        Callers must not modify the frames; the filtered reads below return their own.
        """
        self._before_read()
        key = (self._write_version, as_of)
        with self._scores_lock:
            found = self._scores.get(key)
            if found is not None:
                self._scores.move_to_end(key)
                return found
            scored = Scores(
                key_results=self._df(
                    "SELECT * FROM kr_scores(?::DATE) ORDER BY team, objective, key_result_id", [as_of]),
                objectives=self._df("SELECT * FROM objective_scores(?::DATE) ORDER BY team, objective_id", [as_of]),
                kpis=self._df("SELECT * FROM kpi_scores(?::DATE) ORDER BY team, name", [as_of]),
            )
            for stale in [k for k in self._scores if k[0] != key[0]]:
                del self._scores[stale]
            self._scores[key] = scored
            while len(self._scores) > SCORES_KEPT:
                self._scores.popitem(last=False)
            return scored

    def kr_scores(
        self, as_of: dt.date, cycle: str | None = None, team: str | None = None,
        objective_id: int | None = None,
    ) -> pd.DataFrame:
        # The narrowest column first: its row positions pick the rows, the others compare those few.
        return self.scores(as_of).lookup("key_results", objective_id=objective_id, team=team, cycle=cycle)

    def linked_key_results(self, cycle: str, team: str | None = None) -> dict[int, list[str]]:
        """KPI id -> titles of the cycle's key results that follow it (of ``team``, or of every team)."""
        with self.cursor() as cur:
            rows = cur.execute(
                """SELECT k.kpi_id, list(k.title ORDER BY o.team, o.title, k.id)
                   FROM key_results k JOIN objectives o ON o.id = k.objective_id
                   WHERE k.kpi_id IS NOT NULL AND o.cycle = ? AND (?::VARCHAR IS NULL OR o.team = ?)
                   GROUP BY k.kpi_id""",
                [cycle, team, team],
            ).fetchall()
        return {kpi_id: titles for kpi_id, titles in rows}

    def objective_scores(self, as_of: dt.date, cycle: str | None = None, team: str | None = None) -> pd.DataFrame:
        return self.scores(as_of).lookup("objectives", team=team, cycle=cycle)

    def kpi_scores(self, as_of: dt.date, team: str | None = None) -> pd.DataFrame:
        return self.scores(as_of).lookup("kpis", team=team)

    def _scored_df(self, as_of: dt.date, sql: str, params: list) -> pd.DataFrame:
        """``sql`` over the kept scores of ``as_of``, registered as tables scored_key_results and scored_kpis."""
        scored = self.scores(as_of)
        with self.cursor() as cur:
            cur.register("scored_key_results", scored.key_results)
            cur.register("scored_kpis", scored.kpis)
            return cur.execute(sql, params).df()

    def status_counts(self, as_of: dt.date, cycle: str) -> pd.DataFrame:
        """Per team: how many key results and KPIs have each status (aggregated in the engine)."""
        return self._scored_df(
            as_of,
            """SELECT 'okr' AS subject, team, status, count(*) AS count
               FROM scored_key_results WHERE cycle = ? GROUP BY ALL
               UNION ALL
               SELECT 'kpi', team, status, count(*) FROM scored_kpis GROUP BY ALL
               ORDER BY subject, team, status""",
            [cycle],
        )

    def needs_attention(self, as_of: dt.date, cycle: str, limit: int = 50) -> pd.DataFrame:
        """Off Track and At Risk key results and KPIs, and stale key results; biggest gap first."""
        stale_before = as_of - dt.timedelta(days=self.config.stale_after_days)
        return self._scored_df(
            as_of,
            """SELECT * FROM (
                   SELECT 'key_result' AS subject, team, title, objective, objective_id, key_result_id,
                          NULL::INTEGER AS kpi_id, status, gap, last_checkin,
                          last_checkin IS NULL OR last_checkin < ? AS stale, confidence_disagrees
                   FROM scored_key_results
                   WHERE cycle = ?
                   UNION ALL
                   SELECT 'kpi', team, name, NULL, NULL, NULL, kpi_id, status,
                          CASE WHEN direction = 'lower_is_better' THEN (value - target) / nullif(abs(target), 0)
                               WHEN direction = 'higher_is_better' THEN (target - value) / nullif(abs(target), 0)
                          END, last_date, false, false
                   FROM scored_kpis)
               WHERE status IN ('Off Track', 'At Risk') OR stale OR confidence_disagrees
               ORDER BY status = 'Off Track' DESC, status = 'At Risk' DESC, gap DESC NULLS LAST, team, title
               LIMIT ?""",
            [stale_before, cycle, limit],
        )

    def checkin_history(self, key_result_id: int, as_of: dt.date | None = None) -> pd.DataFrame:
        """A key result's values over time: its check-ins, or its linked KPI's measurements."""
        return self.checkin_histories([key_result_id], as_of)[int(key_result_id)]

    def checkin_histories(self, key_result_ids: list[int], as_of: dt.date | None = None) -> dict[int, pd.DataFrame]:
        """Each key result's values over time (its check-ins, or its linked KPI's measurements), by
        id, in one query: an objective's key results cost one round trip, not one each."""
        rows = self._df(
            """SELECT key_result_id, date, value, confidence, note FROM (
                   SELECT c.key_result_id, c.date, c.value, c.confidence, c.note
                   FROM checkins c WHERE list_contains($ids, c.key_result_id) AND ($as_of::DATE IS NULL OR c.date <= $as_of)
                   UNION ALL
                   SELECT k.id, m.date, m.value, NULL, NULL
                   FROM key_results k JOIN kpi_measurements m ON m.kpi_id = k.kpi_id
                   WHERE list_contains($ids, k.id) AND ($as_of::DATE IS NULL OR m.date <= $as_of))
               ORDER BY key_result_id, date""",
            {"ids": [int(i) for i in key_result_ids], "as_of": as_of},
        )
        by_id = {int(kr_id): frame.drop(columns="key_result_id").reset_index(drop=True)
                 for kr_id, frame in rows.groupby("key_result_id", sort=False)}
        none = rows.drop(columns="key_result_id").iloc[0:0]
        return {int(kr_id): by_id.get(int(kr_id), none) for kr_id in key_result_ids}

    def kpi_history(self, kpi_id: int, as_of: dt.date | None = None, since: dt.date | None = None) -> pd.DataFrame:
        return self._df(
            """SELECT date, value, target FROM kpi_measurements
               WHERE kpi_id = ? AND (?::DATE IS NULL OR date <= ?) AND (?::DATE IS NULL OR date >= ?)
               ORDER BY date""",
            [kpi_id, as_of, as_of, since, since],
        )

    def kpi_recent_values(self, as_of: dt.date, points: int = 12, team: str | None = None) -> pd.DataFrame:
        """The last ``points`` values of each KPI, oldest first, for sparklines."""
        return self._df(
            """SELECT m.kpi_id, list(m.value ORDER BY m.date) AS recent_values
               FROM (SELECT kpi_id, date, value,
                            row_number() OVER (PARTITION BY kpi_id ORDER BY date DESC) AS age
                     FROM kpi_measurements
                     -- the team's KPIs before the window: one team's view need not rank every measurement
                     WHERE date <= ? AND kpi_id IN (SELECT id FROM kpis WHERE ?::VARCHAR IS NULL OR team = ?)) m
               WHERE m.age <= ?
               GROUP BY m.kpi_id""",
            [as_of, team, team, points],
        )

    def latest_data_date(self) -> dt.date | None:
        with self.cursor() as cur:
            return cur.execute(
                "SELECT greatest((SELECT max(date) FROM checkins), (SELECT max(date) FROM kpi_measurements))"
            ).fetchall()[0][0]

    def batches(self) -> list[Batch]:
        with self.cursor() as cur:
            rows = cur.execute(
                """SELECT id, imported_at, file_name, sha256, kind, inserted, updated, imported_by, undone_at, undone_by
                   FROM batches ORDER BY id DESC"""
            ).fetchall()
        fields = ("id", "imported_at", "file_name", "sha256", "kind", "inserted", "updated", "imported_by",
                  "undone_at", "undone_by")
        return [Batch(**dict(zip(fields, row))) for row in rows]

    def key_result_index(self) -> pd.DataFrame:
        """Natural keys of the stored key results, for resolving check-ins during validation.

        Kept until the next write: a check-in form's save would otherwise spend most of its time
        reading 30,000 keys of a large company again. Callers must not modify the frame.
        """
        self._before_read()
        version = self._write_version
        cached = self._key_result_index
        if cached is not None and cached[0] == version:
            return cached[1]
        frame = self._df(
            """SELECT o.cycle, o.team, o.title AS objective, k.title AS key_result, k.kind, kp.name AS kpi
               FROM key_results k JOIN objectives o ON o.id = k.objective_id
               LEFT JOIN kpis kp ON kp.id = k.kpi_id"""
        )
        self._key_result_index = (version, frame)
        return frame

    def kpi_index(self) -> list[dict]:
        return self._records("SELECT team, name AS kpi, direction FROM kpis")

    def kpi_definitions(self) -> list[dict]:
        """Stored KPI definitions, so a file may leave a known KPI's columns blank."""
        return self._records(
            """SELECT team, name, unit, direction, target, min_value, max_value, tolerance, tolerance_is_share,
                      frequency, kpi_type, indicator, category, owner FROM kpis"""
        )

    def team_okrs(self, cycle: str, team: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """A team's objectives and key results of one cycle as stored, for the OKR editor."""
        objectives = self._df(
            """SELECT id, title, type, parent_title, owner FROM objectives WHERE cycle = ? AND team = ?
               ORDER BY id""", [cycle, team])
        key_results = self._df(
            """SELECT k.id, o.title AS objective, k.title, k.owner, k.kind, k.baseline, k.target, k.unit, k.weight,
                      kp.name AS kpi, k.start_date
               FROM key_results k JOIN objectives o ON o.id = k.objective_id LEFT JOIN kpis kp ON kp.id = k.kpi_id
               WHERE o.cycle = ? AND o.team = ? ORDER BY o.id, k.id""", [cycle, team])
        return objectives, key_results

    def okr_version(self, cycle: str, team: str) -> frozenset[int]:
        """The batches whose rows make up a team's objectives and key results of a cycle now.

        Any import, edit or undo of them since changes this set: the OKR editor compares it at
        save time to refuse an edit over a table someone else changed since it was opened.
        """
        with self.cursor() as cur:
            rows = cur.execute(
                """SELECT o.batch_id FROM objectives o WHERE o.cycle = $c AND o.team = $t
                   UNION SELECT k.batch_id FROM key_results k JOIN objectives o ON o.id = k.objective_id
                         WHERE o.cycle = $c AND o.team = $t
                   UNION SELECT replaced_by FROM objectives_prior WHERE cycle = $c AND team = $t
                   UNION SELECT p.replaced_by FROM key_results_prior p JOIN objectives o ON o.id = p.objective_id
                         WHERE o.cycle = $c AND o.team = $t""",
                {"c": cycle, "t": team}).fetchall()
        return frozenset(r[0] for r in rows if r[0] is not None)

    def kpi_version(self, team: str, name: str) -> frozenset[int]:
        """The batches that wrote a KPI's definition (see :meth:`okr_version`)."""
        with self.cursor() as cur:
            rows = cur.execute(
                """SELECT batch_id FROM kpis WHERE team = $t AND name = $n
                   UNION SELECT replaced_by FROM kpis_prior WHERE team = $t AND name = $n""",
                {"t": team, "n": name}).fetchall()
        return frozenset(r[0] for r in rows if r[0] is not None)

    def owners(self) -> list[str]:
        """Every owner name of objectives, key results and KPIs (owner fields offer them)."""
        with self.cursor() as cur:
            rows = cur.execute(
                """SELECT DISTINCT owner FROM (SELECT owner FROM key_results UNION ALL SELECT owner FROM objectives
                                               UNION ALL SELECT owner FROM kpis)
                   WHERE nullif(trim(owner), '') IS NOT NULL ORDER BY lower(owner), owner"""
            ).fetchall()
        return [r[0] for r in rows]

    def cycle_index(self) -> list[dict]:
        return self._records("SELECT name AS cycle, start_date, end_date FROM cycles")

    # -- writes ---------------------------------------------------------------------------------

    def undo(self, batch_id: int, writer: Access) -> int:
        """Return the data to its state before ``batch_id``; returns how many rows changed.

        Rows the batch inserted are removed and rows it updated get their previous version back.
        Refused (StoreError) when a later import still in effect changed or builds on those rows:
        undo that one first; or when the batch touched a team ``writer`` may not write.
        """
        with self._write_transaction(undo_of=batch_id) as cur:
            found = cur.execute("SELECT undone_at FROM batches WHERE id = ?", [batch_id]).fetchall()
            if not found:
                raise StoreError("undo_unknown_batch", batch=batch_id)
            refused = [team for team in self._batch_teams(cur, batch_id) if not writer.may_edit_team(team)]
            if refused or not writer.can_edit:
                raise StoreError("undo_not_allowed", batch=batch_id, who=writer.who or "?",
                                 teams=", ".join(refused) or "–")
            if found[0][0] is not None:
                raise StoreError("undo_already_done", batch=batch_id)
            later = self._batches_building_on(cur, batch_id)
            if later:
                raise StoreError("undo_blocked", batch=batch_id, later=", ".join(map(str, later)))
            changed = 0
            for table in reversed(VERSIONED_TABLES):
                changed += cur.execute(f"DELETE FROM {table} WHERE batch_id = ?", [batch_id]).fetchall()[0][0]
            for table in VERSIONED_TABLES:
                columns = ", ".join(self._columns(cur, table))
                cur.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table}_prior WHERE replaced_by = ?",
                    [batch_id],
                )
                cur.execute(f"DELETE FROM {table}_prior WHERE replaced_by = ?", [batch_id])
            cur.execute(
                "DELETE FROM cycles WHERE batch_id = ? AND name NOT IN (SELECT cycle FROM objectives)", [batch_id]
            )
            cur.execute("UPDATE batches SET undone_at = now(), undone_by = ? WHERE id = ?", [writer.who, batch_id])
        return changed

    @staticmethod
    def _batch_teams(cur: duckdb.DuckDBPyConnection, batch_id: int) -> list[str]:
        """Teams of the rows a batch wrote or replaced (an undo changes exactly those)."""
        rows = cur.execute(
            """SELECT DISTINCT team FROM (
                   SELECT team FROM objectives WHERE batch_id = $b
                   UNION ALL SELECT team FROM objectives_prior WHERE replaced_by = $b
                   UNION ALL SELECT o.team FROM key_results k JOIN objectives o ON o.id = k.objective_id
                             WHERE k.batch_id = $b
                   UNION ALL SELECT o.team FROM key_results_prior k JOIN objectives o ON o.id = k.objective_id
                             WHERE k.replaced_by = $b
                   UNION ALL SELECT o.team FROM key_results_prior k JOIN objectives_prior o ON o.id = k.objective_id
                             WHERE k.replaced_by = $b
                   UNION ALL SELECT o.team FROM checkins c JOIN key_results k ON k.id = c.key_result_id
                             JOIN objectives o ON o.id = k.objective_id WHERE c.batch_id = $b
                   UNION ALL SELECT o.team FROM checkins_prior c JOIN key_results k ON k.id = c.key_result_id
                             JOIN objectives o ON o.id = k.objective_id WHERE c.replaced_by = $b
                   UNION ALL SELECT team FROM kpis WHERE batch_id = $b
                   UNION ALL SELECT team FROM kpis_prior WHERE replaced_by = $b
                   UNION ALL SELECT k.team FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id WHERE m.batch_id = $b
                   UNION ALL SELECT k.team FROM kpi_measurements_prior m JOIN kpis k ON k.id = m.kpi_id
                             WHERE m.replaced_by = $b)
               ORDER BY team""",
            {"b": batch_id},
        ).fetchall()
        return [r[0] for r in rows]

    @staticmethod
    def _columns(cur: duckdb.DuckDBPyConnection, table: str) -> list[str]:
        return [row[0] for row in cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()]

    @staticmethod
    def _batches_building_on(cur: duckdb.DuckDBPyConnection, batch_id: int) -> list[int]:
        """Later batches in effect that replaced rows of ``batch_id`` or reference rows it inserted."""
        inserted = "{alias}.batch_id = ? AND {alias}.id NOT IN (SELECT id FROM {table}_prior WHERE replaced_by = ?)"
        rows = cur.execute(
            f"""SELECT DISTINCT later FROM (
                    SELECT replaced_by AS later FROM objectives_prior WHERE batch_id = ?
                    UNION ALL SELECT replaced_by FROM key_results_prior WHERE batch_id = ?
                    UNION ALL SELECT replaced_by FROM checkins_prior WHERE batch_id = ?
                    UNION ALL SELECT replaced_by FROM kpis_prior WHERE batch_id = ?
                    UNION ALL SELECT replaced_by FROM kpi_measurements_prior WHERE batch_id = ?
                    UNION ALL SELECT k.batch_id FROM key_results k JOIN objectives o ON o.id = k.objective_id
                              WHERE k.batch_id <> ? AND {inserted.format(alias="o", table="objectives")}
                    UNION ALL SELECT c.batch_id FROM checkins c JOIN key_results k ON k.id = c.key_result_id
                              WHERE c.batch_id <> ? AND {inserted.format(alias="k", table="key_results")}
                    UNION ALL SELECT m.batch_id FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id
                              WHERE m.batch_id <> ? AND {inserted.format(alias="k", table="kpis")}
                    UNION ALL SELECT r.batch_id FROM key_results r JOIN kpis k ON k.id = r.kpi_id
                              WHERE r.batch_id <> ? AND {inserted.format(alias="k", table="kpis")})
                ORDER BY later""",
            [batch_id] * 5 + [batch_id, batch_id, batch_id] * 4,
        ).fetchall()
        return [r[0] for r in rows]

    def backup(self, folder: Path) -> Path:
        """Write the whole database (schema and every table as Parquet) into an empty ``folder``."""
        folder = Path(folder)
        if folder.exists() and any(folder.iterdir()):
            raise StoreError("backup_folder_not_empty", folder=str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        with self._write_lock, self.cursor() as cur:
            cur.execute(f"EXPORT DATABASE {_path_literal(folder)} (FORMAT parquet)")
        # Restore runs the folder's SQL: the manifest lets it run only what okrdash wrote here.
        files = {path.name: _sha256(path) for path in sorted(folder.iterdir()) if path.is_file()}
        (folder / MANIFEST).write_text(json.dumps({"okrdash_backup": 1, "schema_version": self.schema_version(),
                                                   "files": files}, indent=2), encoding="utf-8")
        return folder

    def reset(self, writer: Access) -> None:
        """Delete every row (the schema stays). Only an admin may."""
        if writer.role is not Role.ADMIN:
            raise StoreError("reset_not_allowed", who=writer.who or "?")
        with self._write_transaction(everything=True) as cur:
            for table in reversed(DATA_TABLES):
                cur.execute(f"DELETE FROM {table}")

    def apply(self, files: list[FileChanges], writer: Access) -> list[WriteCounts]:
        """Write validated files in one transaction: all of them land, or none.

        Refused (StoreError ``write_not_allowed``) when a row belongs to a team ``writer`` may not
        write: every route in (upload, form, grid, bridge) ends here, so no page can skip the check.
        """
        refused = sorted({team for change in files for team in change.teams() if not writer.may_edit_team(team)})
        if refused:
            raise StoreError("write_not_allowed", who=writer.who or "?", teams=", ".join(refused))
        order = {FileKind.KPIS: 0, FileKind.OKRS: 1, FileKind.CHECKINS: 2}
        results = []
        try:
            with self._write_transaction() as cur:
                for change in sorted(files, key=lambda f: order[f.kind]):
                    results.append(self._apply_file(cur, change, writer.who))
        except duckdb.Error as error:  # a full disk, a file that became unwritable ...
            raise StoreError("write_failed", detail=_first_line(error)) from error
        return results

    def _apply_file(self, cur: duckdb.DuckDBPyConnection, change: FileChanges, imported_by: str | None) -> WriteCounts:
        batch_id = cur.execute(
            """INSERT INTO batches (imported_at, file_name, sha256, kind, inserted, updated, imported_by)
               VALUES (now(), ?, ?, ?, 0, 0, ?) RETURNING id""",
            [change.file_name, change.sha256, change.kind.value, imported_by],
        ).fetchall()[0][0]
        inserted = updated = 0
        renames = change.renames if change.renames is not None else pd.DataFrame()
        objective_renames = renames[renames["subject"] == "objective"] if len(renames) else None
        key_result_renames = renames[renames["subject"] == "key_result"] if len(renames) else None
        # Removals and objective renames first, so the rows below find the new titles; key results
        # move after the objectives they move to exist.
        steps = (
            (change.cycles, self._upsert_cycles),
            (change.kpis, self._upsert_kpis),
            (change.measurements, self._upsert_measurements),
            (change.removals, self._remove),
            (objective_renames, self._rename_objectives),
            (change.objectives, self._upsert_objectives),
            (key_result_renames, self._rename_key_results),
            (change.key_results, self._upsert_key_results),
            (change.checkins, lambda cur, batch: self._upsert_checkins(cur, batch, change.keep_same_day)),
        )
        for frame, upsert in steps:
            if frame is not None and len(frame):
                cur.register("staged", frame)
                try:
                    new, changed = upsert(cur, batch_id)
                finally:
                    cur.unregister("staged")
                inserted += new
                updated += changed
        cur.execute("UPDATE batches SET inserted = ?, updated = ? WHERE id = ?", [inserted, updated, batch_id])
        return WriteCounts(batch_id, change.file_name, change.kind.value, inserted, updated)

    @staticmethod
    def _keep_prior(cur: duckdb.DuckDBPyConnection, table: str, join_sql: str, batch_id: int) -> tuple[int, int]:
        """Copy the rows ``staged`` is about to replace into ``<table>_prior`` (for undo).

        ``join_sql`` left-joins the target table as ``t``. Returns (new, existing) row counts.
        """
        cur.execute(  # by name: columns added by later migrations come after replaced_by
            f"INSERT INTO {table}_prior BY NAME SELECT t.*, ? AS replaced_by FROM staged s {join_sql} "
            # A row this batch already wrote (renamed, say) has its earlier version kept already.
            "WHERE t.rowid IS NOT NULL AND t.batch_id IS DISTINCT FROM ?",
            [batch_id, batch_id],
        )
        total, existing = cur.execute(f"SELECT count(*), count(t.rowid) FROM staged s {join_sql}").fetchall()[0]
        return total - existing, existing

    @staticmethod
    def _keep_prior_of_facts(cur: duckdb.DuckDBPyConnection, table: str, join_sql: str, batch_id: int) -> int:
        """:meth:`_keep_prior` for a table this batch has not written yet (measurements, check-ins):
        every existing row is one the batch replaces, so the copy's row count is the existing count
        and the upsert's own row count gives the total, with no counting scan of the
        staged rows and their joins (0.15 s of a 1.8 M-row KPI file, more for check-ins' title joins)."""
        return cur.execute(
            f"INSERT INTO {table}_prior BY NAME SELECT t.*, ? AS replaced_by FROM staged s {join_sql} "
            "WHERE t.rowid IS NOT NULL", [batch_id]).fetchall()[0][0]

    def _upsert_cycles(self, cur, batch_id: int) -> tuple[int, int]:
        # Cycles are reference data: new ones are added, never counted as the file's rows.
        cur.execute(
            """INSERT INTO cycles (name, start_date, end_date, batch_id)
               SELECT name, start_date, end_date, ? FROM staged ON CONFLICT (name) DO NOTHING""",
            [batch_id],
        )
        return 0, 0

    def _upsert_kpis(self, cur, batch_id: int) -> tuple[int, int]:
        counts = self._keep_prior(cur, "kpis", "LEFT JOIN kpis t ON t.team = s.team AND t.name = s.name", batch_id)
        cur.execute(
            """INSERT INTO kpis (team, name, unit, direction, target, min_value, max_value, tolerance,
                                 tolerance_is_share, frequency, kpi_type, indicator, category, owner, batch_id)
               SELECT team, name, unit, direction, target, min_value, max_value, tolerance,
                      tolerance_is_share, frequency, kpi_type, indicator, category, owner, ?
               FROM staged
               ON CONFLICT (team, name) DO UPDATE SET
                   unit = excluded.unit, direction = excluded.direction, target = excluded.target,
                   min_value = excluded.min_value, max_value = excluded.max_value,
                   tolerance = excluded.tolerance, tolerance_is_share = excluded.tolerance_is_share,
                   frequency = excluded.frequency, kpi_type = excluded.kpi_type,
                   indicator = excluded.indicator, category = excluded.category, owner = excluded.owner,
                   batch_id = excluded.batch_id""",
            [batch_id],
        )
        return counts

    def _upsert_measurements(self, cur, batch_id: int) -> tuple[int, int]:
        resolve = "JOIN kpis k ON k.team = s.team AND k.name = s.kpi"
        existing = self._keep_prior_of_facts(
            cur, "kpi_measurements", f"{resolve} LEFT JOIN kpi_measurements t ON t.kpi_id = k.id AND t.date = s.date",
            batch_id)
        total = cur.execute(  # the rows inserted or updated
            f"""INSERT INTO kpi_measurements (kpi_id, date, value, target, batch_id)
                SELECT k.id, s.date, s.value, s.target, ? FROM staged s {resolve}
                ON CONFLICT (kpi_id, date) DO UPDATE SET
                    value = excluded.value, target = excluded.target, batch_id = excluded.batch_id""",
            [batch_id],
        ).fetchall()[0][0]
        return total - existing, existing

    def _upsert_objectives(self, cur, batch_id: int) -> tuple[int, int]:
        counts = self._keep_prior(
            cur, "objectives", "LEFT JOIN objectives t ON t.cycle = s.cycle AND t.team = s.team AND t.title = s.title",
            batch_id)
        cur.execute(
            """INSERT INTO objectives (cycle, team, title, owner, type, parent_title, batch_id)
               SELECT cycle, team, title, owner, type, parent_title, ? FROM staged
               ON CONFLICT (cycle, team, title) DO UPDATE SET
                   owner = excluded.owner, type = excluded.type, parent_title = excluded.parent_title,
                   batch_id = excluded.batch_id""",
            [batch_id],
        )
        return counts

    def _upsert_key_results(self, cur, batch_id: int) -> tuple[int, int]:
        resolve = "JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective"
        counts = self._keep_prior(
            cur, "key_results", f"{resolve} LEFT JOIN key_results t ON t.objective_id = o.id AND t.title = s.title",
            batch_id)
        cur.execute(
            f"""INSERT INTO key_results (objective_id, title, owner, kind, baseline, target, unit, weight, kpi_id, batch_id,
                                         start_date)
                SELECT o.id, s.title, s.owner, s.kind, s.baseline, s.target, s.unit, s.weight, kp.id, ?,
                       s.start_date::DATE
                FROM (SELECT *, row_number() OVER () AS staged_row FROM staged) s {resolve}
                LEFT JOIN kpis kp ON kp.team = s.team AND kp.name = s.kpi
                -- New ids in the file's row order, whatever order the joined tables' rows are stored in
                -- (a PostgreSQL mirror reloads them in PostgreSQL's order).
                ORDER BY s.staged_row
                ON CONFLICT (objective_id, title) DO UPDATE SET
                    owner = excluded.owner, kind = excluded.kind, baseline = excluded.baseline,
                    target = excluded.target, unit = excluded.unit, weight = excluded.weight,
                    kpi_id = excluded.kpi_id, batch_id = excluded.batch_id,
                    -- A file without the kr_start column keeps the day a key result was added.
                    start_date = coalesce(excluded.start_date, key_results.start_date)""",
            [batch_id],
        )
        return counts

    def _remove(self, cur, batch_id: int) -> tuple[int, int]:
        """Delete the staged objectives (with their key results and check-ins) and key results
        (with their check-ins), keeping every deleted row in ``*_prior`` so undo restores it."""
        objective_ids = [r[0] for r in cur.execute(
            """SELECT o.id FROM staged s JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team
                                                         AND o.title = s.objective
               WHERE s.subject = 'objective'""").fetchall()]
        key_result_ids = [r[0] for r in cur.execute(
            """SELECT k.id FROM key_results k WHERE list_contains(?::INTEGER[], k.objective_id)
               UNION SELECT k.id FROM staged s
                     JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
                     JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result
               WHERE s.subject = 'key_result'""", [objective_ids]).fetchall()]
        removed = 0
        for table, column, ids in (("checkins", "key_result_id", key_result_ids), ("key_results", "id", key_result_ids),
                                   ("objectives", "id", objective_ids)):
            cur.execute(f"""INSERT INTO {table}_prior BY NAME SELECT *, ? AS replaced_by FROM {table}
                            WHERE list_contains(?::INTEGER[], {column})""", [batch_id, ids])
            count = cur.execute(f"DELETE FROM {table} WHERE list_contains(?::INTEGER[], {column})", [ids]).fetchall()[0][0]
            removed += count if table != "checkins" else 0
        return 0, removed

    def _rename_objectives(self, cur, batch_id: int) -> tuple[int, int]:
        resolve = "JOIN objectives t ON t.cycle = s.cycle AND t.team = s.team AND t.title = s.objective"
        taken = cur.execute(
            f"""SELECT s.new_title FROM staged s {resolve}
                JOIN objectives other ON other.cycle = s.cycle AND other.team = s.team
                                     AND other.title = s.new_title AND other.id <> t.id LIMIT 1""").fetchall()
        if taken:
            raise StoreError("rename_taken", title=taken[0][0])
        self._keep_prior(cur, "objectives", f"LEFT {resolve}", batch_id)
        cur.execute(
            "UPDATE objectives SET title = s.new_title, batch_id = ? FROM staged s WHERE objectives.cycle = s.cycle "
            "AND objectives.team = s.team AND objectives.title = s.objective", [batch_id]).fetchall()
        return 0, 0  # counted by the upsert of the same objective, which follows

    def _rename_key_results(self, cur, batch_id: int) -> tuple[int, int]:
        """Rename key results, or move them to another objective of their team (check-ins follow)."""
        resolve = """JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
                     JOIN key_results t ON t.objective_id = o.id AND t.title = s.key_result
                     JOIN objectives n ON n.cycle = s.cycle AND n.team = s.team AND n.title = s.new_objective"""
        taken = cur.execute(
            f"""SELECT s.new_title FROM staged s {resolve}
                JOIN key_results other ON other.objective_id = n.id AND other.title = s.new_title
                                      AND other.id <> t.id LIMIT 1""").fetchall()
        if taken:
            raise StoreError("rename_taken", title=taken[0][0])
        self._keep_prior(cur, "key_results", resolve.replace("JOIN key_results t", "LEFT JOIN key_results t"), batch_id)
        cur.execute(
            f"""UPDATE key_results SET objective_id = m.new_objective_id, title = m.new_title, batch_id = ?
                FROM (SELECT t.id, n.id AS new_objective_id, s.new_title FROM staged s {resolve}) m
                WHERE key_results.id = m.id""", [batch_id]).fetchall()
        return 0, 0  # counted by the upsert of the same key result, which follows

    def _upsert_checkins(self, cur, batch_id: int, keep_same_day: bool = False) -> tuple[int, int]:
        resolve = """JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
                     JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result"""
        if keep_same_day:
            # A join, not a correlated subquery: that one scans every check-in (0.12 s at 400,000).
            cur.execute(
                f"""INSERT INTO checkins (key_result_id, date, value, confidence, note, batch_id, seq)
                    SELECT k.id, s.date, any_value(s.value), any_value(s.confidence), any_value(s.note), ?,
                           coalesce(max(t.seq) + 1, 0)
                    FROM staged s {resolve}
                    LEFT JOIN checkins t ON t.key_result_id = k.id AND t.date = s.date
                    GROUP BY k.id, s.date""",
                [batch_id],
            )
            return cur.execute("SELECT count(*) FROM staged").fetchall()[0][0], 0
        existing = self._keep_prior_of_facts(
            cur, "checkins",
            f"{resolve} LEFT JOIN checkins t ON t.key_result_id = k.id AND t.date = s.date AND t.seq = 0", batch_id)
        total = cur.execute(  # the rows inserted or updated
            f"""INSERT INTO checkins (key_result_id, date, value, confidence, note, batch_id)
                SELECT k.id, s.date, s.value, s.confidence, s.note, ? FROM staged s {resolve}
                ON CONFLICT (key_result_id, date, seq) DO UPDATE SET
                    value = excluded.value, confidence = excluded.confidence, note = excluded.note,
                    batch_id = excluded.batch_id""",
            [batch_id],
        ).fetchall()[0][0]
        return total - existing, existing


def restore(folder: Path | str, path: Path | str) -> None:
    """Load a backup folder into a new or empty database file at ``path`` (or PostgreSQL URL)."""
    folder = Path(folder)
    if not (folder / "schema.sql").is_file():
        raise StoreError("restore_not_a_backup", folder=str(folder))
    _check_manifest(folder)
    if is_database_url(path):
        from okrdash.postgres_store import restore_into

        restore_into(folder, str(path))
        return
    path = Path(path)
    if path.exists():
        existing = Store(path)
        empty = existing.is_empty() and not existing.batches()
        existing.close()
        if not empty:
            raise StoreError("restore_target_not_empty", path=str(path))
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(str(path))
    try:
        con.execute(f"IMPORT DATABASE {_path_literal(folder)}")
    except duckdb.Error as error:
        con.close()
        path.unlink(missing_ok=True)  # a half-restored database is worse than none
        Path(f"{path}.wal").unlink(missing_ok=True)
        raise StoreError("restore_failed", folder=str(folder), detail=str(error).splitlines()[0]) from None
    con.close()


MANIFEST = "okrdash-manifest.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_manifest(folder: Path) -> None:
    """Refuse a backup folder holding anything but the files okrdash wrote, byte for byte.

    IMPORT DATABASE runs the folder's schema.sql and load.sql as they are: an appended
    ``COPY ... TO`` would write wherever the server may write.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        listed = dict(manifest["files"])
    except (OSError, ValueError, KeyError, TypeError):
        raise StoreError("restore_no_manifest", folder=str(folder)) from None
    present = {path.name for path in folder.iterdir() if path.name != MANIFEST}
    for name in sorted(present | set(listed)):
        if name not in listed or name not in present or not (folder / name).is_file() \
                or _sha256(folder / name) != listed[name]:
            raise StoreError("restore_changed", folder=str(folder), file=name)


def _path_literal(path: Path) -> str:
    """A quoted SQL string for a folder path: EXPORT/IMPORT DATABASE take no parameters."""
    return "'" + str(path.resolve()).replace("'", "''") + "'"


def _connect(path: str, config: Settings | None = None) -> duckdb.DuckDBPyConnection:
    """Open the file, turning DuckDB's lock error into one that names the process holding it.

    Threads and memory come from settings: DuckDB's own defaults (every core, 80% of memory) are
    right for one process, not for several okrdash processes on one host.
    """
    config = config or default_settings()
    options = {"memory_limit": config.duckdb_memory_limit}
    if config.duckdb_threads:
        options["threads"] = config.duckdb_threads
    try:
        return duckdb.connect(path, config=options)
    except duckdb.Error as error:
        holder = re.search(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)", str(error))
        if holder is None:  # a damaged or truncated file, or not a DuckDB database at all
            raise StoreError("store_unreadable", path=path, detail=_first_line(error)) from None
        raise StoreError("store_locked", path=path, pid=holder["pid"], program=_process_name(holder["pid"],
                         holder["program"])) from None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _rollback_quietly(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back without hiding the error that made us roll back (after a failed write DuckDB may
    only answer "Current transaction is aborted")."""
    try:
        cur.rollback()
    except duckdb.Error:
        pass


def _process_name(pid: str, program: str) -> str:
    """The holder's command line when we may read it ("okrdash serve", "streamlit run app.py" ...)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip() or program
    except OSError:
        return program


_WRITE_LOCKS: dict[str, threading.RLock] = {}
_SHARED_STORES: dict[str, Store] = {}
_REGISTRY_LOCK = threading.Lock()
_OPENING_LOCK = threading.Lock()


def _write_lock_of(path: Path | str) -> threading.RLock:
    """The process-wide write lock of a database file or URL (a fresh one for each in-memory database)."""
    if not isinstance(path, Path) and not is_database_url(path):
        return threading.RLock()
    with _REGISTRY_LOCK:
        return _WRITE_LOCKS.setdefault(_registry_key(path), threading.RLock())


def is_database_url(path: Path | str | None) -> bool:
    """A PostgreSQL URL (``postgresql://user@host/db``) rather than a database file."""
    return isinstance(path, str) and path.startswith(("postgresql://", "postgres://"))


def _registry_key(path: Path | str) -> str:
    return str(path) if is_database_url(path) else str(Path(path).resolve())


def shared_store(path: Path | str, config: Settings | None = None) -> tuple[Store, bool]:
    """The one store of ``path`` in this process, and whether this call opened it.

    A module-level registry, not a Streamlit cache: any browser can ask Streamlit to clear its
    caches, and a cleared store would come back as a second connection with its own state.
    """
    key = _registry_key(path)
    # Held while the store opens, so the sessions of a server's first visits wait for one store
    # instead of opening one each (see Store.__init__); a store already open is returned at once.
    with _OPENING_LOCK:
        with _REGISTRY_LOCK:
            if key in _SHARED_STORES:
                return _SHARED_STORES[key], False
        store = open_store(path, config)
        with _REGISTRY_LOCK:
            _SHARED_STORES[key] = store
    return store, True


def close_shared_store(path: Path | str) -> None:
    """Close and forget this process's shared store of ``path`` (so another process may open the file)."""
    with _REGISTRY_LOCK:
        store = _SHARED_STORES.pop(_registry_key(path), None)
    if store is not None:
        store.close()


def open_store(path: Path | str | None = None, config: Settings | None = None) -> Store:
    """The store at ``path``, else ``OKRDASH_DB``, else ``data/okrdash.duckdb``; a PostgreSQL URL
    opens a :class:`~okrdash.postgres_store.PostgresStore`."""
    config = config or default_settings()
    path = path or config.db_path
    if is_database_url(path):
        from okrdash.postgres_store import PostgresStore

        return PostgresStore(str(path), config)
    return Store(path, config)
