"""A company's OKRs, check-ins and KPIs laid out as the sheets people keep, and what each sheet says.

Each builder returns a :class:`~tests.oracle.files.Table` of typed cells and records in an
:class:`~tests.oracle.check.Expected` exactly what its cells say: a column the sheet does not have
says nothing (a KPI sheet without a direction column does not say "higher is better"), a value
without a date is dated the import day (okrdash's documented default, and a question when that day
is after the cycle).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from okrdash.models import Cycle, KRKind
from tests.oracle.check import Expected, Share
from tests.oracle.company import Company, Kpi, KeyResult, Measure
from tests.oracle.files import Cell, Day, Formula, Num, Table
from tests.oracle.spelling import (
    DIRECTION_WORDS,
    KIND_WORDS,
    MONTHS,
    OBJECTIVE_TYPE_WORDS,
    Convention,
    spell_month,
)

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def cycle_spellings(cycle: Cycle, lang: str) -> tuple[str, ...]:
    year, quarter = cycle.start_date.year, (cycle.start_date.month - 1) // 3 + 1
    spellings = (f"{year}-Q{quarter}", f"Q{quarter} {year}")
    return spellings + ((f"Kuartal {_ROMAN[quarter]} {year}", f"TW{quarter} {year}") if lang == "id" else ())


def number(value: float, measure: Measure) -> Num:
    return Num(value, measure.decimals, measure.unit)


MILESTONE_DONE = {"en": {1.0: "done", 0.0: "not done"}, "id": {1.0: "selesai", 0.0: "belum"}}


def milestone_cell(value: float, conv: Convention, words: bool) -> Cell:
    return MILESTONE_DONE[conv.lang][value] if words else Num(value)


@dataclass
class Layout:
    """Which columns a sheet has (column tag -> header, in order) and how its cells are laid out."""

    headers: dict[str, Cell]  # a header is text, or a date cell in a workbook
    title: list[str] = field(default_factory=list)  # lines above the header (a report's title block)
    merged: bool = False  # a block's repeated cells written once (a merged cell, blank below)
    total: str | None = None  # a last row summing the values, labelled "Total" / "Jumlah" in its first cell
    # Per column tag, how its numbers are written in a workbook: "formula" (with its cached result),
    # "formula-uncached" (saved by a script, never calculated), or a Num.written override.
    written: dict[str, str] = field(default_factory=dict)


def _value_cell(cell: Num, how: str | None) -> Cell:
    if how == "formula":
        return Formula(cell)
    if how == "formula-uncached":
        return Formula(cell, cached=False)
    if how in ("share", "text"):
        return Num(cell.value, cell.decimals, cell.unit, how)
    return cell


def _merges(records: list[dict[str, Cell]], columns: list[str], merge_columns: tuple[str, ...],
            first_row: int) -> list[tuple[int, int, int, int]]:
    """Vertical runs of one block's repeated cells (a team over its objectives, an objective over its
    key results), as merged ranges of the sheet; ``first_row`` is the sheet row of the first record."""
    merges = []
    for depth, column in enumerate(merge_columns):
        if column not in columns:
            continue
        block = merge_columns[:depth + 1]
        start = 0
        for n in range(1, len(records) + 1):
            if n < len(records) and all(records[n].get(c) == records[start].get(c) for c in block):
                continue
            if n - start > 1:
                merges.append((first_row + start, columns.index(column), first_row + n - 1, columns.index(column)))
            start = n
    return merges


def _table(name: str, layout: Layout, records: list[dict[str, Cell]], merge_columns: tuple[str, ...]) -> Table:
    """The records under the layout's header (and title lines), a block's repeated cells merged when asked."""
    columns = list(layout.headers)
    top: list[list[Cell]] = [[line] for line in layout.title] + ([[]] if layout.title else [])
    first_row = len(top) + 1
    merges = _merges(records, columns, merge_columns, first_row) if layout.merged else []
    covered = {(r, c) for r0, c, r1, _ in merges for r in range(r0 + 1, r1 + 1)}
    rows = [[None if (first_row + n, i) in covered else record.get(c) for i, c in enumerate(columns)]
            for n, record in enumerate(records)]
    if layout.total:
        rows.append([layout.total] + [_sum([r.get(c) for r in records]) if c in ("value", "current") else None
                                      for c in columns[1:]])
    return Table(name, top + [list(layout.headers.values())] + rows, merges)


def _sum(cells: list[Cell]) -> Cell:
    numbers = [c for c in cells if isinstance(c, Num)]
    if not numbers or len(numbers) < len([c for c in cells if c is not None]):
        return None
    decimals = max(n.decimals for n in numbers)
    return Num(round(sum(n.value for n in numbers), decimals), decimals, numbers[0].unit)


def _dated(expected: Expected, company: Company, team: str, title: str, day: dt.date | None,
           value: float | Share) -> None:
    """A value the sheet gives, on its date; without one, on the import day (or only a question is right)."""
    if day is None:
        day = company.today
        if company.today > company.cycle.end_date:
            expected.must_ask.append(f"{team} / {title}: the value has no date, and the import day {company.today} "
                                     f"is after cycle {company.cycle.name} ended on {company.cycle.end_date}")
    expected.checkins[(team, title, day)] = value


def okr_table(company: Company, conv: Convention, layout: Layout, expected: Expected, *, cycle_text: str,
              milestone_words: bool = False, progress: dict[str, tuple[float, int]] | None = None,
              name: str = "OKR") -> Table:
    """One row per key result. Column tags: the okrs columns (cycle, team, objective, objective_type,
    key_result, owner, kind, baseline, target, unit, current, date or last_checkin) and the spellings
    of what people add: ``last_update`` (the date of ``current`` under another header), ``progress`` and
    ``achievement`` (the share done, from ``progress``: title -> (percent, decimals)), ``status``
    (a milestone's done / not done in words, its ``current`` left blank)."""
    columns = set(layout.headers)
    date_column = next((c for c in ("date", "last_checkin", "last_update") if c in columns), None)
    records = []
    for objective, kr in company.key_results():
        key = (company.cycle.name, objective.team, objective.title, kr.title)
        expected.objectives.setdefault(key[:3], {"type": objective.type.value} if "objective_type" in columns else {})
        expected.key_results[key] = _kr_fields(kr, columns)
        record: dict[str, Cell] = {
            "cycle": cycle_text, "team": objective.team, "objective": objective.title,
            "objective_type": OBJECTIVE_TYPE_WORDS[conv.lang][objective.type], "key_result": kr.title,
            "owner": kr.owner, "kind": KIND_WORDS[conv.lang][kr.kind], "unit": kr.measure.unit,
            "baseline": None if kr.kind is KRKind.MILESTONE or kr.baseline is None else number(kr.baseline, kr.measure),
            "target": Num(1.0) if kr.kind is KRKind.MILESTONE else number(kr.target, kr.measure),
        }
        for tag in ("baseline", "target"):
            if isinstance(record[tag], Num):
                record[tag] = _value_cell(record[tag], layout.written.get(tag))
        latest = kr.latest
        shown = progress.get(kr.title) if progress is not None else None
        if shown is not None:
            percent, decimals = shown
            tag = "progress" if "progress" in columns else "achievement"
            record[tag] = _value_cell(Num(percent, decimals, "%"), layout.written.get(tag))
            day = latest[0] if latest else company.cycle.start_date
            if date_column:
                record[date_column] = Day(day)
            _dated(expected, company, objective.team, kr.title, day if date_column else None, Share(percent / 100))
        elif latest and ("current" in columns or "status" in columns and kr.kind is KRKind.MILESTONE):
            day, value = latest
            if kr.kind is KRKind.MILESTONE and "status" in columns:
                record["status"] = STATUS_WORDS[conv.lang][value]
            elif kr.kind is KRKind.MILESTONE:
                record["current"] = milestone_cell(value, conv, milestone_words)
            else:
                record["current"] = _value_cell(number(value, kr.measure), layout.written.get("current"))
            if date_column:
                record[date_column] = Day(day)
            _dated(expected, company, objective.team, kr.title, day if date_column else None, value)
        records.append(record)
    return _table(name, layout, records, ("cycle", "team", "objective", "objective_type"))


# A milestone's state as a status column says it.
STATUS_WORDS = {"en": {1.0: "Achieved", 0.0: "Not achieved"}, "id": {1.0: "Tercapai", 0.0: "Belum tercapai"}}


def _kr_fields(kr: KeyResult, columns: set[str]) -> dict[str, object]:
    """What an okrs row says of its key result: only the columns it has."""
    fields: dict[str, object] = {}
    if "kind" in columns or {"baseline", "target"} <= columns and kr.kind in (KRKind.INCREASE, KRKind.DECREASE):
        fields["kind"] = kr.kind.value
    # docs/csv-format.md: "a target of 100% with no baseline is measured from 0" (so is 1%, and the
    # rule does not look at the kind): a blank baseline beside such a target may be stored as 0.
    from_zero = kr.baseline is None and kr.measure.is_percent and kr.target in (1.0, 100.0)
    if "baseline" in columns and not from_zero:
        fields["baseline"] = kr.baseline
    if "target" in columns:
        fields["target"] = kr.target
    if "owner" in columns:
        fields["owner"] = kr.owner
    if "unit" in columns:
        fields["unit"] = kr.measure.unit
    return fields


def needs_kind_column(company: Company) -> bool:
    """Whether baseline and target alone would not say each key result's kind."""
    return any(kr.kind not in (KRKind.INCREASE, KRKind.DECREASE) for _, kr in company.key_results())


def checkin_table(company: Company, conv: Convention, layout: Layout, expected: Expected, *,
                  cycle_text: str = "", milestone_words: bool = False, name: str = "Check-in") -> Table:
    """One row per check-in (team, [objective, cycle,] key result, date, value)."""
    records = []
    for objective, kr in company.key_results():
        for day, value in kr.checkins:
            cell = milestone_cell(value, conv, milestone_words) if kr.kind is KRKind.MILESTONE else _value_cell(
                number(value, kr.measure), layout.written.get("value"))
            records.append({"team": objective.team, "objective": objective.title, "cycle": cycle_text,
                            "key_result": kr.title, "date": Day(day), "value": cell})
            expected.checkins[(objective.team, kr.title, day)] = value
    return _table(name, layout, records, ("cycle", "team", "objective", "key_result"))


def wide_checkin_table(company: Company, conv: Convention, layout: Layout, expected: Expected, *,
                       header_of: str = "iso", name: str = "Check-in") -> Table:
    """One row per key result, one column per check-in date (headed ``2026-10-05``, ``5 Okt 2026``
    or ``05/10/2026``): the weekly sheet people fill in."""
    days = sorted({day for _, kr in company.key_results() for day, _ in kr.checkins})
    for day in days:
        layout.headers[day.isoformat()] = _day_header(day, conv, header_of)
    records = []
    for objective, kr in company.key_results():
        if not kr.checkins:
            continue
        record: dict[str, Cell] = {"team": objective.team, "objective": objective.title, "key_result": kr.title}
        for day, value in kr.checkins:
            record[day.isoformat()] = Num(value) if kr.kind is KRKind.MILESTONE else number(value, kr.measure)
            expected.checkins[(objective.team, kr.title, day)] = value
        records.append(record)
    return _table(name, layout, records, ("team", "objective"))


def _day_header(day: dt.date, conv: Convention, header_of: str) -> str:
    if header_of == "iso":
        return day.isoformat()
    if header_of == "dmy":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {MONTHS[conv.lang][day.month - 1]} {day.year}"  # 5 Okt 2026 / 5 Oct 2026


# How KPI sheets write a direction outside okrdash's own "direction" column: a polarity column.
POLARITY_WORDS = (
    {"higher_is_better": "Maximize", "lower_is_better": "Minimize"},
    {"higher_is_better": "Semakin besar semakin baik", "lower_is_better": "Semakin kecil semakin baik"},
    {"higher_is_better": "Max", "lower_is_better": "Min"},
)


def kpi_table(company: Company, conv: Convention, layout: Layout, expected: Expected, *,
              polarity: dict[str, str] | None = None, kpis: tuple[Kpi, ...] | None = None,
              name: str = "KPI") -> Table:
    """One row per KPI per month (team, kpi, date, value, [target, unit, direction or polarity])."""
    columns = set(layout.headers)
    records = []
    for kpi in company.kpis if kpis is None else kpis:
        expected.kpis[(kpi.team, kpi.name)] = _kpi_fields(kpi, columns)
        for day, value in kpi.measurements:
            records.append({
                "team": kpi.team, "kpi": kpi.name, "date": Day(day),
                "value": _value_cell(number(value, kpi.measure), layout.written.get("value")),
                "target": _value_cell(number(kpi.target, kpi.measure), layout.written.get("target")),
                "unit": kpi.measure.unit, "direction": DIRECTION_WORDS[conv.lang][kpi.direction],
                "polarity": (polarity or {}).get(kpi.direction.value)})
            expected.measurements[(kpi.team, kpi.name, day)] = value
    return _table(name, layout, records, ("team", "kpi"))


def _kpi_fields(kpi: Kpi, columns: set[str]) -> dict[str, object]:
    fields: dict[str, object] = {}
    if columns & {"direction", "polarity"}:
        fields["direction"] = kpi.direction.value
    if "target" in columns:
        fields["target"] = kpi.target
    if "unit" in columns:
        fields["unit"] = kpi.measure.unit
    return fields


def wide_kpi_table(company: Company, conv: Convention, layout: Layout, expected: Expected, *,
                   month_headers: str = "with_year", name: str = "KPI") -> Table:
    """One row per KPI, one column per month (``Jan 2026``; ``Jan`` with a ``Tahun`` column or the
    year in the title; in a workbook a date cell of the month's first day) or per day (``dmy``:
    ``31/10/2026``, the day each value was measured)."""
    months = sorted({day for kpi in company.kpis for day, _ in kpi.measurements})
    for day in months:
        if month_headers == "date_cells":
            layout.headers[day.isoformat()] = Day(day.replace(day=1), "cell")
        elif month_headers == "dmy":
            layout.headers[day.isoformat()] = _day_header(day, conv, "dmy")
        else:
            layout.headers[day.isoformat()] = spell_month(day, conv, month_headers == "with_year")
    columns = set(layout.headers)
    records = []
    for kpi in company.kpis:
        expected.kpis[(kpi.team, kpi.name)] = _kpi_fields(kpi, columns)
        record: dict[str, Cell] = {"team": kpi.team, "kpi": kpi.name, "year": str(months[0].year),
                                   "unit": kpi.measure.unit, "direction": DIRECTION_WORDS[conv.lang][kpi.direction],
                                   "target": number(kpi.target, kpi.measure)}
        for day, value in kpi.measurements:
            record[day.isoformat()] = _value_cell(number(value, kpi.measure), layout.written.get("value"))
            expected.measurements[(kpi.team, kpi.name, day)] = value
        records.append(record)
    return _table(name, layout, records, ("team",))


def paired_kpi_table(company: Company, conv: Convention, expected: Expected, *, lang_headers: dict[str, str],
                     name: str = "KPI") -> Table:
    """Target and Realisasi under each month, the month header merged over both: the monthly report."""
    months = sorted({day for kpi in company.kpis for day, _ in kpi.measurements})
    first = [lang_headers["team"], lang_headers["kpi"]]
    second: list[Cell] = [None, None]
    merges = []
    for n, day in enumerate(months):
        first += [spell_month(day, conv, True), None]
        second += [lang_headers["target"], lang_headers["value"]]
        merges.append((0, 2 + 2 * n, 0, 3 + 2 * n))
    rows: list[list[Cell]] = [first, second]
    for kpi in company.kpis:
        expected.kpis[(kpi.team, kpi.name)] = {"target": kpi.target}
        row: list[Cell] = [kpi.team, kpi.name] + [None] * (2 * len(months))
        for day, value in kpi.measurements:
            at = 2 + 2 * months.index(day)
            row[at], row[at + 1] = number(kpi.target, kpi.measure), number(value, kpi.measure)
            expected.measurements[(kpi.team, kpi.name, day)] = value
        rows.append(row)
    return Table(name, rows, merges)
