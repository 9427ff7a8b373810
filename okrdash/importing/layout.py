"""Step 4 of reading a file, header -> shape: what each header position holds, which kind the file
is, and the shape its rows are in.

- each header names a column (okrdash/kinds.py), a period (one column per month, week or day), a
  value, target or achievement of a period (``Target Jan``, or sub-headers under a merged month
  header), another tool's special column (importing.exports), or nothing okrdash knows;
- a column whose meaning the file's kind has no place for is read as one it has (a KPI sheet's
  ``Update terakhir`` dates its values), or, when it changes what the numbers say (direction,
  progress, achievement, a date or a period), the import stops and names it: never "valid" with it
  dropped. A status column is read by its cells: achieved / not achieved words are a milestone's
  value, a status another tool computed (On Track) is named as not imported. Other unknown columns
  are listed as ignored, unless their cells are the words of one of the kind's columns
  (``Strategis`` is a KPI type);
- what each kind requires is checked, naming what is missing.

Only the header and the first lines' cells are looked at here; every row is read by importing.load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from okrdash.importing import exports
from okrdash.importing.header_row import HeaderRow
from okrdash.importing.mapping import IGNORE, NO_MAPPING, Mapping
from okrdash.importing.headers import (
    closest_kind,
    column_of_words,
    detect_kind,
    header_meanings,
    normalise_header,
    resolve_ambiguous,
)
from okrdash.importing.notes import ReadingNote
from okrdash.importing.periods import (
    PAIR_MEANINGS,
    WEEK_NUMBER_HEADER,
    PeriodHeader,
    pair_header,
    period_dates,
    period_header,
)
from okrdash.kinds import KINDS, NEVER_DROPPED, header, required_columns_text
from okrdash.models import FileKind
from okrdash.problems import ImportFailed, Localised, Problem, localised
from okrdash.vocabulary import milestone_value, status_of


@dataclass
class Layout:
    """The file's header, read: one scratch column name per header position, and what they mean."""

    kind: FileKind
    columns: list[str]
    headers: dict[str, str]  # canonical column -> the file's own header text
    ignored: list[str] = field(default_factory=list)  # headers okrdash does not use, named in the reading
    # Period key -> its period, the scratch column of each meaning under it ("value", "target",
    # "achievement"), and its header as written; only for a file whose periods hold its values.
    periods: dict[str, PeriodHeader] = field(default_factory=dict)
    period_columns: dict[str, dict[str, str]] = field(default_factory=dict)
    period_headers: dict[str, str] = field(default_factory=dict)
    export: exports.Export | None = None
    provided: set[str] = field(default_factory=set)  # canonical columns the rows get once reshaped
    header_last: int = 0  # 0-based last line of the header (sub-headers under merged months included)
    title_date: PeriodHeader | None = None  # the title's period, dating values that have no date column
    title_team: str | None = None  # the title's team, for a sheet that has no team column
    # A person's answers (importing.mapping): scratch column -> header of each column that is one
    # KPI, the value of each column the rows have none of, and the answers' headers the file holds.
    metrics: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    mapped_found: set[str] = field(default_factory=set)
    answered_lines: dict[str, list[int]] = field(default_factory=dict)  # column -> lines an answer filled

    @property
    def wide(self) -> bool:
        return bool(self.periods)


@dataclass
class _Placed:
    """Each header position's scratch column, before the kind is known."""

    columns: list[str]
    headers: dict[str, str]
    texts: dict[int, str] = field(default_factory=dict)  # position -> its header as the reader sees it
    unknown: dict[int, str] = field(default_factory=dict)  # position -> header okrdash knows nothing of
    periods: dict[int, PeriodHeader] = field(default_factory=dict)  # position -> the period a header names
    pairs: dict[int, tuple[str, PeriodHeader]] = field(default_factory=dict)  # "Target Jan 2026"
    duplicates: list[str] = field(default_factory=list)
    mapped: set[int] = field(default_factory=set)  # positions whose column a person's answer gave
    asked_ignored: list[str] = field(default_factory=list)  # headers a person's answer ignores
    metrics: dict[int, str] = field(default_factory=dict)  # position -> header of a column that is one KPI
    twice: list[tuple[str, str, str]] = field(default_factory=list)  # (header, other header, column) of an answer

    def named(self) -> set[str]:
        return {c for c in self.columns if not c.startswith("_")} | {m for m, _ in self.pairs.values()}


