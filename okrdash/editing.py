"""Editing a team's OKRs and a KPI's definition in the browser, as rows of the file kinds.

The OKR editor shows two tables (objectives, key results). At save, :func:`plan_okr_edit` turns
the tables as opened and as edited into (1) the okrs rows of the whole edited team, which the
importer's Validator checks with every rule it applies to a file, (2) the removals and renames a
file cannot express, and (3) which rows changed; only those are written, in one ``Store.apply``:
one batch, in the import history, undoable. :func:`save_okr_edit` refuses an edit over tables
someone changed since they were opened (optimistic concurrency, compared inside the write lock).

Numbers are text in both editors, in the convention of the reader's language (:func:`typed_numbers`
writes the stored ones so, "4,4" in Indonesian), and the importer reads them as it reads a file's.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from okrdash.importing.reading import NumberFormat
from okrdash.importing.rows import FormRows, canonical_date, canonical_number, number_cell
from okrdash.models import Batch, FileKind
from okrdash.problems import ImportFailed, Problem
from okrdash.store import FileChanges

if TYPE_CHECKING:
    from okrdash.access import Access
    from okrdash.store import Store, WriteCounts

OKR_EDITOR = "OKR editor"
PEOPLE_EDITOR = "people editor"
KPI_EDITOR = "KPI editor"
PLAN_EDITOR = "plan editor"
OBJECTIVE_COLUMNS = ("id", "title", "type", "parent_title", "owner")
KEY_RESULT_COLUMNS = ("id", "objective", "title", "owner", "kind", "baseline", "target", "unit", "weight", "kpi",
                      "start_date")
KEY_RESULT_NUMBERS = ("baseline", "target", "weight")


@dataclass
class OkrPlan:
    """What one save of the OKR editor writes."""

    rows: list[dict[str, str | None]]
    changed: set[tuple[str, str]]          # (objective, key result) of the rows to write, lower-cased
    changed_objectives: set[str]           # objective titles to write, lower-cased
    removals: list[dict[str, Any]] = field(default_factory=list)
    renames: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    numbers: NumberFormat = NumberFormat.EN  # the convention of the rows' number cells

    @property
    def is_empty(self) -> bool:
        return not (self.changed or self.changed_objectives or self.removals or self.renames)


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)) \
        or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str | None:
    return None if _blank(value) else str(value).strip()


def _key(text: Any) -> str:
    return (_text(text) or "").casefold()


def _id(value: Any) -> int | None:
    return None if _blank(value) else int(value)


def _same(a: Any, b: Any) -> bool:
    if _blank(a) and _blank(b):
        return True
    if _blank(a) or _blank(b):
        return False
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        try:
            return float(a) == float(b)
        except (TypeError, ValueError):
            return False
    if isinstance(a, (dt.date, pd.Timestamp)) or isinstance(b, (dt.date, pd.Timestamp)):
        return pd.Timestamp(a) == pd.Timestamp(b)
    return str(a).strip() == str(b).strip()


def _cell(value: Any) -> str | None:
    """A table cell as canonical text for the importer."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return canonical_number(float(value))
    if isinstance(value, pd.Timestamp):
        return canonical_date(value.date())
    if isinstance(value, dt.date):
        return canonical_date(value)
    return str(value).strip()


def _number(value: Any, numbers: NumberFormat) -> str | None:
    """A number cell of an edited table: the text typed; a number (a table of numbers) written in ``numbers``.
    A text column's blank is NaN in pandas, while a NaN the browser sends arrives as the text "nan"."""
    if isinstance(value, str):
        return value.strip() or None
    return None if _blank(value) else number_cell(float(value), numbers)


def _field(value: Any, numbers: NumberFormat) -> str | None:
    """A form's number field: the text typed; a number written out, NaN as "nan" (no pandas blank here)."""
    if isinstance(value, str):
        return value.strip() or None
    return number_cell(value, numbers)


