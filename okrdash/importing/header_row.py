"""Step 3 of reading a file, lines -> header: which of the first lines holds the column names, split
with which delimiter, and what the lines above it say (a title's year or period, comment lines).

A header cell may hold a line break (``"Nilai⏎Awal"``, a wrapped header in Excel): such a header
spans lines, and the data starts after its last line. A header may also be written on two lines
(``No.``, ``Program`` merged down over both, ``Anggaran`` merged across ``Pagu (Rp)`` and
``Realisasi (Rp)`` below it): the lower line's blanks take the names written once above them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from okrdash.importing.decoding import DELIMITERS, sniff_delimiter
from okrdash.importing.headers import header_meanings, normalise_header
from okrdash.importing.periods import PeriodHeader, period_header, title_period, title_team

HEADER_SEARCH_LINES = 50
# The longest line DuckDB's reader takes (importing.load): a longer row is DuckDB's to report.
MAX_LINE_BYTES = 1_048_576
# A header cell spans at most this many lines (a line break typed in a header cell).
_MAX_HEADER_LINES = 4
_TITLE_YEAR = re.compile(r"\b(20[0-9]{2})\b")
_NUMBER = re.compile(r"[-+]?[0-9][0-9.,\s]*%?")


@dataclass(frozen=True)
class HeaderRow:
    index: int  # 0-based first line of the header in the text
    last: int  # 0-based last line of the header (a cell with a line break spans lines)
    delimiter: str
    cells: list[str]
    comment_lines: int  # lines above the header that start with "#"
    title_year: int | None  # the one year written above the header, if any
    title_period: PeriodHeader | None  # the one month or quarter written above the header ("Juni 2026")
    title_team: str | None  # the one team a title above the header names ("Laporan KPI Divisi Penjualan")
    # The record after the header (sub-headers under merged period headers), and its last line.
    next_cells: list[str]
    next_last: int
    # The 0-based line of a group header line above whose names fill this line's blanks, and those names.
    upper: int | None = None
    from_upper: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # each group name of the upper line with the names under it: "Anggaran: Pagu, Realisasi"


def line_cells(lines: list[str], delimiter: str) -> list[list[str]]:
    """The cells of each of the first lines, as the shape checks look at them; a line too long for
    Python's csv module has none here (DuckDB's reader reports it with its line number)."""
    try:
        return list(csv.reader(lines, delimiter=delimiter))  # (a quoted cell may span lines)
    except csv.Error:
        pass
    rows = []
    for line in lines:
        try:
            rows.append(next(csv.reader([line], delimiter=delimiter), []))
        except csv.Error:
            rows.append([])
    return rows


def _records(lines: list[str]) -> list[tuple[int, int, str]]:
    """(first, last, text) of each record: a line, joined with the next ones while a quote is open."""
    records, index = [], 0
    while index < len(lines):
        last, text = index, lines[index]
        while text.count('"') % 2 and last + 1 < min(len(lines), index + _MAX_HEADER_LINES):
            last += 1
            text += "\n" + lines[last]
        if text.count('"') % 2:  # never closed: the line alone, as it is
            last, text = index, lines[index]
        records.append((index, last, text))
        index = last + 1
    return records


def find_header_row(lines: list[str], mapped: set[str] | frozenset[str] = frozenset()) -> HeaderRow:
    """The record among the first lines whose cells name the most known columns (``mapped``: the
    normalised headers a person's answers name count as known), and its delimiter."""
    records = _records(lines[:HEADER_SEARCH_LINES])
    best: tuple[int, int, str, list[str]] | None = None  # (score, record number, delimiter, cells)
    for number, (_, _, text) in enumerate(records):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        for delimiter in dict.fromkeys((sniff_delimiter(text), *DELIMITERS)):
            [cells] = line_cells([text], delimiter)[:1] or [[]]
            score = _header_score(_two_lines(records, number, delimiter, cells) or cells, mapped)
            if best is None or score > best[0]:
                best = (score, number, delimiter, cells)
    if best is None or best[0] == 0:  # nothing looks like a header: the first line is, as before
        number = next((n for n, (_, _, text) in enumerate(records) if text.strip()), 0)
        text = records[number][2] if records else ""
        delimiter = sniff_delimiter(text) if records else ","
        best = (0, number, delimiter, line_cells([text], delimiter)[0] if text else [])
    _, number, delimiter, cells = best
    return _header_row(lines, records, number, delimiter, cells)


def header_row_at(lines: list[str], index: int) -> HeaderRow:
    """The record starting on (or spanning) the 0-based line ``index``, as the header a person named;
    its delimiter is the one that splits it into the most cells."""
    records = _records(lines[:HEADER_SEARCH_LINES])
    number = next(n for n, (first, last, _) in enumerate(records) if first <= index <= last)
    text = records[number][2]
    splits = [(line_cells([text], d)[0] if text else [], d) for d in dict.fromkeys((sniff_delimiter(text), *DELIMITERS))]
    cells, delimiter = max(splits, key=lambda split: len(split[0]))
    return _header_row(lines, records, number, delimiter, cells)


def _header_row(lines: list[str], records: list[tuple[int, int, str]], number: int, delimiter: str,
                cells: list[str]) -> HeaderRow:
    first, last = (records[number][0], records[number][1]) if records else (0, 0)
    joined = _two_lines(records, number, delimiter, cells)
    upper, filled = (records[number - 1][0], joined) if joined is not None else (None, cells)
    groups: tuple[str, ...] = ()
    if upper is not None:
        upper_cells = line_cells([records[number - 1][2]], delimiter)[0]
        groups = tuple(f"{upper_cells[i].strip()}: {', '.join(cells[j].strip() for j in group)}"
                       for i, group in _groups(upper_cells, cells))
    above = lines[:first if upper is None else upper]
    years = {int(y) for line in above for y in _TITLE_YEAR.findall(line)}
    next_first, next_last, next_text = records[number + 1] if number + 1 < len(records) else (last + 1, last, "")
    return HeaderRow(first, last, delimiter, filled, sum(1 for line in above if line.lstrip().startswith("#")),
                     years.pop() if len(years) == 1 else None, title_period(above, delimiter), title_team(above, delimiter),
                     line_cells([next_text], delimiter)[0] if next_text.strip() else [], next_last, upper,
                     tuple(f.strip() for f, c in zip(filled, cells, strict=False) if f != c), groups)


def _two_lines(records: list[tuple[int, int, str]], number: int, delimiter: str, cells: list[str]) -> list[str] | None:
    """Record ``number``'s cells with the names of the record above filled in, when the two are one header."""
    if not number or not records[number - 1][2].strip():
        return None
    return _names_from_upper(line_cells([records[number - 1][2]], delimiter)[0], cells)


def _names_from_upper(upper: list[str], lower: list[str]) -> list[str] | None:
    """The header line ``lower`` with its blank cells named from the line above, where that line is
    the upper half of a two-line header; otherwise None. Each name of the upper line stands over a
    blank (a name merged down over both lines: ``No.``) or heads a group of at least two named cells
    below it, blank beside it (``Anggaran`` over ``Pagu (Rp)`` and ``Realisasi (Rp)``), named cells
    that keep their own meaning under it. A title line (one cell), a label and its value, or a group
    name that gives its cells their meaning (``Target`` over ``Q1``, ``Q2`` or over ``Nilai``, ``Satuan``;
    a month over ``Target`` and ``Realisasi``, read as merged period headers by ``layout``) is no such line."""
    named = [i for i, cell in enumerate(upper) if cell.strip()]
    if len(named) < 2 or named[-1] >= len(lower):
        return None

    fills = [i for i in named if _blank(lower, i)]
    if not fills or any(_NUMBER.fullmatch(upper[i].strip()) for i in fills) or any(":" in upper[i] for i in named):
        return None  # numbers, or labels with their values ("Dibuat oleh:", "Periode: Juni 2026"): not column names
    for i, group in _groups(upper, lower):
        if len(group) < 2 or any(_blank(lower, j) for j in group):
            return None  # a name over a named cell that heads no group
        says = _group_meanings(upper[i])
        under = [header_meanings(lower[j]) for j in group]
        if period_header(upper[i]) or (says and not (all(under) and says & {m for m in sum(under, ())})):
            # "Januari" over "Target", "Realisasi"; "Target" over "Q1", "Q2"; "Target" over "Nilai",
            # "Satuan" (the target's value, not a measured one): the group's name says what its cells are.
            # "Capaian" over "Target", "Realisasi" is only their heading: one of them is what it says.
            return None
    taken = {normalise_header(cell) for cell in lower if cell.strip()}
    if any(normalise_header(upper[i]) in taken for i in fills):
        return None
    return [upper[i] if i in fills else cell for i, cell in enumerate(lower)]


def _blank(cells: list[str], i: int) -> bool:
    return i >= len(cells) or not cells[i].strip()


def _groups(upper: list[str], lower: list[str]) -> list[tuple[int, range]]:
    """Each name of the upper line over a named cell of the lower one, with the positions it spans:
    up to the upper line's next name, or the lower line's end."""
    named = [i for i, cell in enumerate(upper) if cell.strip()]
    return [(i, range(i, named[n + 1] if n + 1 < len(named) else len(lower)))
            for n, i in enumerate(named) if not _blank(lower, i)]


def _group_meanings(name: str) -> set[str]:
    """What a group's name says its cells are: its own meaning, or a word's (``Target 2026``: target)."""
    return set(header_meanings(name)) or {m for word in re.findall(r"[^\W\d_]+", name) for m in header_meanings(word)}


def _header_score(cells: list[str], mapped: set[str] | frozenset[str] = frozenset()) -> int:
    meanings = {m for cell in cells for m in header_meanings(cell)[:1]}
    meanings |= {f"_mapped_{key}" for cell in cells for key in [normalise_header(cell)] if key in mapped}
    periods = sum(1 for cell in cells if period_header(cell))
    return len(meanings) + (1 if periods >= 2 else 0)