def lay_out(file_name: str, row: HeaderRow, samples: list[list[str]], notes: list[ReadingNote],
            mapping: Mapping = NO_MAPPING, lone: bool = True) -> Layout:
    """The layout of a file from its header row and the cells of its first rows, with a person's
    answers (``mapping``; ``lone``: the only text of its upload, so a header the answers name and
    it lacks is named here); raises ImportFailed with every problem of the header (no kind, a
    required column missing, a meaning not used ...)."""
    failure = _Failure(file_name, row.last + 1)
    export = exports.recognise(row.cells)
    provided = exports.provided_columns(export) if export else set()
    placed = _place(row.cells, samples, export, provided, notes, mapping)
    _place_title(placed, notes)
    header_last = row.last
    if _merged_period_headers(placed, row.next_cells):
        header_last, samples = row.next_last, samples[1:]
    found = {normalise_header(c) for c in row.cells}
    if lone:
        for header_text in mapping.named_headers():
            if normalise_header(header_text) not in found:
                failure.add(header_text, None, "mapping_header_not_found",
                            headers=", ".join(h for h in row.cells if h.strip()) or "–")
    # Another OKR tool's export is rebuilt as okrs rows (importing.exports), whatever else it holds.
    kind = mapping.file_kind or (FileKind.OKRS if export else detect_kind(placed.named() | provided))
    if kind is None:
        raise ImportFailed(failure.problems + failure.no_kind(row.cells, placed, samples).problems)
    for raw in placed.duplicates:
        failure.add(raw, raw, "header_duplicate")
    for raw, other, column in placed.twice:
        failure.add(raw, None, "mapping_column_twice", other=other, column=column)
    layout = Layout(kind, placed.columns, placed.headers, export=export, header_last=header_last,
                    provided=set(provided),
                    mapped_found={normalise_header(h) for h in mapping.named_headers()} & found)
    _fit_kind(layout, placed, samples, failure, notes)
    _answers(layout, placed, mapping, failure)  # (before the title's team and period: an answer is the person's word)
    _shape(layout, placed, row, failure)
    for column in KINDS[kind].missing(set(layout.columns) | layout.provided):
        failure.add(column, None, "header_missing", kind=kind.value,
                    unplaced=[h for h in layout.ignored if h not in placed.asked_ignored])
    failure.raise_any()
    return layout


class _Failure:
    """The header's problems, all named on the header's line."""

    def __init__(self, file_name: str, line: int):
        self.file_name, self.line, self.problems = file_name, line, []

    def add(self, column: str | None, value: str | None, code: str, /, **params: object) -> None:
        self.problems.append(Problem(self.file_name, self.line, column, value, code, params))

    def raise_any(self) -> None:
        if self.problems:
            raise ImportFailed(self.problems)

    def no_kind(self, cells: list[str], placed: _Placed, samples: list[list[str]]) -> ImportFailed:
        """The file is none of the kinds: the closest one by the meanings its columns carry, the
        columns placed and what is still missing (``missing_columns``, ``unplaced``, ``numeric``:
        for the questions that would answer it, see cli.py)."""
        headers = ", ".join(h for h in cells if h.strip()) or "–"
        closest, missing = closest_kind(placed.named())
        unplaced = [h.strip() for h in placed.unknown.values() if h.strip()]
        if closest is None:
            numeric = [h.strip() for i, h in placed.unknown.items() if h.strip()
                       and _NUMBER_LIKE.fullmatch(" ".join(_cells(samples, i)).strip() or "x")]
            return ImportFailed([Problem(self.file_name, None, None, None, "file_kind_none", {
                "headers": headers, "kinds": Localised(required_columns_text("en"), required_columns_text("id")),
                "unplaced": unplaced, "numeric": numeric})])
        found = {c: h for c, h in placed.headers.items() if c in KINDS[closest].names}
        return ImportFailed([Problem(self.file_name, None, None, None, "file_kind_unknown", {
            "headers": headers, "kind": closest.value,
            "placed": Localised(", ".join(f"{h} → {c}" for c, h in found.items()) or "–",
                                ", ".join(f"{h} → {header(c, 'id')}" for c, h in found.items()) or "–"),
            "missing": Localised(", ".join(missing), ", ".join(header(c, "id") for c in missing)),
            "missing_columns": tuple(missing), "unplaced": unplaced})])


# -- each header's column ------------------------------------------------------------------------------


