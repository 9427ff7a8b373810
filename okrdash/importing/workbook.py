"""Workbooks (.xlsx, .xlsm, .xls, .ods) -> one CSV text per sheet, with real cell types kept as canonical text.

python-calamine reads the cells with their types (a date cell is a date, a number a number, not its
display text). Each cell is written the way okrdash's own files are: numbers plain with "." decimals
and no thousands separators ("1500", "0.65"), dates ISO ("2026-10-31"). ``typed_from`` records, per
column, the row below which every non-blank cell was such a typed cell, so the number-format and
date-order decisions can skip columns that carry no spelling to decide.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

# Zip (xlsx, xlsm, ods) and OLE2 (xls) containers.
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


class UnreadableWorkbook(ValueError):
    """A zip or OLE file that is not a workbook calamine can open (or a protected one)."""


@dataclass(frozen=True)
class Sheet:
    name: str
    text: str  # comma-separated, one line per sheet row
    typed_from: dict[int, int]  # column index -> 1-based row after which every non-blank cell is typed


def is_workbook(data: bytes) -> bool:
    return data.startswith(_MAGIC)


def read_sheets(data: bytes) -> list[Sheet]:
    """Every worksheet, in the workbook's order (hidden sheets and chart sheets are left out)."""
    from python_calamine import CalamineWorkbook  # imported on the first workbook only

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [m.name for m in book.sheets_metadata
                 if str(m.visible).endswith("Visible") and str(m.typ).endswith("WorkSheet")]
        sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in names}
    except Exception as error:  # calamine raises its own error types, and a zip error for a non-workbook
        raise UnreadableWorkbook(str(error)) from None
    for name, errors in formula_errors(data).items():
        for (row, column), text in errors.items():
            if name in sheets and row < len(sheets[name]) and column < len(sheets[name][row]):
                sheets[name][row][column] = text
    return [_sheet(name, rows) for name, rows in sheets.items()]


_SHEET_ENTRY = re.compile(r'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_RELATIONSHIP = re.compile(r'<Relationship\b(?=[^>]*\bId="([^"]*)")(?=[^>]*\bTarget="([^"]*)")')
_ERROR_CELL = re.compile(r'<c\s(?=[^>]*\bt="e")[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*>.*?<v>([^<]*)</v>', re.S)


def formula_errors(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """The cells of an .xlsx that hold a formula error (``#DIV/0!``, ``#N/A``), per sheet: (row, column) -> text.

    calamine reads an error cell as empty, which would drop a value silently; okrdash reports the
    error on its line instead. Read from the sheets' XML, and only where an error cell exists.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                return {}
            book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            targets = dict(_RELATIONSHIP.findall(rels))
            found: dict[str, dict[tuple[int, int], str]] = {}
            for sheet_name, rel_id in _SHEET_ENTRY.findall(book):
                target = targets.get(rel_id, "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                if path not in names:
                    continue
                xml = archive.read(path).decode("utf-8", "replace")
                if 't="e"' not in xml:
                    continue
                found[_unescape(sheet_name)] = {
                    (int(row) - 1, _column_index(letters)): _unescape(text)
                    for letters, row, text in _ERROR_CELL.findall(xml)}
            return found
    except (zipfile.BadZipFile, KeyError, ValueError):
        return {}


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace(
        "&amp;", "&")


def _sheet(name: str, rows: list[list[object]]) -> Sheet:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    last_text_row: dict[int, int] = {}
    typed_seen: set[int] = set()
    for row_number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row):
            text, typed = cell_text(value)
            if text:
                if typed:
                    typed_seen.add(column)
                else:
                    last_text_row[column] = row_number
            cells.append(text)
        writer.writerow(cells)
    return Sheet(name, out.getvalue(), {c: last_text_row.get(c, 0) for c in typed_seen})


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
