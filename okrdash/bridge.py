"""From KPI to OKR: a KPI that is Off Track or At Risk becomes a proposed objective and key result.

The source documents: a KPI tells you there is a problem, an OKR fixes it. A reply-time KPI of 48
minutes against a target of 30 becomes the key result "from 48 to 30 minutes"; an NPS below its
target of 10 becomes an objective to improve the customer experience with a key result that
raises NPS from today's value to 10.

A proposal's key result is linked to its KPI (the okrs ``kpi`` column), so it follows the KPI's
measurements: its baseline is the KPI's current value and its progress starts at 0. Adding a
proposal writes one okrs CSV row through :func:`okrdash.importing.import_files`, like any upload;
this module never writes SQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from okrdash.formatting import amount
from okrdash.i18n import translate
from okrdash.importing.rows import canonical_number
from okrdash.models import Direction, KRKind, Status
from okrdash.readmodels import records

if TYPE_CHECKING:
    from okrdash.importing import ImportResult
    from okrdash.store import Store

__all__ = ["OBJECTIVE_CATEGORIES", "OKR_CSV_COLUMNS", "Proposal", "add_to_okrs", "proposals", "to_okr_csv"]

# KPI categories with their own proposed objective (locale ``bridge.objective.<category>``);
# any other category gets the generic "Bring <KPI> back on target".
OBJECTIVE_CATEGORIES = ("service", "sales", "marketing", "website", "hr", "finance", "product", "engineering")

OKR_CSV_COLUMNS = (
    "cycle", "start_date", "end_date", "team", "objective", "objective_owner", "objective_type",
    "parent_objective", "key_result", "owner", "kind", "baseline", "target", "unit", "kpi", "kr_start",
)

_WANTED = (Status.OFF_TRACK.value, Status.AT_RISK.value)


@dataclass(frozen=True)
class Proposal:
    """A proposed objective and key result for one KPI that is Off Track or At Risk.

    ``current`` is the KPI's latest value (the key result's baseline) and ``target`` the value the
    key result aims at: the KPI's target, or for a range KPI the nearest bound of its band.
    ``objective`` and ``key_result`` are titles in ``lang``. ``linked_key_results`` names key
    results of the cycle that already follow this KPI.
    """

    kpi_id: int
    kpi_name: str
    team: str
    category: str | None
    status: str
    direction: str
    kind: str
    current: float
    target: float
    unit: str | None
    owner: str | None
    objective: str
    key_result: str
    lang: str
    kpi_target: float | None = None
    min_value: float | None = None
    max_value: float | None = None
    linked_key_results: tuple[str, ...] = ()

    def why(self, lang: str | None = None) -> str:
        """One sentence on why this KPI needs an OKR."""
        lang = lang or self.lang
        status = translate(f"status.{self.status}", lang)
        if self.direction == Direction.RANGE.value:
            return translate("bridge.why_range", lang, kpi=self.kpi_name, status=status,
                             current=amount(self.current, self.unit, lang),
                             low=amount(self.min_value, self.unit, lang, range_start=True),
                             high=amount(self.max_value, self.unit, lang))
        target = self.kpi_target if self.kpi_target is not None else self.target
        return translate("bridge.why", lang, kpi=self.kpi_name, status=status,
                         current=amount(self.current, self.unit, lang), target=amount(target, self.unit, lang))


def proposals(store: Store, as_of: dt.date, cycle_name: str, lang: str = "en",
              team: str | None = None) -> list[Proposal]:
    """A proposal for every KPI (of ``team``, or of every team) Off Track or At Risk on ``as_of``: Off Track first.

    Statuses, current values and targets come from ``Store.kpi_scores`` (the period's target when a
    measurement carries one). ``cycle_name`` is the cycle the key results would join; key results of
    that cycle already linked to the KPI are listed on the proposal.
    """
    kpis = [k for k in records(store.kpi_scores(as_of, team=team))
            if k["status"] in _WANTED and k["value"] is not None]
    linked = store.linked_key_results(cycle_name, team=team) if kpis else {}
    found = [p for k in kpis if (p := _proposal(k, lang, tuple(linked.get(int(k["kpi_id"]), ())))) is not None]
    found.sort(key=lambda p: (p.status != Status.OFF_TRACK.value, p.team, p.kpi_name))
    return found


def _proposal(kpi: dict[str, Any], lang: str, linked: tuple[str, ...]) -> Proposal | None:
    current, direction = float(kpi["value"]), kpi["direction"]
    low, high = kpi["min_value"], kpi["max_value"]
    if direction == Direction.RANGE.value:
        if low is None or high is None or low <= current <= high:
            return None
        target = float(low) if current < low else float(high)
        kind = KRKind.INCREASE if current < low else KRKind.DECREASE
        key = f"range_{kind.value}"
    else:
        if kpi["target"] is None or float(kpi["target"]) == current:
            return None
        target = float(kpi["target"])
        kind = KRKind.DECREASE if direction == Direction.LOWER_IS_BETTER.value else KRKind.INCREASE
        if (kind is KRKind.INCREASE) != (target > current):
            return None  # the KPI is already past its target the good way
        key = kind.value
    unit = kpi["unit"]
    name = kpi["name"]
    key_result = translate(
        f"bridge.key_result.{key}", lang, kpi=_in_sentence(name),
        current=amount(current, unit, lang, range_start=True), target=amount(target, unit, lang),
        low=amount(low, unit, lang, range_start=True), high=amount(high, unit, lang),
    )
    return Proposal(
        kpi_id=int(kpi["kpi_id"]), kpi_name=name, team=kpi["team"], category=kpi["category"],
        status=kpi["status"], direction=direction, kind=kind.value, current=current, target=target, unit=unit,
        owner=kpi["owner"], objective=_objective_title(kpi["category"], name, lang), key_result=key_result, lang=lang,
        kpi_target=None if kpi["target"] is None else float(kpi["target"]),
        min_value=None if low is None else float(low), max_value=None if high is None else float(high),
        linked_key_results=linked,
    )


def _objective_title(category: str | None, kpi_name: str, lang: str) -> str:
    key = (category or "").strip().lower()
    if key in OBJECTIVE_CATEGORIES:
        return translate(f"bridge.objective.{key}", lang)
    return translate("bridge.objective.generic", lang, kpi=kpi_name)


def _in_sentence(name: str) -> str:
    """A KPI name inside a sentence: "Average reply time" -> "average reply time".

    Only a name in sentence case is lowered; one with other capitalised words ("Net Promoter
    Score") or starting with an acronym ("NPS", "CSAT score") is kept as it is.
    """
    words = name.split()
    if not words or not words[0][:1].isupper() or not words[0][1:].islower():
        return name
    if any(w[:1].isupper() and not w.isupper() for w in words[1:]):
        return name
    return name[0].lower() + name[1:]


def _number(value: float | None) -> str:
    """A number for a CSV cell: dot decimals, no thousands separators, no trailing zeros."""
    return canonical_number(value) or ""


def to_okr_csv(
    proposal: Proposal,
    cycle_name: str,
    team: str,
    objective_type: str = "committed",
    *,
    objective: str | None = None,
    objective_owner: str | None = None,
    parent_objective: str | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    kr_start: dt.date | None = None,
) -> bytes:
    """One okrs CSV row (canonical headers, UTF-8) for the proposal, as the importer reads it.

    The key result's ``kpi`` is the KPI's name, so it follows the KPI's measurements. The importer
    links KPIs of the key result's own team only: for another ``team`` the row is written without
    the link (baseline and target stay). ``objective`` replaces the proposed objective title (to
    add the key result to an existing objective); ``start_date`` and ``end_date`` are needed for a
    cycle whose name is not a quarter. ``kr_start`` is the day the key result is measured from
    when it is added after the cycle began.
    """
    row = {
        "cycle": cycle_name,
        "start_date": start_date.isoformat() if start_date and end_date else "",
        "end_date": end_date.isoformat() if start_date and end_date else "",
        "team": team,
        "objective": objective or proposal.objective,
        "objective_owner": objective_owner or "",
        "objective_type": objective_type,
        "parent_objective": parent_objective or "",
        "key_result": proposal.key_result,
        "owner": proposal.owner or "",
        "kind": proposal.kind,
        "baseline": _number(proposal.current),
        "target": _number(proposal.target),
        "unit": proposal.unit or "",
        "kpi": proposal.kpi_name if team.strip() == proposal.team else "",
        "kr_start": kr_start.isoformat() if kr_start else "",
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(OKR_CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def add_to_okrs(
    store: Store,
    proposal: Proposal,
    cycle_name: str,
    team: str,
    imported_by: str | None = None,
    allowed_teams: Iterable[str] | None = None,
    *,
    objective_type: str = "committed",
    objective: str | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Add the proposal's objective and key result to ``cycle_name`` through the normal importer.

    When the objective already exists for that team and cycle, its owner, type and parent are
    written back unchanged (an okrs row updates its objective). Added after the cycle began, the
    key result is measured from ``today`` (its ``kr_start``), not from the cycle's start: a key
    result made today is not behind the moment it exists. Raises
    :class:`okrdash.problems.ImportFailed` when the importer refuses the row (nothing is written);
    ``allowed_teams`` limits the teams an editor may change, as for any upload.
    """
    from okrdash.importing import Upload, import_files

    title = objective or proposal.objective
    today = today or dt.date.today()
    cycle = next((c for c in store.cycles() if c.name == cycle_name), None)
    objective_owner = parent = None
    if cycle is not None:
        existing = store.objective_scores(cycle.start_date, cycle=cycle_name, team=team)
        for row in records(existing[existing["title"] == title]):
            objective_type, objective_owner, parent = row["objective_type"], row["owner"], row["parent_title"]
    data = to_okr_csv(
        proposal, cycle_name, team, objective_type, objective=title, objective_owner=objective_owner,
        parent_objective=parent, start_date=cycle.start_date if cycle else None,
        end_date=cycle.end_date if cycle else None,
        kr_start=today if cycle and cycle.start_date < today <= cycle.end_date else None,
    )
    name = "kpi-to-okr-" + (re.sub(r"[^a-z0-9]+", "-", proposal.kpi_name.lower()).strip("-") or "kpi") + ".csv"
    return import_files(
        store, [Upload(name, data)], imported_by=imported_by, today=today,
        allowed_teams=None if allowed_teams is None else frozenset(allowed_teams),
    )
