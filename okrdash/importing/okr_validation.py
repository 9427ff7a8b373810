"""Validation of an okrs file: its cells in bulk (SQL), then each row by the models' rules (a new
objective through Objective, each key result through KeyResult's rule function without a model per
row), with what its columns say about each key result's numbers settled by importing.measures.

Split from importing/validation.py (which holds the Validator every file kind shares) so that each
step stays small: the cells, the percent columns' scale, the rows, each row, its check-in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from okrdash.importing.checks import BadCell, enum_choices, finite, pydantic_problems, within
from okrdash.importing.measures import Scale, Settled, percent_scale, settle
from okrdash.importing.stored_plans import plans_left_unread
from okrdash.importing.notes import ReadingNote, line_list
from okrdash.importing.table import CsvTable
from okrdash.models import MAX_TEXT, Cycle, KeyResult, KRKind, Objective, ObjectiveType, key_result_numbers
from okrdash.store import FileChanges

if TYPE_CHECKING:
    from okrdash.importing.validation import Validator

# The columns of an okrs file's key results as the store takes them (FileChanges.key_results).
KR_RECORD_COLUMNS = ("cycle", "team", "objective", "title", "owner", "kind", "baseline", "target", "unit", "weight",
                     "start_date", "kpi")
# Model field -> CSV column, to name the column in a pydantic error.
OBJECTIVE_FIELD_COLUMNS = {
    "team": "team", "title": "objective", "owner": "objective_owner", "type": "objective_type",
    "parent_title": "parent_objective", "cycle": "cycle",
}
KR_FIELD_COLUMNS = {
    "title": "key_result", "objective_title": "objective", "owner": "owner", "kind": "kind",
    "baseline": "baseline", "target": "target", "unit": "unit", "weight": "weight", "kpi_name": "kpi",
    "start_date": "kr_start",
}
PERCENT_COLUMNS = ("progress", "achievement")


@dataclass
class _File:
    """What an okrs file's rows add up to, as they are read."""

    stored_cycles: dict[str, dict[str, Any]]
    cycles: dict[str, Cycle] = field(default_factory=dict)
    # The cycle each (cycle, start_date, end_date) spelling was found to be: thousands of rows
    # share a handful, and once found it cannot change within the file (see Validator._okr_cycle).
    found_cycles: dict[tuple[Any, ...], Cycle] = field(default_factory=dict)
    # (cycle, team, objective as written) -> (team, objective as stored): ~4 rows an objective.
    spelled_objectives: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    objectives: dict[tuple[str, str, str], tuple[int, dict[str, Any], Objective]] = field(default_factory=dict)
    # The key results as columns (one list each), not a dict per row.
    key_results: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in KR_RECORD_COLUMNS})
    checkins: list[dict[str, Any]] = field(default_factory=list)
    checkin_lines: list[int] = field(default_factory=list)
    derived: dict[str, list[int]] = field(default_factory=dict)  # column a current value came from -> lines
    undated: list[int] = field(default_factory=list)  # lines whose current value is dated the import day


def validate_okrs(v: Validator, table: CsvTable) -> None:
    """Every problem of an okrs file, or its FileChanges appended to ``v.changes``."""
    _cells(v, table)
    if v.problems:
        return
    scales = percent_scales(v, table)
    if v.problems:
        return
    state = _File({r["cycle"]: r for r in v.store.cycle_index()})
    for row in _rows(v, table):
        _row(v, table, row, scales, state)
    if v.problems:
        return
    _notes(v, table, state)
    if (unread := plans_left_unread(v.store, state.key_results, state.cycles)) is not None:
        table.reading_notes.append(unread)
    v.upload_cycles.update(state.cycles)
    if state.checkins:
        v.okr_checkin_lines[table.file_name] = state.checkin_lines
    v.changes.append(FileChanges(
        table.file_name, table.sha256, table.kind,
        cycles=pd.DataFrame([c.model_dump() for c in state.cycles.values()]),
        objectives=pd.DataFrame([{"cycle": k[0], **rec} for k, (_, rec, _) in state.objectives.items()]),
        key_results=pd.DataFrame(state.key_results),
        checkins=pd.DataFrame(state.checkins) if state.checkins else None,
    ))


def _cells(v: Validator, table: CsvTable) -> None:
    t = f'"{table.table}"'
    v._cell_problems(
        # "current" is checked per row below: a milestone may say "done" / "selesai".
        table, numbers=("baseline", "target", "weight", *PERCENT_COLUMNS),
        dates=("start_date", "end_date", "date", "kr_start", "last_checkin"),
        required=("cycle", "team", "objective", "key_result"), confidence=True,
    )
    if "current" in table.columns:
        for line, value, code in v.con.execute(
            f"""SELECT line, current, okr_number_problem(current) FROM {t} WHERE NOT okr_blank(current)
                AND {table.number_sql("current", "current")} IS NULL AND okr_milestone_value(current) IS NULL
                ORDER BY line LIMIT {v.config.max_reported_problems}"""
        ).fetchall():
            v._problem(table, line, "current", value, code)
    v._duplicates(table, ("cycle", "team", "objective", "key_result"))


