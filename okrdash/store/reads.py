"""The store's reads of its tables: each function runs its statement of reads.sql on a cursor.

A store exposes each as a method (:func:`read_method`) that takes a cursor of its own, so the
PostgreSQL store's methods run the same functions on its mirror after bringing it up to date.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar

import duckdb

from okrdash import sqlfiles
from okrdash.models import Batch, Cycle
from okrdash.store.schema import DATA_TABLES

# pandas only names the frames' type here: DuckDB loads it with the first frame a read returns,
# so a command that never asks for one (okrdash status) starts without it.
if TYPE_CHECKING:
    import pandas as pd

READS_SQL = Path(__file__).with_name("reads.sql")
SQL = sqlfiles.named_queries(READS_SQL)
BATCH_FIELDS = ("id", "imported_at", "file_name", "sha256", "kind", "inserted", "updated", "imported_by",
                "imported_os_user", "undone_at", "undone_by", "undone_os_user")

P = ParamSpec("P")
R = TypeVar("R")


class HasCursor(Protocol):
    def cursor(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...


def read_method(read: Callable[Concatenate[duckdb.DuckDBPyConnection, P], R]
                ) -> Callable[Concatenate[HasCursor, P], R]:
    """``read`` as a method of a store: run on a cursor of that store."""
    @functools.wraps(read)
    def method(self: HasCursor, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.cursor() as cur:
            return read(cur, *args, **kwargs)
    return method


def _run(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
    sql = SQL[name]
    return cur.execute(sql, sqlfiles.parameters(sql, params))


def _df(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    return _run(cur, name, **params).df()


def _records(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[dict]:
    """Rows as plain Python dicts (dates stay dates, NULL stays None)."""
    result = _run(cur, name, **params)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def is_empty(cur: duckdb.DuckDBPyConnection) -> bool:
    return _run(cur, "is_empty").fetchall()[0][0]


def table_counts(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counted = dict(_run(cur, "table_counts").fetchall())
    return {table: counted[table] for table in DATA_TABLES}


def schema_version(cur: duckdb.DuckDBPyConnection) -> int:
    return _run(cur, "schema_version").fetchall()[0][0]


def cycles(cur: duckdb.DuckDBPyConnection) -> list[Cycle]:
    return [Cycle(name=n, start_date=s, end_date=e) for n, s, e in _run(cur, "cycles").fetchall()]


def teams(cur: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in _run(cur, "teams").fetchall()]


def linked_key_results(cur: duckdb.DuckDBPyConnection, cycle: str, team: str | None = None) -> dict[int, list[str]]:
    """KPI id -> titles of the cycle's key results that follow it (of ``team``, or of every team)."""
    return {kpi_id: titles for kpi_id, titles in _run(cur, "linked_key_results", cycle=cycle, team=team).fetchall()}


def checkin_histories(cur: duckdb.DuckDBPyConnection, key_result_ids: list[int], as_of: dt.date | None = None
                      ) -> dict[int, pd.DataFrame]:
    """Each key result's values over time (its check-ins, or its linked KPI's measurements), by
    id, in one query: an objective's key results cost one round trip, not one each."""
    rows = _df(cur, "checkin_histories", ids=[int(i) for i in key_result_ids], as_of=as_of)
    by_id = {int(kr_id): frame.drop(columns="key_result_id").reset_index(drop=True)
             for kr_id, frame in rows.groupby("key_result_id", sort=False)}
    none = rows.drop(columns="key_result_id").iloc[0:0]
    return {int(kr_id): by_id.get(int(kr_id), none) for kr_id in key_result_ids}


def last_checkins(cur: duckdb.DuckDBPyConnection, key_result_ids: list[int], as_of: dt.date) -> dict[int, dict]:
    """Each key result's last check-in up to ``as_of`` (date, value, note) by id, in one query; a
    key result without one is not in it."""
    return {int(row.pop("key_result_id")): row
            for row in _records(cur, "last_checkins", ids=[int(i) for i in key_result_ids], as_of=as_of)}


def kpi_history(cur: duckdb.DuckDBPyConnection, kpi_id: int, as_of: dt.date | None = None,
                since: dt.date | None = None) -> pd.DataFrame:
    return _df(cur, "kpi_history", kpi_id=kpi_id, as_of=as_of, since=since)


