"""What every store offers, whatever holds its data: the type the pages, the importer, the CLI and
the tests are written against. Two backends implement it: a DuckDB file
(:class:`~okrdash.store.file_store.DuckDBStore`) and PostgreSQL through an in-memory DuckDB mirror
(:class:`~okrdash.postgres_store.PostgresStore`); :func:`~okrdash.store.open_store` picks one.
"""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import duckdb

from okrdash.access import Access
from okrdash.models import Batch, Cycle
from okrdash.settings import Settings
from okrdash.store.scores import Scores
from okrdash.store.writes import FileChanges, WriteCounts

# pandas only names the frames' type here: DuckDB loads it with the first frame a read returns,
# so a command that never asks for one (okrdash status) starts without it.
if TYPE_CHECKING:
    import pandas as pd


@runtime_checkable
class Store(Protocol):
    """The okrdash database. Open one per process with :func:`~okrdash.store.open_store`.

    Reads see every committed write (another process's on PostgreSQL within its poll interval);
    every write is one transaction under :attr:`write_lock`, checks the writer's rights and bumps
    :attr:`write_version`.
    """

    path: Path | str  # the file, ":memory:", or the PostgreSQL URL without its password
    config: Settings
    read_only: bool  # opened read-only: every write is refused (StoreError "store_read_only")

    # -- the connection ----------------------------------------------------------------------------

    @property
    def write_lock(self) -> threading.RLock:
        """Held by every write; an import holds it from validation to commit so that two imports
        at once validate against each other's result (same spelling of a new team, say)."""
        ...

    @property
    def write_version(self) -> int:
        """Bumped after every committed write (import, form, undo, reset; of any process sharing a
        PostgreSQL database): what anything derived from the stored data is kept by."""
        ...

    def cursor(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A DuckDB cursor over the tables and the rules' macros for the calling thread, closed afterwards."""
        ...

    def close(self) -> None: ...

    def schema_version(self) -> int: ...

    # -- reads -------------------------------------------------------------------------------------

    def is_empty(self) -> bool: ...

    def table_counts(self) -> dict[str, int]: ...

    def cycles(self) -> list[Cycle]: ...

    def teams(self) -> list[str]: ...

    def owners(self) -> list[str]: ...

    def batches(self) -> list[Batch]: ...

    def batch_changes(self, batch_id: int) -> list[tuple[str, int, int]]:
        """What undoing ``batch_id`` changes, per table: (table, rows it holds, earlier rows it replaced)."""
        ...

    def latest_data_date(self) -> dt.date | None: ...

    def linked_key_results(self, cycle: str, team: str | None = None) -> dict[int, list[str]]: ...

    def checkin_histories(self, key_result_ids: list[int], as_of: dt.date | None = None
                          ) -> dict[int, pd.DataFrame]: ...

    def last_checkins(self, key_result_ids: list[int], as_of: dt.date) -> dict[int, dict[str, Any]]:
        """Each key result's last check-in up to ``as_of`` (date, value, note), by id; one query."""
        ...

    def kpi_history(self, kpi_id: int, as_of: dt.date | None = None, since: dt.date | None = None
                    ) -> pd.DataFrame: ...

    def kpi_recent_values(self, as_of: dt.date, points: int = 12, team: str | None = None) -> pd.DataFrame: ...

    def key_result_index(self) -> pd.DataFrame:
        """Natural keys of the stored key results (kept until the next write; do not modify)."""
        ...

    def kpi_index(self) -> list[dict]: ...

    def kpi_definitions(self) -> list[dict]: ...

    def kpi_definition(self, team: str, name: str) -> dict | None: ...

    def cycle_index(self) -> list[dict]: ...

    def team_okrs(self, cycle: str, team: str) -> tuple[pd.DataFrame, pd.DataFrame]: ...

    def team_plans(self, cycle: str, team: str) -> pd.DataFrame:
        """The planned values (objective, key_result, date, planned) of a team's key results of a cycle."""
        ...

    def plan_dates(self) -> list[dict]:
        """The day of every stored planned value (cycle, team, objective, key_result, date)."""
        ...

    def okr_version(self, cycle: str, team: str) -> frozenset[int]: ...

    def kpi_version(self, team: str, name: str) -> frozenset[int]: ...

    def people(self) -> list[dict]:
        """The people okrdash reminds (``okrdash.people.stored_people`` reads them as Person)."""
        ...

    def people_version(self) -> frozenset[int]:
        """The batches that wrote the people as they are now (the People page's save compares it)."""
        ...

    def reminders_sent(self, week: dt.date) -> set[tuple[str, str]]:
        """(kind, person) of each reminder sent for the week starting ``week`` (on PostgreSQL, as
        PostgreSQL holds them now)."""
        ...

    def saved_mappings(self, headers: str) -> list[tuple[str, str]]:
        """(name, TOML text) of the mappings saved for files whose headers have the signature
        ``headers`` (importing.mapping.headers_signature), by name; on PostgreSQL, as PostgreSQL
        holds them now."""
        ...

    # -- the kept scores ---------------------------------------------------------------------------

    def scores(self, as_of: dt.date) -> Scores:
        """Every key result, objective and KPI scored at ``as_of``: computed once per write and date.
        Callers must not modify the frames; the filtered reads below return their own."""
        ...

    def scored_dates(self) -> list[dt.date]:
        """The as-of dates asked of :meth:`scores` most recently, the latest first (what okrdash.warming
        scores again after a write)."""
        ...

    def kr_scores(self, as_of: dt.date, cycle: str | None = None, team: str | None = None,
                  objective_id: int | None = None) -> pd.DataFrame: ...

    def objective_scores(self, as_of: dt.date, cycle: str | None = None, team: str | None = None
                         ) -> pd.DataFrame: ...

    def kpi_scores(self, as_of: dt.date, team: str | None = None) -> pd.DataFrame: ...

    def status_counts(self, as_of: dt.date, cycle: str) -> pd.DataFrame: ...

    def needs_attention(self, as_of: dt.date, cycle: str, limit: int = 50, team: str | None = None
                        ) -> pd.DataFrame: ...

    # -- writes ------------------------------------------------------------------------------------

    def apply(self, files: list[FileChanges], writer: Access) -> list[WriteCounts]:
        """Write validated files in one transaction: all of them land, or none (rights checked)."""
        ...

    def undo(self, batch_id: int, writer: Access) -> int:
        """Return the data to its state before ``batch_id``; how many rows changed."""
        ...

    def reset(self, writer: Access) -> None:
        """Delete every row (the schema stays). Only an admin may."""
        ...

    def sending_reminder(self, kind: str, person: str, week: dt.date) -> AbstractContextManager[bool]:
        """Record reminder ``kind`` for ``person`` (an e-mail address) and ``week`` as sent, in the
        transaction the block sends it in: the block gets False when it was sent before (or, on
        PostgreSQL, by another process: that one's block runs first), and the record commits when
        the block ends, or is rolled back when it raises."""
        ...

    def save_mapping(self, name: str, headers: str, text: str, writer: Access) -> None:
        """Keep a mapping's TOML ``text`` as ``name`` (replacing one of that name) for files whose
        headers have the signature ``headers``, with who saved it and when. Anyone who may import
        may (StoreError ``mapping_not_allowed``); the caller has checked the text is a mapping."""
        ...

    def backup(self, folder: Path) -> Path:
        """Write the whole database (schema and every table as Parquet) into an empty ``folder``."""
        ...
