"""PostgreSQL as the store's database: a store that holds an in-memory DuckDB store, the mirror of
the tables held in PostgreSQL, and keeps the two equal.

Every read, the rules (rules.sql) and the write SQL are the DuckDB store's, run on the mirror (reads
through it, writes through okrdash.store.writes inside this store's own transaction); this module
only keeps the mirror and PostgreSQL equal:

- The PostgreSQL tables are made from the mirror's own schema (the DuckDB migrations, read back
  from information_schema with a type map), so there is one schema source; a later migration's
  new columns are added to PostgreSQL when a process first opens it.
- Reads: at most once per ``pg_poll_seconds`` a read asks PostgreSQL for the latest version of
  its change log (okrdash_changes: one row per write with the batches it wrote or undid); the
  rows of those batches, and the rows they replaced or restored, are copied out of PostgreSQL
  (COPY, CSV: postgres_copy.py) into the mirror in one mirror transaction (everything at first and
  after a reset or restore), and the mirror's write version moves on so every cache keyed by it
  (the kept scores, ui.context) refreshes. Each write prunes log rows older than a week (keeping the newest); a mirror behind
  the pruned rows (okrdash_pruned) reloads everything.
- Writes (apply, undo, reset, restore): one PostgreSQL transaction holding an advisory lock
  (writers of every process and machine take turns), the mirror brought up to date inside it, the
  store's own write code run on the mirror, then exactly the rows that write touched pushed to
  PostgreSQL: the rows of its batch, the rows it replaced or removed (found through the ``*_prior``
  tables), for an undo the rows it restores. PostgreSQL commits first, the mirror after; a failure
  rolls both back.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import duckdb
import psycopg
import pyarrow as pa
from psycopg import sql

from okrdash import postgres_copy, sqlfiles
from okrdash.access import Access
from okrdash.settings import Settings, settings as default_settings
from okrdash.store import backups, writes
from okrdash.store.errors import StoreError, first_line, rollback_quietly
from okrdash.store.file_store import DuckDBStore
from okrdash.store.interface import Store
from okrdash.store.locations import write_lock_of
from okrdash.store.schema import DATA_TABLES, UNBATCHED_TABLES, VERSIONED_TABLES
from okrdash.store.writes import FileChanges, WriteCounts

POSTGRES_SQL = Path(__file__).with_name("postgres.sql")
MIRROR_SQL = Path(__file__).with_name("mirror.sql")
# pg_advisory_xact_lock key of okrdash's writers ("okrd").
LOCK_KEY = 0x6F6B7264
SEQUENCES = ("batch_ids", "objective_ids", "key_result_ids", "kpi_ids")
# DuckDB type -> PostgreSQL type, for the tables the migrations define.
PG_TYPES = {"INTEGER": "integer", "BIGINT": "bigint", "DOUBLE": "double precision", "VARCHAR": "text",
            "DATE": "date", "TIMESTAMP": "timestamp", "BOOLEAN": "boolean"}
# Days of okrdash_changes kept (see postgres.sql, prune_changes).
CHANGE_LOG_DAYS = 7


SQL = {name: sql.strip() for name, sql in sqlfiles.named_queries(POSTGRES_SQL).items()}
MIRROR = sqlfiles.named_queries(MIRROR_SQL)

P = ParamSpec("P")
R = TypeVar("R")


def _mirrored(read: Callable[Concatenate[DuckDBStore, P], R]) -> Callable[Concatenate[PostgresStore, P], R]:
    """A read of the DuckDB store as one of this store: run on the mirror once it is up to date."""
    @functools.wraps(read)
    def method(self: PostgresStore, *args: P.args, **kwargs: P.kwargs) -> R:
        self._before_read()
        return read(self._mirror, *args, **kwargs)
    return method


def _arrow(cur: duckdb.DuckDBPyConnection, query: str, params: list | dict | None = None) -> pa.Table:
    """A query's rows as an Arrow table (``sql``, not ``execute``: no extra copy of the rows)."""
    return cur.sql(query, params=params).to_arrow_table()


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