def typed_numbers(frame: pd.DataFrame, columns: tuple[str, ...], numbers: NumberFormat) -> pd.DataFrame:
    """``frame`` with its number ``columns`` as text in ``numbers``' convention (every digit kept), for
    an editor whose cells a person types into: a text column, so the browser sends what was typed."""
    out = frame.copy()
    for column in columns:
        out[column] = pd.Series([None if _blank(v) else number_cell(float(v), numbers) for v in frame[column]],
                                index=frame.index, dtype="str")
    return out


def plan_okr_edit(cycle: str, team: str, objectives_before: pd.DataFrame, objectives_after: pd.DataFrame,
                  key_results_before: pd.DataFrame, key_results_after: pd.DataFrame,
                  today: dt.date, cycle_start: dt.date, cycle_end: dt.date,
                  numbers: NumberFormat = NumberFormat.EN) -> OkrPlan:
    """Compare the tables as opened (``*_before``, from ``Store.team_okrs``) and as edited.

    A row keeps its ``id`` while edited; a row without one is new; a missing id is a removal. A key
    result added after the cycle began starts today unless its start is given. The number columns
    hold text in ``numbers``' convention (:func:`typed_numbers`), or numbers.
    """
    plan = OkrPlan(rows=[], changed=set(), changed_objectives=set(), numbers=numbers)
    before_objectives = {int(r["id"]): r for r in objectives_before.to_dict("records")}
    after_objectives = [r for r in objectives_after.to_dict("records") if not _blank(r.get("title"))
                        or _id(r.get("id")) is not None]
    for row in objectives_after.to_dict("records"):
        # A new objective row someone began (an owner or a parent typed) but left without a title is
        # named, never dropped; the type alone is the grid's default for every new row.
        if _id(row.get("id")) is None and _blank(row.get("title")) \
                and not all(_blank(row.get(c)) for c in ("parent_title", "owner")):
            plan.problems.append(Problem(OKR_EDITOR, None, "objective", None, "required", {}))
    final_objectives: dict[str, dict[str, Any]] = {}
    kept_objective_ids = set()
    for row in after_objectives:
        objective_id = _id(row.get("id"))
        title = _text(row.get("title"))
        if title is None:
            continue  # a blank title: the Validator names it on the key results that point here
        final_objectives[title.casefold()] = row
        if objective_id is None or objective_id not in before_objectives:
            plan.changed_objectives.add(title.casefold())
            continue
        kept_objective_ids.add(objective_id)
        old = before_objectives[objective_id]
        if _text(old["title"]) != title:
            plan.renames.append({"subject": "objective", "cycle": cycle, "team": team, "objective": old["title"],
                                 "key_result": None, "new_objective": title, "new_title": title})
        if any(not _same(old[c], row.get(c)) for c in ("title", "type", "parent_title", "owner")):
            plan.changed_objectives.add(title.casefold())
    removed_objectives = {i: r for i, r in before_objectives.items() if i not in kept_objective_ids}
    for old in removed_objectives.values():
        plan.removals.append({"subject": "objective", "cycle": cycle, "team": team, "objective": old["title"],
                              "key_result": None})
    renamed_objective = {_key(r["objective"]): r["new_title"] for r in plan.renames}

    before_krs = {int(r["id"]): r for r in key_results_before.to_dict("records")}
    kept_kr_ids = set()
    carried: dict[str, dict[str, str | None]] = {}  # an unchanged row per objective, to carry its fields
    for row in key_results_after.to_dict("records"):
        kr_id = _id(row.get("id"))
        if kr_id is not None and kr_id not in before_krs:
            kr_id = None
        if kr_id is None and all(_blank(row.get(c)) for c in KEY_RESULT_COLUMNS if c != "id"):
            continue  # the editor's empty new row
        objective_title = _text(row.get("objective"))
        if kr_id is not None and _key(objective_title) not in final_objectives and any(
                _key(objective_title) == _key(o["title"]) for o in removed_objectives.values()):
            continue  # its objective is removed, and with it this key result
        if objective_title is not None and _key(objective_title) not in final_objectives \
                and _key(objective_title) not in renamed_objective:
            # The table offers its own objectives only: another title was not chosen there (a forged edit).
            plan.problems.append(Problem(OKR_EDITOR, len(plan.rows) + 2, "objective", objective_title,
                                         "objective_not_in_table", {}))
        for column, value in (("objective", objective_title), ("key_result", _text(row.get("title")))):
            if value is None:  # a half-filled row: named with its row, never dropped
                plan.problems.append(Problem(OKR_EDITOR, len(plan.rows) + 2, column, None, "required", {}))
        objective = final_objectives.get((objective_title or "").casefold(), {})
        start = row.get("start_date")
        if kr_id is None and _blank(start) and cycle_start < today <= cycle_end:
            start = today  # added after the cycle began: measured from today
        okr_row = {
            # The cycle's dates too: a cycle whose name is not a quarter ("Sprint 7") needs them.
            "cycle": cycle, "start_date": canonical_date(cycle_start), "end_date": canonical_date(cycle_end),
            "team": team, "objective": objective_title,
            "objective_type": _cell(objective.get("type")), "parent_objective": _cell(objective.get("parent_title")),
            "objective_owner": _cell(objective.get("owner")),
            "key_result": _cell(row.get("title")), "owner": _cell(row.get("owner")), "kind": _cell(row.get("kind")),
            "baseline": _number(row.get("baseline"), numbers), "target": _number(row.get("target"), numbers),
            "unit": _cell(row.get("unit")), "weight": _number(row.get("weight"), numbers),
            "kpi": _cell(row.get("kpi")), "kr_start": _cell(start),
        }
        plan.rows.append(okr_row)
        key = (_key(objective_title), _key(row.get("title")))
        if kr_id is None:
            plan.changed.add(key)
            continue
        kept_kr_ids.add(kr_id)
        old = before_krs[kr_id]
        old_objective = renamed_objective.get(_key(old["objective"]), old["objective"])
        if _key(old_objective) != key[0] or _text(old["title"]) != _text(row.get("title")):
            plan.renames.append({"subject": "key_result", "cycle": cycle, "team": team,
                                 "objective": old_objective, "key_result": old["title"],
                                 "new_objective": objective_title, "new_title": _text(row.get("title"))})
        if any(not _same(old[c], row.get(c)) for c in KEY_RESULT_COLUMNS if c not in ("id",)):
            plan.changed.add(key)
        carried.setdefault(key[0], okr_row)
    for kr_id, old in before_krs.items():
        if kr_id not in kept_kr_ids and not any(_key(old["objective"]) == _key(o["title"])
                                                for o in removed_objectives.values()):
            plan.removals.append({"subject": "key_result", "cycle": cycle, "team": team,
                                  "objective": renamed_objective.get(_key(old["objective"]), old["objective"]),
                                  "key_result": old["title"]})
    # An objective whose own fields changed is written through one of its key results' rows.
    for title in plan.changed_objectives:
        if not any(key[0] == title for key in plan.changed):
            if title in carried:
                plan.changed.add((title, _key(carried[title]["key_result"])))
            else:
                plan.problems.append(Problem(OKR_EDITOR, None, "objective", final_objectives[title]["title"],
                                             "objective_needs_key_result", {}))
    return plan


