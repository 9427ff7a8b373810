"""How a file's cells are read: the choices a person may give, and what the importer decided per column.

A number like ``1.500`` or a date like ``10/1/2026`` means different things in different
spreadsheets. okrdash never picks silently: each number and date column is decided from all of its
cells, then from the rest of the file (``number_format``, ``date_order``); when nothing decides, the
import stops and asks. The answer comes back as :class:`ReadingChoices` (the Upload page's radio
buttons, the CLI's ``--numbers`` / ``--dates``), and the decision of every column is kept in the
file's :class:`Reading`, shown before anything is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

import duckdb



class NumberFormat(StrEnum):
    """How a number's separators are read."""

    ID = "id"  # 1.500 is one thousand five hundred, 4,5 is four and a half (Indonesian)
    EN = "en"  # 1,500 is one thousand five hundred, 4.5 is four and a half (English)

    @property
    def decimal_comma(self) -> bool:
        return self is NumberFormat.ID


class DateOrder(StrEnum):
    """The order of day, month and year in a numeric date."""

    DMY = "dmy"  # 10/1/2026 is 10 January
    MDY = "mdy"  # 10/1/2026 is 1 October
    YMD = "ymd"  # 26/10/01 is 1 October 2026


class Evidence(StrEnum):
    """What decided a column's reading."""

    CELLS = "cells"  # the column's own cells ("4,5", "1.234.567", a day above 12)
    FILE = "file"  # the rest of the file or upload (other columns, a ";" delimiter)
    CHOSEN = "chosen"  # the person's choice
    TYPED = "typed"  # typed workbook cells: already plain numbers and ISO dates
    ROUND = "round"  # "12,500" beside whole numbers: its separator groups thousands
    NOT_NEEDED = "not_needed"  # no cell reads differently either way


@dataclass(frozen=True)
class ReadingChoices:
    """Answers to what the evidence could not decide; None asks (the import stops with a question)."""

    numbers: NumberFormat | None = None
    dates: DateOrder | None = None


@dataclass(frozen=True)
class ColumnReading:
    """How one number or date column is read, why, and a cell that shows it (line, text)."""

    column: str
    format: NumberFormat | DateOrder
    evidence: Evidence
    example_line: int | None = None
    example: str | None = None


@dataclass
class Reading:
    """Every number and date column's reading for one file."""

    numbers: dict[str, ColumnReading] = field(default_factory=dict)
    dates: dict[str, ColumnReading] = field(default_factory=dict)

    def decimal_comma(self, column: str) -> bool:
        reading = self.numbers.get(column)
        return reading is not None and reading.format is NumberFormat.ID

    def date_order(self, column: str) -> DateOrder:
        reading = self.dates.get(column)
        return DateOrder(reading.format) if reading is not None else DateOrder.DMY

    @property
    def number_format(self) -> NumberFormat | None:
        """The file's number format when its columns that needed deciding agree; None when none needed it."""
        found = {r.format for r in self.numbers.values() if r.evidence is not Evidence.NOT_NEEDED}
        return found.pop() if len(found) == 1 else None

    @property
    def date_format(self) -> DateOrder | None:
        found = {r.format for r in self.dates.values() if r.evidence is not Evidence.NOT_NEEDED}
        return DateOrder(found.pop()) if len(found) == 1 else None


def cell_evidence(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], macro: str,
                  read_only_where: str, text_cells: frozenset[str] = frozenset(), by_kpi: frozenset[str] = frozenset()
                  ) -> dict[str, tuple[Counter[str], dict[str, tuple[int, str]]]]:
    """Per column, how many cells give each kind of evidence (``macro`` over the cell) and the first
    such cell (line, text), in one query over the cells ``read_only_where`` selects (``{c}``: the column).
    For a column of ``text_cells`` only its text cells count (a workbook's typed cells say nothing)."""
    # The macro runs once per distinct cell text, not per cell: a yearly KPI file repeats each of its
    # targets hundreds of times and its values five times, and grouping the text is cheaper than
    # the macro's regexes (0.64 -> 0.14 CPU s for the 1.8 M targets of bench's large company).
    parts = " UNION ALL ".join(
        f"""SELECT '{c}' AS col, ev, sum(n)::BIGINT AS n, min(line) AS line FROM (
                SELECT {macro}(cell) AS ev, n, line FROM (
                    SELECT "{c}" AS cell, count(*) AS n, min(line) AS line FROM "{table}"
                    WHERE {read_only_where.format(c=f'"{c}"')} {_text_lines(table, c, text_cells, by_kpi)} GROUP BY "{c}"))
            WHERE ev IS NOT NULL GROUP BY ev"""
        for c in columns)
    found: dict[str, tuple[Counter[str], dict[str, tuple[int, str]]]] = {c: (Counter(), {}) for c in columns}
    rows = con.execute(parts).fetchall()
    # The example cells are fetched by line afterwards: arg_min over a million cells costs more.
    cells = dict(con.execute(f'SELECT line, {{}} FROM "{table}" WHERE list_contains(?, line)'.format(
        "[" + ", ".join(f'"{c}"' for c in columns) + "]"), [[line for *_, line in rows]]).fetchall())
    for column, evidence, count, line in rows:
        found[column][0][evidence] = count
        found[column][1][evidence] = (line, cells[line][columns.index(column)])
    return found


def _text_lines(table: str, column: str, text_cells: frozenset[str], by_kpi: frozenset[str]) -> str:
    return f"AND {text_cell_sql(table, column, by_kpi=column in by_kpi)}" if column in text_cells else ""


def text_cell_sql(table: str, column: str, line: str = "line", by_kpi: bool = False) -> str:
    """SQL: whether the cell of ``column`` on the row whose line is ``line`` is a workbook's text cell
    (a mixed column's). ``by_kpi``: the column's cells are keyed by line and KPI (the row's ``kpi``
    beside ``line``: ``f.line`` -> ``f.kpi``)."""
    if by_kpi:
        kpi = line.removesuffix("line") + "kpi"
        return f"""({line}, {kpi}) IN (SELECT line, kpi FROM "{table}_text_cells" WHERE col = '{column}')"""
    return f"""{line} IN (SELECT line FROM "{table}_text_cells" WHERE col = '{column}')"""
