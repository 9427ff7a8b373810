"""The store's writes: validated files applied as batches, undo and reset (statements in writes.sql).

Each function runs inside a write transaction the calling store opened (on a DuckDB file, or on
the PostgreSQL store's mirror); rights are checked here, where every route in ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from okrdash import sqlfiles
from okrdash.access import Access, Role
from okrdash.models import FileKind
from okrdash.store.errors import StoreError, first_line
from okrdash.store.schema import VERSIONED_TABLES

# pandas and pyarrow hold the rows a write brings (its caller has loaded them); a command that only
# reads (okrdash status) imports the store without them.
if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

WRITES_SQL = Path(__file__).with_name("writes.sql")
SQL = sqlfiles.named_queries(WRITES_SQL)
# Files of one write land parents first: a KPI before the key results that follow it.
FILE_ORDER = {FileKind.KPIS: 0, FileKind.OKRS: 1, FileKind.CHECKINS: 2, FileKind.PEOPLE: 3}

Cursor = duckdb.DuckDBPyConnection


@dataclass
class FileChanges:
    """What one validated file writes, as natural-key rows (ids are resolved by the store).

    Every frame is optional; its columns are those the matching statement of writes.sql reads from
    ``staged``. Fact rows from a file of them come as Arrow tables: DuckDB reads those without a
    copy, where a pandas frame of millions of rows costs seconds to build.
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
    # Planned values (columns cycle, team, objective, key_result, date, planned): a key result's
    # planned path, upserted by key result and day like a file's check-ins.
    plans: pa.Table | pd.DataFrame | None = None
    # Key results (cycle, team, objective, key_result) whose stored plan ``plans`` replaces whole:
    # the OKR editor's plan of one key result, where removing a point is a change too.
    replaced_plans: pd.DataFrame | None = None
    # People (columns email, name, manager_email, language, team, whatsapp; e-mail addresses in
    # lower case): only an admin may write them, whatever their team.
    people: pd.DataFrame | None = None
    # People removed (column email, as stored): what a file cannot say, from the People page's table.
    removed_people: pd.DataFrame | None = None

    def writes_people(self) -> bool:
        return any(frame is not None and len(frame) > 0 for frame in (self.people, self.removed_people))

    def teams(self) -> set[str]:
        """Every team a row of this file belongs to (what the writer must be allowed to write)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        found: set[str] = set()
        for frame in (self.objectives, self.key_results, self.checkins, self.kpis, self.measurements,
                      self.removals, self.renames, self.plans, self.replaced_plans):
            if frame is None or not len(frame):
                continue
            # Distinct values only: a KPI file may hold millions of measurement rows.
            found.update(pc.unique(frame.column("team")).to_pylist() if isinstance(frame, pa.Table)
                         else frame["team"].unique().tolist())
        return found


@dataclass(frozen=True)
class WriteCounts:
    batch_id: int
    file_name: str
    kind: str
    inserted: int
    updated: int


Transaction = Callable[..., AbstractContextManager[Cursor]]


def apply(transaction: Transaction, files: list[FileChanges], writer: Access) -> list[WriteCounts]:
    """Write validated files in one ``transaction()``: all of them land, or none.

    Refused (StoreError ``write_not_allowed``) when a row belongs to a team ``writer`` may not
    write: every route in (upload, form, grid, bridge) ends here, so no page can skip the check.
    """
    refused = sorted({team for change in files for team in change.teams() if not writer.may_edit_team(team)})
    if refused:
        raise StoreError("write_not_allowed", who=writer.who or "?", teams=", ".join(refused))
    if any(change.writes_people() for change in files) and writer.role is not Role.ADMIN:
        raise StoreError("people_not_allowed", who=writer.who or "?")
    with failures_as_store_error(), transaction() as cur:
        return [apply_file(cur, change, writer) for change in sorted(files, key=lambda f: FILE_ORDER[f.kind])]


@contextmanager
def failures_as_store_error() -> Iterator[None]:
    """A database error while writing (a full disk, a file that became unwritable ...) as ``write_failed``."""
    try:
        yield
    except duckdb.Error as error:
        raise StoreError("write_failed", detail=first_line(error)) from error


def apply_file(cur: Cursor, change: FileChanges, writer: Access) -> WriteCounts:
    """One file as one batch (with who wrote it): its rows, and the rows they replace kept for undo."""
    batch_id = _run(cur, "new_batch", file_name=change.file_name, sha256=change.sha256, kind=change.kind.value,
                    imported_by=writer.who, os_user=writer.os_user).fetchall()[0][0]
    inserted = updated = 0
    renames = change.renames if change.renames is not None and len(change.renames) else None
    objective_renames = renames[renames["subject"] == "objective"] if renames is not None else None
    key_result_renames = renames[renames["subject"] == "key_result"] if renames is not None else None
    # Removals and objective renames first, so the rows below find the new titles; key results
    # move after the objectives they move to exist.
    steps: tuple[tuple[object, Callable[[Cursor, int], tuple[int, int]]], ...] = (
        (change.cycles, _upsert_cycles),
        (change.kpis, _upsert_kpis),
        (change.measurements, _upsert_measurements),
        (change.removals, _remove),
        (objective_renames, _rename_objectives),
        (change.objectives, _upsert_objectives),
        (key_result_renames, _rename_key_results),
        (change.key_results, _upsert_key_results),
        (change.checkins, _add_same_day_checkins if change.keep_same_day else _upsert_checkins),
        (change.replaced_plans, _drop_plans),
        (change.plans, _upsert_plans),
        (change.removed_people, _remove_people),
        (change.people, _upsert_people),
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
    _run(cur, "count_batch", inserted=inserted, updated=updated, batch=batch_id)
    return WriteCounts(batch_id, change.file_name, change.kind.value, inserted, updated)


def _run(cur: Cursor, name: str, **params: object) -> Cursor:
    sql = SQL[name]
    return cur.execute(sql, sqlfiles.parameters(sql, params))


def _count(cur: Cursor, name: str, **params: object) -> int:
    """The one number statement ``name`` returns (a count, or the rows an INSERT or DELETE changed)."""
    return _run(cur, name, **params).fetchall()[0][0]


def _on_table(cur: Cursor, name: str, table: str, column: str | None = None, **params: object) -> Cursor:
    """Statement ``name`` of writes.sql on one of the store's tables (and a column of it)."""
    if table not in VERSIONED_TABLES:
        raise ValueError(f"not a table of the store: {table!r}")
    sql = SQL[name].format(table=table, column=column)
    return cur.execute(sql, sqlfiles.parameters(sql, params))