def plan_new_key_result(cycle: str, team: str, objectives: pd.DataFrame, key_results: pd.DataFrame,
                        fields: dict[str, Any], today: dt.date, cycle_start: dt.date, cycle_end: dt.date,
                        numbers: NumberFormat = NumberFormat.EN, objective_type: str | None = None) -> OkrPlan:
    """One key result added from the add form (``fields``: the editor's key-result columns but ``id``),
    planned as the OKR editor plans a new row of its grid: the same checks, the same write. An
    objective the team does not have yet is added with it, of ``objective_type``."""
    unknown = set(fields) - set(KEY_RESULT_COLUMNS[1:])
    if unknown:  # a programming error in a page, never a user's input
        raise ValueError(f"no such key result field: {', '.join(sorted(unknown))}")
    objectives_after = objectives
    title = _text(fields.get("objective"))
    if title is not None and _key(title) not in {_key(t) for t in objectives["title"]}:
        new = pd.DataFrame([{"id": None, "title": title, "type": objective_type, "parent_title": None,
                             "owner": None}], dtype=object)
        objectives_after = pd.concat([objectives.astype(object), new], ignore_index=True) if len(objectives) else new
    added = pd.DataFrame([{column: fields.get(column) for column in KEY_RESULT_COLUMNS}], dtype=object)
    after = pd.concat([key_results.astype(object), added], ignore_index=True) if len(key_results) else added
    return plan_okr_edit(cycle, team, objectives, objectives_after, key_results, after, today, cycle_start,
                         cycle_end, numbers)


