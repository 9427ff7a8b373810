"""The one way data gets in: uploads -> validation -> one write to the store, all or nothing.

Cells are parsed column-wise by DuckDB (see ``importing.table`` and ``cells.sql``); entity rows
(objectives, key results, KPI definitions) are held to the pydantic models' cross-field rules (a key
result through ``models.key_result_numbers``, without a model per row); the large fact tables (check-ins, KPI measurements) are validated in bulk with SQL
(``importing.validation``). Nothing reaches the store unless every row of every file is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from okrdash.access import Access, Role, writer_for
from okrdash.importing.cells import scratch_connection
from okrdash.importing.date_order import DATE_COLUMNS
from okrdash.importing.decide import decide_readings
from okrdash.importing.ignored import numbers_only_in_ignored
from okrdash.importing.mapping import NO_MAPPING, Mapping
from okrdash.importing.notes import ReadingNote
from okrdash.importing.number_format import NUMBER_COLUMNS
from okrdash.importing.reading import Reading, ReadingChoices
from okrdash.importing.rows import FormRows, form_table
from okrdash.importing.table import CsvTable, read_upload
from okrdash.importing.validation import Validator, capped
from okrdash.importing.workbook import WorkbookLimits
from okrdash.models import FileKind
from okrdash.problems import ImportFailed, Problem
from okrdash.store import FileChanges, Store, WriteCounts


@dataclass(frozen=True)
class Upload:
    """One file as the user gave it."""

    name: str
    data: bytes


@dataclass
class FileSummary:
    """What the importer understood of one file: shown before anything is written."""

    file_name: str
    kind: FileKind
    rows: int
    encoding: str
    delimiter: str
    ignored_headers: list[str]
    preview: pd.DataFrame
    # Every row of an okrs file (canonical text columns), for the OKR quality coach.
    okr_rows: pd.DataFrame | None = None
    # How the file was read (header row, sheet, skipped and filled rows, unpivoted columns).
    reading_notes: list[ReadingNote] = field(default_factory=list)
    # How each number and date column was read, and the header text of each column used.
    reading: Reading = field(default_factory=Reading)
    headers: dict[str, str] = field(default_factory=dict)
    # The first rows as okrdash will store them: numbers and dates parsed, text trimmed.
    parsed_preview: pd.DataFrame | None = None
    # Things worth a look that do not stop the import (a check-in dated far outside its cycle).
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class ImportResult:
    files: list[FileSummary]
    written: list[WriteCounts] = field(default_factory=list)
    dry_run: bool = False

    @property
    def inserted(self) -> int:
        return sum(w.inserted for w in self.written)

    @property
    def updated(self) -> int:
        return sum(w.updated for w in self.written)


PREVIEW_ROWS = 20
# Nothing chosen: every number and date column is read as its cells and the file decide.
NO_CHOICES = ReadingChoices()


def import_files(
    store: Store,
    uploads: Iterable[Upload],
    *,
    dry_run: bool = False,
    imported_by: str | None = None,
    today: dt.date | None = None,
    allowed_teams: frozenset[str] | None = None,
    writer: Access | None = None,
    choices: ReadingChoices = NO_CHOICES,
    mapping: Mapping = NO_MAPPING,
) -> ImportResult:
    """Validate every upload, then write all of them in one transaction (unless ``dry_run``).

    ``writer`` is who writes and which teams they may write (the store refuses the rest); older
    callers give ``imported_by`` and ``allowed_teams`` (None: every team) instead. ``choices``
    answers how to read numbers and dates where the files do not decide it (see
    ``importing.reading``); ``mapping`` gives the person's answers about what the files leave out
    (``importing.mapping``). Raises :class:`ImportFailed` with every problem found; in that case
    nothing was written.
    """
    uploads = list(uploads)
    writer = writer or writer_for(imported_by, allowed_teams)
    today = today or dt.date.today()
    if dry_run:
        prepared = prepare(store, uploads, today=today, allowed_teams=writer.allowed_teams, choices=choices,
                           mapping=mapping, people_allowed=writer.role is Role.ADMIN)
        return ImportResult(files=prepared.summaries, dry_run=True)
    with store.write_lock:  # validated and written with no other write in between
        prepared = prepare(store, uploads, today=today, allowed_teams=writer.allowed_teams, choices=choices,
                           mapping=mapping, people_allowed=writer.role is Role.ADMIN)
        return commit(store, prepared, writer, today=today)


Progress = Callable[[str], None]


def _quiet(stage: str) -> None:
    """No one is watching the stages."""


@dataclass(eq=False)
class Prepared:
    """Uploads validated against one state of the store: what Import writes if nothing changed since.

    Bound to the store object and its ``write_version`` read before validation began (a write
    during the validation makes it stale too), to the day and the teams the validation used, and
    to the reading choices. :func:`commit` writes ``changes`` as they are while all of that still
    holds, and validates ``uploads`` again otherwise: correctness first.
    """

    store: Store
    write_version: int
    uploads: list[Upload | FormRows]
    today: dt.date
    allowed_teams: frozenset[str] | None
    choices: ReadingChoices
    summaries: list[FileSummary]
    changes: list[FileChanges]
    mapping: Mapping = NO_MAPPING

    def is_current(self, store: Store, today: dt.date, allowed_teams: frozenset[str] | None) -> bool:
        """Whether writing ``changes`` now writes what validating again would give."""
        return (store is self.store and store.write_version == self.write_version and today == self.today
                and allowed_teams == self.allowed_teams)

    def release(self) -> None:
        """Drop the uploaded bytes, the rows and the previews (a large KPI file's are hundreds of MB)."""
        self.uploads, self.summaries, self.changes = [], [], []


def prepare(store: Store, uploads: list[Upload | FormRows], *, today: dt.date,
            allowed_teams: frozenset[str] | None = None, choices: ReadingChoices = NO_CHOICES,
            progress: Progress = _quiet, mapping: Mapping = NO_MAPPING, people_allowed: bool | None = None) -> Prepared:
    """Validate the uploads once, keeping what they would write for :func:`commit`.

    ``people_allowed``: whether the writer is an admin, who alone may write people (None: when
    ``allowed_teams`` is None). Raises :class:`ImportFailed` with every problem; nothing is written
    either way.
    """
    uploads = list(uploads)
    version = store.write_version  # before validation: a write while it runs makes the result stale
    summaries, changes = validate(store, uploads, today, allowed_teams, choices, progress=progress, mapping=mapping,
                                  people_allowed=people_allowed)
    return Prepared(store, version, uploads, today, allowed_teams, choices, summaries, changes, mapping)


def commit(store: Store, prepared: Prepared, writer: Access, *, today: dt.date | None = None,
           progress: Progress = _quiet) -> ImportResult:
    """Write what ``prepared`` validated, in one transaction, if the store has not changed since;
    otherwise validate its uploads again first (and raise :class:`ImportFailed` if they no longer
    pass). The right to write each team stays checked by ``store.apply`` (``StoreError``).

    ``prepared`` is released afterwards whatever happens, so its rows do not outlive the import.
    """
    today = today or dt.date.today()
    try:
        with store.write_lock:
            current = prepared
            if not prepared.is_current(store, today, writer.allowed_teams):
                current = prepare(store, prepared.uploads, today=today, allowed_teams=writer.allowed_teams,
                                  choices=prepared.choices, progress=progress, mapping=prepared.mapping,
                                  people_allowed=writer.role is Role.ADMIN)
            # The rows to write are all the write needs: let the uploaded bytes go before the store's
            # upsert, the import's peak (127 MB of a yearly KPI file).
            prepared.uploads = current.uploads = []
            progress("writing")
            written = store.apply(current.changes, writer)
            return ImportResult(files=current.summaries, written=written)
    finally:
        prepared.release()


def validate(store: Store, uploads: list[Upload | FormRows], today: dt.date,
             allowed_teams: frozenset[str] | None = None,
             choices: ReadingChoices = NO_CHOICES, *,
             progress: Progress = _quiet, mapping: Mapping = NO_MAPPING,
             people_allowed: bool | None = None) -> tuple[list[FileSummary], list[FileChanges]]:
    """Every problem of every upload (and form), or what each one would write.

    ``progress`` is told each stage as it begins ("reading", then "checking").
    """
    forms = {u.name: u for u in uploads if isinstance(u, FormRows)}
    try:
        people = allowed_teams is None if people_allowed is None else people_allowed
        summaries, changes = _validate(store, uploads, today, allowed_teams, choices, progress, mapping, people)
    except ImportFailed as failed:
        if not forms:
            raise
        raise ImportFailed([forms[p.file_name].relabel(p) if p.file_name in forms else p
                            for p in failed.problems]) from None
    for change in changes:
        # Two people checking in on one key result the same day: both check-ins are kept.
        change.keep_same_day = change.file_name in forms and change.kind is FileKind.CHECKINS
    return summaries, changes


def _validate(store: Store, uploads: list[Upload | FormRows], today: dt.date,
              allowed_teams: frozenset[str] | None, choices: ReadingChoices,
              progress: Progress = _quiet, mapping: Mapping = NO_MAPPING,
              people_allowed: bool = True) -> tuple[list[FileSummary], list[FileChanges]]:
    config = store.config
    progress("reading")
    con = scratch_connection(config)
    try:
        tables, problems = [], []
        for index, upload in enumerate(uploads):
            if isinstance(upload, FormRows):
                tables.append(form_table(con, upload, f"upload_{index}"))
                continue
            if len(upload.data) > config.max_upload_bytes:
                problems.append(Problem(upload.name, None, None, None, "file_too_large", {
                    "size": round(len(upload.data) / 2**20, 1), "limit": round(config.max_upload_bytes / 2**20, 1)}))
                continue
            try:
                tables += read_upload(con, upload.name, upload.data, f"upload_{index}", config.max_upload_rows,
                                      WorkbookLimits.of(config), mapping)
            except ImportFailed as failed:
                problems += failed.problems
        problems += decide_readings(con, tables, choices)
        for table in tables:
            problems += numbers_only_in_ignored(con, table)
        if problems:
            raise ImportFailed(capped(in_users_words(in_metric_cells(con, problems, tables), tables), config))
        progress("checking")
        validator = Validator(con, store, config, tables, today, allowed_teams, people_allowed=people_allowed)
        try:
            changes = validator.run()
        except ImportFailed as failed:
            raise ImportFailed(in_users_words(in_metric_cells(con, failed.problems, tables), tables)) from None
        summaries = [
            FileSummary(t.file_name, t.kind, t.row_count, t.encoding, t.delimiter,
                        t.ignored_headers, _preview(con, t),
                        _preview(con, t, limit=None) if t.kind is FileKind.OKRS else None, t.reading_notes,
                        reading=t.reading, headers=t.headers, parsed_preview=_parsed_preview(con, t),
                        warnings=in_users_words(validator.warnings.get(t.file_name, []), tables))
            for t in tables
        ]
        return summaries, changes
    finally:
        con.close()


def _preview(con: duckdb.DuckDBPyConnection, table: CsvTable, limit: int | None = PREVIEW_ROWS) -> pd.DataFrame:
    """The file's first rows (all rows with ``limit=None``) as canonical text columns with line numbers."""
    columns = ", ".join(["line", *(f'"{c}"' for c in table.columns)])
    return con.execute(f'SELECT {columns} FROM "{table.table}" ORDER BY line LIMIT ?', [limit]).df()


def in_metric_cells(con: duckdb.DuckDBPyConnection, problems: list[Problem], tables: list[CsvTable]) -> list[Problem]:
    """A problem in a value cell of a sheet of one column per metric names that cell's own column
    (the KPI its header names) and, for a cell that is no number, what such a cell may hold."""
    metric_tables = {t.file_name: t for t in tables if t.metrics}
    if not any(p.column == "value" and p.line is not None and p.file_name in metric_tables for p in problems):
        return problems
    out, taken = [], set()
    for problem in problems:
        table = metric_tables.get(problem.file_name)
        if table is None or problem.column != "value" or problem.line is None:
            out.append(problem)
            continue
        # One line holds a cell of each metric: the cells of this line with this text, in column order.
        kpis = [k for (k,) in con.execute(
            f'SELECT kpi FROM "{table.table}" WHERE line = ? AND value IS NOT DISTINCT FROM ? ORDER BY line',
            [problem.line, problem.value]).fetchall()]
        kpi = next((k for k in sorted(kpis, key=table.metrics.index) if (problem.file_name, problem.line, k) not in taken),
                   None)
        if kpi is None:
            out.append(problem)
            continue
        taken.add((problem.file_name, problem.line, kpi))
        code = "metric_not_a_number" if problem.code == "not_a_number" else problem.code
        out.append(replace(problem, column=kpi, code=code))
    return out


def in_users_words(problems: list[Problem], tables: list[CsvTable]) -> list[Problem]:
    """Problems naming each column by the file's own header (``Tanggal``, not ``date``), blanks as blanks."""
    headers = {t.file_name: t.headers for t in tables}

    def header(file_name: str, column: str | None) -> str | None:
        if column is None:
            return None
        own = headers.get(file_name, {})
        return " + ".join(own.get(part, part) for part in column.split(" + "))

    return [
        replace(p, column=header(p.file_name, p.column), params={
            k: ("" if v is None else header(p.file_name, v) if k == "column" and isinstance(v, str) else v)
            for k, v in p.params.items()})
        for p in problems
    ]


def _parsed_preview(con: duckdb.DuckDBPyConnection, table: CsvTable) -> pd.DataFrame:
    """The file's first rows as they will be stored: numbers and dates read as decided, text trimmed."""

    def column(name: str) -> str:
        if name in table.parsed and (name in NUMBER_COLUMNS or name in DATE_COLUMNS):
            return f'"{table.parsed[name]}" AS "{name}"'
        if name in NUMBER_COLUMNS:  # an okrs file's current value may be a milestone word ("selesai")
            cell = f'"{name}"'
            return f'coalesce(okr_milestone_value({cell}), {table.number_sql(name, cell)}) AS {cell}'
        if name in DATE_COLUMNS:
            return f'{table.date_sql(name, chr(34) + name + chr(34))} AS "{name}"'
        return f"nullif(trim(\"{name}\"), '') AS \"{name}\""

    columns = ", ".join(["line", *(column(c) for c in table.columns)])
    return con.execute(f'SELECT {columns} FROM "{table.table}" ORDER BY line LIMIT ?', [PREVIEW_ROWS]).df()