def _replaced(cur: Cursor, table: str, batch_id: int) -> tuple[int, int]:
    """Keep the rows of ``table`` the staged ones replace (for undo); (new, existing) staged row counts."""
    _run(cur, f"keep_prior_{table}", batch=batch_id)
    total, existing = _run(cur, f"count_{table}").fetchall()[0]
    return total - existing, existing


def _upsert_cycles(cur: Cursor, batch_id: int) -> tuple[int, int]:
    _run(cur, "upsert_cycles", batch=batch_id)
    return 0, 0


def _upsert_kpis(cur: Cursor, batch_id: int) -> tuple[int, int]:
    counts = _replaced(cur, "kpis", batch_id)
    _run(cur, "upsert_kpis", batch=batch_id)
    return counts


def _upsert_measurements(cur: Cursor, batch_id: int) -> tuple[int, int]:
    existing = _count(cur, "keep_prior_measurements", batch=batch_id)
    total = _count(cur, "upsert_measurements", batch=batch_id)  # the rows inserted or updated
    return total - existing, existing


def _remove(cur: Cursor, batch_id: int) -> tuple[int, int]:
    """Delete the staged objectives (with their key results, check-ins and plans) and key results
    (with their check-ins and plans), keeping every deleted row in ``*_prior`` so undo restores it."""
    objective_ids = [r[0] for r in _run(cur, "removed_objectives").fetchall()]
    key_result_ids = [r[0] for r in _run(cur, "removed_key_results", objectives=objective_ids).fetchall()]
    removed = 0
    for table, column, ids in (("checkins", "key_result_id", key_result_ids),
                               ("kr_plans", "key_result_id", key_result_ids), ("key_results", "id", key_result_ids),
                               ("objectives", "id", objective_ids)):
        _on_table(cur, "keep_removed", table, column, batch=batch_id, ids=ids)
        count = _on_table(cur, "delete_removed", table, column, ids=ids).fetchall()[0][0]
        removed += count if table in ("key_results", "objectives") else 0
    return 0, removed


def _rename_objectives(cur: Cursor, batch_id: int) -> tuple[int, int]:
    taken = _run(cur, "objective_rename_taken").fetchall()
    if taken:
        raise StoreError("rename_taken", title=taken[0][0])
    _run(cur, "keep_prior_renamed_objectives", batch=batch_id)
    _run(cur, "rename_objectives", batch=batch_id).fetchall()
    return 0, 0  # counted by the upsert of the same objective, which follows


def _upsert_objectives(cur: Cursor, batch_id: int) -> tuple[int, int]:
    counts = _replaced(cur, "objectives", batch_id)
    _run(cur, "upsert_objectives", batch=batch_id)
    return counts


def _rename_key_results(cur: Cursor, batch_id: int) -> tuple[int, int]:
    """Rename key results, or move them to another objective of their team (check-ins follow)."""
    taken = _run(cur, "key_result_rename_taken").fetchall()
    if taken:
        raise StoreError("rename_taken", title=taken[0][0])
    _run(cur, "keep_prior_moved_key_results", batch=batch_id)
    _run(cur, "move_key_results", batch=batch_id).fetchall()
    return 0, 0  # counted by the upsert of the same key result, which follows


def _upsert_key_results(cur: Cursor, batch_id: int) -> tuple[int, int]:
    counts = _replaced(cur, "key_results", batch_id)
    _run(cur, "upsert_key_results", batch=batch_id)
    return counts


