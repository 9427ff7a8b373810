"""The shapes people keep their sheets in, turned into one row per record.

- a comma file that Excel reopened into one column and saved back (every line one quoted cell);
- a title block or ``#`` comment lines above the header: the header row is found;
- TOTAL / Jumlah / Total rows: skipped;
- merged cells (cycle, team, objective written once, blank below): filled down;
- one column per month or date (``Jan``..``Des``, ``Jul-26``, ``Agu 2026``, ``2026-07``,
  ``2026-10-05``): one measurement or check-in per cell (see :func:`period_header` for the dates).

Only the first lines are looked at in Python (:data:`HEADER_SEARCH_LINES`); every change to the
rows is one SQL statement over the scratch table.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass

import duckdb

from okrdash.importing.decoding import DELIMITERS, sniff_delimiter
from okrdash.importing.headers import header_meanings
from okrdash.models import FileKind
from okrdash.vocabulary import month_number

HEADER_SEARCH_LINES = 50
# The longest line DuckDB's reader takes (table.read_csv): a longer row is DuckDB's to report.
MAX_LINE_BYTES = 1_048_576


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

_NAMED_MONTH = re.compile(r"(?P<month>[a-z]+)\.?(?:[\s\-/']+(?P<year>[0-9]{4}|[0-9]{2}))?")
_DAY_NAMED_MONTH = re.compile(r"(?P<day>[0-9]{1,2})[\s\-]+(?P<month>[a-z]+)\.?[\s\-]+(?P<year>[0-9]{4})")
_YEAR_MONTH = re.compile(r"(?P<year>[0-9]{4})[-/.](?P<month>[0-9]{1,2})")
_MONTH_YEAR = re.compile(r"(?P<month>[0-9]{1,2})[-/.](?P<year>[0-9]{4})")
_ISO_DAY = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")
# "Minggu 1", "Week 12", "W3", "Pekan 2": a week of some cycle, which the header alone cannot date.
WEEK_NUMBER_HEADER = re.compile(r"(?i)\s*(minggu|pekan|week|wk|mg|w)\s*-?\s*[0-9]{1,2}\s*")
_TITLE_YEAR = re.compile(r"\b(20[0-9]{2})\b")
_WRAPPED_LINE = re.compile(r'^"(?:[^"\n]|"")*"[ \t]*$', re.M)
_LEADING_LINE_BREAKS = re.compile(rb"\n*")
# A row that sums the rows above it: its label cell holds one of these words and nothing else.
TOTAL_WORDS = ("total", "jumlah", "grand total", "subtotal", "sub total", "total keseluruhan", "jumlah total",
               "total:", "jumlah:", "grand total:", "subtotal:")


@dataclass(frozen=True)
class PeriodHeader:
    """A column header that names a month or a day; ``year`` None when the header has none."""

    year: int | None
    month: int
    day: int | None


def period_header(text: str) -> PeriodHeader | None:
    """``Jan``, ``Januari``, ``Jul-26``, ``Agu 2026``, ``2026-07``, ``07/2026``, ``2026-10-05``, ``5 Okt 2026``."""
    cell = text.strip().lower()
    for pattern in (_ISO_DAY, _DAY_NAMED_MONTH, _YEAR_MONTH, _MONTH_YEAR, _NAMED_MONTH):
        found = pattern.fullmatch(cell)
        if not found:
            continue
        parts = found.groupdict()
        month_text = parts["month"]
        month = int(month_text) if month_text.isdigit() else month_number(month_text)
        year = int(parts["year"]) if parts.get("year") else None
        if year is not None and year < 100:
            year += 2000
        day = int(parts["day"]) if parts.get("day") else None
        if month is None or not 1 <= month <= 12:
            return None
        if day is not None:
            try:
                dt.date(year or 2000, month, day)
            except ValueError:
                return None
        return PeriodHeader(year, month, day)
    return None


def period_dates(periods: list[PeriodHeader]) -> list[PeriodHeader]:
    """The documented dating rule: a month column is dated on the month's last day.

    A header that names a day dates its column on that day, except when every such header is the
    first of a month (a workbook's "Jul-26" is a date cell of 1 July): those are months too.
    """
    days = [p for p in periods if p.day is not None]
    if len(days) >= 2 and all(p.day == 1 for p in days):
        return [PeriodHeader(p.year, p.month, None) for p in periods]
    return periods


@dataclass(frozen=True)
class HeaderRow:
    index: int  # 0-based line of the header in the text
    delimiter: str
    cells: list[str]
    comment_lines: int  # lines above the header that start with "#"
    title_year: int | None  # the one year written above the header, if any


def unwrap_quoted_lines(data: bytes, start: int = 0) -> bytes | None:
    """The UTF-8 file ``data[start:]`` as it was before Excel wrapped each line into one quoted
    cell, or None if it was not. Only the first line is looked at (and decoded) unless it is wrapped."""
    at = _LEADING_LINE_BREAKS.match(data, start).end()
    end = data.find(b"\n", at)
    first = data[at:end if end >= 0 else len(data)].decode("utf-8")
    if not _WRAPPED_LINE.fullmatch(first) or not any(d in first for d in DELIMITERS):
        return None
    text = str(memoryview(data)[start:], "utf-8")
    non_blank = sum(1 for _ in re.finditer(r"^.*\S.*$", text, re.M))
    if sum(1 for _ in _WRAPPED_LINE.finditer(text)) != non_blank:
        return None
    return re.sub(r'^"(.*)"[ \t]*$', r"\1", text, flags=re.M).replace('""', '"').encode("utf-8")


def find_header_row(lines: list[str]) -> HeaderRow:
    """The line among the first ones whose cells name the most known columns, and its delimiter."""
    best: tuple[int, int, str, list[str]] | None = None  # (score, index, delimiter, cells)
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        for delimiter in (sniff_delimiter(line), *DELIMITERS):
            [cells] = line_cells([line], delimiter)
            score = _header_score(cells)
            if best is None or score > best[0]:
                best = (score, index, delimiter, cells)
    if best is None or best[0] == 0:  # nothing looks like a header: the first line is, as before
        index = next((i for i, line in enumerate(lines) if line.strip()), 0)
        delimiter = sniff_delimiter(lines[index]) if lines else ","
        best = (0, index, delimiter, line_cells([lines[index]], delimiter)[0] if lines else [])
    _, index, delimiter, cells = best
    above = lines[:index]
    years = {int(y) for line in above for y in _TITLE_YEAR.findall(line)}
    return HeaderRow(index, delimiter, cells, sum(1 for line in above if line.lstrip().startswith("#")),
                     years.pop() if len(years) == 1 else None)


def _header_score(cells: list[str]) -> int:
    meanings = {m for cell in cells for m in header_meanings(cell)[:1]}
    periods = sum(1 for cell in cells if period_header(cell))
    return len(meanings) + (1 if periods >= 2 else 0)


def drop_rows(con: duckdb.DuckDBPyConnection, table: str, condition: str) -> list[int]:
    """Delete the rows matching ``condition`` (SQL over the table's columns); their lines, in order."""
    lines = [line for (line,) in con.execute(
        f'DELETE FROM "{table}" WHERE {condition} RETURNING line').fetchall()]
    return sorted(lines)


def total_condition(label_columns: list[str]) -> str:
    """SQL true on a total row. Cells are trimmed when read; the length test spares lower() on most cells."""
    words = ", ".join(f"'{w}'" for w in TOTAL_WORDS)
    shortest, longest = min(map(len, TOTAL_WORDS)), max(map(len, TOTAL_WORDS))
    return " OR ".join(f'(length("{c}") BETWEEN {shortest} AND {longest} AND lower("{c}") IN ({words}))'
                       for c in label_columns) or "false"


def _blank(column: str) -> str:
    return f'("{column}" IS NULL OR "{column}" = \'\')'  # cells are trimmed when read


@dataclass(frozen=True)
class FillDown:
    """A column written once on the first row of a block and left blank (merged) below.

    It is filled on a row that is a record (one of ``anchors`` holds a value) when every column
    above it in the hierarchy (``within``) is blank there or repeats the row above: a new team
    starts a new block, so its blank objective is not taken from the previous team. ``with_blank``
    columns must be blank too (a cycle's dates follow a cycle that is itself filled down).
    """

    column: str
    anchors: tuple[str, ...]
    within: tuple[str, ...] = ()
    with_blank: tuple[str, ...] = ()


FILL_DOWN: dict[FileKind, tuple[FillDown, ...]] = {
    FileKind.OKRS: (
        FillDown("cycle", ("key_result",)),
        FillDown("start_date", ("key_result",), with_blank=("cycle",)),
        FillDown("end_date", ("key_result",), with_blank=("cycle",)),
        FillDown("team", ("key_result",), ("cycle",)),
        FillDown("objective", ("key_result",), ("cycle", "team")),
    ),
    FileKind.CHECKINS: (
        FillDown("cycle", ("date",)),
        FillDown("team", ("date",), ("cycle",)),
        FillDown("objective", ("date",), ("cycle", "team")),
        FillDown("key_result", ("date",), ("cycle", "team", "objective")),
    ),
    FileKind.KPIS: (
        FillDown("team", ("kpi", "date")),
        FillDown("kpi", ("date",), ("team",)),
    ),
}


def fill_down_checks(kind: FileKind, columns: list[str]) -> dict[FillDown, str]:
    """Each fill-down rule that applies to these columns, with the SQL true on a row it would fill.

    The caller counts them in one scan with its other checks; only rules that find a row run.
    """
    rules = [r for r in FILL_DOWN[kind] if r.column in columns and any(a in columns for a in r.anchors)]
    return {r: f'{_blank(r.column)} AND NOT ({" AND ".join(_blank(a) for a in r.anchors if a in columns)})'
            for r in rules}


def fill_down(con: duckdb.DuckDBPyConnection, table: str, checks: dict[FillDown, str],
              columns: list[str]) -> dict[str, list[int]]:
    """Fill blank block cells from the rows above (rules of ``checks`` found blank); the lines filled, per column."""
    if not checks:
        return {}
    needed = list(dict.fromkeys(c for r in checks for c in (r.column, *r.within) if c in columns))
    above = ", ".join(
        f"""last_value(nullif("{c}", '') IGNORE NULLS)
                OVER (ORDER BY line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS "_above_{c}" """
        for c in needed)

    def condition(rule: FillDown) -> str:
        parts = [checks[rule], f'"_above_{rule.column}" IS NOT NULL']
        parts += [f'({_blank(h)} OR "{h}" = "_above_{h}")' for h in rule.within if h in columns]
        parts += [_blank(b) for b in rule.with_blank if b in columns]
        return " AND ".join(parts)

    con.execute(f'CREATE OR REPLACE TEMP TABLE "{table}_above" AS SELECT *, {above} FROM "{table}"')
    filled = {r.column: [line for (line,) in con.execute(
        f'SELECT line FROM "{table}_above" WHERE {condition(r)} ORDER BY line').fetchall()] for r in checks}
    replaced = ", ".join(f'CASE WHEN {condition(r)} THEN "_above_{r.column}" ELSE "{r.column}" END AS "{r.column}"'
                         for r in checks)
    con.execute(f"""CREATE OR REPLACE TABLE "{table}" AS
        SELECT * EXCLUDE ({", ".join(f'"_above_{c}"' for c in needed)}) REPLACE ({replaced})
        FROM "{table}_above" ORDER BY line;
        DROP TABLE "{table}_above" """)
    return {c: lines for c, lines in filled.items() if lines}


def unpivot_periods(
    con: duckdb.DuckDBPyConnection, table: str, periods: dict[str, PeriodHeader], year_column: str | None,
    title_year: int | None,
) -> list[tuple[int, str]]:
    """One row per non-blank period cell, with ``date`` (ISO text) and ``value``.

    The year of a header without one comes from the row's ``year`` column, else from the title
    above the header. Returns the (line, period column) of cells whose year is unknown (then the
    table is left as it was).
    """
    rows = [(column, p.year, p.month, p.day) for column, p in periods.items()]
    con.execute("CREATE OR REPLACE TEMP TABLE _periods (col VARCHAR, year INTEGER, month INTEGER, day INTEGER)")
    con.executemany("INSERT INTO _periods VALUES (?, ?, ?, ?)", rows)
    row_year = f'TRY_CAST(trim(u."{year_column}") AS INTEGER)' if year_column else "NULL::INTEGER"
    year = f"coalesce(p.year, {row_year}, ?::INTEGER)"
    on = ", ".join(f'"{c}"' for c in periods)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE "{table}_long" AS
        SELECT u.* EXCLUDE (_period, value), p.col AS _period_column, {year} AS _year, p.month AS _month,
               p.day AS _day, u.value AS value
        FROM (UNPIVOT "{table}" ON {on} INTO NAME _period VALUE value) u JOIN _periods p ON p.col = u._period
        WHERE NOT okr_blank(u.value)""", [title_year])
    unknown = con.execute(f'SELECT line, _period_column FROM "{table}_long" WHERE _year IS NULL '
                          "OR _year NOT BETWEEN 1900 AND 2999 ORDER BY line LIMIT 50").fetchall()
    if not unknown:
        con.execute(f"""CREATE OR REPLACE TABLE "{table}" AS
            SELECT * EXCLUDE (_period_column, _year, _month, _day, value),
                   strftime(CASE WHEN _day IS NULL THEN last_day(make_date(_year, _month, 1))
                                 ELSE make_date(_year, _month, _day) END, '%Y-%m-%d') AS date,
                   value
            FROM "{table}_long" ORDER BY line, date""")
    con.execute(f'DROP TABLE "{table}_long"; DROP TABLE _periods')
    return unknown


def year_into_cycle(con: duckdb.DuckDBPyConnection, table: str) -> list[int]:
    """Year and quarter in two columns (``Tahun`` 2026, ``Kuartal`` 4, Q4 or IV): the cycle becomes ``Q4 2026``.

    A cycle cell that already names a year is left as it is. Returns the lines changed.
    """
    return sorted(line for (line,) in con.execute(f"""
        UPDATE "{table}" SET cycle = CASE WHEN regexp_full_match(cycle, '[1-4]') THEN 'Q' || cycle
                                          -- "IV" alone is a quarter only beside its year: "Kuartal IV 2026"
                                          WHEN regexp_full_match(upper(cycle), 'I{{1,3}}|IV') THEN 'Kuartal ' || cycle
                                          ELSE cycle END
                                     || ' ' || trim("year")
        WHERE NOT okr_blank(cycle) AND regexp_full_match(trim("year"), '[0-9]{{4}}')
          AND NOT regexp_matches(cycle, '[0-9]{{4}}')
        RETURNING line""").fetchall())
