"""Uploaded CSV files -> validated changes -> the store, all or nothing.

Cells are parsed column-wise by DuckDB (see ``csvfile``); entity rows (objectives, key results,
KPI definitions) go through the pydantic models, where their cross-field rules live; the large
fact tables (check-ins, KPI measurements) are validated in bulk with SQL. Nothing reaches the
store unless every row of every file is valid.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from okrdash.csvfile import CsvTable, read_csv, scratch_connection
from okrdash.models import (
    MAX_ABS_NUMBER,
    Cycle,
    Direction,
    FileKind,
    Frequency,
    Indicator,
    KeyResult,
    Kpi,
    KpiType,
    KRKind,
    Objective,
    ObjectiveType,
    parse_enum,
)
from okrdash.problems import ImportFailed, Problem
from okrdash.settings import Settings
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
    decimal_comma: bool
    ignored_headers: list[str]
    preview: pd.DataFrame
    # Every row of an okrs file (canonical text columns), for the OKR quality coach.
    okr_rows: pd.DataFrame | None = None


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
_MILESTONE_WORDS_SQL = """
CREATE OR REPLACE MACRO okr_milestone_value(t) AS (
    CASE lower(trim(t))
        WHEN 'done' THEN 1 WHEN 'yes' THEN 1 WHEN 'ya' THEN 1 WHEN 'selesai' THEN 1 WHEN 'sudah' THEN 1
        WHEN 'true' THEN 1 WHEN 'not done' THEN 0 WHEN 'no' THEN 0 WHEN 'tidak' THEN 0
        WHEN 'belum' THEN 0 WHEN 'false' THEN 0
    END);
"""


def import_files(
    store: Store,
    uploads: Iterable[Upload],
    *,
    dry_run: bool = False,
    imported_by: str | None = None,
    today: dt.date | None = None,
    allowed_teams: frozenset[str] | None = None,
) -> ImportResult:
    """Validate every upload, then write all of them in one transaction (unless ``dry_run``).

    ``allowed_teams`` limits the teams the rows may belong to (an editor of named teams); None
    allows every team. Raises :class:`ImportFailed` with every problem found; in that case
    nothing was written.
    """
    uploads = list(uploads)
    if dry_run:
        summaries, _ = validate(store, uploads, today=today or dt.date.today(), allowed_teams=allowed_teams)
        return ImportResult(files=summaries, dry_run=True)
    with store.write_lock:
        summaries, changes = validate(store, uploads, today=today or dt.date.today(), allowed_teams=allowed_teams)
        return ImportResult(files=summaries, written=store.apply(changes, imported_by=imported_by))


def validate(store: Store, uploads: list[Upload], today: dt.date,
             allowed_teams: frozenset[str] | None = None) -> tuple[list[FileSummary], list[FileChanges]]:
    config = store.config
    con = scratch_connection()
    con.execute(_MILESTONE_WORDS_SQL)
    try:
        tables, problems = [], []
        for index, upload in enumerate(uploads):
            if len(upload.data) > config.max_upload_bytes:
                problems.append(Problem(upload.name, None, None, None, "file_too_large", {
                    "size": round(len(upload.data) / 2**20, 1), "limit": round(config.max_upload_bytes / 2**20, 1)}))
                continue
            try:
                tables.append(read_csv(con, upload.name, upload.data, f"upload_{index}", config.max_upload_rows))
            except ImportFailed as failed:
                problems += failed.problems
        if problems:
            raise ImportFailed(_capped(problems, config))
        validator = _Validator(con, store, config, tables, today, allowed_teams)
        changes = validator.run()
        summaries = [
            FileSummary(t.file_name, t.kind, t.row_count, t.encoding, t.delimiter, t.decimal_comma,
                        t.ignored_headers, _preview(con, t),
                        _preview(con, t, limit=None) if t.kind is FileKind.OKRS else None)
            for t in tables
        ]
        return summaries, changes
    finally:
        con.close()


def _capped(problems: list[Problem], config: Settings, unlisted: int = 0) -> list[Problem]:
    """At most ``max_reported_problems``, then one line saying how many more there are."""
    limit = config.max_reported_problems
    if len(problems) <= limit and not unlisted:
        return problems
    shown = sorted(problems, key=lambda p: (p.file_name, p.line or 0))[:limit]
    more = len(problems) - len(shown) + unlisted
    return shown + [Problem(shown[-1].file_name, None, None, None, "more_problems", {"count": more})]


def _preview(con: duckdb.DuckDBPyConnection, table: CsvTable, limit: int | None = PREVIEW_ROWS) -> pd.DataFrame:
    """The file's first rows (all rows with ``limit=None``) as canonical text columns with line numbers."""
    columns = ", ".join(["line", *(f'"{c}"' for c in table.columns)])
    return con.execute(f'SELECT {columns} FROM "{table.table}" ORDER BY line LIMIT ?', [limit]).df()