def _add_same_day_checkins(cur: Cursor, batch_id: int) -> tuple[int, int]:
    _run(cur, "add_same_day_checkins", batch=batch_id)
    return _count(cur, "count_staged"), 0


def _upsert_checkins(cur: Cursor, batch_id: int) -> tuple[int, int]:
    existing = _count(cur, "keep_prior_checkins", batch=batch_id)
    total = _count(cur, "upsert_checkins", batch=batch_id)  # the rows inserted or updated
    return total - existing, existing


def _drop_plans(cur: Cursor, batch_id: int) -> tuple[int, int]:
    """The stored plans of the staged key results, kept for undo and deleted (a whole plan replaced)."""
    _run(cur, "keep_dropped_plans", batch=batch_id)
    return 0, _count(cur, "drop_plans")


def _upsert_plans(cur: Cursor, batch_id: int) -> tuple[int, int]:
    existing = _count(cur, "keep_prior_plans", batch=batch_id)
    total = _count(cur, "upsert_plans", batch=batch_id)  # the rows inserted or updated
    return total - existing, existing


def _upsert_people(cur: Cursor, batch_id: int) -> tuple[int, int]:
    _run(cur, "keep_prior_people", batch=batch_id)
    total, existing = _run(cur, "count_people").fetchall()[0]
    _run(cur, "upsert_people", batch=batch_id)
    return total - existing, existing


def _remove_people(cur: Cursor, batch_id: int) -> tuple[int, int]:
    """Delete the staged people, keeping each in ``people_prior`` so undo restores them."""
    _run(cur, "keep_removed_people", batch=batch_id)
    return 0, _count(cur, "delete_removed_people")


def undo(cur: Cursor, batch_id: int, writer: Access) -> int:
    """Return the data to its state before ``batch_id``; returns how many rows changed.

    Rows the batch inserted are removed and rows it updated get their previous version back.
    Refused (StoreError) when a later import still in effect changed or builds on those rows:
    undo that one first; or when the batch touched a team ``writer`` may not write.
    """
    found = _run(cur, "batch_undone_at", batch=batch_id).fetchall()
    if not found:
        raise StoreError("undo_unknown_batch", batch=batch_id)
    teams = [r[0] for r in _run(cur, "batch_teams", batch=batch_id).fetchall()]
    refused = [team for team in teams if not writer.may_edit_team(team)]
    if refused or not writer.can_edit:
        raise StoreError("undo_not_allowed", batch=batch_id, who=writer.who or "?", teams=", ".join(refused) or "–")
    if writer.role is not Role.ADMIN and _run(cur, "batch_wrote_people", batch=batch_id).fetchall()[0][0]:
        raise StoreError("undo_people_not_allowed", batch=batch_id, who=writer.who or "?")
    if found[0][0] is not None:
        raise StoreError("undo_already_done", batch=batch_id)
    later = [r[0] for r in _run(cur, "batches_building_on", batch=batch_id).fetchall()]
    if later:
        raise StoreError("undo_blocked", batch=batch_id, later=", ".join(map(str, later)))
    changed = 0
    for table in reversed(VERSIONED_TABLES):
        changed += _on_table(cur, "delete_batch_rows", table, batch=batch_id).fetchall()[0][0]
    for table in VERSIONED_TABLES:
        _on_table(cur, "restore_prior_rows", table, batch=batch_id)
        _on_table(cur, "forget_prior_rows", table, batch=batch_id)
    _run(cur, "delete_batch_cycles", batch=batch_id)
    _run(cur, "mark_undone", undone_by=writer.who, os_user=writer.os_user, batch=batch_id)
    return changed


def claim_reminder(cur: Cursor, kind: str, person: str, week: dt.date) -> bool:
    """Record reminder ``kind`` for ``person`` and ``week`` as sent, in the caller's transaction;
    False when it was already (the caller then sends nothing)."""
    return bool(_run(cur, "claim_reminder", kind=kind, person=person, week=week).fetchall())


def check_mapping_writer(writer: Access) -> None:
    """Anyone who may import may save the answers that read a file (a team-bound editor too: a
    mapping writes no team's rows; the import it reads is checked as every import is)."""
    if not writer.can_edit:
        raise StoreError("mapping_not_allowed", who=writer.who or "?")


def save_mapping(cur: Cursor, name: str, headers: str, text: str, writer: Access) -> None:
    """Keep ``text`` (a mapping's TOML) as ``name`` for files whose headers' signature is ``headers``."""
    _run(cur, "save_mapping", mapping_name=name, headers=headers, mapping=text, saved_by=writer.who)


def check_reset(writer: Access) -> None:
    """Only an admin may delete every row."""
    if writer.role is not Role.ADMIN:
        raise StoreError("reset_not_allowed", who=writer.who or "?")


def delete_everything(cur: Cursor) -> None:
    """Delete every row (the schema stays)."""
    cur.execute(SQL["delete_everything"])
