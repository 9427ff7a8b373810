"""Stored planned values an okrs file would leave unread, or read another way.

A key result's plan is read only inside its span (rules.sql, planned_points): after its start and
before its cycle's end, and not for an at-least / at-most key result, which has no path, nor for one
without a target. An okrs file that moves a start later or makes the key result a bound, leaves out
its target, or turns a number into a milestone (a planned 106 then reads as done) leaves those plan
points in the store, where the rules no longer read them as they were written. The
import says which, before anything is written, so the person can change the start or the plan
(the objective page's plan editor) rather than find the expected progress changed without a word.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash.importing.notes import ReadingNote
from okrdash.models import Cycle
from okrdash.store import Store

# Key results named in the note at the most; the count covers them all.
NAMED_KEY_RESULTS = 5


def plans_left_unread(store: Store, key_results: dict[str, list[Any]], cycles: dict[str, Cycle]) -> ReadingNote | None:
    """The note naming the stored plan points that the file's ``key_results`` (okr_validation's
    columns: cycle, team, objective, title, kind, start_date, target) would leave unread or read
    another way, or None.
    ``cycles``: the file's cycles, which stand for the stored ones of the same name."""
    stored = store.plan_dates()
    if not stored or not key_results["title"]:
        return None
    spans = {c["cycle"]: (c["start_date"], c["end_date"]) for c in store.cycle_index()}
    spans.update({name: (c.start_date, c.end_date) for name, c in cycles.items()})
    before = {(r["cycle"], r["team"], r["objective"], r["key_result"]): (r["kr_start"], r["kind"], r["target"])
              for r in store.key_result_index().to_dict("records")}
    uploaded = {(cycle, team, objective, title): (kind, start, target) for cycle, team, objective, title, kind, start,
                target in zip(key_results["cycle"], key_results["team"], key_results["objective"],
                              key_results["title"], key_results["kind"], key_results["start_date"],
                              key_results["target"])}
    unread: dict[tuple[str, str, str, str], list[dt.date]] = {}
    for point in stored:
        key = (point["cycle"], point["team"], point["objective"], point["key_result"])
        if key not in uploaded or key not in before or point["cycle"] not in spans:
            continue
        kind, start, target = uploaded[key]
        stored_start, stored_kind, stored_target = before[key]
        cycle_start, cycle_end = spans[point["cycle"]]
        stored_start = _known(stored_start) or cycle_start
        was_read = _read(point["date"], stored_kind, stored_start, _known(stored_target), cycle_end)
        # A start the file leaves blank keeps the stored one, as the store's write does.
        now_read = _read(point["date"], kind, start or stored_start, target, cycle_end)
        # A number planned for a key result that becomes a milestone is read as done or not (and the
        # other way round). A point already unread before the file is not this file's doing.
        other_kind = (kind == "milestone") != (stored_kind == "milestone")
        if was_read and (not now_read or other_kind):
            unread.setdefault(key, []).append(point["date"])
    if not unread:
        return None
    named = [f"{key[3]} ({', '.join(d.isoformat() for d in sorted(days))})"
             for key, days in sorted(unread.items())[:NAMED_KEY_RESULTS]]
    return ReadingNote("plans_left_unread", {
        "count": sum(len(days) for days in unread.values()), "key_results": "; ".join(named)
        + ("; …" if len(unread) > NAMED_KEY_RESULTS else "")})


def _read(day: dt.date, kind: str, start: dt.date, target: float | None, end: dt.date) -> bool:
    """Whether the rules read a plan point of ``day`` (rules.sql, planned_points): strictly after
    the key result's start (on it the path is the baseline), within its cycle, for a key result with
    a path (not at-least / at-most) and a target."""
    return kind not in ("at_least", "at_most") and (target is not None or kind == "milestone") and start < day <= end


def _known(value: Any) -> Any:
    """A stored start or target from the index (a frame: a missing one is NaT, NaN or None), as a
    date or number, or None."""
    if value is None or value != value:  # NaT / NaN
        return None
    return value.date() if isinstance(value, dt.datetime) else value
