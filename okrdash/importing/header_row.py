"""Step 3 of reading a file, lines -> header: which of the first lines holds the column names, split
with which delimiter, and what the lines above it say (a title's year or period, comment lines).

A header cell may hold a line break (``"Nilai⏎Awal"``, a wrapped header in Excel): such a header
spans lines, and the data starts after its last line.
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
            score = _header_score(cells, mapped)
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
    above = lines[:first]
    years = {int(y) for line in above for y in _TITLE_YEAR.findall(line)}
    next_first, next_last, next_text = records[number + 1] if number + 1 < len(records) else (last + 1, last, "")
    return HeaderRow(first, last, delimiter, cells, sum(1 for line in above if line.lstrip().startswith("#")),
                     years.pop() if len(years) == 1 else None, title_period(above, delimiter), title_team(above, delimiter),
                     line_cells([next_text], delimiter)[0] if next_text.strip() else [], next_last)


def _header_score(cells: list[str], mapped: set[str] | frozenset[str] = frozenset()) -> int:
    meanings = {m for cell in cells for m in header_meanings(cell)[:1]}
    meanings |= {f"_mapped_{key}" for cell in cells for key in [normalise_header(cell)] if key in mapped}
    periods = sum(1 for cell in cells if period_header(cell))
    return len(meanings) + (1 if periods >= 2 else 0)