def _place(cells: list[str], samples: list[list[str]], export: exports.Export | None, provided: set[str],
           notes: list[ReadingNote], mapping: Mapping = NO_MAPPING) -> _Placed:
    answered = {i: mapping.column_for(raw) for i, raw in enumerate(cells)}
    metrics = {i for i, raw in enumerate(cells) if raw.strip() and mapping.is_metric(raw)}

    def meanings_of(index: int, raw: str) -> tuple[str, ...]:
        if answered[index] == IGNORE or index in metrics:
            return ()
        if answered[index] is not None:
            return (answered[index],)
        return () if export and index in export.special else header_meanings(raw)

    meanings = [meanings_of(i, raw) for i, raw in enumerate(cells)]
    taken = {m[0] for m in meanings if len(m) == 1} | provided
    placed = _Placed([], {})
    for index, raw in enumerate(cells):
        placed.texts[index] = raw.strip()
        options = meanings[index]
        if answered[index] is not None or index in metrics:  # the person's answer
            placed.mapped.add(index)
            if index in metrics:
                name = f"_metric_{index}"
                placed.metrics[index] = raw.strip()
            elif answered[index] == IGNORE:
                name = f"_ignored_{index}"
                placed.asked_ignored.append(raw.strip())
            else:
                name = options[0]
        elif export and index in export.special:
            name = export.special[index]
        elif len(options) == 2:
            name, reason = resolve_ambiguous(raw, options, taken, _cells(samples, index))
            taken.add(name)
            notes.append(ReadingNote(f"ambiguous_header_{reason}", {"header": raw, "column": name}))
        elif options:
            name = options[0]
        else:
            name = _place_period(placed, index, raw)
        if (name in ("value", "current") and name in placed.columns and _PERCENT_MARK.search(raw)
                and index not in placed.mapped):
            name = "achievement"  # "Capaian (%)" beside "Realisasi": the value as a share of the target
        if name in placed.columns and {index, placed.columns.index(name)} & placed.mapped:
            # The answer and okrdash's own reading (or two answers) give two columns one meaning: asked.
            placed.twice.append((raw.strip(), placed.texts[placed.columns.index(name)], name))
            name = f"_ignored_{index}"
        elif name in placed.columns:
            placed.duplicates.append(raw)
            name = f"_ignored_{index}"
        elif not name.startswith("_"):
            placed.headers[name] = raw.strip()
        placed.columns.append(name)
    return placed


# A database export's title column.
_TITLE_HEADERS = ("name", "title", "nama", "judul")


def _place_title(placed: _Placed, notes: list[ReadingNote]) -> None:
    """A ``Name`` / ``Judul`` column (the title of a Notion or Airtable table of key results) is the
    key result beside an objective column, in a file with numbers to measure it by. (Beside a key
    result column a "Name" is as likely its owner: there it stays unknown.)"""
    named = placed.named()
    measured = bool(named & {"target", "current", "baseline", "progress", "achievement"})
    # (A "Name" is also a people file's column: beside an objective and numbers it is the title.)
    titles = [i for i, raw in placed.texts.items() if normalise_header(raw) in _TITLE_HEADERS
              and (i in placed.unknown or placed.columns[i] == "name")]
    missing = "key_result" if "objective" in named and "key_result" not in named and measured else None
    if missing is None or len(titles) != 1:
        return
    index = titles[0]
    raw = placed.texts[index]
    placed.unknown.pop(index, None)
    placed.headers.pop(placed.columns[index], None)
    placed.columns[index], placed.headers[missing] = missing, raw.strip()
    notes.append(ReadingNote("title_header", {"header": raw.strip(), "column": missing}))


# Cells that look like numbers (blank cells left out): only to offer "one KPI per column" for such
# columns in a question; how a number is read is importing.cells' alone.
_NUMBER_LIKE = re.compile(r"(?i)(\s*[-+(]?\s*(rp|\$)?\s*[0-9][0-9.,]*\s*%?\)?\s*)+")
_PERCENT_MARK = re.compile(r"%|\b(persen|percent|pct)\b", re.I)


def _cells(samples: list[list[str]], index: int) -> list[str]:
    return [row[index] for row in samples if len(row) > index]


def _place_period(placed: _Placed, index: int, raw: str) -> str:
    """A header that names a period, or a value / target of one; else an unknown column."""
    period = period_header(raw)
    if period is not None:
        placed.periods[index] = period
        return f"_period_{index}"
    pair = pair_header(raw)
    if pair is not None:
        placed.pairs[index] = pair
        return f"_pair_{index}"
    placed.unknown[index] = raw
    return f"_ignored_{index}"


