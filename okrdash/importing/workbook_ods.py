"""Scan an .ods before calamine reads it: every table's cells as calamine expands them.

calamine reads all tables of content.xml when the file is opened, each as a dense rectangle, and an
.ods compresses repetition into attributes: ``table:number-columns-repeated`` and
``table:number-rows-repeated`` copy a cell or a row (with its text) up to Excel's grid, and
``<text:s text:c="N"/>`` writes N spaces. This scan follows calamine's reading of content.xml token
by token (its caps included) and counts what those copies cost, before calamine allocates them. It
also finds the cells of value type ``percentage``, formulas without a stored result, and formula
errors (LibreOffice stores an error's cell as the number 0 with the error as its text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from okrdash.importing.workbook_bounds import (
    EXCEL_COLUMNS,
    STRING_OVERHEAD,
    EXCEL_ROWS,
    Budget,
    SheetFacts,
    UnreadableWorkbook,
    WorkbookFacts,
    check_cells,
    check_sheets,
    check_text,
)
from okrdash.importing.workbook_xml import attributes, checked, tokens, unescape
from okrdash.importing.workbook_zip import ZipParts

_CELLS = (b"table:table-cell", b"table:covered-table-cell")
_VALUES = (b"office:value", b"office:string-value", b"office:date-value", b"office:time-value",
           b"office:boolean-value")
_COUNT = re.compile(rb"[0-9]{1,18}")


def is_ods(parts: ZipParts) -> bool:
    return "mimetype" in parts.names() and "content.xml" in parts.names()


def scan_ods(parts: ZipParts, budget: Budget) -> WorkbookFacts:
    """The facts of every table by name; all tables count together (calamine holds them all)."""
    scan = _OdsScan()
    for token in tokens(checked(parts.chunks("content.xml"), "content.xml"), "content.xml"):
        scan.token(token)
    parts.check_rest()
    check_sheets(len(scan.tables), budget.limits)
    check_cells(sum(max(facts.area, facts.cells) for facts in scan.tables.values()), budget.limits)
    check_text(sum(facts.text_bytes for facts in scan.tables.values()), budget.limits)
    return WorkbookFacts(dict(scan.tables))


@dataclass
class _Table:
    name: str
    facts: SheetFacts = field(default_factory=SheetFacts)
    rows: int = 0  # sheet rows so far (row elements times their repeats, capped at Excel's)
    first_row: int | None = None  # the first sheet row holding a value
    first_column: int = EXCEL_COLUMNS


@dataclass
class _Row:
    start: int  # its first sheet row
    repeats: int
    pushed: int = 0  # cells calamine keeps for the row element (a gap before a value included)
    empty_run: int = 0  # empty cells waiting: kept only if a value follows
    last_value: int = -1  # the last column holding a value
    first_value: int = EXCEL_COLUMNS
    text_bytes: int = 0


@dataclass
class _Cell:
    column: int
    repeats: int
    found: dict[bytes, bytes]
    reads_text: bool  # a string cell without office:string-value: its text is its value
    text_bytes: int = 0
    text: bytes = b""
    annotation_depth: int = 0


class _OdsScan:
    """calamine's reading of content.xml (ods.rs: parse_content, read_table, read_row, get_datatype)."""

    def __init__(self) -> None:
        self.tables: dict[str, SheetFacts] = {}
        self.table: _Table | None = None
        self.row: _Row | None = None
        self.cell: _Cell | None = None
        self.skip: tuple[bytes, int] | None = None  # a non-string cell's content: (its name, depth)

    def token(self, token: re.Match[bytes]) -> None:
        name = token.group("name")
        if self.skip is not None:
            self._skipping(name, token)
        elif self.cell is not None:
            self._in_cell(name, token)
        elif self.row is not None:
            self._in_row(name, token)
        elif name is None or token.group("end"):
            if name == b"table:table" and self.table is not None:
                self._end_table()
        elif name == b"table:table" and self.table is None:
            table_name = attributes(token.group("attrs")).get(b"table:name")
            if table_name is not None:
                self.table = _Table(unescape(table_name.decode("utf-8", "replace")))
                if token.group("empty"):
                    self._end_table()
        elif name == b"table:table-row" and self.table is not None:
            found = attributes(token.group("attrs"))
            repeats = _number(found.get(b"table:number-rows-repeated", b"1"))
            repeats = min(repeats, EXCEL_ROWS - self.table.rows)
            self.row = _Row(self.table.rows, repeats)
            self.table.rows += repeats
            if token.group("empty"):
                self._end_row()

    def _in_row(self, name: bytes | None, token: re.Match[bytes]) -> None:
        if name in _CELLS and not token.group("end"):
            self._start_cell(token)
        elif name == b"table:table-row" and token.group("end"):
            self._end_row()
        else:  # calamine refuses anything else inside a row (text between cells included)
            raise UnreadableWorkbook("content.xml: a row holds something other than cells")

    def _start_cell(self, token: re.Match[bytes]) -> None:
        row = self.row
        assert row is not None
        found = attributes(token.group("attrs"))
        repeats = _number(found.get(b"table:number-columns-repeated", b"1"))
        reads_text = found.get(b"office:value-type") == b"string" and not any(key in found for key in _VALUES)
        cell = _Cell(row.pushed + row.empty_run, repeats, found, reads_text)
        if token.group("empty"):
            self._end_cell(cell)
        elif reads_text or found.get(b"calcext:value-type") == b"error":  # an error's text is its text
            self.cell = cell
        else:
            self._end_cell(cell)
            self.skip = (token.group("name"), 1)

    def _in_cell(self, name: bytes | None, token: re.Match[bytes]) -> None:
        cell = self.cell
        assert cell is not None
        if name is None:
            if not cell.annotation_depth:
                text = token.group("text") or token.group("cdata") or b""
                cell.text_bytes += len(text)
                if len(cell.text) < 256:
                    cell.text += text
            return
        if name == b"office:annotation":
            cell.annotation_depth += -1 if token.group("end") else (0 if token.group("empty") else 1)
        elif token.group("end"):
            if name in _CELLS and not cell.annotation_depth:
                self.cell = None
                self._end_cell(cell)
        elif not cell.annotation_depth:
            if name == b"text:p":
                cell.text_bytes += 1  # a line break between paragraphs
            elif name == b"text:s":
                cell.text_bytes += _number(attributes(token.group("attrs")).get(b"text:c", b"1"))

    def _skipping(self, name: bytes | None, token: re.Match[bytes]) -> None:
        skipped, depth = self.skip  # type: ignore[misc]
        if name == skipped and not token.group("empty"):
            depth += -1 if token.group("end") else 1
        self.skip = (skipped, depth) if depth else None

    def _end_cell(self, cell: _Cell) -> None:
        row, table = self.row, self.table
        assert row is not None and table is not None
        found = cell.found
        has_formula = b"table:formula" in found
        has_value = cell.reads_text or any(key in found for key in _VALUES)
        # calamine: the empty cells before this one are kept (up to Excel's width), then this one's copies.
        row.pushed += min(row.empty_run, EXCEL_COLUMNS - row.pushed)
        row.empty_run = 0
        column = row.pushed
        repeats = min(cell.repeats, EXCEL_COLUMNS - column)
        if not has_value and not has_formula:
            row.empty_run = repeats
            return
        row.pushed += repeats
        row.first_value = min(row.first_value, column)
        row.last_value = max(row.last_value, column + repeats - 1)
        value_bytes = cell.text_bytes if cell.reads_text else max(
            (len(value) for key, value in found.items() if key in _VALUES), default=0)
        # A string value and a formula (calamine keeps both per cell), each with its allocation.
        row.text_bytes += (value_bytes + len(found.get(b"table:formula", b"")) + 2 * STRING_OVERHEAD) * repeats
        facts = table.facts
        if found.get(b"office:value-type") == b"percentage":
            facts.percent.add(row.start, column, rows=max(row.repeats, 1), columns=repeats)
        if found.get(b"calcext:value-type") == b"error":
            facts.errors[(row.start, column)] = cell.text.decode("utf-8", "replace").strip() or "#ERROR"
        elif has_formula and not has_value:
            facts.uncached.append((row.start, column))

    def _end_row(self) -> None:
        row, table = self.row, self.table
        assert row is not None and table is not None
        self.row = None
        facts = table.facts
        facts.cells += row.pushed
        if row.last_value < 0 or not row.repeats:
            return
        if table.first_row is None:
            table.first_row = row.start
        table.first_column = min(table.first_column, row.first_value)
        facts.place(row.start + row.repeats - 1, row.last_value)
        # The row's strings are copied once per repeat into the range, and once for the row itself.
        facts.text_bytes += row.text_bytes * (1 + row.repeats)

    def _end_table(self) -> None:
        table = self.table
        assert table is not None
        self.table = None
        self.tables[table.name] = table.facts


def _number(text: bytes) -> int:
    if not _COUNT.fullmatch(text):
        raise UnreadableWorkbook(f"content.xml: {text[:20].decode('ascii', 'replace')} is not a count")
    return int(text)
