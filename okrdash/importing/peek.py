"""A file's columns as the reader finds them, with a few cells of each: what the Upload page's
mapping step shows beside the meaning it guesses. The same steps as importing.table (decoding or
the workbook's sheets, the text's lines, the header row, a person's answers), stopped before any
row is loaded; nothing is validated here."""

from __future__ import annotations

from dataclasses import dataclass

from okrdash.importing.decoding import UndecodableFile, decode
from okrdash.importing.header_row import HEADER_SEARCH_LINES, find_header_row, header_row_at, line_cells
from okrdash.importing.headers import canonical_header, normalise_header
from okrdash.importing.mapping import Mapping
from okrdash.importing.text import first_lines, plain_lines
from okrdash.importing.workbook import UnreadableWorkbook, WorkbookTooLarge, is_workbook, read_sheets
from okrdash.problems import ImportFailed

SAMPLES = 3


@dataclass(frozen=True)
class Column:
    header: str  # as written
    samples: tuple[str, ...]  # its first non-blank cells
    guess: str | None  # the column the header names, or None (okrdash does not know it)


@dataclass(frozen=True)
class FileColumns:
    label: str  # the file, or "file › sheet"
    header_line: int  # 1-based
    columns: tuple[Column, ...]
    sheet: str | None = None  # a workbook's sheet
    read: bool = True  # whether the answers let the sheet be read


def file_columns(file_name: str, data: bytes, mapping: Mapping) -> list[FileColumns]:
    """Each text of the upload (a CSV, or each sheet of a workbook, ``read`` when ``mapping`` lets it
    be read) with its columns; a file that cannot be read at all has none (its problems say why)."""
    chosen = {normalise_header(n) for n in mapping.sheets}
    try:
        if is_workbook(data):
            texts = [(f"{file_name} › {s.name}", s.text.encode("utf-8"), 0, s.name) for s in read_sheets(data)
                     if s.text.strip()]
        else:
            decoded = decode(data)
            texts = [(file_name, decoded.data, decoded.start, None)]
        found = []
        for label, text, start, sheet in texts:
            text, start = plain_lines(label, text, start, [])
            lines = [line.decode("utf-8") for line in first_lines(text, HEADER_SEARCH_LINES, start)]
            found.append(_columns(label, lines, mapping, sheet,
                                  sheet is None or not chosen or normalise_header(sheet) in chosen))
    except (UndecodableFile, UnreadableWorkbook, WorkbookTooLarge, ImportFailed):
        return []
    return [f for f in found if f.columns]


def _columns(label: str, lines: list[str], mapping: Mapping, sheet: str | None, read: bool) -> FileColumns:
    if mapping.header_row is not None and mapping.header_row <= len(lines):
        row = header_row_at(lines, mapping.header_row - 1)
    else:
        row = find_header_row(lines, {normalise_header(h) for h in mapping.named_headers()})
    body = line_cells(lines[row.last + 1:], row.delimiter)
    columns = []
    for index, header in enumerate(row.cells):
        if not header.strip():
            continue
        cells = [r[index].strip() for r in body if index < len(r) and r[index].strip()][:SAMPLES]
        columns.append(Column(header.strip(), tuple(cells), canonical_header(header)))
    return FileColumns(label, row.index + 1, tuple(columns), sheet, read)

