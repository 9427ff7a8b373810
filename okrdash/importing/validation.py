"""Validation of the tables read from uploads, per file kind: every problem with line, column and value.

Entity rows (objectives, key results, KPI definitions) go through the pydantic models, where their
cross-field rules live once; fact rows (check-ins, KPI measurements) are checked in bulk with SQL
over the parsed columns. The result is a list of :class:`FileChanges` for one store write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from okrdash.importing.across_files import conflicts_across_files
from okrdash.importing.checks import (
    DATE_MARGIN_DAYS,
    KNOWN_CODES,
    MAX_WARNINGS_PER_CODE,
    BadCell,
    capped,
    enum_choices,
)
from okrdash.importing.kpi_validation import validate_kpis
from okrdash.importing.okr_validation import validate_okrs
from okrdash.importing.people_validation import validate_people
from okrdash.importing.reading import NumberFormat
from okrdash.importing.rows import number_text
from okrdash.importing.spellings import Spellings
from okrdash.importing.table import CsvTable
from okrdash.models import (
    MAX_ABS_NUMBER,
    Cycle,
    FileKind,
    parse_enum,
)
from okrdash.names import name_key
from okrdash.problems import ImportFailed, Localised, Problem, localised
from okrdash.vocabulary import CONFIDENCE, MILESTONE, WORDS, scale_words
from okrdash.settings import Settings
from okrdash.store import FileChanges, Store


_WORDS_OF = {"not_a_confidence": CONFIDENCE, "not_a_confidence_five": CONFIDENCE, "not_a_milestone": MILESTONE}


class Validator:
    """Validates all tables of one upload together (check-ins may name key results of an OKR file in it)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, store: Store, config: Settings,
                 tables: list[CsvTable], today: dt.date, allowed_teams: frozenset[str] | None = None, *,
                 people_allowed: bool = True):
        self.con, self.store, self.config, self.tables, self.today = con, store, config, tables, today
        self.allowed_teams, self.people_allowed = allowed_teams, people_allowed
        self.problems: list[Problem] = []
        # Per file name: what is worth a look but does not stop the import.
        self.warnings: dict[str, list[Problem]] = {}
        self.upload_cycles: dict[str, Cycle] = {}  # the cycles the upload's okrs files define
        self.unlisted = 0  # problems counted by SQL but not fetched, beyond the report limit
        self.changes: list[FileChanges] = []
        self.upload_krs: list[dict[str, Any]] = []
        self.spellings = Spellings(store)
        self.upload_kpis: list[dict[str, Any]] = []
        self.parsed_cycles: dict[tuple[Any, ...], Cycle | ValidationError | PydanticCustomError] = {}
        # Per okrs file, the line of each check-in its current values became (importing.across_files).
        self.okr_checkin_lines: dict[str, list[int]] = {}

    def run(self) -> list[FileChanges]:
        order = {FileKind.KPIS: 0, FileKind.OKRS: 1, FileKind.CHECKINS: 2, FileKind.PEOPLE: 3}
        if not self.people_allowed:  # only an admin writes people (the store refuses anyone else too)
            for table in (t for t in self.tables if t.kind is FileKind.PEOPLE):
                self._problem(table, None, None, None, "people_file_not_allowed")
            if self.problems:
                raise ImportFailed(self.problems)
        # Teams first: every file of the upload spells a team the same way (a person's team is no write).
        for table in (t for t in self.tables if t.kind is not FileKind.PEOPLE):
            for (team,) in self.con.execute(
                f'SELECT DISTINCT team FROM "{table.table}" WHERE team <> \'\' ORDER BY 1'  # cells are trimmed
            ).fetchall():
                self.spellings.team(team)
        if self.allowed_teams is not None:
            for table in self.tables:
                self._team_problems(table)
            if self.problems:
                raise ImportFailed(capped(self.problems, self.config, self.unlisted))
        for table in sorted(self.tables, key=lambda t: order[t.kind]):
            {FileKind.KPIS: self._kpis, FileKind.OKRS: self._okrs, FileKind.CHECKINS: self._checkins,
             FileKind.PEOPLE: self._people}[table.kind](table)
        if not self.problems:
            conflicts_across_files(self)
            self._lookalike_problems()
        if self.problems:
            raise ImportFailed(capped(self.problems, self.config, self.unlisted))
        return self.changes

    def _lookalike_problems(self) -> None:
        """A new name that looks like a stored one (or borrows a letter from another script), on the
        first line of each file that writes it."""
        for lookalike in self.spellings.lookalikes:
            for table in self.tables:
                for column in (c for c in lookalike.columns if c in table.columns):
                    [(line,)] = self.con.execute(
                        f'SELECT min(line) FROM "{table.table}" WHERE okr_name_key("{column}") = ?',
                        [name_key(lookalike.name)]).fetchall()
                    if line is not None:
                        code, params = lookalike.problem()
                        self._problem(table, line, column, lookalike.name, code, **params)

    # -- shared helpers -------------------------------------------------------------------------

    def _problem(self, table: CsvTable, line: int | None, column: str | None, value: Any, code: str, /,
                 **params: Any) -> None:
        if code in _WORDS_OF:  # the words a cell may hold, as the reader of each language types them
            params.setdefault("words", Localised(*(scale_words(_WORDS_OF[code], lang) for lang in ("en", "id"))))
        self.problems.append(Problem(table.file_name, line, column, None if value is None else str(value), code, params))

    def _parse_cells(self, table: CsvTable, numbers: Iterable[str] = (), dates: Iterable[str] = (),
                     confidence: bool = False, *, also: Iterable[str] = (), join: str = "",
                     flag: str | None = None) -> bool:
        """Parse every number, date and confidence cell once, into a column beside it.

        The parsers are the costly part of a large import; every later check and query reads the
        parsed columns. ``also`` adds select expressions (over alias ``f`` and ``join``) to the same pass.
        ``flag``, a condition over the parsed columns and the cells, is written as the boolean column
        ``_flagged`` by the same pass: an outer projection, so the parsers run once (a scan of the copy
        for it cost a third of the pass). Returns whether the pass ran.
        """
        parsers = {**{c: table.number_sql(c, f'f."{c}"', "f.line") for c in numbers},
                   **{c: table.date_sql(c, f'f."{c}"') for c in dates},
                   **({"confidence": f"okr_confidence(f.confidence, {table.confidence_scale})"} if confidence else {})}
        parsers = {c: sql for c, sql in parsers.items() if c in table.columns}
        selects = [f'{sql} AS "{c}__parsed"' for c, sql in parsers.items()] + list(also)
        if not selects:
            return False
        parsed = f'SELECT f.*, {", ".join(selects)} FROM "{table.table}" f {join}'
        self.con.execute(f'CREATE OR REPLACE TABLE "{table.table}" AS '
                         + (f"SELECT *, ({flag}) AS _flagged FROM ({parsed})" if flag else parsed))
        table.parsed.update({c: f"{c}__parsed" for c in parsers})
        return True

    def _cell_problems(self, table: CsvTable, numbers: Iterable[str], dates: Iterable[str],
                       required: Iterable[str], confidence: bool = False, *, flag: Iterable[str] = (),
                       unchecked_numbers: Iterable[str] = (), also: Iterable[str] = (), join: str = "") -> str:
        """Blank required cells, unparseable numbers and dates, found in bulk from the parsed columns.

        ``flag`` adds conditions of the caller's own checks to the same scan: the rows meeting any
        condition are kept in a table whose name is returned (the file's table when nothing is
        flagged), so that those checks read the few flagged rows instead of scanning the file again.
        Cells not parsed yet (and ``unchecked_numbers``, which the caller checks) are parsed by the
        pass that flags the rows; ``also`` and ``join`` go to that pass (see :meth:`_parse_cells`).
        """
        numbers, dates = list(numbers), list(dates)
        parsed = {c: table.parsed.get(c, f"{c}__parsed") for c in [*numbers, *dates, "confidence"]}
        # (column, problem code, condition): the conditions are ORed in one scan that finds the
        # few bad rows; the per-column queries then read only those.
        checks = [(column, "'required'", f'okr_blank("{column}")') for column in required if column in table.columns]
        for column in (c for c in numbers if c in table.columns):
            checks.append((column, f'okr_number_problem("{column}")',
                           f'"{parsed[column]}" IS NULL AND NOT okr_blank("{column}")'))
            checks.append((column, "'number_out_of_range'", f'isnan("{parsed[column]}") OR isinf("{parsed[column]}") '
                                                            f'OR abs("{parsed[column]}") > {MAX_ABS_NUMBER!r}'))
        for column in (c for c in dates if c in table.columns):
            checks.append((column, f'okr_date_problem("{column}")',
                           f'"{parsed[column]}" IS NULL AND NOT okr_blank("{column}")'))
        if confidence and "confidence" in table.columns:
            code = "not_a_confidence_five" if table.confidence_scale == 5 else "not_a_confidence"
            checks.append(("confidence", f"'{code}'",
                           f'"{parsed["confidence"]}" IS NULL AND NOT okr_blank(confidence)'))
        conditions = [*(c for _, _, c in checks), *flag]
        any_condition = " OR ".join(f"({c})" for c in conditions) if conditions else None
        bad = f'"{table.table}_flagged"'
        flagged_in_pass = self._parse_cells(
            table, [c for c in [*numbers, *unchecked_numbers] if c not in table.parsed],
            [c for c in dates if c not in table.parsed], confidence and "confidence" not in table.parsed,
            also=also, join=join, flag=any_condition)
        if not any_condition:
            return f'"{table.table}"'
        if flagged_in_pass:
            self.con.execute(f'CREATE OR REPLACE TEMP TABLE {bad} AS SELECT * EXCLUDE (_flagged) '
                             f'FROM "{table.table}" WHERE _flagged')
            self.con.execute(f'ALTER TABLE "{table.table}" DROP COLUMN _flagged')
        else:
            self.con.execute(f'CREATE OR REPLACE TEMP TABLE {bad} AS SELECT * FROM "{table.table}" '
                             f'WHERE {any_condition}')
        if not checks:
            return bad
        limit = self.config.max_reported_problems
        per_column = " UNION ALL ".join(
            f"""SELECT line, '{column}' AS col, "{column}" AS val, {code} AS code FROM {bad} WHERE {condition}"""
            for column, code, condition in checks)
        rows = self.con.execute(
            f"SELECT *, count(*) OVER () AS total FROM ({per_column}) ORDER BY line LIMIT {limit}").fetchall()
        for line, column, value, code, _ in rows:
            self._problem(table, line, column, value, code)
        self.unlisted += rows[0][4] - len(rows) if rows else 0
        return bad

    def _warn(self, table: CsvTable, line: int | None, column: str | None, value: Any, code: str, /,
              **params: Any) -> None:
        """Something worth a look that does not stop the import (shown with the file's reading)."""
        found = self.warnings.setdefault(table.file_name, [])
        if len(found) < MAX_WARNINGS_PER_CODE * 4 and sum(w.code == code for w in found) < MAX_WARNINGS_PER_CODE:
            found.append(Problem(table.file_name, line, column, None if value is None else str(value), code, params))

    def _checkins_outside_their_cycle(self, table: CsvTable, resolved: str) -> None:
        """Check-ins dated before their key result's cycle starts, or well after it ends (9999-12-31)."""
        cycles = {r["cycle"]: (r["start_date"], r["end_date"]) for r in self.store.cycle_index()}
        cycles.update({name: (c.start_date, c.end_date) for name, c in self.upload_cycles.items()})
        if not cycles:
            return
        self.con.register("cycle_dates", pa.table({
            "name": list(cycles), "start_date": pa.array([v[0] for v in cycles.values()], pa.date32()),
            "end_date": pa.array([v[1] for v in cycles.values()], pa.date32())}))
        try:
            rows = self.con.execute(
                f"""SELECT f.line, f.date, c.name, c.start_date, c.end_date
                    FROM "{table.table}" f JOIN {resolved} rr USING (ref_key) JOIN cycle_dates c ON c.name = rr.cycle
                    WHERE f.date__parsed < c.start_date
                       OR f.date__parsed > c.end_date + INTERVAL {DATE_MARGIN_DAYS} DAY
                    ORDER BY f.line LIMIT {MAX_WARNINGS_PER_CODE}""").fetchall()
        finally:
            self.con.unregister("cycle_dates")
        for line, date, cycle, start, end in rows:
            self._warn(table, line, "date", date, "date_outside_cycle", cycle=cycle, start=start.isoformat(),
                       end=end.isoformat())

    def _unlikely_measurement_dates(self, table: CsvTable) -> None:
        """Measurements dated well after the import day (9999-12-31) or before 2000: a KPI has no cycle to
        compare with, but it cannot be measured in the future."""
        latest = self.today + dt.timedelta(days=DATE_MARGIN_DAYS)
        for line, date in self.con.execute(
            f"""SELECT line, date FROM "{table.table}" WHERE date__parsed > ?::DATE OR date__parsed < DATE '2000-01-01'
                ORDER BY line LIMIT {MAX_WARNINGS_PER_CODE}""", [latest]).fetchall():
            self._warn(table, line, "date", date, "date_unlikely", today=self.today.isoformat())

    def values_on_one_scale(self, table: CsvTable, key: str) -> None:
        """One KPI's (or key result's) values on two scales, "92%" beside a bare 0.94, are asked about:
        a workbook cell formatted 0% read without its format, or a share typed among percents."""
        if "value" not in table.columns or not self.con.execute(
                f"""SELECT coalesce(bool_or(ends_with(value, '%')), false) FROM "{table.table}" """).fetchall()[0][0]:
            return
        for line, cell, other_line, other in self.con.execute(f"""
            SELECT min(line) FILTER (WHERE NOT percent AND share),
                   arg_min(value, line) FILTER (WHERE NOT percent AND share),
                   min(line) FILTER (WHERE percent), arg_min(value, line) FILTER (WHERE percent)
            FROM (SELECT {key} AS k, line, value, ends_with(value, '%') AS percent,
                         abs(value__parsed) > 0 AND abs(value__parsed) < 1 AS share
                  FROM "{table.table}" WHERE value__parsed IS NOT NULL AND {key} IS NOT NULL)
            GROUP BY k HAVING bool_or(percent) AND bool_or(NOT percent AND share) ORDER BY 1 LIMIT 20""").fetchall():
            self._problem(table, line, "value", cell, "share_beside_percent", other=other, other_line=other_line)

    def _col(self, table: CsvTable, column: str, as_: str | None = None, parse: str = "text", source: str = "") -> str:
        """SQL for one canonical column (of table alias ``source``), NULL when the file lacks it."""
        alias = as_ or column
        if column not in table.columns:
            return f"NULL AS \"{alias}\""
        prefix = source + "." if source else ""
        if parse in ("number", "date", "confidence") and column in table.parsed:
            return f'{prefix}"{table.parsed[column]}" AS "{alias}"'
        cell = f'{prefix}"{column}"'
        expr = {
            "text": f"nullif(trim({cell}), '')",
            "number": table.number_sql(column, cell, f"{prefix}line"),
            "unit": f"okr_number_unit({cell})",
            "date": table.date_sql(column, cell),
            "confidence": f"okr_confidence({cell}, {table.confidence_scale})",
        }[parse]
        return f"{expr} AS \"{alias}\""

    def _duplicates(self, table: CsvTable, columns: tuple[str, ...], where: str = "true",
                    key: tuple[str, ...] | None = None) -> None:
        """Rows whose natural key (``columns``, ignoring case) repeats an earlier row of the same file.

        ``key`` gives SQL for the key when it is not the lower-cased columns. Grouped, not windowed:
        only the few repeated keys are joined back to name their lines.
        """
        parts = list(key or (f"okr_name_key(\"{c}\")" for c in columns))
        keys = ", ".join(f"{sql} AS k{i}" for i, sql in enumerate(parts))
        same_key = " AND ".join(f"k.k{i} IS NOT DISTINCT FROM r.k{i}" for i in range(len(parts)))
        display = " || ' / ' || ".join(f"coalesce(trim(f.\"{c}\"), '')" for c in columns)
        for line, first_line, key in self.con.execute(
            # The key's text is taken with the key, not joined back by line: a row of month
            # columns is several rows of one line.
            f"""WITH keyed AS (SELECT line, {keys}, {display} AS key_text FROM "{table.table}" f WHERE {where}),
                     repeated AS (SELECT * EXCLUDE (n) FROM (
                         SELECT {", ".join(f"k{i}" for i in range(len(parts)))}, min(line) AS first_line, count(*) AS n
                         FROM keyed GROUP BY ALL) WHERE n > 1)
                SELECT k.line, r.first_line, k.key_text
                FROM keyed k JOIN repeated r ON {same_key}
                WHERE k.line <> r.first_line ORDER BY k.line LIMIT ?""",
            [self.config.max_reported_problems + 1],
        ).fetchall():
            self._problem(table, line, " + ".join(columns), None, "duplicate_key", first_line=first_line, key=key)

    def _team_problems(self, table: CsvTable) -> None:
        """Rows of teams this person may not edit: the whole upload is refused."""
        allowed = sorted(self.allowed_teams or ())
        allowed_keys = sorted({name_key(team) for team in allowed})
        rows = self.con.execute(
            f"""SELECT line, team, count(*) OVER () FROM "{table.table}"
                WHERE NOT okr_blank(team) AND NOT list_contains(?::VARCHAR[], okr_name_key(team))
                ORDER BY line LIMIT {self.config.max_reported_problems}""",
            [allowed_keys],
        ).fetchall()
        for line, team, _ in rows:
            self._problem(table, line, "team", team, "team_not_allowed", teams=", ".join(allowed) or "–")
        self.unlisted += rows[0][2] - len(rows) if rows else 0

    # -- KPI files (importing/kpi_validation.py) ------------------------------------------------

    def _kpis(self, table: CsvTable) -> None:
        validate_kpis(self, table)

    # -- people files (importing/people_validation.py) -----------------------------------------

    def _people(self, table: CsvTable) -> None:
        validate_people(self, table)

    # -- OKR files (importing/okr_validation.py) ------------------------------------------------

    def _okrs(self, table: CsvTable) -> None:
        validate_okrs(self, table)

    @staticmethod
    def _enum(enum_type: type, row: dict[str, Any], column: str) -> Any:
        if not row[column]:
            return None
        try:
            return parse_enum(enum_type, row[column])
        except PydanticCustomError as error:
            raise BadCell(column, enum_choices(error)) from None

    def _okr_cycle(self, table: CsvTable, row: dict[str, Any], stored: dict[str, dict[str, Any]],
                   seen: dict[str, Cycle]) -> Cycle | None:
        line, start, end = row["line"], row["start_date"], row["end_date"]
        if (start is None) != (end is None):
            self._problem(table, line, "start_date" if start is None else "end_date", None, "dates_need_both")
            return None
        key = (row["cycle"], start, end)
        if key not in self.parsed_cycles:  # thousands of rows share a handful of cycles
            try:
                self.parsed_cycles[key] = Cycle.parse(row["cycle"], start, end)
            except (ValidationError, PydanticCustomError) as error:
                self.parsed_cycles[key] = error
        cycle = self.parsed_cycles[key]
        if not isinstance(cycle, Cycle):
            code = cycle.type if isinstance(cycle, PydanticCustomError) else cycle.errors()[0]["type"]
            self._problem(table, line, "cycle", row["cycle"], code if code in KNOWN_CODES else "cycle_format")
            return None
        if self.allowed_teams is not None and cycle.name not in stored and not _standard_quarter(cycle):
            # Cycles are company-wide: only an admin defines one with dates of its own (an editor of
            # Sales must not make 2027-Q1 run 1-5 January for everyone).
            self._problem(table, line, "cycle", row["cycle"], "cycle_dates_admin_only", cycle=cycle.name)
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
        refs, resolved = f'"{table.table}_refs"', f'"{table.table}_resolved"'
        given = [c for c in ("team", "key_result", "objective", "cycle") if c in table.columns]
        # A large file names each key result on many rows: resolve each distinct way of naming one
        # once, then join the rows to the answer.
        self.con.execute(f"""CREATE OR REPLACE TABLE {refs} AS
            SELECT row_number() OVER () AS ref_key, * FROM (
                SELECT DISTINCT {", ".join(given)} FROM {t} WHERE team <> '' AND key_result <> '')""")
        index = self._key_result_index()
        self.con.register("kr_index", index)
        try:
            objective_match = ("AND (okr_blank(r.objective) OR okr_name_key(r.objective) = okr_name_key(i.objective))"
                               if "objective" in table.columns else "")
            cycle_match = "AND (okr_blank(r.cycle) OR i.cycle = cn.name)" if "cycle" in table.columns else ""
            cycle_join = "LEFT JOIN cycle_names cn ON cn.raw = r.cycle" if "cycle" in table.columns else ""
            self.con.register("cycle_names", pd.DataFrame(
                [(raw, _cycle_name(raw)) for (raw,) in self.con.execute(
                    f"SELECT DISTINCT cycle FROM {refs} WHERE NOT okr_blank(cycle)").fetchall()]
                if "cycle" in table.columns else [], columns=["raw", "name"]))
            self.con.execute(f"""
                CREATE OR REPLACE TABLE {resolved} AS
                SELECT *, CASE WHEN matches = 1
                               THEN dense_rank() OVER (ORDER BY cycle, team, objective, key_result) END AS kr_key
                FROM (SELECT r.ref_key, count(i.key_result) AS matches,
                             any_value(i.cycle) AS cycle, any_value(i.team) AS team,
                             any_value(i.objective) AS objective, any_value(i.key_result) AS key_result,
                             any_value(i.kind) AS kind, any_value(i.kpi) AS kpi,
                             any_value(i.baseline) AS baseline, any_value(i.target) AS target,
                             any_value(i.kr_start) AS kr_start
                      FROM {refs} r {cycle_join}
                      LEFT JOIN kr_index i ON okr_name_key(i.team) = okr_name_key(r.team)
                           AND okr_name_key(i.key_result) = okr_name_key(r.key_result) {objective_match} {cycle_match}
                      GROUP BY r.ref_key)""")
        finally:
            self.con.unregister("kr_index")
            self.con.unregister("cycle_names")
        same_ref = " AND ".join(f"r.{c} IS NOT DISTINCT FROM f.{c}" for c in given)
        # Check-in values, and planned values (a plan sheet's, or beside a value), read alike.
        numbers = [c for c in ("value", "planned") if c in table.columns]
        # A milestone's value may be a word ("done", "selesai"). (The number is read outside a CASE on
        # the kind: DuckDB read it five times slower inside one, 0.5 of a 400,000-row file's 2.5 CPU s.)
        parsed = [f"""coalesce(okr_milestone_value(CASE WHEN rr.kind = 'milestone' THEN f.{c} END),
                               {table.number_sql(c, f"f.{c}", "f.line")}) AS {c}__parsed""" for c in numbers]
        planning = "planned" in table.columns
        # The key result and value checks are flagged in the cell checks' pass (see _cell_problems).
        # A key result that follows a KPI takes its values from the KPI, but may carry a plan.
        has_value = "value" in table.columns
        unmatched = ("matches <> 1 OR kr_linked" if not planning else
                     "matches <> 1 OR (kr_linked AND NOT okr_blank(value))" if has_value else "matches <> 1")
        bad_value = " OR ".join(
            f"""(matches = 1 AND NOT okr_blank({c})
                 AND ({c}__parsed IS NULL OR isnan({c}__parsed) OR isinf({c}__parsed)
                      OR abs({c}__parsed) > {MAX_ABS_NUMBER!r}))""" for c in numbers) or "false"
        # A row of a plan sheet holds a planned value, a check-in a value: one of them is needed.
        neither = ("false" if not planning else
                   "okr_blank(value) AND okr_blank(planned)" if has_value else "okr_blank(planned)")
        # A bound (at least / at most) is expected all cycle long: a plan cannot move it.
        planned_bound = "kr_kind IN ('at_least', 'at_most') AND NOT okr_blank(planned)" if planning else "false"
        # The cells are parsed, and the key results joined, by the pass that flags the rows.
        flagged = self._cell_problems(
            table, numbers=(), dates=("date",),
            required=("team", "key_result", "date") if planning else ("team", "key_result", "date", "value"),
            confidence=True, flag=[unmatched, bad_value, neither, planned_bound],
            also=["rr.ref_key", "rr.kr_key", "rr.matches", "rr.kpi IS NOT NULL AS kr_linked", "rr.kind AS kr_kind",
                  *parsed],
            join=f"LEFT JOIN {refs} r ON {same_ref} LEFT JOIN {resolved} rr ON rr.ref_key = r.ref_key")
        table.parsed.update({c: f"{c}__parsed" for c in numbers})
        limit = self.config.max_reported_problems + 1
        if planning:
            for line, cell in self.con.execute(
                    f"""SELECT line, {'value' if has_value else 'NULL'} FROM {flagged}
                        WHERE {neither} ORDER BY line LIMIT {limit}""").fetchall():
                self._problem(table, line, "value" if has_value else "planned", cell, "required")
            for line, cell, kind in self.con.execute(
                    f"SELECT line, planned, kr_kind FROM {flagged} WHERE {planned_bound} ORDER BY line LIMIT {limit}"
            ).fetchall():
                self._problem(table, line, "planned", cell, "planned_for_bound",
                              kind=Localised(WORDS["KRKind"][kind].en, WORDS["KRKind"][kind].id))
        for line, team, kr_text, matches, kpi in self.con.execute(
            f"""SELECT f.line, f.team, f.key_result, f.matches, rr.kpi FROM (SELECT * FROM {flagged} WHERE {unmatched}) f
                JOIN {resolved} rr USING (ref_key) ORDER BY f.line LIMIT {limit}"""
        ).fetchall():
            if matches == 0:
                self._problem(table, line, "key_result", kr_text, "unknown_key_result", team=team)
            elif matches > 1:
                self._problem(table, line, "key_result", kr_text, "ambiguous_key_result", team=team, count=matches)
            else:
                self._problem(table, line, "key_result", kr_text, "linked_kr_checkin", kpi=kpi)
        for column in numbers:
            for line, value, kind, code in self.con.execute(
                f"""SELECT f.line, f.{column}, rr.kind,
                           CASE WHEN {column}__parsed IS NOT NULL THEN 'number_out_of_range'
                                ELSE okr_number_problem(f.{column}) END
                    FROM (SELECT * FROM {flagged} WHERE matches = 1 AND NOT okr_blank({column})
                          AND ({column}__parsed IS NULL OR isnan({column}__parsed) OR isinf({column}__parsed)
                               OR abs({column}__parsed) > {MAX_ABS_NUMBER!r})) f
                    JOIN {resolved} rr USING (ref_key) ORDER BY f.line LIMIT {limit}"""
            ).fetchall():
                self._problem(table, line, column, value,
                              "not_a_milestone" if kind == "milestone" and code == "not_a_number" else code)
        self.values_on_one_scale(table, "kr_key")
        self._duplicates(table, ("key_result", "date"), where="kr_key IS NOT NULL AND date__parsed IS NOT NULL",
                         key=("kr_key", "date__parsed"))
        if planning:
            self._plans_the_rules_cannot_use(table, resolved)
        if self.problems:
            return
        self._checkins_outside_their_cycle(table, resolved)
        frame = self.con.sql(
            f"""SELECT rr.cycle, rr.team, rr.objective, rr.key_result, f.date__parsed AS date,
                       f.value__parsed AS value, {self._col(table, "confidence", parse="confidence", source="f")},
                       {'f.note' if 'note' in table.columns else 'NULL::VARCHAR'} AS note
                FROM {t} f JOIN {resolved} rr USING (ref_key)
                {'WHERE f.value__parsed IS NOT NULL' if planning else ''}"""
        ).to_arrow_table() if has_value else None
        plans = self.con.sql(
            f"""SELECT rr.cycle, rr.team, rr.objective, rr.key_result, f.date__parsed AS date,
                       f.planned__parsed AS planned
                FROM {t} f JOIN {resolved} rr USING (ref_key) WHERE f.planned__parsed IS NOT NULL"""
        ).to_arrow_table() if planning else None
        self.changes.append(FileChanges(table.file_name, table.sha256, table.kind, checkins=frame, plans=plans))

    def _key_result_index(self) -> pd.DataFrame:
        """The stored key results and the upload's (an upload's row stands for the stored one; a start
        it leaves blank keeps the stored one, as the store's write does)."""
        stored = self.store.key_result_index()
        keys = ["cycle", "team", "objective", "key_result"]
        upload = pd.DataFrame(self.upload_krs, columns=[*keys, "kind", "kpi", "baseline", "target", "kr_start"])
        if len(upload):
            kept = upload.merge(stored[[*keys, "kr_start"]], on=keys, how="left", suffixes=("", "_stored"))
            upload["kr_start"] = [given if given is not None and not pd.isna(given) else before
                                  for given, before in zip(kept["kr_start"], kept["kr_start_stored"])]
        index = pd.concat([stored, upload], ignore_index=True) if len(upload) else stored
        return index.drop_duplicates(keys, keep="last").astype({"baseline": "float64", "target": "float64"})

    def _plans_the_rules_cannot_use(self, table: CsvTable, resolved: str) -> None:
        """Planned values the rules would store but never read (rules.sql's planned_points, plan_ends):
        the path runs strictly inside the key result's span, from its start (the baseline: nothing
        yet) to the cycle's end (the target: all of it), so a point outside the cycle, before a later
        start of the key result, on the start day other than the baseline, or on the last day other
        than the target would be ignored; so would any point of a key result without a target. Each
        is refused, naming what the path holds there (docs/rules.md, Planned path)."""
        cycles = {r["cycle"]: (r["start_date"], r["end_date"]) for r in self.store.cycle_index()}
        cycles.update({name: (c.start_date, c.end_date) for name, c in self.upload_cycles.items()})
        self.con.register("plan_cycles", pa.table({
            "name": pa.array(list(cycles), pa.string()),
            "start_date": pa.array([v[0] for v in cycles.values()], pa.date32()),
            "end_date": pa.array([v[1] for v in cycles.values()], pa.date32())}))
        # Equal as the rules see it: a planned value read from the same text as the target is the
        # same double; the margin only absorbs a percent read as a share (60% and 0.6).
        same = "abs(f.planned__parsed - {0}) <= 1e-9 * greatest(1.0, abs({0}))"
        done = "f.planned__parsed >= rr.target"
        try:
            rows = self.con.execute(
                f"""SELECT * FROM (
                    SELECT f.line, f.date, f.planned, rr.kind, rr.baseline,
                           rr.target, c.name, c.start_date, c.end_date, coalesce(rr.kr_start, c.start_date) AS since,
                           CASE WHEN f.date__parsed < c.start_date OR f.date__parsed > c.end_date
                                     THEN 'planned_outside_cycle'
                                WHEN f.date__parsed < rr.kr_start THEN 'planned_before_key_result_start'
                                WHEN rr.target IS NULL THEN 'planned_without_target'
                                WHEN f.date__parsed = coalesce(rr.kr_start, c.start_date)
                                     AND NOT coalesce(CASE WHEN rr.kind = 'milestone' THEN NOT ({done})
                                                           ELSE {same.format("rr.baseline")} END, false)
                                     THEN 'planned_at_start'
                                WHEN f.date__parsed = c.end_date
                                     AND NOT CASE WHEN rr.kind = 'milestone' THEN {done}
                                                  ELSE {same.format("rr.target")} END
                                     THEN 'planned_at_end'
                           END AS code
                    FROM "{table.table}" f JOIN {resolved} rr USING (ref_key) JOIN plan_cycles c ON c.name = rr.cycle
                    WHERE f.planned__parsed IS NOT NULL AND f.date__parsed IS NOT NULL
                          AND rr.kind NOT IN ('at_least', 'at_most'))
                    WHERE code IS NOT NULL
                    ORDER BY line LIMIT {self.config.max_reported_problems + 1}""").fetchall()
        finally:
            self.con.unregister("plan_cycles")
        for line, date, planned, kind, baseline, target, cycle, start, end, since, code in rows:
            if code == "planned_outside_cycle":
                self._problem(table, line, "date", date, code, cycle=cycle, start=start.isoformat(),
                              end=end.isoformat())
            elif code == "planned_before_key_result_start":
                self._problem(table, line, "date", date, code, start=since.isoformat(), cycle=cycle,
                              cycle_start=start.isoformat())
            elif code == "planned_without_target":
                self._problem(table, line, "planned", planned, code)
            elif code == "planned_at_start":
                self._problem(table, line, "planned", planned, code, start=since.isoformat(),
                              baseline=_plan_value(kind, baseline, done=False))
            else:
                self._problem(table, line, "planned", planned, code, end=end.isoformat(), cycle=cycle,
                              target=_plan_value(kind, target, done=True))


def _plan_value(kind: str, value: float | None, *, done: bool) -> Localised:
    """What a key result's path holds at its start (``done`` False: the baseline) or end (the target),
    as a message says it: a number in each reader's convention, a milestone's state in words, or
    "none given" for a baseline left to the first check-in."""
    if kind == "milestone":
        return localised("problem.plan_done" if done else "problem.plan_not_done")
    if value is None or pd.isna(value):
        return localised("problem.plan_no_baseline")
    return Localised(number_text(float(value), NumberFormat.EN), number_text(float(value), NumberFormat.ID))


def _standard_quarter(cycle: Cycle) -> bool:
    """Whether ``cycle`` is a quarter with its calendar dates (what a quarter name alone gives)."""
    try:
        standard = Cycle.parse(cycle.name)
    except (ValidationError, PydanticCustomError):
        return False  # not a quarter name: a cycle that only exists with dates someone chose
    return (standard.start_date, standard.end_date) == (cycle.start_date, cycle.end_date)


def _cycle_name(text: str) -> str:
    """ "Q2 2026" -> "2026-Q2"; a name that is not a quarter stays as written."""
    try:
        return Cycle.parse(text).name
    except (ValidationError, PydanticCustomError):
        return text
