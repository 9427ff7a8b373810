"""Opening a DuckDB database: the connection, the schema's migrations and the rules' macros.

The migrations and every statement here are in schema.sql; the rules are okrdash/rules.sql.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from okrdash import sqlfiles
from okrdash.settings import RULE_SETTINGS, Settings, settings as default_settings
from okrdash.store.errors import StoreError, first_line

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
RULES_SQL = Path(__file__).parent.parent / "rules.sql"
SQL = sqlfiles.named_queries(SCHEMA_SQL)
MIGRATIONS: dict[int, str] = {int(name.removeprefix("migration ")): sql for name, sql in SQL.items()
                              if name.startswith("migration ")}
SCHEMA_VERSION = max(MIGRATIONS)

# Tables whose rows imports write, parents before children.
VERSIONED_TABLES = ("kpis", "kpi_measurements", "objectives", "key_results", "checkins", "kr_plans", "people")
# reminders_sent (written by okrdash remind, one row a message) and saved_mappings (the Upload
# page's saved answers) are not written by batches: no undo.
UNBATCHED_TABLES = ("reminders_sent", "saved_mappings")
DATA_TABLES = ("batches", "cycles", "objectives", "key_results", "checkins", "kr_plans", "kpis", "kpi_measurements",
               "people", *UNBATCHED_TABLES, *(f"{t}_prior" for t in VERSIONED_TABLES))


def connect(path: str, config: Settings | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the file (or memory), turning DuckDB's lock error into one that names the process holding it.

    Threads and memory come from settings: DuckDB's own defaults (every core, 80% of memory) are
    right for one process, not for several okrdash processes on one host. ``read_only`` leaves the
    file's bytes as they are (schema.sql, attach_read_only): every cursor of that connection needs
    :func:`use_read_only_search_path`.
    """
    config = config or default_settings()
    options = {"memory_limit": config.duckdb_memory_limit}
    if config.duckdb_threads:
        options["threads"] = config.duckdb_threads
    try:
        if not read_only:
            return duckdb.connect(path, config=options)
        con = duckdb.connect(":memory:", config=options)
        try:
            con.execute(SQL["attach_read_only"].format(path=quoted(Path(path))))
        except BaseException:
            con.close()
            raise
        return con
    except duckdb.Error as error:
        holder = re.search(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)", str(error))
        if holder is None:  # a damaged or truncated file, or not a DuckDB database at all
            raise StoreError("store_unreadable", path=path, detail=first_line(error)) from None
        raise StoreError("store_locked", path=path, pid=holder["pid"], program=_process_name(holder["pid"],
                         holder["program"])) from None


def use_read_only_search_path(cur: duckdb.DuckDBPyConnection) -> None:
    cur.execute(SQL["read_only_search_path"])


def quoted(path: Path) -> str:
    """A quoted SQL string for a path: ATTACH, EXPORT and IMPORT DATABASE take no parameters."""
    return "'" + str(path.resolve()).replace("'", "''") + "'"


def _process_name(pid: str, program: str) -> str:
    """The holder's command line when we may read it ("okrdash serve", "streamlit run app.py" ...)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip() or program
    except OSError:
        return program


def applied_version(cur: duckdb.DuckDBPyConnection) -> int:
    """The schema version of the open database (0: none yet)."""
    if not cur.execute(SQL["has_version_table"]).fetchall()[0][0]:
        return 0
    return cur.execute(SQL["applied_version"]).fetchall()[0][0]


def require_current(cur: duckdb.DuckDBPyConnection, path: str) -> None:
    """Refuse a read-only open of a database an older okrdash wrote: its migrations need a write
    open, and the rules would read tables without the columns they expect."""
    version = applied_version(cur)
    if version < SCHEMA_VERSION:
        raise StoreError("store_needs_upgrade", path=path, version=version, wanted=SCHEMA_VERSION)


def migrate(cur: duckdb.DuckDBPyConnection) -> None:
    """Apply the migrations the database has not had, each in its own transaction."""
    cur.execute(SQL["version_table"])
    current = cur.execute(SQL["applied_version"]).fetchall()[0][0]
    for version in sorted(v for v in MIGRATIONS if v > current):
        cur.begin()
        cur.execute(MIGRATIONS[version])
        cur.execute(SQL["record_version"], {"version": version})
        cur.commit()


def install_rules(cur: duckdb.DuckDBPyConnection, config: Settings) -> None:
    """Create the rules' macros (rules.sql) with this process's thresholds (every rule setting) as their
    defaults."""
    thresholds = config.model_dump(include=set(RULE_SETTINGS))
    # Thresholds are validated numbers from settings, written as SQL literals for macro defaults.
    cur.execute(RULES_SQL.read_text().format(**{k: repr(float(v)) for k, v in thresholds.items()}))