def percent_scales(v: Validator, table: CsvTable, columns: tuple[str, ...] = PERCENT_COLUMNS) -> dict[str, Scale]:
    """Each percent column's scale for its cells without a "%" (importing.measures.percent_scale)."""
    scales = {}
    for column in (c for c in columns if c in table.columns):
        cell, value = f'"{column}"', f'"{column}__parsed"'

        def first(condition: str) -> str:
            return (f"arg_min(cell, line) FILTER (WHERE {condition}), "
                    f"min(line) FILTER (WHERE {condition})")

        row = v.con.execute(f"""
            SELECT count(*) FILTER (WHERE NOT percent AND v > 0 AND v < 1),
                   count(*) FILTER (WHERE NOT percent AND v > 2),
                   count(*) FILTER (WHERE NOT percent AND v > 1 AND v <= 2),
                   count(*) FILTER (WHERE NOT percent AND v = 1),
                   count(*) FILTER (WHERE percent),
                   {first("NOT percent AND v > 0 AND v < 1")}, {first("NOT percent AND v > 2")},
                   {first("NOT percent AND v = 1")}, {first("NOT percent AND v > 1 AND v <= 2")}, {first("percent")}
            FROM (SELECT line, {cell} AS cell, abs({value}) AS v, ends_with({cell}, '%') AS percent
                  FROM "{table.table}" WHERE {value} IS NOT NULL)""").fetchall()[0]
        stats = dict(zip(("fractions", "large", "between", "ones", "percents"), row[:5]))
        examples = [(row[i + 1], row[i]) for i in range(5, 15, 2)]
        stats.update(zip(("fraction", "large_cell", "one", "middle", "percent_cell"), examples))
        scale = scales[column] = percent_scale(table.headers[column], stats)
        if scale.asked:
            (line, cell), (other_line, other) = scale.asked
            v._problem(table, line, column, cell, "percent_scale_mixed", other=other, other_line=other_line)
        elif scale.undecided:
            line, cell = scale.undecided
            v._problem(table, line, column, cell, "percent_scale_undecided")
        elif scale.line is not None:
            table.reading_notes.append(ReadingNote("percent_points" if scale.points else "percent_shares", {
                "header": table.headers[column], "line": scale.line, "value": scale.value}))
    return scales


def _rows(v: Validator, table: CsvTable) -> list[dict[str, Any]]:
    col = v._col
    select = ", ".join([
        "line", *(col(table, c) for c in (
            "cycle", "team", "objective", "objective_owner", "objective_type", "parent_objective",
            "key_result", "owner", "kind", "direction", "status", "unit", "kpi", "current", "kr_start",
            *PERCENT_COLUMNS)),
        col(table, "start_date", parse="date"), col(table, "end_date", parse="date"),
        col(table, "baseline", "baseline_value", "number"), col(table, "target", "target_value", "number"),
        col(table, "weight", "weight_value", "number"), col(table, "current", "current_value", "number"),
        col(table, "date", "date_value", "date"), col(table, "confidence", "confidence_value", "confidence"),
        col(table, "kr_start", "kr_start_value", "date"), col(table, "last_checkin", "last_checkin_value", "date"),
        *(col(table, c, f"{c}_share", "number") for c in PERCENT_COLUMNS),
        *(f"ends_with({c}, '%') AS {c}_percent" if c in table.columns else f"NULL AS {c}_percent"
          for c in PERCENT_COLUMNS),
        col(table, "baseline", "baseline_unit", "unit"), col(table, "target", "target_unit", "unit"),
        "okr_bound(target) AS target_bound" if "target" in table.columns else "NULL AS target_bound",
        *(f"okr_milestone_value({c}) AS {c}_milestone" if c in table.columns else f"NULL AS {c}_milestone"
          for c in ("current", "status")),
    ])
    result = v.con.execute(f'SELECT {select} FROM "{table.table}" ORDER BY line')
    names = [d[0] for d in result.description]
    return [dict(zip(names, values)) for values in result.fetchall()]


