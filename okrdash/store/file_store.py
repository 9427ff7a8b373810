"""The store in one DuckDB file (or in memory: the PostgreSQL store's mirror, the explainer's sandbox).

One ``DuckDBStore`` per file and process holds one DuckDB connection; every call takes its own
cursor, so Streamlit's session threads never share a result set (DuckDB 2.0 ties a result to the
connection until it is fully fetched). Values always travel as parameters or as registered
Arrow/pandas tables, never inside the SQL text. What it runs is in the modules beside it: schema
(migrations, rules), reads, scores (the kept scores), writes and backups, each with its .sql file.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from okrdash.access import Access
from okrdash.settings import Settings, settings as default_settings
from okrdash.store import backups, reads, schema, scores, writes
from okrdash.store.errors import StoreError, first_line, rollback_quietly
from okrdash.store.locations import write_lock_of
from okrdash.store.scores import ScoreKeeper, Scores
from okrdash.store.writes import FileChanges, WriteCounts

# pandas only names the frames' type here: DuckDB loads it with the first frame a read returns,
# so a command that never asks for one (okrdash status) starts without it.
if TYPE_CHECKING:
    import pandas as pd


class DuckDBStore:
    """The okrdash database in a DuckDB file. Open one per process with :func:`okrdash.store.open_store`."""

    def __init__(self, path: Path | str, config: Settings | None = None, *, read_only: bool = False):
        self.path: Path | str = Path(path) if str(path) != ":memory:" else ":memory:"
        self.config = config or default_settings()
        # Read-only: the file's bytes stay as they are (a backup tool or a checksum sees no change);
        # its migrations, if it needs any, wait for a write open. An in-memory database has no file.
        self.read_only = read_only and isinstance(self.path, Path)
        if isinstance(self.path, Path) and not self.read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = schema.connect(str(self.path), self.config, read_only=self.read_only)
        self._write_lock = write_lock_of(self.path)
        # Bumped after every committed write of this process (the only writer of the file), so
        # reads the importer repeats on every upload can be kept until the data changes.
        self._write_version = 0
        self._key_result_index: tuple[int, pd.DataFrame] | None = None
        self._scores = ScoreKeeper()
        try:
            # Two stores of one file in one process are two connections to one DuckDB instance:
            # installing the schema and the rules macros at once is a catalog write-write conflict
            # (several sessions' first visits right after the server started). One at a time.
            with self._write_lock, self.cursor() as cur:
                if self.read_only:
                    schema.require_current(cur, str(self.path))
                else:
                    schema.migrate(cur)
                schema.install_rules(cur, self.config)  # read-only: into the in-memory database
        except duckdb.Error as error:  # opened, but its tables cannot be read (a truncated file)
            self._con.close()
            raise StoreError("store_unreadable", path=str(self.path), detail=first_line(error)) from None
        except StoreError:
            self._con.close()
            raise

    @property
    def write_lock(self) -> threading.RLock:
        return self._write_lock

    @property
    def write_version(self) -> int:
        return self._write_version

    def commit_changes(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Commit ``cur``'s write with the write version moved on both sides of the commit: whatever
        was computed while it committed sees the version move and is not kept (Scores.kept), so
        nothing kept mixes the data before and after it."""
        self._write_version += 1
        cur.commit()
        self._write_version += 1

    def close(self) -> None:
        self._con.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for the calling thread, closed afterwards."""
        cur = self._con.cursor()
        try:
            if self.read_only:
                schema.use_read_only_search_path(cur)
            yield cur
        finally:
            cur.close()

    @contextmanager
    def _write_transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The one way a write runs: under the write lock, in one DuckDB transaction, committed
        when the block ends (rolled back if it raises), then the write version bumped."""
        if self.read_only:
            raise StoreError("store_read_only", path=str(self.path))
        with self._write_lock, self.cursor() as cur:
            cur.begin()
            try:
                yield cur
                self.commit_changes(cur)
            except BaseException:
                rollback_quietly(cur)
                raise

    # -- reads (reads.py, reads.sql) ------------------------------------------------------------

    schema_version = reads.read_method(reads.schema_version)
    is_empty = reads.read_method(reads.is_empty)
    table_counts = reads.read_method(reads.table_counts)
    cycles = reads.read_method(reads.cycles)
    teams = reads.read_method(reads.teams)
    owners = reads.read_method(reads.owners)
    batches = reads.read_method(reads.batches)
    batch_changes = reads.read_method(reads.batch_changes)
    latest_data_date = reads.read_method(reads.latest_data_date)
    linked_key_results = reads.read_method(reads.linked_key_results)
    checkin_histories = reads.read_method(reads.checkin_histories)
    last_checkins = reads.read_method(reads.last_checkins)
    kpi_history = reads.read_method(reads.kpi_history)
    kpi_recent_values = reads.read_method(reads.kpi_recent_values)
    kpi_index = reads.read_method(reads.kpi_index)
    kpi_definitions = reads.read_method(reads.kpi_definitions)
    kpi_definition = reads.read_method(reads.kpi_definition)
    cycle_index = reads.read_method(reads.cycle_index)
    team_okrs = reads.read_method(reads.team_okrs)
    team_plans = reads.read_method(reads.team_plans)
    plan_dates = reads.read_method(reads.plan_dates)
    okr_version = reads.read_method(reads.okr_version)
    kpi_version = reads.read_method(reads.kpi_version)
    people = reads.read_method(reads.people)
    people_version = reads.read_method(reads.people_version)
    reminders_sent = reads.read_method(reads.reminders_sent)
    saved_mappings = reads.read_method(reads.saved_mappings)

    def key_result_index(self) -> pd.DataFrame:
        """Natural keys of the stored key results, for resolving check-ins during validation.

        Kept until the next write: a check-in form's save would otherwise spend most of its time
        reading 30,000 keys of a large company again. Callers must not modify the frame.
        """
        version = self.write_version
        cached = self._key_result_index
        if cached is not None and cached[0] == version:
            return cached[1]
        with self.cursor() as cur:
            frame = reads.key_result_index(cur)
        self._key_result_index = (version, frame)
        return frame

    # -- the kept scores (scores.py, scores.sql) ------------------------------------------------

    def scores(self, as_of: dt.date) -> Scores:
        version = self.write_version

        def score() -> Scores:
            with self.cursor() as cur:
                return scores.score(cur, as_of, version, lambda: self._write_version)

        return self._scores.get(version, as_of, score)

    def scored_dates(self) -> list[dt.date]:
        """The as-of dates asked of :meth:`scores` most recently, the latest first."""
        return self._scores.asked()

    def kr_scores(self, as_of: dt.date, cycle: str | None = None, team: str | None = None,
                  objective_id: int | None = None) -> pd.DataFrame:
        # The narrowest column first: its row positions pick the rows, the others compare those few.
        return self.scores(as_of).lookup("key_results", objective_id=objective_id, team=team, cycle=cycle)

    def objective_scores(self, as_of: dt.date, cycle: str | None = None, team: str | None = None) -> pd.DataFrame:
        return self.scores(as_of).lookup("objectives", team=team, cycle=cycle)

    def kpi_scores(self, as_of: dt.date, team: str | None = None) -> pd.DataFrame:
        return self.scores(as_of).lookup("kpis", team=team)

    def status_counts(self, as_of: dt.date, cycle: str) -> pd.DataFrame:
        return scores.status_counts(self, as_of, cycle)

    def needs_attention(self, as_of: dt.date, cycle: str, limit: int = 50, team: str | None = None) -> pd.DataFrame:
        return scores.needs_attention(self, as_of, cycle, limit, team)

    # -- writes (writes.py, writes.sql) and backups ---------------------------------------------

    def apply(self, files: list[FileChanges], writer: Access) -> list[WriteCounts]:
        return writes.apply(self._write_transaction, files, writer)

    def undo(self, batch_id: int, writer: Access) -> int:
        with self._write_transaction() as cur:
            return writes.undo(cur, batch_id, writer)

    def reset(self, writer: Access) -> None:
        writes.check_reset(writer)
        with self._write_transaction() as cur:
            writes.delete_everything(cur)

    def save_mapping(self, name: str, headers: str, text: str, writer: Access) -> None:
        writes.check_mapping_writer(writer)
        with writes.failures_as_store_error(), self._write_transaction() as cur:
            writes.save_mapping(cur, name, headers, text, writer)

    @contextmanager
    def sending_reminder(self, kind: str, person: str, week: dt.date) -> Iterator[bool]:
        """Record a reminder as sent in the transaction the caller sends it in: the block gets
        whether it is this one's to send (False: sent before), and the record commits when the block
        ends, or is rolled back if it raises (the send failed: the next run tries again)."""
        if self.read_only:
            raise StoreError("store_read_only", path=str(self.path))
        with self._write_lock, self.cursor() as cur:
            with writes.failures_as_store_error():
                cur.begin()
            try:
                with writes.failures_as_store_error():
                    claimed = writes.claim_reminder(cur, kind, person, week)
                yield claimed
                with writes.failures_as_store_error():
                    cur.commit()
            except BaseException:
                rollback_quietly(cur)
                raise

    def backup(self, folder: Path) -> Path:
        with self._write_lock, self.cursor() as cur:
            return backups.export(cur, folder, reads.schema_version(cur))