def _merged_period_headers(placed: _Placed, sub_cells: list[str]) -> bool:
    """Target / Realisasi under each merged month header (the month written once over its columns,
    blank beside it; the meanings on the next line): those columns become the pairs of their period."""
    starts = sorted(placed.periods)  # one month is enough: its sub-headers name two meanings under it
    if not starts or not sub_cells:
        return False
    groups: dict[int, list[tuple[int, str]]] = {}
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(placed.columns)
        span = [start]
        while span[-1] + 1 < end and not placed.unknown.get(span[-1] + 1, "x").strip():
            span.append(span[-1] + 1)
        if number + 1 < len(starts) and span[-1] + 1 != end:
            return False  # another column between two months: not one merged header over each
        found = [(i, m[0]) for i in span if i < len(sub_cells)
                 for m in [header_meanings(sub_cells[i])] if len(m) == 1 and m[0] in PAIR_MEANINGS]
        if len(found) < 2 or len({m for _, m in found}) != len(found) or "value" not in {m for _, m in found}:
            return False
        groups[start] = found
    for start, found in groups.items():
        period, month = placed.periods.pop(start), placed.texts[start]
        placed.columns[start] = f"_ignored_{start}"
        for index, meaning in found:
            placed.unknown.pop(index, None)
            placed.pairs[index] = (meaning, period)
            placed.columns[index] = f"_pair_{index}"
            placed.texts[index] = f"{month} › {sub_cells[index].strip()}"
    return True


# -- the kind's columns ----------------------------------------------------------------------------------


def _fit_kind(layout: Layout, placed: _Placed, samples: list[list[str]], failure: _Failure,
              notes: list[ReadingNote]) -> None:
    """Columns of meanings the kind has no place for: read as one it has, or refused, or ignored;
    unknown columns whose cells are words of a column the kind lacks become that column."""
    kind = KINDS[layout.kind]
    for index, name in enumerate(list(layout.columns)):
        if name == "status":
            _status(layout, index, _cells(samples, index), notes)
        elif not name.startswith("_") and name not in kind.names and name != "year":  # (year: see shapes)
            _misplaced(layout, placed, index, name, failure, notes)
    free = [c for c in kind.names if c not in layout.columns]
    for index, raw in sorted(placed.unknown.items()):
        column = column_of_words(_cells(samples, index), free)
        if column is not None:
            layout.columns[index], layout.headers[column] = column, raw.strip()
            free.remove(column)
            notes.append(ReadingNote("words_header", {"header": raw, "column": column}))
        elif raw.strip():
            layout.ignored.append(raw.strip())
    layout.ignored += placed.asked_ignored


def _misplaced(layout: Layout, placed: _Placed, index: int, name: str, failure: _Failure,
               notes: list[ReadingNote]) -> None:
    kind = KINDS[layout.kind]
    raw = layout.headers.pop(name)
    if index in placed.mapped:  # the person's answer names a column this kind has no place for
        layout.columns[index] = f"_ignored_{index}"
        failure.add(raw, None, "mapping_column_not_in_kind", column=name, kind=localised(f"upload.kind_{layout.kind.value}"),
                    accepted=", ".join(kind.names))
        return
    target = kind.read_as.get(name)
    if target is not None and target not in layout.columns and target not in layout.provided:
        layout.columns[index] = target
        layout.headers[target] = raw
        notes.append(ReadingNote("read_as", {"header": raw, "column": target}))
        return
    layout.columns[index] = f"_ignored_{index}"
    if target is not None and name != "planned":  # the kind's own column says it already ("Update terakhir"
        layout.ignored.append(raw)                # beside "Tanggal"); a planned value beside a target does not
    elif name in NEVER_DROPPED:
        failure.add(raw, None, "meaning_not_used", meaning=localised(f"meaning.{name}"),
                    kind=localised(f"upload.kind_{layout.kind.value}"))
    else:
        placed.unknown[index] = raw


def _status(layout: Layout, index: int, cells: list[str], notes: list[ReadingNote]) -> None:
    """A status column: achieved / not achieved words are a milestone's value (okrs, check-ins);
    a status another tool computed, or words okrdash does not know, are named and not imported."""
    words = [c for c in cells if c.strip()]
    kind = KINDS[layout.kind]
    if words and all(milestone_value(w) is not None for w in words) and (
            "status" in kind.names or kind.read_as.get("status") not in (None, *layout.columns)):
        if "status" not in kind.names:
            layout.columns[index] = kind.read_as["status"]
            layout.headers[kind.read_as["status"]] = layout.headers.pop("status")
            notes.append(ReadingNote("read_as", {"header": layout.headers[layout.columns[index]],
                                                 "column": layout.columns[index]}))
        return
    raw = layout.headers.pop("status")
    layout.columns[index] = f"_ignored_{index}"
    computed = bool(words) and all(status_of(w) is not None or milestone_value(w) is not None for w in words)
    notes.append(ReadingNote("status_computed" if computed else "status_unknown", {"header": raw}))


# -- the shape of the rows -------------------------------------------------------------------------------