def _row(v: Validator, table: CsvTable, row: dict[str, Any], scales: dict[str, Scale], state: _File) -> None:
    """One key result (and its objective, and its current value as a check-in)."""
    line = row["line"]
    cycle = _cycle(v, table, row, state)
    if cycle is None:
        return
    _spell(v, row, cycle, state)
    v.spellings.owner(row["owner"])
    v.spellings.owner(row["objective_owner"])
    kr_start = row["kr_start_value"]
    if kr_start is not None and not cycle.start_date <= kr_start <= cycle.end_date:
        v._problem(table, line, "kr_start", row["kr_start"], "kr_start_outside_cycle", cycle=cycle.name,
                   start=cycle.start_date.isoformat(), end=cycle.end_date.isoformat())
        return
    if row["kpi"]:
        if not v.spellings.known_kpi(row["team"], row["kpi"]):
            v._problem(table, line, "kpi", row["kpi"], "unknown_kpi", team=row["team"])
            return
        row["kpi"] = v.spellings.kpi(row["team"], row["kpi"])
    for column in PERCENT_COLUMNS:
        row[f"{column}_points"] = bool(row[f"{column}_percent"]) or (column in scales and scales[column].points)
    settled = _settle(v, table, row)
    if settled is None:
        return
    records = _models(v, table, row, cycle, settled, state)
    if records is None:
        return
    objective, key_result = records
    kind_value = key_result.kind.value
    for column, value in zip(KR_RECORD_COLUMNS, (
            cycle.name, objective.team, objective.title, key_result.title, key_result.owner, kind_value,
            key_result.baseline, key_result.target, key_result.unit, key_result.weight, key_result.start_date,
            key_result.kpi_name)):
        state.key_results[column].append(value)
    v.upload_krs.append({"cycle": cycle.name, "team": objective.team, "objective": objective.title,
                         "key_result": key_result.title, "kind": kind_value, "kpi": key_result.kpi_name,
                         "baseline": key_result.baseline, "target": key_result.target,
                         "kr_start": key_result.start_date})
    if settled.current is not None or row["current"] is not None:
        _checkin(v, table, row, cycle, key_result, settled, state)


def _cycle(v: Validator, table: CsvTable, row: dict[str, Any], state: _File) -> Cycle | None:
    cycle_key = (row["cycle"], row["start_date"], row["end_date"])
    cycle = state.found_cycles.get(cycle_key)
    if cycle is None:
        cycle = v._okr_cycle(table, row, state.stored_cycles, state.cycles)
        if cycle is not None:
            state.found_cycles[cycle_key] = cycle
    return cycle


def _spell(v: Validator, row: dict[str, Any], cycle: Cycle, state: _File) -> None:
    """The team, objective and key result as stored (the first spelling seen wins)."""
    names = (cycle.name, row["team"], row["objective"])
    spelled = state.spelled_objectives.get(names)
    if spelled is None:
        team = v.spellings.team(row["team"])
        spelled = state.spelled_objectives[names] = (team, v.spellings.objective(cycle.name, team, row["objective"]))
    row["team"], row["objective"] = spelled
    row["key_result"] = v.spellings.key_result(cycle.name, row["team"], row["objective"], row["key_result"])


def _settle(v: Validator, table: CsvTable, row: dict[str, Any]) -> Settled | None:
    try:
        settled = settle(row)
    except PydanticCustomError as error:  # a kind the vocabulary does not know
        v._problem(table, row["line"], "kind", row["kind"], "enum_choice", choices=enum_choices(error))
        return None
    if settled.problem is not None:
        column = settled.problem.column
        v._problem(table, row["line"], column, row.get(column), settled.problem.code, **settled.problem.params)
        return None
    return settled


def _models(v: Validator, table: CsvTable, row: dict[str, Any], cycle: Cycle, settled: Settled,
            state: _File) -> tuple[Objective, _KeyResult] | None:
    line = row["line"]
    try:
        objective_type = v._enum(ObjectiveType, row, "objective_type") or ObjectiveType.ASPIRATIONAL
    except BadCell as bad:
        v._problem(table, line, bad.column, row[bad.column], "enum_choice", choices=bad.choices)
        return None
    objective_key = (cycle.name, row["team"], row["objective"])
    try:
        objective = Objective(
            cycle=cycle, team=row["team"], title=row["objective"], owner=row["objective_owner"] or row["owner"],
            type=objective_type, parent_title=row["parent_objective"],
        ) if objective_key not in state.objectives else None
        key_result = _key_result(row, settled)
    except ValidationError as error:
        columns = OBJECTIVE_FIELD_COLUMNS if error.title == "Objective" else KR_FIELD_COLUMNS
        v.problems += pydantic_problems(error, table.file_name, line, row, columns)
        return None
    if objective is None:  # a later row of a known objective: only its columns are compared
        first_line, first, objective = state.objectives[objective_key]
        given = {"owner": row["objective_owner"] or row["owner"], "type": objective_type.value,
                 "parent_title": row["parent_objective"]}
        for field_name, column in (("owner", "objective_owner"), ("type", "objective_type"),
                                   ("parent_title", "parent_objective")):
            if row[column] is not None and first[field_name] != given[field_name]:
                v._problem(table, line, column, row[column], "conflicting_value",
                           first_line=first_line, column=column, other=first[field_name])
    else:
        state.objectives[objective_key] = (line, objective.model_dump(mode="json", exclude={"cycle"}), objective)
    return objective, key_result