@dataclass(frozen=True)
class Conflict(Exception):
    """The tables changed since they were opened: the batches that did it, newest first."""

    changes: tuple[tuple[Batch, bool], ...]  # (batch, undone since opened)

    def describe(self, translate_key) -> list[str]:  # noqa: ANN001 - a Context.t
        return [translate_key("editing.conflict_undone" if undone else "editing.conflict_written",
                              batch=b.id, file=b.file_name, who=(b.undone_by if undone else b.imported_by) or "?",
                              when=f"{(b.undone_at if undone else b.imported_at):%Y-%m-%d %H:%M}")
                for b, undone in self.changes]


def _check_version(store: Store, opened: frozenset[int], now: frozenset[int]) -> None:
    if opened == now:
        return
    by_id = {b.id: b for b in store.batches()}
    changes = [(by_id[i], False) for i in sorted(now - opened, reverse=True) if i in by_id]
    # A batch gone from the set was undone, or replaced by a newer one (listed above).
    changes += [(by_id[i], True) for i in sorted(opened - now, reverse=True)
                if i in by_id and by_id[i].undone_at is not None]
    raise Conflict(tuple(changes))


def okr_form(plan: OkrPlan, labels: dict[str, str]) -> FormRows:
    """The plan's rows as the form rows the importer reads (``labels``: column -> the editor's label)."""
    return FormRows(OKR_EDITOR, FileKind.OKRS, tuple(plan.rows), labels, plan.numbers)


def save_okr_edit(store: Store, plan: OkrPlan, cycle: str, team: str, opened_version: frozenset[int],
                  writer: Access, labels: dict[str, str], today: dt.date | None = None) -> list[WriteCounts]:
    """Validate the edited team's rows and write what changed, all or nothing.

    Raises :class:`Conflict` when the team's OKRs changed since ``opened_version``
    (``Store.okr_version`` when the editor opened), ImportFailed with every problem (the field
    labels of the table's columns, the table's row numbers), StoreError when the writer may not
    write the team. Nothing is written in any of these cases.
    """
    from okrdash.importing.pipeline import validate

    form = okr_form(plan, labels)
    with store.write_lock:
        _check_version(store, opened_version, store.okr_version(cycle, team))
        if plan.problems:
            raise ImportFailed([form.relabel(p) for p in plan.problems])
        if plan.rows:
            _, changes = validate(store, [form], today=today or dt.date.today(), allowed_teams=writer.allowed_teams)
        else:  # every key result removed: only removals to write
            changes = [FileChanges(OKR_EDITOR, form.sha256, FileKind.OKRS)]
        for change in changes:
            _only_changed(change, plan)
            change.removals = pd.DataFrame(plan.removals) if plan.removals else None
            change.renames = pd.DataFrame(plan.renames) if plan.renames else None
        return store.apply(changes, writer)


