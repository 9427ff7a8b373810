"""Workbooks (.xlsx, .xlsm, .xls, .ods) -> one CSV text per sheet, each cell as its writer saw it.

First the workbook is scanned without python-calamine (``workbook_zip``, ``workbook_xlsx``,
``workbook_ods``, ``workbook_xls``): what it unpacks to, the cells and the text calamine would
materialise, against the ``max_workbook_*`` settings, so a workbook bomb is refused before it costs
memory (issue 22). The same scans find what calamine's values do not say: the cells formatted as a
percentage, the formulas without a stored result, the formula errors.

Then python-calamine reads the cells with their types (a date cell is a date, a number a number, not
its display text), one sheet at a time. Each cell is written the way okrdash's own files are:
numbers plain with "." decimals and no thousands separators ("1500", "0.65"), dates ISO
("2026-10-31"), a number formatted as a percentage as the writer saw it ("65%", "120%"), a formula
error as its text ("#DIV/0!").
"""

from __future__ import annotations

import bisect
import collections.abc
import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import TextIO
from dataclasses import dataclass, field
from decimal import Decimal

from okrdash.importing.workbook_bounds import (
    Budget,
    SheetFacts,
    UnreadableWorkbook,
    WorkbookFacts,
    WorkbookLimits,
    WorkbookTooLarge,
    column_letters,
)
from okrdash.importing.workbook_ods import is_ods, scan_ods
from okrdash.importing.workbook_xls import is_ole, scan_xls
from okrdash.importing.workbook_xlsx import scan_xlsx
from okrdash.importing.workbook_zip import ZipParts, is_zip
from okrdash.settings import settings

__all__ = ["Rows", "Sheet", "UnreadableWorkbook", "WorkbookLimits", "WorkbookTooLarge", "cell_address",
           "cell_text", "is_workbook", "read_sheets"]


class Rows(collections.abc.Set):
    """An immutable set of 1-based sheet rows, kept as runs: a column of 500,000 text cells is one run."""

    def __init__(self, runs: Iterable[tuple[int, int]] = ()):
        self._runs = tuple(runs)  # (first, last) inclusive, ascending, apart
        self._firsts = [first for first, _ in self._runs]
        self._size = sum(last - first + 1 for first, last in self._runs)

    def __contains__(self, row: object) -> bool:
        if not isinstance(row, int):
            return False
        at = bisect.bisect_right(self._firsts, row) - 1
        return at >= 0 and row <= self._runs[at][1]

    def __iter__(self) -> Iterator[int]:
        for first, last in self._runs:
            yield from range(first, last + 1)

    def __len__(self) -> int:
        return self._size

    @property
    def runs(self) -> tuple[tuple[int, int], ...]:
        """The rows as (first, last) runs, inclusive and ascending."""
        return self._runs

    def __repr__(self) -> str:
        return f"Rows({list(self._runs)})"

    __hash__ = collections.abc.Set._hash


@dataclass(frozen=True)
class Sheet:
    """One worksheet as CSV text; line n of ``text`` is row n of the sheet.

    ``typed_from``: for each column (0-based) holding at least one typed cell (a number or a date),
    the 1-based row of its last text cell (0 when it has none): below it every non-blank cell of the
    column is typed.

    ``text_cells``: for each column (0-based) holding both typed cells and text cells, the 1-based
    rows whose non-blank cell is a text cell (a header, ``94%`` typed as text, ``7,5``,
    ``Rp1.500.000.000``, a formula error); every other non-blank cell of the column is typed, its
    text canonical ("1500", "0.65", "65%", "2026-10-31"). A column of only text cells or only typed
    cells is not listed. So a column mixing a ``0%`` cell holding 0.92 (written "92%", typed) and a
    text ``94%`` can be read cell by cell, each by its own spelling.

    ``uncached_formulas``: the cells (0-based row, column) holding a formula without a stored result
    (a workbook written by a script and never opened in a spreadsheet): calamine reads them as blank.
    """

    name: str
    text: str  # comma-separated, one line per sheet row
    typed_from: dict[int, int]
    text_cells: dict[int, Rows] = field(default_factory=dict)
    uncached_formulas: tuple[tuple[int, int], ...] = ()


def is_workbook(data: bytes) -> bool:
    return is_zip(data) or is_ole(data)


def cell_address(row: int, column: int) -> str:
    """(6, 1) -> ``B7``."""
    return f"{column_letters(column)}{row + 1}"


def read_sheets(data: bytes, limits: WorkbookLimits | None = None) -> list[Sheet]:
    """Every worksheet, in the workbook's order (hidden sheets and chart sheets are left out).

    Raises :class:`WorkbookTooLarge` past a limit (nothing read), :class:`UnreadableWorkbook` for a
    file calamine cannot open or okrdash will not let it open."""
    limits = limits or WorkbookLimits.of(settings())
    suffix, facts = inspect(data, limits)
    from python_calamine import CalamineWorkbook  # imported on the first workbook only

    path = _scratch_copy(data, suffix)
    try:
        with _calamine_errors():
            book = CalamineWorkbook.from_path(path)
            names = [m.name for m in book.sheets_metadata
                     if str(m.visible).endswith("Visible") and str(m.typ).endswith("WorkSheet")]
        read = Budget(limits)
        sheets = []
        for name in names:
            with _calamine_errors():
                sheet = book.get_sheet_by_name(name)
            # The rows go to a scratch file while calamine holds the sheet, and become one string
            # once it is let go: the sheet and its text are never in memory together.
            with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
                written = _write_sheet(sheet, facts.sheets.get(name) or SheetFacts(), out, read)
                del sheet
                out.seek(0)
                sheets.append(written.sheet(name, out.read(), read))
        book.close()
        return sheets
    finally:
        os.unlink(path)


