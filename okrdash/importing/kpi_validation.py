"""Validation of a KPI file: its cells and facts in bulk (SQL over whole columns: a yearly KPI file
holds millions of measurements), its KPI definitions through the pydantic model.

Split from importing/validation.py, which holds the Validator every file kind shares.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from okrdash.importing.checks import enum_choices, pydantic_problems
from okrdash.importing.measures import Settled, achievement_shares, share
from okrdash.importing.okr_validation import percent_scales
from okrdash.importing.table import CsvTable
from okrdash.models import Direction, Frequency, Indicator, Kpi, KpiType, KRKind, parse_enum
from okrdash.problems import localised
from okrdash.store import FileChanges

if TYPE_CHECKING:
    from okrdash.importing.validation import Validator

_BOUND_DIRECTIONS = {"at_most": Direction.LOWER_IS_BETTER, "at_least": Direction.HIGHER_IS_BETTER}
KPI_DEFINITION_COLUMNS = ("unit", "direction", "min", "max", "tolerance", "frequency",
                          "kpi_type", "indicator", "category", "owner")
# Model field -> CSV column, to name the column in a pydantic error.
KPI_FIELD_COLUMNS = {
    "team": "team", "name": "kpi", "unit": "unit", "direction": "direction", "target": "target",
    "min_value": "min", "max_value": "max", "tolerance": "tolerance", "frequency": "frequency",
    "kpi_type": "kpi_type", "indicator": "indicator", "category": "category", "owner": "owner",
}



def validate_kpis(v: Validator, table: CsvTable) -> None:
    """Every problem of a KPI file, or its FileChanges appended to ``v.changes``."""
    t = f'"{table.table}"'
    # Each spelling of (team, KPI) gets a number once, so the per-row work below groups and
    # joins on integers instead of millions of name pairs.
    v.con.execute(f"""CREATE OR REPLACE TABLE "{table.table}_names" AS
        SELECT team, kpi, dense_rank() OVER (ORDER BY okr_name_key(team), okr_name_key(kpi)) AS kpi_key
        FROM (SELECT DISTINCT team, kpi FROM {t} WHERE NOT okr_blank(team) AND NOT okr_blank(kpi))""")
    has_date, has_value = "date" in table.columns, "value" in table.columns
    # The checks of this file's own rules are flagged by the pass that parses the cells and read
    # back from the few rows flagged: each was a scan of the whole file of its own.
    tolerance_bad = "tolerance__parsed IS NULL AND NOT okr_blank(tolerance)"
    date_blank = "okr_blank(date)" if has_date else "true"
    value_blank = "okr_blank(value)" if has_value else "true"
    without_date = f"({date_blank}) <> ({value_blank})"
    flagged = v._cell_problems(
        table, numbers=("value", "target", "min", "max", "achievement"), dates=("date",), required=("team", "kpi"),
        flag=[*([tolerance_bad] if "tolerance" in table.columns else []),
              *([without_date] if has_date or has_value else [])],
        unchecked_numbers=("tolerance",), also=["n.kpi_key"],
        join=f'LEFT JOIN "{table.table}_names" n ON n.team = f.team AND n.kpi = f.kpi')
    if "tolerance" in table.columns:
        for line, value in v.con.execute(
            f"SELECT line, tolerance FROM {flagged} WHERE {tolerance_bad} ORDER BY line LIMIT 50"
        ).fetchall():
            v._problem(table, line, "tolerance", value, "not_a_number")
    if has_date or has_value:
        for line, date, value in v.con.execute(
            f"""SELECT line, {'date' if has_date else 'NULL'}, {'value' if has_value else 'NULL'} FROM {flagged}
                WHERE {without_date} ORDER BY line LIMIT 50"""
        ).fetchall():
            v._problem(table, line, "value" if date else "date", value or date, "value_without_date",
                       unplaced=table.ignored_headers)  # (a column that may hold the dates: cli.answering_flags)
    # One pass groups the file by KPI: its definitions (used below when nothing is wrong) and,
    # per definition column, whether any KPI's rows give it two different texts. Only such a
    # column can hold a conflict, and only its rows are compared one by one.
    given = _kpi_groups(v, table)
    mixed = [c for c, is_mixed in zip(given, v.con.execute(
        "SELECT " + ", ".join(f'coalesce(bool_or("{c}__mixed"), false)' for c in given)
        + f' FROM "{table.table}_kpis"').fetchall()[0]) if is_mixed] if given else []
    # Each definition column must hold one value per KPI across the file's rows.
    for column in mixed:
        normalised = f"lower(regexp_replace(trim(\"{column}\"), '[\\s_-]+', ' ', 'g'))"
        for line, value, first_line, other in v.con.execute(
            f"""WITH defined AS (
                    SELECT line, kpi_key AS k, "{column}" AS value, {normalised} AS norm
                    FROM {t} WHERE NOT okr_blank("{column}")),
                firsts AS (SELECT k, arg_min(line, line) AS first_line, arg_min(value, line) AS first_value,
                                  arg_min(norm, line) AS first_norm FROM defined GROUP BY k)
                SELECT d.line, d.value, f.first_line, f.first_value FROM defined d JOIN firsts f USING (k)
                WHERE d.norm <> f.first_norm ORDER BY d.line LIMIT 50"""
        ).fetchall():
            v._problem(table, line, column, value, "conflicting_value", first_line=first_line,
                          column=column, other=other)
    if "target" in table.columns:
        _undated_targets(v, table)
    if has_date:
        v._duplicates(table, ("team", "kpi", "date"), where="date__parsed IS NOT NULL AND kpi_key IS NOT NULL",
                         key=("kpi_key", "date__parsed"))
    if v.problems:
        return
    if has_date:
        v._unlikely_measurement_dates(table)

    v.values_on_one_scale(table, "kpi_key")
    if v.problems:
        return
    if "achievement" in table.columns and "value" not in table.columns:
        # An achievement is checked against its row's value; without values it has nothing to say.
        v._problem(table, None, "achievement", None, "meaning_not_used", meaning=localised("meaning.achievement"),
                   kind=localised("upload.kind_kpis"))
        return
    definitions, spelled = _kpi_definitions(v, table)
    if "achievement" in table.columns and definitions is not None:
        _achievements(v, table, definitions, spelled)
    if v.problems:
        return
    measurements = None
    if has_date:
        v.con.register("kpi_spelled", spelled)
        try:
            measurements = v.con.sql(
                f"""SELECT s.team, s.kpi, f.date__parsed AS date,
                           {v._col(table, 'value', parse='number', source='f')},
                           {v._col(table, 'target', parse='number', source='f')}
                    FROM {t} f JOIN kpi_spelled s USING (kpi_key)
                    WHERE f.date__parsed IS NOT NULL"""
            ).to_arrow_table()
        finally:
            v.con.unregister("kpi_spelled")
    v.changes.append(FileChanges(table.file_name, table.sha256, table.kind,
                                    kpis=definitions, measurements=measurements))


def _achievements(v: Validator, table: CsvTable, definitions: pd.DataFrame, spelled: pa.Table) -> None:
    """An achievement column ("Pencapaian 92%") must agree with each row's value and target, by the
    KPI's direction (importing.measures: actual over target, or the two ways a lower-is-better one
    is measured); it is no value of its own."""
    scale = percent_scales(v, table, ("achievement",))["achievement"]
    directions = {(r["team"], r["name"]): r["direction"] for r in definitions.to_dict("records")}
    keys = dict(zip(spelled.column("kpi_key").to_pylist(),
                    zip(spelled.column("team").to_pylist(), spelled.column("kpi").to_pylist())))
    target = "coalesce(f.target__parsed, k.target__number)" if "target" in table.columns else "NULL"
    for line, cell, achieved, value, goal, key in v.con.execute(
        f"""SELECT f.line, f.achievement, f.achievement__parsed, f.value__parsed, {target}, f.kpi_key
            FROM "{table.table}" f LEFT JOIN "{table.table}_kpis" k USING (kpi_key)
            WHERE f.achievement__parsed IS NOT NULL AND f.value__parsed IS NOT NULL ORDER BY f.line"""
    ).fetchall():
        kind = KRKind.DECREASE if directions.get(keys.get(key)) == Direction.LOWER_IS_BETTER.value else None
        settled = Settled(kind, None, goal, value, None)
        share_value, spread = share(achieved, cell, cell.strip().endswith("%") or scale.points)
        shares = achievement_shares(settled, value)
        if shares is not None and not any(abs(s - share_value) <= spread for s in shares):
            v._problem(table, line, "achievement", cell, "achievement_disagrees", current=value)


def _undated_targets(v: Validator, table: CsvTable) -> None:
    """Two different targets of one KPI on rows without a date: which is the KPI's target is the
    rows' periods' to say, never their order in the file (a period column the reader does not know,
    "Period Name: Q1 2024", would otherwise leave the last row's target stored)."""
    undated = "date__parsed IS NULL" if "date" in table.columns else "true"
    for line, value, first_line, other in v.con.execute(
        f"""WITH targets AS (
                SELECT line, kpi_key AS k, target, target__parsed AS number FROM "{table.table}"
                WHERE {undated} AND target__parsed IS NOT NULL AND kpi_key IS NOT NULL),
            firsts AS (SELECT k, arg_min(line, line) AS first_line, arg_min(target, line) AS first_target,
                              arg_min(number, line) AS first_number FROM targets GROUP BY k)
            SELECT t.line, t.target, f.first_line, f.first_target FROM targets t JOIN firsts f USING (k)
            WHERE t.number <> f.first_number ORDER BY t.line LIMIT 50"""
    ).fetchall():
        v._problem(table, line, "target", value, "target_undated_conflict", first_line=first_line, other=other)


def _kpi_groups(v: Validator, table: CsvTable) -> list[str]:
    """The file grouped by KPI, into ``<table>_kpis``: per ``kpi_key`` its first spelling and
    line, the first text given in each definition column, the target, those numbers parsed, and
    ``<column>__mixed`` when the KPI's rows give a column two different texts. Returns the
    definition columns the file has."""
    t = f'"{table.table}"'
    given = [c for c in KPI_DEFINITION_COLUMNS if c in table.columns]
    firsts = ", ".join(
        f"arg_min(\"{c}\", line) FILTER (WHERE NOT okr_blank(\"{c}\")) AS \"{c}\", "
        # Two different texts, at least: only then can the column's cells conflict (the same text
        # twice cannot). Blank cells are not filtered out here: a blank beside a text marks the
        # column for the exact comparison, which skips blanks, and the test stays a plain min/max.
        f"min(\"{c}\") <> max(\"{c}\") AS \"{c}__mixed\""
        for c in given
    )
    target_sql = ""
    order = "date__parsed" if "date" in table.columns else "line"
    if "target" in table.columns:
        # The latest dated target; else one given on a definition row without a date.
        target_sql = (f", coalesce(arg_max(target, {order}) FILTER (WHERE NOT okr_blank(target)),"
                      f" arg_max(target, line) FILTER (WHERE NOT okr_blank(target))) AS target")
    # A mixed workbook column's cell is read by its line (see CsvTable.number_sql).
    def line_of(c: str) -> str:
        first = f"arg_max(line, {order})" if c == "target" else "arg_min(line, line)"
        return f', {first} FILTER (WHERE NOT okr_blank("{c}")) AS "{c}__line"'
    mixed = [c for c in ("target", "min", "max", "tolerance") if c in table.mixed_columns and c in table.columns]
    target_sql += "".join(line_of(c) for c in mixed if c == "target")
    # The definition columns are grouped over the rows that give one of them (a yearly file gives
    # them on one row of a KPI's 365): a row of NULLs adds nothing to a first text or a min/max.
    definitions = "" if not given else f"""
        LEFT JOIN (SELECT kpi_key, {firsts} {"".join(line_of(c) for c in mixed if c != "target")}
                   FROM {t} WHERE kpi_key IS NOT NULL AND ({" OR ".join(f'"{c}" IS NOT NULL' for c in given)})
                   GROUP BY kpi_key) USING (kpi_key)"""
    # Numbers are parsed here, in bulk, not one query per cell: a large file defines thousands of KPIs.
    parsed = ", ".join(
        [table.number_sql(c, f'"{c}"', f'"{c}__line"') + f' AS "{c}__number"'
         for c in ("target", "min", "max", "tolerance") if c in given or (c == "target" and "target" in table.columns)]
        + (["okr_number_unit(target) AS target__unit"] if "target" in table.columns else [])
        + (["okr_bound(target) AS target__bound"] if "target" in table.columns and table.bounded else [])
    )
    v.con.execute(
        f"""CREATE OR REPLACE TEMP TABLE "{table.table}_kpis" AS
            SELECT *{', ' + parsed if parsed else ''} FROM (
                SELECT kpi_key, arg_min(team, line) AS team, arg_min(kpi, line) AS name, min(line) AS line
                       {target_sql}
                FROM {t} WHERE kpi_key IS NOT NULL GROUP BY kpi_key) {definitions}"""
    )
    return given


def _kpi_definitions(v: Validator, table: CsvTable) -> tuple[pd.DataFrame | None, pa.Table]:
    """The file's KPI definitions, and each ``kpi_key`` with the team and KPI names as stored
    (from the groups of :meth:`_kpi_groups`)."""
    mixed = ", ".join(f'"{c}__mixed"' for c in KPI_DEFINITION_COLUMNS if c in table.columns)
    result = v.con.execute(
        f"""SELECT * {f'EXCLUDE ({mixed})' if mixed else ''} FROM "{table.table}_kpis" ORDER BY line""")
    columns, rows = [d[0] for d in result.description], result.fetchall()
    stored = v.store.kpi_definitions()
    stored_by_key = {(r["team"], r["name"]): r for r in stored}
    records, keys, teams, names = [], [], [], []
    for row in (dict(zip(columns, values)) for values in rows):
        line = row["line"]
        row["team"] = v.spellings.team(row["team"])
        row["name"] = v.spellings.kpi(row["team"], row["name"])
        v.spellings.owner(row.get("owner") if isinstance(row.get("owner"), str) else None)
        keys.append(row["kpi_key"])
        teams.append(row["team"])
        names.append(row["name"])
        previous = stored_by_key.get((row["team"], row["name"]), {})
        try:
            record = _kpi_record(v, table, row, previous)
        except ValidationError as error:
            v.problems += pydantic_problems(error, table.file_name, line, row, KPI_FIELD_COLUMNS)
            continue
        except PydanticCustomError as error:
            context = dict(error.context or {})
            if error.type == "enum_choice":
                context["choices"] = enum_choices(error)
                context.pop("choices_id", None)
            v._problem(table, line, context.pop("column", None), None, error.type, **context)
            continue
        v.upload_kpis.append({"team": record.team, "kpi": record.name, "direction": record.direction.value})
        records.append(record.model_dump(mode="json"))
    spelled = pa.table({"kpi_key": pa.array(keys, pa.int64()), "team": pa.array(teams, pa.string()),
                        "kpi": pa.array(names, pa.string())})
    return (pd.DataFrame(records) if records else None), spelled


def _kpi_record(v: Validator, table: CsvTable, row: dict[str, Any], previous: dict[str, Any]) -> Kpi:
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
    bound = _BOUND_DIRECTIONS.get(row.get("target__bound") or "")
    if bound is not None:  # a target written "<= 24" says lower is better, ">= 80%" higher
        if given("direction") is not None and fields["direction"] is not bound:
            raise PydanticCustomError("kind_contradicts_direction", "", {
                "kind": fields["direction"].value, "column": "target"})
        fields["direction"] = bound
    return Kpi.model_validate({name: value for name, value in fields.items() if value is not None})


def _none_if_nan(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value