def _only_changed(change: FileChanges, plan: OkrPlan) -> None:
    """Keep the rows that changed: an unchanged key result keeps its batch (and its undo)."""
    typed = {r["new_title"].casefold(): r["new_title"] for r in plan.renames}
    if change.key_results is not None and len(change.key_results):
        frame = change.key_results
        keys = list(zip(frame["objective"].str.casefold(), frame["title"].str.casefold()))
        frame = frame[[k in plan.changed for k in keys]].copy()
        # The importer keeps a stored spelling for a name that differs only in case; a rename
        # to other capitals must write the capitals typed.
        frame["objective"] = [typed.get(t.casefold(), t) for t in frame["objective"]]
        frame["title"] = [typed.get(t.casefold(), t) for t in frame["title"]]
        change.key_results = frame
    if change.objectives is not None and len(change.objectives):
        frame = change.objectives
        # Existing objectives of changed key results need no write; new or edited ones do.
        frame = frame[[t.casefold() in plan.changed_objectives for t in frame["title"]]].copy()
        frame["title"] = [typed.get(t.casefold(), t) for t in frame["title"]]
        change.objectives = frame


def plan_form(cycle: str, team: str, objective: str, key_result: str, points: pd.DataFrame, labels: dict[str, str],
              numbers: NumberFormat = NumberFormat.EN) -> FormRows:
    """A key result's planned points (columns date, planned: as typed, or numbers) as the rows of a
    plan sheet (a check-ins sheet of planned values); rows with neither cell are the grid's empty ones."""
    rows = tuple(
        {"cycle": cycle, "team": team, "objective": objective, "key_result": key_result,
         "date": _cell(date), "planned": _number(planned, numbers)}
        for date, planned in zip(points["date"], points["planned"]) if not (_blank(date) and _blank(planned)))
    return FormRows(PLAN_EDITOR, FileKind.CHECKINS, rows, labels, numbers)


def save_plan(store: Store, cycle: str, team: str, objective: str, key_result: str, points: pd.DataFrame,
              opened_version: frozenset[int], writer: Access, labels: dict[str, str], today: dt.date | None = None,
              *, numbers: NumberFormat = NumberFormat.EN) -> list[WriteCounts]:
    """Write a key result's planned path as edited: its points replace the stored ones (a point taken
    out is a change too), one batch, undoable; checked as a plan sheet's rows are. Refused like
    :func:`save_okr_edit` when the team's OKRs changed since ``opened_version``."""
    from okrdash.importing.pipeline import validate

    form = plan_form(cycle, team, objective, key_result, points, labels, numbers)
    with store.write_lock:
        _check_version(store, opened_version, store.okr_version(cycle, team))
        if form.rows:
            _, changes = validate(store, [form], today=today or dt.date.today(), allowed_teams=writer.allowed_teams)
        else:  # every point taken out: the key result goes back to the straight line
            changes = [FileChanges(PLAN_EDITOR, form.sha256, FileKind.CHECKINS)]
        for change in changes:
            change.replaced_plans = pd.DataFrame([{"cycle": cycle, "team": team, "objective": objective,
                                                   "key_result": key_result}])
        return store.apply(changes, writer)


KPI_DEFINITION_NUMBERS = ("target", "tolerance", "min", "max")


def kpi_definition_rows(team: str, name: str, fields: dict[str, Any], labels: dict[str, str],
                        numbers: NumberFormat = NumberFormat.EN) -> FormRows:
    """A KPI's definition (target, tolerance, direction, min, max ...) as one KPI file row without a
    date; the number fields as typed in ``numbers``' convention (or numbers)."""
    row = {"team": team, "kpi": name, **{column: _field(value, numbers) if column in KPI_DEFINITION_NUMBERS
                                         else _cell(value) for column, value in fields.items()}}
    return FormRows(KPI_EDITOR, FileKind.KPIS, (row,), labels, numbers)


