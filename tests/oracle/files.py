"""Sheets of typed cells, written as the files people upload: CSV and text files in a writer's
convention, .xlsx workbooks with number formats and cached formulas, .ods spreadsheets.

A renderer builds :class:`Table` s of logical cells (a number with its decimals and unit, a day,
a text, a formula and its result); the writers decide how each cell is stored in the file: spelled
as text (``1.500.000``, ``65%``, ``31/10/2026``), or as a typed workbook cell with a display format
(``#,##0``, ``"Rp"#,##0``, ``0%`` holding 0.65, a date cell).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from tests.helpers.workbooks import Merge, XCell, ods_workbook, workbook
from tests.oracle.spelling import Convention, spell_date, spell_number


@dataclass(frozen=True)
class Num:
    """A number as its writer means it (65 for 65%, unit "%"), and how one cell deviates from the
    book's style: ``"share"`` a ``0%`` cell holding 0.65, ``"text"`` a text cell spelled by the writer."""

    value: float
    decimals: int = 0
    unit: str | None = None
    written: str | None = None


@dataclass(frozen=True)
class Day:
    value: dt.date
    written: str | None = None  # "text" or "cell": so in a workbook whatever its style


@dataclass(frozen=True)
class Formula:
    """A workbook cell computed by a formula; ``cached`` False: saved without its result (a script's file)."""

    result: Num
    cached: bool = True


Cell = str | Num | Day | Formula | None


@dataclass
class Table:
    """One sheet (or one text file): rows of cells, and its merged ranges."""

    name: str
    rows: list[list[Cell]]
    merges: list[Merge] = field(default_factory=list)


@dataclass(frozen=True)
class BookStyle:
    """How a workbook stores its cells: percents as ``65`` (a % unit beside) or as ``0%`` cells
    holding 0.65; dates as date cells or as text; amounts with a display format."""

    percents: str = "number"  # "number" | "share"
    dates: str = "cells"  # "cells" | "text"
    amount_format: str = "#,##0"  # "#,##0" | '"Rp"#,##0' | "General"


def cell_text(cell: Cell, conv: Convention) -> str:
    """The cell as the writer's spreadsheet shows it, which is what a CSV export holds."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Formula):
        return cell_text(cell.result, conv)
    if isinstance(cell, Day):
        return spell_date(cell.value, conv)
    return spell_number(cell.value, cell.decimals, cell.unit, conv)


def text_file(table: Table, conv: Convention, *, delimiter: str = ",", encoding: str = "utf-8",
              newline: str = "\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(
        [[cell_text(c, conv) for c in row] for row in table.rows])
    return out.getvalue().encode(encoding)


def _share(value: float, decimals: int) -> float:
    """65.5 (percent) -> 0.655, the number a ``0%`` cell holds, from its decimal spelling."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals)) / 100)


def _number_cell(cell: Num, conv: Convention, style: BookStyle) -> tuple[float | str, str | None]:
    """(stored value, display format) of a number in a workbook."""
    written = cell.written or ("share" if cell.unit == "%" and style.percents == "share" else "number")
    if written == "text":
        return spell_number(cell.value, cell.decimals, cell.unit, conv), None
    decimals = "." + "0" * cell.decimals if cell.decimals else ""
    if written == "share":
        return _share(cell.value, cell.decimals), f"0{decimals}%"
    if cell.unit == "Rp":
        return cell.value, style.amount_format
    return cell.value, f"#,##0{decimals}" if abs(cell.value) >= 1000 else f"0{decimals}"


def _workbook_cell(cell: Cell, conv: Convention, style: BookStyle, ods: bool) -> XCell | str | None:
    if cell is None or isinstance(cell, str):
        return cell
    if isinstance(cell, Day):
        if cell.written == "text" or style.dates == "text" and cell.written != "cell":
            return spell_date(cell.value, conv)
        return XCell(cell.value, "dd/mm/yyyy" if conv.lang == "id" else "mm/dd/yyyy")
    if isinstance(cell, Formula):
        value, number_format = _number_cell(cell.result, conv, style)
        if isinstance(value, str):  # a text result: the formula yields the text
            return XCell(value if cell.cached else None, None, f'TRIM("{value}")')
        separator = ";" if ods else ","
        formula = f"ROUND({value!r}{separator}{cell.result.decimals + 2})"
        return XCell(value if cell.cached else None, number_format, formula)
    value, number_format = _number_cell(cell, conv, style)
    return XCell(value, number_format) if number_format else value


def xlsx_file(tables: list[Table], conv: Convention, style: BookStyle) -> bytes:
    return workbook({t.name: [[_workbook_cell(c, conv, style, False) for c in row] for row in t.rows]
                     for t in tables}, {t.name: t.merges for t in tables})


def ods_file(tables: list[Table], conv: Convention, style: BookStyle) -> bytes:
    return ods_workbook({t.name: [[_workbook_cell(c, conv, style, True) for c in row] for row in t.rows]
                         for t in tables}, {t.name: t.merges for t in tables})
