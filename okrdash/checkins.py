"""Check-ins and KPI measurements typed in the browser, as rows of the file kinds they belong to.

A check-in is one row of a check-ins file and a measurement one row of a KPI file; both go through
:func:`okrdash.importing.import_files`, so they are validated by the same rules as an upload,
written by the same ``Store.apply`` (one batch, shown in the import history, undoable) and refused
by the store for a writer without the right to the team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from okrdash.importing.rows import FormRows, canonical_date, canonical_number
from okrdash.models import FileKind

if TYPE_CHECKING:
    from okrdash.access import Access
    from okrdash.importing import ImportResult
    from okrdash.store import Store

CHECKIN_FORM = "check-in form"
MEASUREMENT_FORM = "KPI measurement form"


@dataclass(frozen=True)
class KeyResultRef:
    """A key result by its natural key, as a check-ins file names it."""

    cycle: str
    team: str
    objective: str
    key_result: str


def checkin_rows(ref: KeyResultRef, value: float | None, day: dt.date | None, confidence: str | None,
                 note: str | None, labels: dict[str, str]) -> FormRows:
    """The check-in as one check-ins row. ``confidence`` is the text typed (0-10 or a word the
    importer knows, in either language); a milestone's value is 1 (done) or 0 (not done)."""
    row = {"cycle": ref.cycle, "team": ref.team, "objective": ref.objective, "key_result": ref.key_result,
           "date": canonical_date(day), "value": canonical_number(value), "confidence": confidence or None,
           "note": note or None}
    return FormRows(CHECKIN_FORM, FileKind.CHECKINS, (row,), labels)


def record_checkin(store: Store, ref: KeyResultRef, value: float | None, day: dt.date | None,
                   confidence: str | None, note: str | None, writer: Access, labels: dict[str, str],
                   today: dt.date | None = None) -> ImportResult:
    """Validate and write one check-in; raises ImportFailed (nothing written) or StoreError (no right)."""
    from okrdash.importing import import_files

    return import_files(store, [checkin_rows(ref, value, day, confidence, note, labels)], writer=writer, today=today)


def measurement_rows(team: str, kpi: str, value: float | None, day: dt.date | None, target: float | None,
                     labels: dict[str, str]) -> FormRows:
    row = {"team": team, "kpi": kpi, "date": canonical_date(day), "value": canonical_number(value),
           "target": canonical_number(target)}
    return FormRows(MEASUREMENT_FORM, FileKind.KPIS, (row,), labels)


def record_measurement(store: Store, team: str, kpi: str, value: float | None, day: dt.date | None,
                       target: float | None, writer: Access, labels: dict[str, str],
                       today: dt.date | None = None) -> ImportResult:
    """Validate and write one KPI measurement (value, date, optional period target)."""
    from okrdash.importing import import_files

    rows = measurement_rows(team, kpi, value, day, target, labels)
    return import_files(store, [rows], writer=writer, today=today)