def save_kpi_definition(store: Store, team: str, name: str, fields: dict[str, Any], opened_version: frozenset[int],
                        writer: Access, labels: dict[str, str], today: dt.date | None = None, *,
                        numbers: NumberFormat = NumberFormat.EN) -> list[WriteCounts]:
    """Validate and write a KPI's edited definition; refuses a stale edit like :func:`save_okr_edit`."""
    from okrdash.importing import import_files

    with store.write_lock:
        _check_version(store, opened_version, store.kpi_version(team, name))
        return import_files(store, [kpi_definition_rows(team, name, fields, labels, numbers)], writer=writer,
                            today=today).written


# -- the People page's table (admins) ---------------------------------------------------------------

PEOPLE_FILE_COLUMNS = ("name", "email", "manager_email", "language", "team", "whatsapp")


@dataclass(frozen=True)
class PeoplePlan:
    """What one save of the People page's table writes: the new and changed people as people file
    rows, and the addresses of those removed (a changed address: the old one removed)."""

    rows: tuple[dict[str, str | None], ...]
    removed: tuple[str, ...]
    table_rows: tuple[int, ...] = ()  # each row's place in the table (1 = the first), for problems

    @property
    def is_empty(self) -> bool:
        return not (self.rows or self.removed)


def plan_people_edit(opened: pd.DataFrame, edited: pd.DataFrame) -> PeoplePlan:
    """The table as opened and as edited (columns ``opened_email`` and the people file's) -> the plan.
    A row left as it was is not written again: it keeps its batch (and its undo)."""
    stored = {row["opened_email"]: {c: _text(row[c]) for c in PEOPLE_FILE_COLUMNS}
              for row in opened.to_dict("records")}
    rows: list[dict[str, str | None]] = []
    table_rows: list[int] = []
    kept: set[str] = set()
    for place, row in enumerate(edited.to_dict("records"), start=1):
        cells = {c: _text(row.get(c)) for c in PEOPLE_FILE_COLUMNS}
        if not any(cells.values()):
            continue  # a new row left empty
        original = _text(row.get("opened_email"))
        if original in stored and _key(cells["email"]) == _key(original):
            kept.add(original)
            if cells == stored[original]:
                continue
        rows.append(cells)
        table_rows.append(place)
    written = {_key(r["email"]) for r in rows}
    return PeoplePlan(tuple(rows), tuple(e for e in stored if e not in kept and _key(e) not in written),
                      tuple(table_rows))


def save_people_edit(store: Store, plan: PeoplePlan, opened_version: frozenset[int], writer: Access,
                     labels: dict[str, str], today: dt.date | None = None) -> list[WriteCounts]:
    """Validate the edited people as a people file's rows and write them, with the removals, as one
    batch (through ``PeopleRows`` and ``Store.apply``). Raises :class:`Conflict` when the people
    changed since ``opened_version`` (``Store.people_version``), ImportFailed with every problem
    (the table's labels), StoreError when the writer is not an admin. Nothing is written then."""
    from okrdash.access import Role
    from okrdash.importing.pipeline import validate

    form = FormRows(PEOPLE_EDITOR, FileKind.PEOPLE, plan.rows, labels, table_rows=plan.table_rows)
    with store.write_lock:
        _check_version(store, opened_version, store.people_version())
        if plan.rows:
            _, changes = validate(store, [form], today=today or dt.date.today(), allowed_teams=writer.allowed_teams,
                                  people_allowed=writer.role is Role.ADMIN)
        else:  # only removals
            changes = [FileChanges(PEOPLE_EDITOR, form.sha256, FileKind.PEOPLE)]
        changes[0].removed_people = pd.DataFrame({"email": list(plan.removed)}) if plan.removed else None
        return store.apply(changes, writer)


__all__ = ["Conflict", "OkrPlan", "PeoplePlan", "plan_people_edit", "save_people_edit", "kpi_definition_rows", "plan_form", "plan_okr_edit", "save_kpi_definition",
           "save_okr_edit", "save_plan", "typed_numbers"]
