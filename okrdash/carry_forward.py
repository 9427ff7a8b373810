"""Carrying unfinished aspirational objectives into the next cycle (issue 26).

At the end of a cycle the playbook treats an aspirational objective not reached as a reason to
go on, not a failure: the team may carry it, with its unfinished key results, into the next cycle.
A carried key result starts from its last value (its new baseline), measured from the new cycle's
start; a key result already complete stays behind. The carried rows are rows of an okrs file, so
they go through the importer's checks and ``Store.apply`` like an upload: one batch, in the import
history, undoable, refused by the store for a writer without the right to the team.

Committed objectives are not offered: one missed gets a postmortem (review.sql), not a rerun.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from okrdash.importing.rows import FormRows, canonical_date, canonical_number
from okrdash.models import Cycle, FileKind, KRKind, ObjectiveType
from okrdash.names import name_key
from okrdash.problems import ImportFailed, Problem

if TYPE_CHECKING:
    from okrdash.access import Access
    from okrdash.importing import ImportResult
    from okrdash.store import Store

CARRY_FORWARD = "carry-forward"
_QUARTER = re.compile(r"^\d{4}-Q[1-4]$")


@dataclass(frozen=True)
class Candidate:
    """An aspirational objective of a cycle not fully reached, and its key results not complete."""

    objective_id: int
    team: str
    title: str
    grade: float | None
    key_results: tuple[str, ...]


def following_cycle(cycles: list[Cycle], cycle: Cycle) -> Cycle | None:
    """The cycle after ``cycle``: the first stored one starting after it ends, else the next calendar
    quarter when ``cycle`` is a quarter; None when neither says (a sprint: the person names it)."""
    later = [c for c in cycles if c.start_date > cycle.end_date]
    if later:
        return min(later, key=lambda c: c.start_date)
    if _QUARTER.match(cycle.name):
        return Cycle.containing(cycle.end_date + dt.timedelta(days=1))
    return None


def _unfinished(store: Store, cycle: Cycle, team: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cycle's aspirational objectives graded below 1.0, and their key results not complete,
    scored on the cycle's last day (or today, for a cycle still running)."""
    as_of = min(cycle.end_date, dt.date.today())
    objectives = store.objective_scores(as_of, cycle.name, team)
    objectives = objectives[(objectives["objective_type"] == ObjectiveType.ASPIRATIONAL.value)
                            & ~(objectives["grade"].fillna(0.0) >= 1.0)]
    key_results = store.kr_scores(as_of, cycle.name, team)
    key_results = key_results[key_results["objective_id"].isin(objectives["objective_id"])
                              & (key_results["status"] != "Complete")]
    return objectives, key_results


def candidates(store: Store, cycle: Cycle, team: str | None = None) -> list[Candidate]:
    """What may be carried out of ``cycle``: each unfinished aspirational objective with at least
    one key result not complete, in the review's order (team, then title)."""
    objectives, key_results = _unfinished(store, cycle, team)
    titles = key_results.groupby("objective_id")["title"].agg(tuple).to_dict()
    return [Candidate(int(o["objective_id"]), o["team"], o["title"], None if pd.isna(o["grade"]) else float(o["grade"]),
                      titles[o["objective_id"]])
            for o in objectives.sort_values(["team", "title"]).to_dict("records") if o["objective_id"] in titles]


def carry_rows(store: Store, cycle: Cycle, to: Cycle, objective_ids: list[int],
               labels: dict[str, str] | None = None) -> FormRows:
    """The okrs rows that carry the chosen objectives (``objective_ids``, from :func:`candidates`)
    into ``to``. Raises ImportFailed when one is not a candidate, or when ``to`` already holds an
    objective of that title in that team (carrying would change it; edit it there instead)."""
    objectives, key_results = _unfinished(store, cycle, None)
    offered = {int(i) for i in key_results["objective_id"]}
    problems = [Problem(CARRY_FORWARD, None, "objective", str(i), "carry_forward_not_offered", {"cycle": cycle.name})
                for i in objective_ids if i not in offered]
    chosen = objectives[objectives["objective_id"].isin(objective_ids)]
    existing = store.objective_scores(to.start_date, to.name)
    taken = {(name_key(t), name_key(o)) for t, o in zip(existing["team"], existing["title"])}
    parents = {name_key(t) for t in existing["title"]}
    for objective in chosen.to_dict("records"):
        if (name_key(objective["team"]), name_key(objective["title"])) in taken:
            problems.append(Problem(CARRY_FORWARD, None, "objective", objective["title"], "carry_forward_exists",
                                    {"cycle": to.name, "team": objective["team"]}))
    if problems:
        raise ImportFailed(problems)
    owners = dict(zip(chosen["objective_id"], chosen["owner"]))
    rows = []
    for kr in key_results[key_results["objective_id"].isin(objective_ids)].to_dict("records"):
        moving = kr["kind"] in (KRKind.INCREASE.value, KRKind.DECREASE.value)
        # A value to reach starts from where the last cycle left it; a bound or a milestone has no baseline.
        baseline = (kr["current"] if not pd.isna(kr["current"]) else kr["stated_baseline"]) if moving \
            else kr["stated_baseline"]
        parent = kr["parent_title"] if isinstance(kr["parent_title"], str) and name_key(kr["parent_title"]) in parents \
            else None
        rows.append({
            "cycle": to.name, "start_date": canonical_date(to.start_date), "end_date": canonical_date(to.end_date),
            "team": kr["team"], "objective": kr["objective"], "objective_type": ObjectiveType.ASPIRATIONAL.value,
            "parent_objective": parent, "objective_owner": _text(owners.get(kr["objective_id"])),
            "key_result": kr["title"], "owner": _text(kr["owner"]), "kind": kr["kind"],
            "baseline": _number(baseline), "target": _number(kr["target"]), "unit": _text(kr["unit"]),
            "weight": _number(kr["weight"]), "kpi": _text(kr["kpi_name"]),
        })
    return FormRows(CARRY_FORWARD, FileKind.OKRS, tuple(rows), labels or {})


def carry_forward(store: Store, cycle: Cycle, to: Cycle, objective_ids: list[int], writer: Access,
                  labels: dict[str, str] | None = None, today: dt.date | None = None) -> ImportResult:
    """Validate and write the carried objectives as one batch; raises ImportFailed (nothing written)
    or StoreError (no right to a team)."""
    from okrdash.importing import import_files

    if not objective_ids:
        raise ImportFailed([Problem(CARRY_FORWARD, None, "objective", None, "carry_forward_none_chosen", {})])
    return import_files(store, [carry_rows(store, cycle, to, objective_ids, labels)], writer=writer, today=today)


def _number(value: object) -> str | None:
    return None if value is None or pd.isna(value) else canonical_number(float(value))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