def _shape(layout: Layout, placed: _Placed, row: HeaderRow, failure: _Failure) -> None:
    """One column per period (with their pairs), week numbers, and a title that dates the values."""
    has_facts = layout.kind in (FileKind.KPIS, FileKind.CHECKINS)
    periods = dict(placed.periods)
    if (periods or placed.pairs) and has_facts and not {"date", "value"} & set(layout.columns):
        _wide(layout, placed, periods, row, failure)
    else:
        for index, (meaning, _) in placed.pairs.items():
            failure.add(placed.texts[index], None, "meaning_not_used", meaning=localised(f"meaning.{meaning}"),
                        kind=localised(f"upload.kind_{layout.kind.value}"))
    for index, name in enumerate(layout.columns):
        if name.startswith("_period_") and name not in layout.periods:
            layout.columns[index] = f"_ignored_{index}"
            layout.ignored.append(placed.texts[index])
    weeks = [h for h in layout.ignored if WEEK_NUMBER_HEADER.fullmatch(h)]
    if len(weeks) >= 2 and has_facts and not {"date", "value"} & set(layout.columns):
        failure.add(None, None, "period_week_number", headers=", ".join(weeks))
        layout.provided |= {"date", "value"}
    valued = set(layout.columns) | ({"value"} if placed.metrics else set())
    undated = ({"value", "current"} & valued and not {"date", "last_checkin"} & set(layout.columns)
               and "date" not in layout.answers)
    if undated and row.title_period and not layout.wide:
        layout.title_date = row.title_period
        layout.provided.add("date")
    if "team" not in layout.columns and "team" not in layout.provided and row.title_team:
        layout.title_team = row.title_team
        layout.provided.add("team")


def _answers(layout: Layout, placed: _Placed, mapping: Mapping, failure: _Failure) -> None:
    """The person's answers the kind can use: the columns that are one KPI each, and a value for
    the rows that have none (importing.shapes puts it in); an answer the kind has no column for is named."""
    kind = KINDS[layout.kind]
    if placed.metrics:
        layout.metrics = {f"_metric_{i}": header_text for i, header_text in placed.metrics.items()}
        texts = list(layout.metrics.values())
        for meaning in ("kpi", "value"):
            layout.headers.setdefault(meaning, f"{texts[0]} … {texts[-1]}" if len(texts) > 1 else texts[0])
        layout.provided |= {"kpi", "value"}
    for column, value in mapping.values:
        if column not in kind.names:
            failure.add(None, value, "mapping_value_not_in_kind", column=column,
                        kind=localised(f"upload.kind_{layout.kind.value}"), accepted=", ".join(kind.names))
            continue
        layout.answers[column] = value
        layout.provided.add(column)


def _wide(layout: Layout, placed: _Placed, periods: dict[int, PeriodHeader], row: HeaderRow,
          failure: _Failure) -> None:
    """The periods hold the values: each period's value (and target, achievement) columns."""
    for index, period in periods.items():
        key = f"_period_{index}"
        layout.periods[key], layout.period_columns[key] = period, {"value": key}
        layout.period_headers[key] = placed.texts[index]
    for index, (meaning, period) in sorted(placed.pairs.items()):
        key = next((k for k, p in layout.periods.items() if p == period and meaning not in layout.period_columns[k]),
                   None)
        if key is None:
            key = f"_period_of_{index}"
            layout.periods[key], layout.period_columns[key] = period, {}
            layout.period_headers[key] = placed.texts[index]
        layout.period_columns[key][meaning] = layout.columns[index]
    layout.periods = dict(zip(layout.periods, period_dates(list(layout.periods.values()))))
    meanings = {m for columns in layout.period_columns.values() for m in columns}
    if "value" not in meanings:
        failure.add(None, None, "period_without_value", headers=", ".join(layout.period_headers.values()))
    layout.provided |= {"date", "value"} | ({"target"} & meanings) | ({"achievement"} & meanings)
    without_year = [layout.period_headers[k] for k, p in layout.periods.items() if p.year is None and not p.written]
    if without_year and "year" not in layout.columns and row.title_year is None:
        failure.add(None, None, "period_needs_year", headers=", ".join(without_year))
    # Each meaning is named by its columns' headers, first to last ("Januari › Realisasi … Maret › Realisasi").
    for meaning, source in (("date", "value"), ("value", "value"), ("target", "target"), ("achievement", "achievement")):
        texts = [placed.texts[layout.columns.index(columns[source])] for columns in layout.period_columns.values()
                 if source in columns]
        if texts:
            layout.headers.setdefault(meaning, f"{texts[0]} … {texts[-1]}" if len(texts) > 1 else texts[0])