def _pydantic_problems(error: ValidationError, file_name: str, line: int, row: dict[str, Any],
                       column_of: dict[str, str]) -> list[Problem]:
    """Pydantic errors as problems, with the CSV column the field came from."""
    found = []
    for detail in error.errors():
        code = detail["type"]
        field_name = str(detail["loc"][0]) if detail["loc"] else _MODEL_ERROR_FIELDS.get(code)
        column = column_of.get(field_name or "", field_name)
        params = dict(detail.get("ctx") or {})
        if code == "string_too_long":
            code = "text_too_long"
        elif code == "missing" or code == "string_too_short":
            code = "required"
        elif not code.islower() or code not in _KNOWN_CODES:
            params = {"detail": detail["msg"]}
            code = "invalid"
        value = row.get(column) if column else None
        found.append(Problem(file_name, line, column, None if value is None else str(value), code, params))
    return found


# Errors raised by a model's cross-field validator, and the field each one is about.
_MODEL_ERROR_FIELDS = {
    "weight_positive": "weight", "target_equals_baseline": "target", "kind_contradicts_numbers": "kind",
    "tolerance_negative": "tolerance", "range_needs_bounds": "direction", "range_inverted": "min_value",
    "cycle_dates": "end_date",
}

_KNOWN_CODES = {
    "text_too_long", "required", "enum_choice", "cycle_format", "cycle_dates", "weight_positive",
    "target_equals_baseline", "kind_contradicts_numbers", "tolerance_negative", "range_needs_bounds",
    "range_inverted", "number_out_of_range",
}


def _finite(value: float | None) -> bool:
    return value is None or (math.isfinite(value) and abs(value) <= MAX_ABS_NUMBER)


class _Spellings:
    """Names match whatever their case and surrounding spaces; the first spelling seen is kept.

    Seeded with the store's spellings, so re-importing "sales" updates team "Sales" instead of
    adding a look-alike.
    """

    def __init__(self, store: Store):
        self._names: dict[tuple[str, ...], str] = {}
        for row in store.key_result_index().to_dict("records"):
            self.team(row["team"])
            self.objective(row["cycle"], row["team"], row["objective"])
            self.key_result(row["cycle"], row["team"], row["objective"], row["key_result"])
        for row in store.kpi_index():
            self.kpi(self.team(row["team"]), row["kpi"])

    def _spell(self, kind: str, *parts: str) -> str:
        key = (kind, *(part.strip().lower() for part in parts))  # as SQL's lower(trim()) sees them
        return self._names.setdefault(key, parts[-1].strip())

    def team(self, team: str) -> str:
        return self._spell("team", team)

    def objective(self, cycle: str, team: str, title: str) -> str:
        return self._spell("objective", cycle, team, title)

    def key_result(self, cycle: str, team: str, objective: str, title: str) -> str:
        return self._spell("key_result", cycle, team, objective, title)

    def kpi(self, team: str, name: str) -> str:
        return self._spell("kpi", team, name)

    def known_kpi(self, team: str, name: str) -> bool:
        return ("kpi", team.strip().lower(), name.strip().lower()) in self._names