class _KeyResult(NamedTuple):
    """A file row's key result as the store takes it (KeyResult's fields)."""

    title: str
    owner: str | None
    kind: KRKind
    baseline: float | None
    target: float | None
    unit: str | None
    weight: float
    kpi_name: str | None
    start_date: dt.date | None


def _key_result(row: dict[str, Any], settled: Settled) -> _KeyResult:
    """The row's key result by KeyResult's rules, without a model per row: a row whose texts and numbers
    already fit the model's field types (stripped, short, finite floats: nearly every row) only needs
    its numbers checked (models.key_result_numbers); any other row, or one whose numbers do not fit,
    goes through the model, which raises ValidationError with every problem in its own words."""
    weight = 1.0 if row["weight_value"] is None else row["weight_value"]
    title, objective = row["key_result"], row["objective"]
    texts = (objective, title, row["owner"], settled.unit, row["kpi"])
    numbers = (settled.baseline, settled.target, weight)
    if (title and objective and all(t is None or (type(t) is str and len(t) <= MAX_TEXT and t == t.strip())
                                    for t in texts)
            and all(n is None or (type(n) is float and finite(n)) for n in numbers)
            and (row["kr_start_value"] is None or type(row["kr_start_value"]) is dt.date)):
        try:
            kind, baseline, target = key_result_numbers(title, settled.kind, settled.baseline, settled.target, weight)
        except PydanticCustomError:
            pass  # the model says it, naming the field
        else:
            return _KeyResult(title, row["owner"], kind, baseline, target, settled.unit, weight, row["kpi"],
                              row["kr_start_value"])
    model = KeyResult(
        objective_title=objective, title=title, owner=row["owner"], kind=settled.kind,
        baseline=settled.baseline, target=settled.target, unit=settled.unit, weight=weight, kpi_name=row["kpi"],
        start_date=row["kr_start_value"],
    )
    return _KeyResult(model.title, model.owner, model.kind, model.baseline, model.target, model.unit, model.weight,
                      model.kpi_name, model.start_date)


def _checkin(v: Validator, table: CsvTable, row: dict[str, Any], cycle: Cycle, key_result: _KeyResult,
             settled: Settled, state: _File) -> None:
    """The row's current value as a check-in, dated by its date column, its last update, or the import day."""
    line, milestone = row["line"], key_result.kind is KRKind.MILESTONE
    value = settled.current
    if value is None or not finite(value):
        code = "not_a_milestone" if milestone else "not_a_number" if value is None else "number_out_of_range"
        v._problem(table, line, "current", row["current"], code)
        return
    if key_result.kpi_name:
        v._problem(table, line, "current", row["current"], "linked_kr_checkin", kpi=key_result.kpi_name)
        return
    day = row["date_value"] or row["last_checkin_value"]
    if day is None:
        if not cycle.start_date <= v.today <= cycle.end_date:
            v._problem(table, line, "current", row["current"], "undated_outside_cycle", today=v.today.isoformat(),
                       cycle=cycle.name, start=cycle.start_date.isoformat(), end=cycle.end_date.isoformat())
            return
        day = v.today
        state.undated.append(line)
    elif not within(day, cycle.start_date, cycle.end_date):
        v._warn(table, line, "date", day, "date_outside_cycle", cycle=cycle.name,
                start=cycle.start_date.isoformat(), end=cycle.end_date.isoformat())
    if settled.derived:
        state.derived.setdefault(settled.derived, []).append(line)
    state.checkin_lines.append(line)
    state.checkins.append({"cycle": cycle.name, "team": row["team"], "objective": row["objective"],
                           "key_result": key_result.title, "date": day, "value": value,
                           "confidence": row["confidence_value"], "note": None})


def _notes(v: Validator, table: CsvTable, state: _File) -> None:
    """What the reading worked out: current values from progress, achievement or status; undated values."""
    for column, lines in state.derived.items():
        table.reading_notes.append(ReadingNote(f"current_from_{column}", {
            "header": table.headers.get(column, column), "count": len(lines), "lines": line_list(lines)}))
    if state.undated:
        table.reading_notes.append(ReadingNote("undated_values", {
            "header": table.headers.get("current", "current"), "count": len(state.undated),
            "date": v.today.isoformat(), "lines": line_list(state.undated)}))