def inspect(data: bytes, limits: WorkbookLimits) -> tuple[str, WorkbookFacts]:
    """The workbook's kind (as a file suffix) and what its scan found; raises past a limit."""
    budget = Budget(limits)
    if is_ole(data):
        return ".xls", _recognised(lambda: scan_xls(data, budget))
    parts = ZipParts(data, budget)
    if is_ods(parts):
        return ".ods", _recognised(lambda: scan_ods(parts, budget))
    if "[Content_Types].xml" not in parts.names() or not any(
            name.lower().endswith("workbook.xml") for name in parts.names()):
        raise UnreadableWorkbook("a zip that is no .xlsx or .ods workbook (an .xlsb? save it as .xlsx)",
                                 recognised=any(name.lower().endswith("workbook.bin") for name in parts.names()))
    return ".xlsx", _recognised(lambda: scan_xlsx(parts, budget))


def _recognised(scan):
    try:
        return scan()
    except UnreadableWorkbook as error:
        raise UnreadableWorkbook(error.reason, recognised=True) from None


class _calamine_errors:
    """calamine's errors, and the panics of its Rust code (BaseException, not Exception), as UnreadableWorkbook."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _traceback) -> bool:
        if error is None or isinstance(error, (WorkbookTooLarge, UnreadableWorkbook)):
            return False
        if isinstance(error, Exception) or type(error).__name__ == "PanicException":
            raise UnreadableWorkbook(f"{type(error).__name__}: {str(error)[:200]}", recognised=True) from None
        return False


def _scratch_copy(data: bytes, suffix: str) -> str:
    """The upload as a file for calamine: read from a path it holds one part at a time, where read from
    bytes it copies them (once per format it tries). The suffix fixes the format to the one scanned."""
    with tempfile.NamedTemporaryFile("wb", suffix=suffix, delete=False) as scratch:
        try:
            scratch.write(data)
        except OSError:
            scratch.close()
            os.unlink(scratch.name)
            raise
    return scratch.name


class _Written:
    """What writing a sheet's rows found, per column: whether it holds typed cells, and the runs of
    rows of its text cells (the run still open kept apart, so a row costs a comparison per cell)."""

    def __init__(self, width: int, uncached: tuple[tuple[int, int], ...]):
        self.typed = [False] * width
        self.first = [0] * width  # the open run of text rows: first and last row (0: none)
        self.last = [0] * width
        self.closed: dict[int, list[tuple[int, int]]] = {}
        self.uncached = uncached

    def text(self, column: int, row: int) -> None:
        if self.last[column] == row - 1 and self.last[column]:
            self.last[column] = row
            return
        if self.last[column]:
            self.closed.setdefault(column, []).append((self.first[column], self.last[column]))
        self.first[column] = self.last[column] = row

    def sheet(self, name: str, text: str, read: Budget) -> Sheet:
        read.add_sheet(0, len(text))
        runs = {c: [*self.closed.get(c, []), *([(self.first[c], self.last[c])] if self.last[c] else [])]
                for c in range(len(self.typed)) if self.typed[c]}
        typed_from = {c: column_runs[-1][1] if column_runs else 0 for c, column_runs in runs.items()}
        text_cells = {c: Rows(column_runs) for c, column_runs in runs.items() if column_runs}
        return Sheet(name, text, typed_from, text_cells, self.uncached)


def _write_sheet(sheet, facts: SheetFacts, out: TextIO, read: Budget) -> _Written:
    """One sheet's rows as CSV into ``out``, from row 1 and column A as in the workbook."""
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return _Written(0, tuple(sorted(facts.uncached)))
    first_row, first_column = start
    width = end[1] + 1
    read.add_sheet((end[0] + 1) * width, 0)
    written = _Written(width, tuple(sorted(facts.uncached)))
    writer = csv.writer(out, lineterminator="\n")
    blank = [""] * width
    for _ in range(first_row):
        writer.writerow(blank)
    typed, text_row = written.typed, written.text
    percent, errors = facts.percent, facts.errors
    percent_columns = percent.columns() if percent else set()
    lead = [""] * first_column
    for row_index, values in enumerate(sheet.iter_rows(), start=first_row):
        row_number = row_index + 1
        cells = lead.copy()
        append = cells.append
        column = first_column - 1
        for value in values:
            column += 1
            kind = type(value)
            if errors and (row_index, column) in errors:
                append(errors[(row_index, column)])
                text_row(column, row_number)
            elif kind is str:
                text = value.strip()
                append(text)
                if text:
                    text_row(column, row_number)
            elif kind is float and column not in percent_columns:
                append(str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(Decimal(repr(value)), "f"))
                typed[column] = True
            elif column in percent_columns and kind in (int, float) and (row_index, column) in percent:
                append(percent_text(value))
                typed[column] = True
            else:
                text, is_typed = cell_text(value)
                append(text)
                if is_typed:
                    typed[column] = True
                elif text:
                    text_row(column, row_number)
        writer.writerow(cells)
    return written


def percent_text(value: int | float) -> str:
    """A number formatted as a percentage, as its writer saw it: 0.65 -> ``65%``, 0.655 -> ``65.5%``,
    1.2 -> ``120%`` (its exact decimal x 100, "." decimals)."""
    hundredfold = Decimal(repr(value)) * 100
    text = format(hundredfold.normalize(), "f") if hundredfold else "0"
    return f"{text}%"


def cell_text(value: object) -> tuple[str, bool]:
    """A cell as canonical text, and whether it came from a typed (number or date) cell."""
    if value is None or value == "":
        return "", False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value)), True
        return format(Decimal(repr(value)), "f"), True
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat(), True
        return value.isoformat(timespec="seconds"), True
    if isinstance(value, dt.date):
        return value.isoformat(), True
    return str(value).strip(), False