def kpi_recent_values(cur: duckdb.DuckDBPyConnection, as_of: dt.date, points: int = 12,
                      team: str | None = None) -> pd.DataFrame:
    """The last ``points`` values of each KPI, oldest first, for sparklines."""
    return _df(cur, "kpi_recent_values", as_of=as_of, points=points, team=team)


def latest_data_date(cur: duckdb.DuckDBPyConnection) -> dt.date | None:
    return _run(cur, "latest_data_date").fetchall()[0][0]


def batches(cur: duckdb.DuckDBPyConnection) -> list[Batch]:
    return [Batch(**dict(zip(BATCH_FIELDS, row))) for row in _run(cur, "batches").fetchall()]


def batch_changes(cur: duckdb.DuckDBPyConnection, batch_id: int) -> list[tuple[str, int, int]]:
    """Per table what undoing ``batch_id`` changes: (table, rows it holds, earlier rows it replaced)."""
    return [(table, int(written), int(replaced))
            for table, written, replaced in _run(cur, "batch_changes", batch=batch_id).fetchall()]


def key_result_index(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Natural keys of the stored key results, for resolving check-ins during validation."""
    return _df(cur, "key_result_index")


def kpi_index(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    return _records(cur, "kpi_index")


def kpi_definitions(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    """Stored KPI definitions, so a file may leave a known KPI's columns blank."""
    return _records(cur, "kpi_definitions")


def kpi_definition(cur: duckdb.DuckDBPyConnection, team: str, name: str) -> dict | None:
    """One KPI's stored definition (as :func:`kpi_definitions` has it), or None."""
    found = _records(cur, "kpi_definition", t=team, n=name)
    return found[0] if found else None


def team_okrs(cur: duckdb.DuckDBPyConnection, cycle: str, team: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A team's objectives and key results of one cycle as stored, for the OKR editor."""
    return (_df(cur, "team_objectives", cycle=cycle, team=team),
            _df(cur, "team_key_results", cycle=cycle, team=team))


def team_plans(cur: duckdb.DuckDBPyConnection, cycle: str, team: str) -> pd.DataFrame:
    """The planned values (objective, key_result, date, planned) of a team's key results of one cycle."""
    return _df(cur, "team_plans", cycle=cycle, team=team)


def plan_dates(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    """The day of every stored planned value (cycle, team, objective, key_result, date)."""
    return _records(cur, "plan_dates")


def okr_version(cur: duckdb.DuckDBPyConnection, cycle: str, team: str) -> frozenset[int]:
    """The batches whose rows make up a team's objectives and key results of a cycle now.

    Any import, edit or undo of them since changes this set: the OKR editor compares it at
    save time to refuse an edit over a table someone else changed since it was opened.
    """
    return frozenset(r[0] for r in _run(cur, "okr_version", c=cycle, t=team).fetchall() if r[0] is not None)


def kpi_version(cur: duckdb.DuckDBPyConnection, team: str, name: str) -> frozenset[int]:
    """The batches that wrote a KPI's definition (see :func:`okr_version`)."""
    return frozenset(r[0] for r in _run(cur, "kpi_version", t=team, n=name).fetchall() if r[0] is not None)


def owners(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Every owner name of objectives, key results and KPIs (owner fields offer them)."""
    return [r[0] for r in _run(cur, "owners").fetchall()]


def cycle_index(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    return _records(cur, "cycle_index")


def people(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    """The people okrdash reminds, as stored (``okrdash.people.stored_people`` reads them as Person)."""
    return _records(cur, "people")


def people_version(cur: duckdb.DuckDBPyConnection) -> frozenset[int]:
    """The batches that wrote the people as they are now (see :func:`okr_version`)."""
    return frozenset(r[0] for r in _run(cur, "people_version").fetchall() if r[0] is not None)


def reminders_sent(cur: duckdb.DuckDBPyConnection, week: dt.date) -> set[tuple[str, str]]:
    """(kind, person) of each reminder sent for the week starting ``week``."""
    return {(kind, person) for kind, person in _run(cur, "reminders_sent", week=week).fetchall()}


def saved_mappings(cur: duckdb.DuckDBPyConnection, headers: str) -> list[tuple[str, str]]:
    """(name, TOML text) of the mappings saved for files whose headers' signature is ``headers``, by name."""
    return [(name, text) for name, text in _run(cur, "saved_mappings", headers=headers).fetchall()]
