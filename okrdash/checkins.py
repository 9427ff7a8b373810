"""Check-ins and KPI measurements typed in the browser, as rows of the file kinds they belong to.

A check-in is one row of a check-ins file and a measurement one row of a KPI file; both go through
:func:`okrdash.importing.import_files`, so they are validated by the same rules as an upload,
written by the same ``Store.apply`` (one batch, shown in the import history, undoable) and refused
by the store for a writer without the right to the team. A value is the text the person typed, read
by the file reader in the convention of their language (``numbers``), or a number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from okrdash.importing.reading import NumberFormat
from okrdash.importing.rows import FormRows, canonical_date, number_cell
from okrdash.models import FileKind
from okrdash.problems import ImportFailed, Problem

if TYPE_CHECKING:
    from okrdash.access import Access
    from okrdash.importing import ImportResult
    from okrdash.store import Store

CHECKIN_FORM = "check-in form"
WEEKLY_CHECKIN = "weekly check-in"
MEASUREMENT_FORM = "KPI measurement form"


@dataclass(frozen=True)
class KeyResultRef:
    """A key result by its natural key, as a check-ins file names it."""

    cycle: str
    team: str
    objective: str
    key_result: str


def checkin_rows(ref: KeyResultRef, value: str | float | None, day: dt.date | None, confidence: str | None,
                 note: str | None, labels: dict[str, str], numbers: NumberFormat = NumberFormat.EN) -> FormRows:
    """The check-in as one check-ins row. ``confidence`` is the text typed (0-10 or a word the
    importer knows, in either language); a milestone's value is 1 (done) or 0 (not done)."""
    row = {"cycle": ref.cycle, "team": ref.team, "objective": ref.objective, "key_result": ref.key_result,
           "date": canonical_date(day), "value": number_cell(value, numbers), "confidence": confidence or None,
           "note": note or None}
    return FormRows(CHECKIN_FORM, FileKind.CHECKINS, (row,), labels, numbers)


def record_checkin(store: Store, ref: KeyResultRef, value: str | float | None, day: dt.date | None,
                   confidence: str | None, note: str | None, writer: Access, labels: dict[str, str],
                   today: dt.date | None = None, *, numbers: NumberFormat = NumberFormat.EN,
                   within: tuple[dt.date, dt.date] | None = None) -> ImportResult:
    """Validate and write one check-in; raises ImportFailed (nothing written) or StoreError (no right).

    ``within`` is the first and last day the form offers (the key result's cycle): a check-in dated
    outside them is refused, never moved to another day.
    """
    from okrdash.importing import import_files

    if within is not None and day is not None and not within[0] <= day <= within[1]:
        raise ImportFailed([Problem(CHECKIN_FORM, None, labels.get("date", "date"), day.isoformat(),
                                    "checkin_date_outside_cycle",
                                    {"start": within[0].isoformat(), "end": within[1].isoformat()})])
    rows = checkin_rows(ref, value, day, confidence, note, labels, numbers)
    return import_files(store, [rows], writer=writer, today=today)


@dataclass(frozen=True)
class Entry:
    """What a person typed for one key result on the weekly check-in (text as typed; a milestone's
    value is 1 or 0)."""

    ref: KeyResultRef
    value: str | float | None = None
    confidence: str | None = None
    note: str | None = None

    @property
    def blank(self) -> bool:
        """Nothing typed: the key result is left out of the save."""
        return all(part is None or (isinstance(part, str) and not part.strip())
                   for part in (self.value, self.confidence, self.note))


def weekly_rows(entries: list[Entry], day: dt.date, labels: dict[str, str],
                numbers: NumberFormat = NumberFormat.EN) -> FormRows:
    """The weekly check-in's entries that are not blank, as the rows of one check-ins form (one
    batch), in the order given; a problem's row is the entry's place among them."""
    rows = tuple({"cycle": e.ref.cycle, "team": e.ref.team, "objective": e.ref.objective,
                  "key_result": e.ref.key_result, "date": canonical_date(day),
                  "value": number_cell(e.value, numbers), "confidence": e.confidence or None, "note": e.note or None}
                 for e in entries if not e.blank)
    return FormRows(WEEKLY_CHECKIN, FileKind.CHECKINS, rows, labels, numbers)


def record_weekly(store: Store, entries: list[Entry], day: dt.date, writer: Access, labels: dict[str, str],
                  today: dt.date | None = None, *, numbers: NumberFormat = NumberFormat.EN) -> ImportResult:
    """Validate and write every entry that is not blank as one batch (all or nothing); raises
    ImportFailed (nothing written; a problem's ``line`` is the entry's place among those written
    when there are several) or StoreError (no right to a team)."""
    from okrdash.importing import import_files

    rows = weekly_rows(entries, day, labels, numbers)
    if not rows.rows:
        raise ImportFailed([Problem(WEEKLY_CHECKIN, None, None, None, "weekly_checkin_blank", {})])
    return import_files(store, [rows], writer=writer, today=today)


def measurement_rows(team: str, kpi: str, value: str | float | None, day: dt.date | None,
                     target: str | float | None, labels: dict[str, str],
                     numbers: NumberFormat = NumberFormat.EN) -> FormRows:
    row = {"team": team, "kpi": kpi, "date": canonical_date(day), "value": number_cell(value, numbers),
           "target": number_cell(target, numbers)}
    return FormRows(MEASUREMENT_FORM, FileKind.KPIS, (row,), labels, numbers)


def record_measurement(store: Store, team: str, kpi: str, value: str | float | None, day: dt.date | None,
                       target: str | float | None, writer: Access, labels: dict[str, str],
                       today: dt.date | None = None, *, numbers: NumberFormat = NumberFormat.EN) -> ImportResult:
    """Validate and write one KPI measurement (value, date, optional period target)."""
    from okrdash.importing import import_files

    rows = measurement_rows(team, kpi, value, day, target, labels, numbers)
    return import_files(store, [rows], writer=writer, today=today)