class PostgresStore:
    """The okrdash database in PostgreSQL (``OKRDASH_DB=postgresql://user@host/dbname``)."""

    def __init__(self, url: str, config: Settings | None = None, *, read_only: bool = False):
        self.url = url
        self.path: Path | str = safe_url(url)
        self.config = config or default_settings()
        # Read-only refuses writes; okrdash's tables are still created in an empty database.
        self.read_only = read_only
        self._pg_ready = False
        self._in_write = False
        self._last_poll = 0.0
        # The error of the last poll that could not reach PostgreSQL (None once one reaches it again).
        self._unreachable: StoreError | None = None
        # The okrdash_changes version the mirror holds (None: nothing loaded yet).
        self._known: int | None = None
        self._pg: psycopg.Connection | None = None
        with self._unreachable_as_store_error():
            self._pg = self._connect_pg()
        try:
            self._mirror = DuckDBStore(":memory:", self.config)  # migrations and rules, as any store
        except BaseException:
            self._pg.close()
            raise
        self._write_lock = write_lock_of(url)
        self._columns_of, self._constraints_of = self._mirror_schema()
        self._keys_of = {table: next(columns for kind, columns in self._constraints_of[table] if kind == "PRIMARY KEY")
                         for table in ("cycles", *VERSIONED_TABLES)}
        try:
            with self._write_lock, self._unreachable_as_store_error():
                pg = self._connection()
                with pg.transaction():
                    pg.execute(SQL["lock"], {"key": LOCK_KEY})
                    self._create_schema(pg)
                    self._sync(pg)
        except BaseException:
            self.close()
            raise
        self._pg_ready = True
        self._last_poll = time.monotonic()  # the mirror is PostgreSQL's as of now

    def close(self) -> None:
        if self._pg is not None:
            self._pg.close()
        self._mirror.close()

    @property
    def write_lock(self) -> threading.RLock:
        return self._write_lock

    @property
    def write_version(self) -> int:
        self._before_read()
        return self._mirror.write_version

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of the mirror, brought up to date first (at most once per ``pg_poll_seconds``)."""
        self._before_read()
        with self._mirror.cursor() as cur:
            yield cur

    # -- reads: the DuckDB store's, on the mirror -------------------------------------------------

    schema_version = _mirrored(DuckDBStore.schema_version)
    is_empty = _mirrored(DuckDBStore.is_empty)
    table_counts = _mirrored(DuckDBStore.table_counts)
    cycles = _mirrored(DuckDBStore.cycles)
    teams = _mirrored(DuckDBStore.teams)
    owners = _mirrored(DuckDBStore.owners)
    batches = _mirrored(DuckDBStore.batches)
    batch_changes = _mirrored(DuckDBStore.batch_changes)
    latest_data_date = _mirrored(DuckDBStore.latest_data_date)
    linked_key_results = _mirrored(DuckDBStore.linked_key_results)
    checkin_histories = _mirrored(DuckDBStore.checkin_histories)
    last_checkins = _mirrored(DuckDBStore.last_checkins)
    kpi_history = _mirrored(DuckDBStore.kpi_history)
    kpi_recent_values = _mirrored(DuckDBStore.kpi_recent_values)
    kpi_index = _mirrored(DuckDBStore.kpi_index)
    kpi_definitions = _mirrored(DuckDBStore.kpi_definitions)
    kpi_definition = _mirrored(DuckDBStore.kpi_definition)
    cycle_index = _mirrored(DuckDBStore.cycle_index)
    team_okrs = _mirrored(DuckDBStore.team_okrs)
    team_plans = _mirrored(DuckDBStore.team_plans)
    plan_dates = _mirrored(DuckDBStore.plan_dates)
    key_result_index = _mirrored(DuckDBStore.key_result_index)
    scores = _mirrored(DuckDBStore.scores)
    scored_dates = _mirrored(DuckDBStore.scored_dates)
    kr_scores = _mirrored(DuckDBStore.kr_scores)
    objective_scores = _mirrored(DuckDBStore.objective_scores)
    kpi_scores = _mirrored(DuckDBStore.kpi_scores)
    status_counts = _mirrored(DuckDBStore.status_counts)
    needs_attention = _mirrored(DuckDBStore.needs_attention)
    people = _mirrored(DuckDBStore.people)

    def okr_version(self, cycle: str, team: str) -> frozenset[int]:
        """As the DuckDB store's, from PostgreSQL's current rows (the OKR editor compares it at save
        time, so another process's save moments ago must count)."""
        self.refresh()
        return self._mirror.okr_version(cycle, team)

    def kpi_version(self, team: str, name: str) -> frozenset[int]:
        self.refresh()
        return self._mirror.kpi_version(team, name)

    def people_version(self) -> frozenset[int]:
        self.refresh()
        return self._mirror.people_version()

    # -- reminders sent: read and claimed in PostgreSQL itself ---------------------------------
    # They are no batch's rows, so the change log does not carry them to other processes' mirrors:
    # every process asks PostgreSQL, and a backup copies them from there first.

    def reminders_sent(self, week: dt.date) -> set[tuple[str, str]]:
        with self._write_lock, self._unreachable_as_store_error():
            return {(kind, person) for kind, person in
                    self._connection().execute(SQL["reminders_sent"], {"week": week}).fetchall()}

    @contextmanager
    def sending_reminder(self, kind: str, person: str, week: dt.date) -> Iterator[bool]:
        if self.read_only:
            raise StoreError("store_read_only", path=self.path)
        with self._write_lock, self._unreachable_as_store_error():
            pg = self._connection()
            with pg.transaction():
                claimed = pg.execute(SQL["claim_reminder"], {"kind": kind, "person": person, "week": week}
                                     ).fetchone() is not None
                yield claimed

    # -- saved mappings: read and written in PostgreSQL itself, as reminders sent are --------------

    def saved_mappings(self, headers: str) -> list[tuple[str, str]]:
        with self._write_lock, self._unreachable_as_store_error():
            return [(name, text) for name, text in
                    self._connection().execute(SQL["saved_mappings"], {"headers": headers}).fetchall()]

    def save_mapping(self, name: str, headers: str, text: str, writer: Access) -> None:
        if self.read_only:
            raise StoreError("store_read_only", path=self.path)
        writes.check_mapping_writer(writer)
        with self._write_lock, self._unreachable_as_store_error():
            self._connection().execute(SQL["save_mapping"], {"name": name, "headers": headers, "mapping": text,
                                                             "saved_by": writer.who})

    def _copy_unbatched(self) -> None:
        """The mirror's reminders_sent and saved_mappings as PostgreSQL's (for a backup)."""
        with self._write_lock, self._unreachable_as_store_error(), self._mirror.cursor() as cur:
            copied = {table: postgres_copy.copy_out(self._connection(), table, self._column_names(table))
                      for table in UNBATCHED_TABLES}
            cur.begin()
            try:
                for table, rows in copied.items():
                    cur.execute(f"DELETE FROM {table}")
                    postgres_copy.insert_text_rows(cur, table, rows, self._columns_of[table])
                cur.commit()
            except BaseException:
                rollback_quietly(cur)
                raise

    # -- writes: okrdash.store.writes on the mirror, inside this store's transaction ---------------

    def apply(self, files: list[FileChanges], writer: Access) -> list[WriteCounts]:
        return writes.apply(self._write_transaction, files, writer)

    def undo(self, batch_id: int, writer: Access) -> int:
        with self._write_transaction(undo_of=batch_id) as cur:
            return writes.undo(cur, batch_id, writer)

    def reset(self, writer: Access) -> None:
        writes.check_reset(writer)
        with self._write_transaction(everything=True) as cur:
            writes.delete_everything(cur)

    def backup(self, folder: Path) -> Path:
        """The same backup folder as a database file's: the mirror, brought up to date first."""
        with self._write_lock:
            self.refresh()
            self._copy_unbatched()
            return self._mirror.backup(folder)

    # -- PostgreSQL connection -------------------------------------------------------------------

    def _connect_pg(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True, connect_timeout=10, application_name="okrdash")

    def _connection(self) -> psycopg.Connection:
        """The process's PostgreSQL connection (used under the write lock), opened again after a loss."""
        if self._pg is None or self._pg.closed or self._pg.broken:
            self._pg = self._connect_pg()
        return self._pg

    @contextmanager
    def _unreachable_as_store_error(self) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as error:
            lost = self._pg is None or self._pg.closed or self._pg.broken
            if isinstance(error, psycopg.OperationalError) and lost:  # no server, refused, dropped
                raise StoreError("store_unreachable", url=safe_url(self.url), detail=first_line(error)) from None
            raise StoreError("write_failed", detail=first_line(error)) from error

    # -- schema ---------------------------------------------------------------------------------

    def _mirror_schema(self) -> tuple[dict[str, list[tuple[str, str, bool]]], dict[str, list[tuple[str, list[str]]]]]:
        """Per mirrored table: its columns (name, DuckDB type, nullable) in order, and its primary
        key and unique constraints, as the DuckDB migrations made them."""
        tables = ["schema_version", *DATA_TABLES]
        columns: dict[str, list[tuple[str, str, bool]]] = {table: [] for table in tables}
        constraints: dict[str, list[tuple[str, list[str]]]] = {table: [] for table in tables}
        with self._mirror.cursor() as cur:
            for table, name, kind, nullable in cur.execute(MIRROR["columns"], {"tables": tables}).fetchall():
                columns[table].append((name, kind, nullable == "YES"))
            for table, kind, names in cur.execute(MIRROR["keys"], {"tables": tables}).fetchall():
                constraints[table].append((kind, names))
        return columns, constraints

    def _column_names(self, table: str) -> list[str]:
        return [name for name, _, _ in self._columns_of[table]]

    def _create_schema(self, pg: psycopg.Connection) -> None:
        """Create in PostgreSQL what the mirror's migrations define and PostgreSQL lacks."""
        pg.execute(SQL["bookkeeping"])
        existing: dict[str, set[str]] = {}
        for table, column in pg.execute(SQL["columns"]).fetchall():
            existing.setdefault(table, set()).add(column)
        def column_sql(name: str, kind: str, nullable: bool) -> sql.Composable:
            return sql.SQL("{} {}{}").format(sql.Identifier(name), sql.SQL(PG_TYPES[kind]),
                                             sql.SQL("" if nullable else " NOT NULL"))

        statements: list[sql.Composable] = []
        for table, columns in self._columns_of.items():
            if table not in existing:
                parts = [column_sql(*column) for column in columns]
                parts += [sql.SQL("{} ({})").format(sql.SQL(kind), sql.SQL(", ").join(map(sql.Identifier, names)))
                          for kind, names in self._constraints_of[table]]
                statements.append(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(table),
                                                                         sql.SQL(", ").join(parts)))
                continue
            for name, kind, _ in columns:  # a later migration's new column (nullable: old rows have none)
                if name not in existing[table]:
                    statements.append(sql.SQL("ALTER TABLE {} ADD COLUMN {}").format(
                        sql.Identifier(table), column_sql(name, kind, True)))
        # What a mirror reloads and a write pushes is found by batch: batch_id of the tables,
        # replaced_by of their *_prior copies. Without these, each poll scans 1.8 M measurements.
        for table, columns in self._columns_of.items():
            for column in ("batch_id", "replaced_by"):
                if any(name == column for name, _, _ in columns):
                    statements.append(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                        sql.Identifier(f"okrdash_{table}_{column}"), sql.Identifier(table), sql.Identifier(column)))
        if statements:  # one round trip
            pg.execute(sql.SQL("; ").join(statements))
        with self._mirror.cursor() as cur:
            applied = cur.execute(MIRROR["applied_versions"]).fetchall()
        have = {row[0] for row in pg.execute(SQL["schema_versions"]).fetchall()}
        for version, applied_at in applied:
            if version not in have:
                pg.execute(SQL["add_schema_version"], {"version": version, "applied_at": applied_at})

    # -- bringing in other processes' writes ----------------------------------------------------

    def _before_read(self) -> None:
        """At most once per ``pg_poll_seconds``: reload the tables another process changed.

        After a poll that could not reach PostgreSQL, every read says so until a poll reaches it
        again, whichever thread polled (the warmer polls every second): the mirror is no longer known
        to be current, and a page shows the outage instead of numbers that may be old."""
        if not self._pg_ready:
            return
        if time.monotonic() - self._last_poll < self.config.pg_poll_seconds:
            if self._unreachable is not None:
                raise self._unreachable
            return
        # A write in progress (another thread) refreshes the mirror itself; the reader goes on.
        if not self._write_lock.acquire(blocking=False):
            return
        try:
            if self._in_write:  # this thread's own write, between its statements
                return
            self._last_poll = time.monotonic()
            try:
                self.refresh()
            except StoreError as error:
                if error.code == "store_unreachable":
                    self._unreachable = error
                raise
            self._unreachable = None
        finally:
            self._write_lock.release()

    def refresh(self) -> bool:
        """Bring the mirror to PostgreSQL's current state now; whether anything changed."""
        with self._write_lock, self._unreachable_as_store_error():
            pg = self._connection()
            # One snapshot for the change log and every row copied, so the mirror never mixes two writes.
            pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            try:
                with pg.transaction():
                    return self._sync(pg)
            finally:
                pg.isolation_level = None

    def _sync(self, pg: psycopg.Connection) -> bool:
        """Bring the mirror to PostgreSQL's state: the rows of the batches written or undone since
        the mirror's version (all of every table at first, and after a reset or restore)."""
        if self._known is None:
            latest, everything, batches = pg.execute(SQL["latest"]).fetchone()[0], True, []
        else:
            latest, everything, batches = pg.execute(SQL["changes_since"], {"version": self._known}).fetchone()
            if latest == self._known:
                return False
        with self._mirror.cursor() as cur:
            try:
                cur.begin()
                if everything:
                    for table in DATA_TABLES:
                        cur.execute(f"DELETE FROM {table}")
                        rows = postgres_copy.copy_out(pg, table, self._column_names(table))
                        postgres_copy.insert_text_rows(cur, table, rows, self._columns_of[table])
                else:
                    self._reload_batches(pg, cur, list(batches))
                self._mirror.commit_changes(cur)
            except BaseException:
                rollback_quietly(cur)
                self._known = None  # the mirror is as before; reload everything next time
                raise
        self._advance_sequences(dict(pg.execute(SQL["sequences"]).fetchall()))
        self._known = latest
        return True

    def _reload_batches(self, pg: psycopg.Connection, cur: duckdb.DuckDBPyConnection, batches: list[int]) -> None:
        """Replace the mirror's rows that ``batches`` (written or undone elsewhere) changed.

        A row a write changed is, before it, one of the mirror's rows of those batches or replaced by
        them (``*_prior``), or, after it, one of PostgreSQL's: so those keys, from both sides, are
        deleted from the mirror and PostgreSQL's rows of them are copied in.
        """
        mine = self._touched_keys(cur, batches, main=True)
        for table, key in self._keys_of.items():
            kinds = {name: kind for name, kind, _ in self._columns_of[table]}
            keys = sql.SQL(", ").join(map(sql.Identifier, key))
            where = [sql.SQL("batch_id = ANY(%(b)s)")]
            if table in VERSIONED_TABLES:
                where.append(sql.SQL("({}) IN (SELECT {} FROM {} WHERE replaced_by = ANY(%(b)s))").format(
                    keys, keys, sql.Identifier(f"{table}_prior")))
            params: dict[str, object] = {"b": batches}
            if mine[table].num_rows:
                arrays = sql.SQL(", ").join(sql.SQL("%({})s::{}[]").format(sql.SQL(f"k{i}"), sql.SQL(PG_TYPES[kinds[c]]))
                                            for i, c in enumerate(key))
                where.append(sql.SQL("({}) IN (SELECT * FROM unnest({}))").format(keys, arrays))
                params.update({f"k{i}": mine[table].column(c).to_pylist() for i, c in enumerate(key)})
            names = self._column_names(table)
            rows = postgres_copy.copy_out(pg, table, names, sql.SQL(" OR ").join(where), params)
            join = " AND ".join(f't."{c}" = k."{c}"' for c in key)
            cur.register("old_keys", mine[table])
            try:
                cur.execute(f"DELETE FROM {table} t USING old_keys k WHERE {join}")
            finally:
                cur.unregister("old_keys")
            if rows.num_rows:
                casts = ", ".join(f'CAST("{c}" AS {kinds[c]}) AS "{c}"' for c in key)
                cur.register("pg_rows", rows)
                try:
                    cur.execute(f"DELETE FROM {table} t USING (SELECT {casts} FROM pg_rows) k WHERE {join}")
                finally:
                    cur.unregister("pg_rows")
            postgres_copy.insert_text_rows(cur, table, rows, self._columns_of[table])
        for table in (*(f"{t}_prior" for t in VERSIONED_TABLES), "batches"):
            column = "id" if table == "batches" else "replaced_by"
            cur.execute(f"DELETE FROM {table} WHERE list_contains(?::INTEGER[], {column})", [batches])
            rows = postgres_copy.copy_out(pg, table, self._column_names(table),
                                          sql.SQL("{} = ANY(%(b)s)").format(sql.Identifier(column)), {"b": batches})
            postgres_copy.insert_text_rows(cur, table, rows, self._columns_of[table])
        # A row those batches removed (a key result dropped in the OKR editor) is in no batch of
        # them and no longer in PostgreSQL: only its *_prior copy, now in the mirror, names it.
        for table in VERSIONED_TABLES:
            join = " AND ".join(f't."{c}" = p."{c}"' for c in self._keys_of[table])
            cur.execute(f"""DELETE FROM {table} t USING {table}_prior p
                            WHERE list_contains($b::INTEGER[], p.replaced_by) AND {join}
                              AND NOT list_contains($b::INTEGER[], t.batch_id)""", {"b": batches})

    def _sequence_values(self, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        """The last id each sequence gave out (a restored sequence starts after its backup's last)."""
        rows = con.execute(MIRROR["sequences"]).fetchall()
        return {name: (last if last is not None else start - 1) for name, start, last in rows if name in SEQUENCES}

    def _advance_sequences(self, wanted: dict[str, int | None]) -> None:
        """Move the mirror's sequences on to ``wanted`` (DuckDB sequences cannot be set: nextval
        is called as many times as needed, which costs milliseconds for 100,000 ids)."""
        with self._mirror.cursor() as cur:
            have = self._sequence_values(cur)
            for name in SEQUENCES:
                gap = (wanted.get(name) or 0) - have.get(name, 0)
                if gap > 0:
                    cur.execute(MIRROR["advance_sequence"].format(name=name), {"gap": gap}).fetchall()

    # -- writes ---------------------------------------------------------------------------------

    @contextmanager
    def _write_transaction(self, undo_of: int | None = None, everything: bool = False
                           ) -> Iterator[duckdb.DuckDBPyConnection]:
        if self.read_only:
            raise StoreError("store_read_only", path=self.path)
        with self._write_lock, self._mirror.cursor() as cur:
            self._in_write = True
            mirror_open = False
            try:
                with self._unreachable_as_store_error():
                    pg = self._connection()
                    with pg.transaction():
                        pg.execute(SQL["lock"], {"key": LOCK_KEY})
                        self._sync(pg)
                        last_batch = cur.execute(MIRROR["last_batch"]).fetchall()[0][0]
                        before = self._touched_keys(cur, [undo_of], main=True) if undo_of is not None else {}
                        cur.begin()
                        mirror_open = True
                        yield cur
                        batches = [r[0] for r in cur.execute(MIRROR["batches_after"], {"batch": last_batch}).fetchall()]
                        if undo_of is not None:
                            batches.append(undo_of)
                        self._push(pg, cur, batches, before, everything)
                        for name, value in self._sequence_values(cur).items():
                            pg.execute(SQL["set_sequence"], {"name": name, "value": value})
                        version = pg.execute(SQL["log_change"], {"batches": batches, "everything": everything}
                                             ).fetchone()[0]
                        pg.execute(SQL["prune_changes"], {"version": version, "days": CHANGE_LOG_DAYS})
                    # PostgreSQL has committed: now the mirror.
                self._mirror.commit_changes(cur)
                mirror_open = False
                self._known = version
            except BaseException:
                if mirror_open:
                    rollback_quietly(cur)
                raise
            finally:
                self._in_write = False

    def _touched_keys(self, cur: duckdb.DuckDBPyConnection, batches: list[int], main: bool) -> dict[str, pa.Table]:
        """Per table, the keys of rows ``batches`` wrote (``main``) or replaced (their ``*_prior`` rows)."""
        found = {}
        for table, key in self._keys_of.items():
            columns = ", ".join(key)
            parts = [f"SELECT {columns} FROM {table} WHERE list_contains($b::INTEGER[], batch_id)"] if main else []
            if table in VERSIONED_TABLES:
                parts.append(f"SELECT {columns} FROM {table}_prior WHERE list_contains($b::INTEGER[], replaced_by)")
            if parts:
                found[table] = _arrow(cur, " UNION ".join(parts), {"b": batches})
        return found

    def _push(self, pg: psycopg.Connection, cur: duckdb.DuckDBPyConnection, batches: list[int],
              before: dict[str, pa.Table], everything: bool) -> list[str]:
        """Make PostgreSQL's rows equal the mirror's where ``batches`` changed them; the tables changed.

        A row PostgreSQL holds that the write changed is one the write replaced or removed (kept in
        ``*_prior``) or, for an undo, one of the undone batch's own rows (``before``): those are
        deleted; then the mirror's rows of those keys and of the batch's own rows are inserted.
        """
        if everything:
            for table in reversed(DATA_TABLES):
                pg.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
                postgres_copy.copy_in(pg, table, _arrow(cur, f"SELECT {self._select_list(table)} FROM {table}"),
                                      self._column_names(table))
            return list(DATA_TABLES)
        if not batches:
            return []
        touched = []
        replaced = self._touched_keys(cur, batches, main=False)
        written = self._touched_keys(cur, batches, main=True)
        for table, key in self._keys_of.items():
            gone = pa.concat_tables([t for t in (before.get(table), replaced.get(table)) if t is not None]
                                    or [written[table].slice(0, 0)])
            if gone.num_rows:
                postgres_copy.delete_keys(pg, table, key, gone)
            wanted = pa.concat_tables([gone, written[table]])
            if not wanted.num_rows:
                continue
            cur.register("push_keys", wanted)
            try:
                rows = _arrow(cur, f"""SELECT {self._select_list(table)} FROM {table}
                                       SEMI JOIN push_keys USING ({", ".join(key)})""")
            finally:
                cur.unregister("push_keys")
            postgres_copy.copy_in(pg, table, rows, self._column_names(table))
            touched.append(table)
        for table in (*(f"{t}_prior" for t in VERSIONED_TABLES), "batches"):
            column = "id" if table == "batches" else "replaced_by"
            deleted = pg.execute(sql.SQL("DELETE FROM {} WHERE {} = ANY(%s)").format(
                sql.Identifier(table), sql.Identifier(column)), [batches]).rowcount
            rows = _arrow(cur, f"SELECT {self._select_list(table)} FROM {table} "
                               f"WHERE list_contains(?::INTEGER[], {column})", [batches])
            postgres_copy.copy_in(pg, table, rows, self._column_names(table))
            if deleted or rows.num_rows:
                touched.append(table)
        return touched

    def _select_list(self, table: str) -> str:
        return ", ".join(f'"{name}"' for name in self._column_names(table))

    def load_from(self, source: Store) -> None:
        """Replace every row with ``source``'s (restore, or moving from a database file)."""
        with self._write_transaction(everything=True) as cur:
            for table in DATA_TABLES:
                cur.execute(f"DELETE FROM {table}")
                with source.cursor() as src:
                    rows = _arrow(src, f"SELECT {self._select_list(table)} FROM {table}")
                if rows.num_rows:
                    cur.register("source_rows", rows)
                    try:
                        cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM source_rows")
                    finally:
                        cur.unregister("source_rows")
            with source.cursor() as src:
                wanted = self._sequence_values(src)
            self._advance_sequences(wanted)


def restore_into(folder: Path, url: str) -> None:
    """Load a checked backup folder into an empty PostgreSQL database (the folder is the one
    ``okrdash backup`` writes from a file or from PostgreSQL; older schema versions are migrated)."""
    with tempfile.TemporaryDirectory(prefix="okrdash-restore-") as scratch:
        path = Path(scratch) / "restore.duckdb"
        backups.import_into(folder, path)
        source = DuckDBStore(path)  # migrates a backup of an older schema
        try:
            target = PostgresStore(url, source.config)
            try:
                if not (target.is_empty() and not target.batches()):
                    raise StoreError("restore_target_not_empty", path=safe_url(url))
                target.load_from(source)
            finally:
                target.close()
        finally:
            source.close()