class _Validator:
    """Validates all tables of one upload together (check-ins may name key results of an OKR file in it)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, store: Store, config: Settings,
                 tables: list[CsvTable], today: dt.date, allowed_teams: frozenset[str] | None = None):
        self.con, self.store, self.config, self.tables, self.today = con, store, config, tables, today
        self.allowed_teams = allowed_teams
        self.problems: list[Problem] = []
        self.unlisted = 0  # problems counted by SQL but not fetched, beyond the report limit
        self.changes: list[FileChanges] = []
        self.upload_krs: list[dict[str, Any]] = []
        self.spellings = _Spellings(store)
        self.upload_kpis: list[dict[str, Any]] = []

    def run(self) -> list[FileChanges]:
        order = {FileKind.KPIS: 0, FileKind.OKRS: 1, FileKind.CHECKINS: 2}
        for table in self.tables:  # teams first: every file of the upload spells a team the same way
            for (team,) in self.con.execute(
                f'SELECT DISTINCT trim(team) FROM "{table.table}" WHERE NOT okr_blank(team) ORDER BY 1'
            ).fetchall():
                self.spellings.team(team)
        if self.allowed_teams is not None:
            for table in self.tables:
                self._team_problems(table)
            if self.problems:
                raise ImportFailed(_capped(self.problems, self.config, self.unlisted))
        for table in sorted(self.tables, key=lambda t: order[t.kind]):
            {FileKind.KPIS: self._kpis, FileKind.OKRS: self._okrs, FileKind.CHECKINS: self._checkins}[table.kind](table)
        if self.problems:
            raise ImportFailed(_capped(self.problems, self.config, self.unlisted))
        return self.changes

    # -- shared helpers -------------------------------------------------------------------------

    def _problem(self, table: CsvTable, line: int | None, column: str | None, value: Any, code: str, /,
                 **params: Any) -> None:
        self.problems.append(Problem(table.file_name, line, column, None if value is None else str(value), code, params))

    def _cell_problems(self, table: CsvTable, numbers: Iterable[str], dates: Iterable[str],
                       required: Iterable[str], confidence: bool = False) -> None:
        """Blank required cells, unparseable numbers and dates, found in bulk."""
        dc = "true" if table.decimal_comma else "false"
        checks = []
        for column in (c for c in required if c in table.columns):
            checks.append(f"SELECT line, '{column}' AS col, \"{column}\" AS val, 'required' AS code "
                          f"FROM \"{table.table}\" WHERE okr_blank(\"{column}\")")
        for column in (c for c in numbers if c in table.columns):
            parsed = f"okr_number(\"{column}\", {dc})"
            checks.append(f"SELECT line, '{column}', \"{column}\", okr_number_problem(\"{column}\") FROM \"{table.table}\" "
                          f"WHERE NOT okr_blank(\"{column}\") AND {parsed} IS NULL")
            checks.append(f"SELECT line, '{column}', \"{column}\", 'number_out_of_range' FROM \"{table.table}\" "
                          f"WHERE isnan({parsed}) OR isinf({parsed}) OR abs({parsed}) > {MAX_ABS_NUMBER!r}")
        for column in (c for c in dates if c in table.columns):
            checks.append(f"SELECT line, '{column}', \"{column}\", 'not_a_date' FROM \"{table.table}\" "
                          f"WHERE NOT okr_blank(\"{column}\") AND okr_date(\"{column}\") IS NULL")
        if confidence and "confidence" in table.columns:
            checks.append(f"SELECT line, 'confidence', confidence, 'not_a_confidence' FROM \"{table.table}\" "
                          f"WHERE NOT okr_blank(confidence) AND okr_confidence(confidence) IS NULL")
        if not checks:
            return
        limit = self.config.max_reported_problems
        rows = self.con.execute(
            f"SELECT *, count(*) OVER () AS total FROM ({' UNION ALL '.join(checks)}) ORDER BY line LIMIT {limit}"
        ).fetchall()
        for line, column, value, code, _ in rows:
            self._problem(table, line, column, value, code)
        self.unlisted += rows[0][4] - len(rows) if rows else 0

    def _col(self, table: CsvTable, column: str, as_: str | None = None, parse: str = "text", source: str = "") -> str:
        """SQL for one canonical column (of table alias ``source``), NULL when the file lacks it."""
        alias = as_ or column
        if column not in table.columns:
            return f"NULL AS \"{alias}\""
        dc = "true" if table.decimal_comma else "false"
        cell = f'{source + "." if source else ""}"{column}"'
        expr = {
            "text": f"nullif(trim({cell}), '')",
            "number": f"okr_number({cell}, {dc})",
            "unit": f"okr_number_unit({cell})",
            "date": f"okr_date({cell})",
            "confidence": f"okr_confidence({cell})",
        }[parse]
        return f"{expr} AS \"{alias}\""

    def _duplicates(self, table: CsvTable, columns: tuple[str, ...], where: str = "true",
                    key_sql: dict[str, str] | None = None) -> None:
        """Rows whose natural key (``columns``, ignoring case) repeats an earlier row of the same file."""
        parts = [(key_sql or {}).get(c, f"lower(trim(\"{c}\"))") for c in columns]
        display = " || ' / ' || ".join(f"coalesce(trim(\"{c}\"), '')" for c in columns)
        for line, first_line, key in self.con.execute(
            f"""SELECT line, first_line, key FROM (
                    SELECT line, {display} AS key,
                           first_value(line) OVER (PARTITION BY {', '.join(parts)} ORDER BY line) AS first_line
                    FROM "{table.table}" WHERE {where})
                WHERE line <> first_line ORDER BY line LIMIT ?""",
            [self.config.max_reported_problems + 1],
        ).fetchall():
            self._problem(table, line, " + ".join(columns), None, "duplicate_key", first_line=first_line, key=key)

    def _team_problems(self, table: CsvTable) -> None:
        """Rows of teams this person may not edit: the whole upload is refused."""
        allowed = sorted(self.allowed_teams or ())
        rows = self.con.execute(
            f"""SELECT line, team, count(*) OVER () FROM "{table.table}"
                WHERE NOT okr_blank(team) AND NOT list_contains(?::VARCHAR[], trim(team))
                ORDER BY line LIMIT {self.config.max_reported_problems}""",
            [allowed],
        ).fetchall()
        for line, team, _ in rows:
            self._problem(table, line, "team", team, "team_not_allowed", teams=", ".join(allowed) or "–")
        self.unlisted += rows[0][2] - len(rows) if rows else 0

    # -- KPI files ------------------------------------------------------------------------------

    _KPI_DEFINITION_COLUMNS = ("unit", "direction", "min", "max", "tolerance", "frequency",
                               "kpi_type", "indicator", "category", "owner")

    def _kpis(self, table: CsvTable) -> None:
        t = f'"{table.table}"'
        self._cell_problems(table, numbers=("value", "target", "min", "max"), dates=("date",), required=("team", "kpi"))
        if "tolerance" in table.columns:
            dc = "true" if table.decimal_comma else "false"
            for line, value in self.con.execute(
                f"SELECT line, tolerance FROM {t} WHERE NOT okr_blank(tolerance) AND okr_number(tolerance, {dc}) IS NULL "
                "ORDER BY line LIMIT 50"
            ).fetchall():
                self._problem(table, line, "tolerance", value, "not_a_number")
        has_date, has_value = "date" in table.columns, "value" in table.columns
        if has_date or has_value:
            date_blank = "okr_blank(date)" if has_date else "true"
            value_blank = "okr_blank(value)" if has_value else "true"
            for line, date, value in self.con.execute(
                f"""SELECT line, {'date' if has_date else 'NULL'}, {'value' if has_value else 'NULL'} FROM {t}
                    WHERE ({date_blank}) <> ({value_blank}) ORDER BY line LIMIT 50"""
            ).fetchall():
                self._problem(table, line, "value" if date else "date", value or date, "value_without_date")
        # Each definition column must hold one value per KPI across the file's rows.
        key = "lower(trim(team)) || chr(0) || lower(trim(kpi))"
        for column in (c for c in self._KPI_DEFINITION_COLUMNS if c in table.columns):
            normalised = f"lower(regexp_replace(trim(\"{column}\"), '[\\s_-]+', ' ', 'g'))"
            for line, value, first_line, other in self.con.execute(
                f"""WITH defined AS (
                        SELECT line, {key} AS k, "{column}" AS value, {normalised} AS norm
                        FROM {t} WHERE NOT okr_blank("{column}")),
                    firsts AS (SELECT k, arg_min(line, line) AS first_line, arg_min(value, line) AS first_value,
                                      arg_min(norm, line) AS first_norm FROM defined GROUP BY k)
                    SELECT d.line, d.value, f.first_line, f.first_value FROM defined d JOIN firsts f USING (k)
                    WHERE d.norm <> f.first_norm ORDER BY d.line LIMIT 50"""
            ).fetchall():
                self._problem(table, line, column, value, "conflicting_value", first_line=first_line,
                              column=column, other=other)
        if has_date:
            self._duplicates(table, ("team", "kpi", "date"), where="NOT okr_blank(date)",
                             key_sql={"date": "coalesce(CAST(okr_date(date) AS VARCHAR), trim(date))"})
        if self.problems:
            return

        definitions = self._kpi_definitions(table)
        measurements = None
        if has_date:
            names = pd.DataFrame(
                [(team, kpi, self.spellings.team(team), self.spellings.kpi(self.spellings.team(team), kpi))
                 for team, kpi in self.con.execute(f"SELECT DISTINCT trim(team), trim(kpi) FROM {t}").fetchall()],
                columns=["raw_team", "raw_kpi", "team", "kpi"],
            )
            self.con.register("kpi_spellings", names)
            try:
                measurements = self.con.execute(
                    f"""SELECT n.team, n.kpi, okr_date(f.date) AS date,
                               {self._col(table, 'value', parse='number', source='f')},
                               {self._col(table, 'target', parse='number', source='f')}
                        FROM {t} f JOIN kpi_spellings n ON n.raw_team = trim(f.team) AND n.raw_kpi = trim(f.kpi)
                        WHERE NOT okr_blank(f.date)"""
                ).df()
            finally:
                self.con.unregister("kpi_spellings")
        self.changes.append(FileChanges(table.file_name, table.sha256, table.kind,
                                        kpis=definitions, measurements=measurements))

    def _kpi_definitions(self, table: CsvTable) -> pd.DataFrame | None:
        t = f'"{table.table}"'
        given = [c for c in self._KPI_DEFINITION_COLUMNS if c in table.columns]
        firsts = ", ".join(
            f"arg_min(trim(\"{c}\"), line) FILTER (WHERE NOT okr_blank(\"{c}\")) AS \"{c}\"" for c in given
        )
        target_sql = ""
        if "target" in table.columns:
            order = "okr_date(date)" if "date" in table.columns else "line"
            # The latest dated target; else one given on a definition row without a date.
            target_sql = (f", coalesce(arg_max(target, {order}) FILTER (WHERE NOT okr_blank(target)),"
                          f" arg_max(target, line) FILTER (WHERE NOT okr_blank(target))) AS target")
        # Numbers are parsed here, in bulk, not one query per cell: a large file defines thousands of KPIs.
        dc = "true" if table.decimal_comma else "false"
        parsed = ", ".join(
            [f'okr_number("{c}", {dc}) AS "{c}__number"' for c in ("target", "min", "max", "tolerance")
             if c in given or (c == "target" and target_sql)]
            + (["okr_number_unit(target) AS target__unit"] if target_sql else [])
        )
        rows = self.con.execute(
            f"""SELECT *{', ' + parsed if parsed else ''} FROM (
                    SELECT arg_min(trim(team), line) AS team, arg_min(trim(kpi), line) AS name, min(line) AS line
                           {', ' + firsts if firsts else ''} {target_sql}
                    FROM {t} GROUP BY lower(trim(team)), lower(trim(kpi)))
                ORDER BY line"""
        ).df()
        stored = self.store.kpi_definitions()
        stored_by_key = {(r["team"], r["name"]): r for r in stored}
        records = []
        for row in rows.to_dict("records"):
            line = int(row["line"])
            row["team"] = self.spellings.team(row["team"])
            row["name"] = self.spellings.kpi(row["team"], row["name"])
            previous = stored_by_key.get((row["team"], row["name"]), {})
            try:
                record = self._kpi_record(table, row, previous)
            except ValidationError as error:
                self.problems += _pydantic_problems(error, table.file_name, line, row, _KPI_FIELD_COLUMNS)
                continue
            except PydanticCustomError as error:
                self._problem(table, line, error.context.get("column") if error.context else None,
                              None, error.type, **(error.context or {}))
                continue
            self.upload_kpis.append({"team": record.team, "kpi": record.name, "direction": record.direction.value})
            records.append(record.model_dump(mode="json"))
        return pd.DataFrame(records) if records else None

    def _kpi_record(self, table: CsvTable, row: dict[str, Any], previous: dict[str, Any]) -> Kpi:
        """A KPI from the file's values, falling back to the stored definition for columns left blank."""
        def given(column: str) -> Any:
            value = row.get(column)
            return None if value is None or (isinstance(value, float) and math.isnan(value)) else value

        def number(column: str, stored_field: str) -> float | None:
            if given(column) is None:
                return _none_if_nan(previous.get(stored_field))
            return _none_if_nan(row.get(f"{column}__number"))

        def enum(column: str, enum_type: type, stored_field: str) -> Any:
            text = given(column)
            if text is None:
                return previous.get(stored_field) or None
            try:
                return parse_enum(enum_type, text)
            except PydanticCustomError as error:
                raise PydanticCustomError(error.type, error.message_template,
                                          {**(error.context or {}), "column": column}) from None

        tolerance_text = given("tolerance")
        if tolerance_text is not None:
            tolerance_is_share = tolerance_text.strip().endswith("%")
            tolerance = _none_if_nan(row.get("tolerance__number"))
            tolerance = tolerance / 100 if tolerance is not None and tolerance_is_share else tolerance
        else:
            tolerance = _none_if_nan(previous.get("tolerance"))
            tolerance_is_share = bool(previous.get("tolerance_is_share", False))
        unit = given("unit") or previous.get("unit")
        if unit is None and given("target") is not None:
            unit = given("target__unit")
        fields: dict[str, Any] = {
            "team": row["team"], "name": row["name"], "unit": unit,
            "target": number("target", "target"), "min_value": number("min", "min_value"),
            "max_value": number("max", "max_value"), "tolerance": tolerance,
            "tolerance_is_share": tolerance_is_share,
            "direction": enum("direction", Direction, "direction"),
            "frequency": enum("frequency", Frequency, "frequency"),
            "kpi_type": enum("kpi_type", KpiType, "kpi_type"),
            "indicator": enum("indicator", Indicator, "indicator"),
            "category": given("category") or previous.get("category"),
            "owner": given("owner") or previous.get("owner"),
        }
        return Kpi.model_validate({k: v for k, v in fields.items() if v is not None})

    # -- OKR files ------------------------------------------------------------------------------

    def _okrs(self, table: CsvTable) -> None:
        t = f'"{table.table}"'
        self._cell_problems(
            # "current" is checked per row below: a milestone may say "done" / "selesai".
            table, numbers=("baseline", "target", "weight"), dates=("start_date", "end_date", "date"),
            required=("cycle", "team", "objective", "key_result"), confidence=True,
        )
        if "current" in table.columns:
            dc = "true" if table.decimal_comma else "false"
            for line, value, code in self.con.execute(
                f"""SELECT line, current, okr_number_problem(current) FROM {t} WHERE NOT okr_blank(current)
                    AND okr_number(current, {dc}) IS NULL AND okr_milestone_value(current) IS NULL
                    ORDER BY line LIMIT {self.config.max_reported_problems}"""
            ).fetchall():
                self._problem(table, line, "current", value, code)
        self._duplicates(table, ("cycle", "team", "objective", "key_result"))
        if self.problems:
            return
        select = ", ".join([
            "line", *(self._col(table, c) for c in (
                "cycle", "team", "objective", "objective_owner", "objective_type", "parent_objective",
                "key_result", "owner", "kind", "unit", "kpi", "current")),
            self._col(table, "start_date", parse="date"), self._col(table, "end_date", parse="date"),
            self._col(table, "baseline", "baseline_value", "number"), self._col(table, "target", "target_value", "number"),
            self._col(table, "weight", "weight_value", "number"), self._col(table, "current", "current_value", "number"),
            self._col(table, "date", "date_value", "date"), self._col(table, "confidence", "confidence_value", "confidence"),
            self._col(table, "baseline", "baseline_unit", "unit"), self._col(table, "target", "target_unit", "unit"),
            "okr_milestone_value(current) AS current_milestone" if "current" in table.columns else "NULL AS current_milestone",
        ])
        rows = self.con.execute(f"SELECT {select} FROM {t} ORDER BY line").df()
        stored_cycles = {r["cycle"]: r for r in self.store.cycle_index()}
        cycles: dict[str, Cycle] = {}
        objectives: dict[tuple[str, str, str], tuple[int, dict[str, Any]]] = {}
        key_results, checkins = [], []
        for row in (_clean(r) for r in rows.to_dict("records")):
            line = row["line"]
            cycle = self._okr_cycle(table, row, stored_cycles, cycles)
            if cycle is None:
                continue
            row["team"] = self.spellings.team(row["team"])
            row["objective"] = self.spellings.objective(cycle.name, row["team"], row["objective"])
            row["key_result"] = self.spellings.key_result(cycle.name, row["team"], row["objective"], row["key_result"])
            if row["kpi"]:
                if not self.spellings.known_kpi(row["team"], row["kpi"]):
                    self._problem(table, line, "kpi", row["kpi"], "unknown_kpi", team=row["team"])
                    continue
                row["kpi"] = self.spellings.kpi(row["team"], row["kpi"])
            try:
                objective_type = self._enum(ObjectiveType, row, "objective_type") or ObjectiveType.ASPIRATIONAL
                kind = self._enum(KRKind, row, "kind")
            except _BadCell as bad:
                self._problem(table, line, bad.column, row[bad.column], "enum_choice", choices=bad.choices)
                continue
            try:
                objective = Objective(
                    cycle=cycle, team=row["team"], title=row["objective"],
                    owner=row["objective_owner"] or row["owner"], type=objective_type,
                    parent_title=row["parent_objective"],
                )
                key_result = KeyResult(
                    objective_title=row["objective"], title=row["key_result"], owner=row["owner"], kind=kind,
                    baseline=row["baseline_value"], target=row["target_value"],
                    unit=row["unit"] or row["target_unit"] or row["baseline_unit"],
                    weight=1.0 if row["weight_value"] is None else row["weight_value"], kpi_name=row["kpi"],
                )
            except ValidationError as error:
                columns = _OBJECTIVE_FIELD_COLUMNS if error.title == "Objective" else _KR_FIELD_COLUMNS
                self.problems += _pydantic_problems(error, table.file_name, line, row, columns)
                continue
            objective_key = (cycle.name, objective.team, objective.title)
            record = objective.model_dump(mode="json", exclude={"cycle"})
            if objective_key in objectives:
                first_line, first = objectives[objective_key]
                for field_name, column in (("owner", "objective_owner"), ("type", "objective_type"),
                                           ("parent_title", "parent_objective")):
                    if row[column] is not None and first[field_name] != record[field_name]:
                        self._problem(table, line, column, row[column], "conflicting_value",
                                      first_line=first_line, column=column, other=first[field_name])
            else:
                objectives[objective_key] = (line, record)
            key_results.append({"cycle": cycle.name, "team": objective.team, "objective": objective.title,
                                **key_result.model_dump(mode="json", exclude={"objective_title", "kpi_name"}),
                                "kpi": key_result.kpi_name})
            self.upload_krs.append({"cycle": cycle.name, "team": objective.team, "objective": objective.title,
                                    "key_result": key_result.title, "kind": key_result.kind.value,
                                    "kpi": key_result.kpi_name})
            if row["current"] is not None:
                milestone = key_result.kind is KRKind.MILESTONE
                value = row["current_milestone"] if milestone and row["current_milestone"] is not None else row["current_value"]
                if value is None or not _finite(value):
                    code = "not_a_milestone" if milestone else "not_a_number" if value is None else "number_out_of_range"
                    self._problem(table, line, "current", row["current"], code)
                    continue
                if key_result.kpi_name:
                    self._problem(table, line, "current", row["current"], "linked_kr_checkin", kpi=key_result.kpi_name)
                    continue
                checkins.append({"cycle": cycle.name, "team": objective.team, "objective": objective.title,
                                 "key_result": key_result.title, "date": row["date_value"] or self.today,
                                 "value": value, "confidence": row["confidence_value"], "note": None})
        if self.problems:
            return
        self.changes.append(FileChanges(
            table.file_name, table.sha256, table.kind,
            cycles=pd.DataFrame([c.model_dump() for c in cycles.values()]),
            objectives=pd.DataFrame([{"cycle": k[0], **rec} for k, (_, rec) in objectives.items()]),
            key_results=pd.DataFrame(key_results),
            checkins=pd.DataFrame(checkins) if checkins else None,
        ))

    @staticmethod
    def _enum(enum_type: type, row: dict[str, Any], column: str) -> Any:
        if not row[column]:
            return None
        try:
            return parse_enum(enum_type, row[column])
        except PydanticCustomError as error:
            raise _BadCell(column, (error.context or {}).get("choices", "")) from None

    def _okr_cycle(self, table: CsvTable, row: dict[str, Any], stored: dict[str, dict[str, Any]],
                   seen: dict[str, Cycle]) -> Cycle | None:
        line, start, end = row["line"], row["start_date"], row["end_date"]
        if (start is None) != (end is None):
            self._problem(table, line, "start_date" if start is None else "end_date", None, "dates_need_both")
            return None
        try:
            cycle = Cycle.parse(row["cycle"], start, end)
        except (ValidationError, PydanticCustomError) as error:
            code = error.type if isinstance(error, PydanticCustomError) else error.errors()[0]["type"]
            self._problem(table, line, "cycle", row["cycle"], code if code in _KNOWN_CODES else "cycle_format")
            return None
        known = seen.get(cycle.name) or (
            Cycle(name=cycle.name, start_date=stored[cycle.name]["start_date"], end_date=stored[cycle.name]["end_date"])
            if cycle.name in stored else None
        )
        if known and (known.start_date, known.end_date) != (cycle.start_date, cycle.end_date):
            if start is None and cycle.name in stored:
                return known  # a quarter name alone follows the dates already stored for it
            self._problem(table, line, "cycle", row["cycle"], "cycle_conflict", cycle=cycle.name,
                          start=known.start_date.isoformat(), end=known.end_date.isoformat())
            return None
        seen[cycle.name] = cycle
        return cycle

    # -- check-in files -------------------------------------------------------------------------

    def _checkins(self, table: CsvTable) -> None:
        t = f'"{table.table}"'
        self._cell_problems(table, numbers=(), dates=("date",), required=("team", "key_result", "date", "value"),
                            confidence=True)
        index = pd.concat([self.store.key_result_index(), pd.DataFrame(self.upload_krs,
                           columns=["cycle", "team", "objective", "key_result", "kind", "kpi"])],
                          ignore_index=True).drop_duplicates(["cycle", "team", "objective", "key_result"], keep="last")
        self.con.register("kr_index", index)
        try:
            objective_match = ("AND (okr_blank(f.objective) OR lower(trim(f.objective)) = lower(i.objective))"
                               if "objective" in table.columns else "")
            cycle_match = "AND (okr_blank(f.cycle) OR i.cycle = cn.name)" if "cycle" in table.columns else ""
            cycle_join = "LEFT JOIN cycle_names cn ON cn.raw = trim(f.cycle)" if "cycle" in table.columns else ""
            self.con.register("cycle_names", pd.DataFrame(
                [(raw, _cycle_name(raw)) for (raw,) in self.con.execute(
                    f"SELECT DISTINCT trim(cycle) FROM {t} WHERE NOT okr_blank(cycle)").fetchall()]
                if "cycle" in table.columns else [], columns=["raw", "name"]))
            dc = "true" if table.decimal_comma else "false"
            self.con.execute(f"""
                CREATE OR REPLACE TABLE resolved AS
                SELECT f.line, trim(f.team) AS team_text, f.key_result AS kr_text, f.value AS value_text,
                       count(i.key_result) AS matches,
                       any_value(i.cycle) AS cycle, any_value(i.team) AS team, any_value(i.objective) AS objective,
                       any_value(i.key_result) AS key_result, any_value(i.kind) AS kind, any_value(i.kpi) AS kpi,
                       okr_date(any_value(f.date)) AS date,
                       CASE WHEN any_value(i.kind) = 'milestone'
                            THEN coalesce(okr_milestone_value(any_value(f.value)), okr_number(any_value(f.value), {dc}))
                            ELSE okr_number(any_value(f.value), {dc}) END AS value,
                       {'okr_confidence(any_value(f.confidence))' if 'confidence' in table.columns else 'NULL'} AS confidence,
                       {'any_value(f.note)' if 'note' in table.columns else 'NULL'} AS note
                FROM {t} f {cycle_join}
                LEFT JOIN kr_index i ON lower(i.team) = lower(trim(f.team))
                     AND lower(i.key_result) = lower(trim(f.key_result)) {objective_match} {cycle_match}
                GROUP BY f.line, f.team, f.key_result, f.value""")
        finally:
            self.con.unregister("kr_index")
            self.con.unregister("cycle_names")
        limit = self.config.max_reported_problems + 1
        for line, team, kr_text, matches, kpi in self.con.execute(
            f"""SELECT line, team_text, kr_text, matches, kpi FROM resolved
                WHERE team_text IS NOT NULL AND team_text <> '' AND NOT okr_blank(kr_text)
                  AND (matches <> 1 OR kpi IS NOT NULL) ORDER BY line LIMIT {limit}"""
        ).fetchall():
            if matches == 0:
                self._problem(table, line, "key_result", kr_text, "unknown_key_result", team=team)
            elif matches > 1:
                self._problem(table, line, "key_result", kr_text, "ambiguous_key_result", team=team, count=matches)
            else:
                self._problem(table, line, "key_result", kr_text, "linked_kr_checkin", kpi=kpi)
        for line, value, kind, code in self.con.execute(
            f"""SELECT line, value_text, kind,
                       CASE WHEN value IS NOT NULL THEN 'number_out_of_range' ELSE okr_number_problem(value_text) END
                FROM resolved
                WHERE matches = 1 AND NOT okr_blank(value_text)
                  AND (value IS NULL OR isnan(value) OR isinf(value) OR abs(value) > {MAX_ABS_NUMBER!r})
                ORDER BY line LIMIT {limit}"""
        ).fetchall():
            self._problem(table, line, "value", value,
                          "not_a_milestone" if kind == "milestone" and code == "not_a_number" else code)
        for line, first_line, key in self.con.execute(
            f"""SELECT line, first_line, key FROM (
                    SELECT line, key_result || ' @ ' || CAST(date AS VARCHAR) AS key,
                           first_value(line) OVER (PARTITION BY cycle, team, objective, key_result, date ORDER BY line) AS first_line
                    FROM resolved WHERE matches = 1 AND date IS NOT NULL)
                WHERE line <> first_line ORDER BY line LIMIT {limit}"""
        ).fetchall():
            self._problem(table, line, "key_result + date", None, "duplicate_key", first_line=first_line, key=key)
        if self.problems:
            return
        frame = self.con.execute(
            "SELECT cycle, team, objective, key_result, date, value, confidence, note FROM resolved"
        ).df()
        self.changes.append(FileChanges(table.file_name, table.sha256, table.kind, checkins=frame))


def _cycle_name(text: str) -> str:
    """ "Q2 2026" -> "2026-Q2"; a name that is not a quarter stays as written."""
    try:
        return Cycle.parse(text).name
    except (ValidationError, PydanticCustomError):
        return text


def _none_if_nan(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """pandas' NaN/NaT/pd.NA -> None, numpy scalars -> Python, Timestamps -> dates."""
    cleaned = {}
    for key, value in row.items():
        if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            cleaned[key] = None
        elif isinstance(value, pd.Timestamp):
            cleaned[key] = value.date()
        elif hasattr(value, "item"):
            cleaned[key] = value.item()
        else:
            cleaned[key] = value
    cleaned["line"] = int(cleaned["line"])
    return cleaned


class _BadCell(Exception):
    def __init__(self, column: str, choices: str):
        self.column, self.choices = column, choices


# Model field -> CSV column, to name the column in a pydantic error.
_OBJECTIVE_FIELD_COLUMNS = {
    "team": "team", "title": "objective", "owner": "objective_owner", "type": "objective_type",
    "parent_title": "parent_objective", "cycle": "cycle",
}
_KR_FIELD_COLUMNS = {
    "title": "key_result", "objective_title": "objective", "owner": "owner", "kind": "kind",
    "baseline": "baseline", "target": "target", "unit": "unit", "weight": "weight", "kpi_name": "kpi",
}
_KPI_FIELD_COLUMNS = {
    "team": "team", "name": "kpi", "unit": "unit", "direction": "direction", "target": "target",
    "min_value": "min", "max_value": "max", "tolerance": "tolerance", "frequency": "frequency",
    "kpi_type": "kpi_type", "indicator": "indicator", "category": "category", "owner": "owner",
}
