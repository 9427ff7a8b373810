"""Uploaded bytes -> a scratch table of canonical text columns with the file's own line numbers.

The steps, in order, each in its own module:

1. bytes -> text: ``decoding`` (encoding), or a workbook's sheets (``workbook``);
2. text -> lines: ``text`` (line ends, Excel's one-column wrapping, the first lines);
3. lines -> header: ``header_row`` (which line holds the column names, the delimiter, the title);
4. header -> shape: ``layout`` (each header's meaning, the file's kind, periods, what is missing);
5. rows -> cells: ``load`` (DuckDB reads the rows into text columns, with line numbers);
6. cells -> rows: ``shapes`` (exports rebuilt, totals skipped, merged cells filled, periods unpivoted).

How each number and date column is read is decided next, for the whole upload (``decide``). All of
it works in a scratch in-memory DuckDB connection and never touches the store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import duckdb

from okrdash.importing.cells import make_room_for_columns
from okrdash.importing.decoding import UndecodableFile, decode
from okrdash.importing.headers import normalise_header
from okrdash.importing.header_row import HEADER_SEARCH_LINES, HeaderRow, find_header_row, header_row_at, line_cells
from okrdash.importing.layout import Layout, lay_out
from okrdash.importing.mapping import NO_MAPPING, Mapping
from okrdash.importing.load import load_rows
from okrdash.importing.notes import ReadingNote
from okrdash.importing.number_format import NUMBER_COLUMNS
from okrdash.importing.reading import Reading, text_cell_sql
from okrdash.importing.shapes import reshape
from okrdash.importing.text import blank_from, first_lines, plain_lines
from okrdash.importing.workbook import (
    Rows,
    Sheet,
    UnreadableWorkbook,
    WorkbookLimits,
    WorkbookTooLarge,
    cell_address,
    is_workbook,
    read_sheets,
)
from okrdash.models import FileKind
from okrdash.problems import ImportFailed, Problem


def _holds_a_bound(data: bytes, start: int) -> bool:
    """Whether the text holds a sign a bound is written with (<, >, ≤, ≥): single bytes are looked for
    first, and "≤" / "≥" only in a file with a letter of their block (a byte search of one byte is
    far faster than of three)."""
    return (data.find(b"<", start) >= 0 or data.find(b">", start) >= 0
            or (data.find(b"\xe2", start) >= 0 and (data.find("≤".encode(), start) >= 0
                                                     or data.find("≥".encode(), start) >= 0)))
# The date columns that date a value: a period in one is its last day (not so a cycle's start).
_VALUE_DATES = ("date", "last_checkin")


@dataclass
class CsvTable:
    """One uploaded file or workbook sheet, read into the scratch table ``table``.

    The table has the column ``line`` (the file's own line) and canonical text columns.
    """

    file_name: str
    sha256: str
    kind: FileKind
    table: str
    columns: list[str]
    row_count: int  # the file's data rows (a row of twelve month cells counts once)
    delimiter: str
    encoding: str
    ignored_headers: list[str] = field(default_factory=list)
    # How each number and date column is read (importing.decide, before validation).
    reading: Reading = field(default_factory=Reading)
    # Canonical column -> the column next to it holding its parsed value (see importer._parse_cells).
    parsed: dict[str, str] = field(default_factory=dict)
    # Canonical column -> the file's own header text, so every problem names the column as the user wrote it.
    headers: dict[str, str] = field(default_factory=dict)
    # Canonical columns whose every non-blank cell came from a typed workbook cell or was written by
    # the reader itself: numbers as plain text with "." decimals ("1500", "0.65"), dates ISO ("2026-10-31").
    typed_columns: frozenset[str] = frozenset()
    # What the reader decided (header row, sheet, skipped and filled rows, unpivoted columns).
    reading_notes: list[ReadingNote] = field(default_factory=list)
    # A workbook's number columns that mix typed cells with text cells ("94%", "7,5"): per cell, a
    # typed one is read as written ("0.92") and a text one in its column's decided format; the lines
    # of the text cells are in the scratch table ``<table>_text_cells`` (col, line, kpi).
    mixed_columns: frozenset[str] = frozenset()
    # Mixed columns whose text cells are keyed by line and KPI: the value of a sheet of one column
    # per metric, where one line holds several metrics' cells, some typed and some text.
    mixed_by_kpi: frozenset[str] = frozenset()
    # The headers of the columns a person named metrics (one KPI each): a problem in a value cell
    # names the cell's own column, not the span of them.
    metrics: tuple[str, ...] = ()
    # The scale of the confidence column's numbers: 10 (0-10, okrdash's own) or 5 (1-5, stored on 0-10;
    # importing.confidence decides it from the header or asks).
    confidence_scale: int = 10
    # Whether a target cell may hold a bound ("<= 24", "≥ 80%"): the file holds one of those signs.
    bounded: bool = False
    # The headers of ignored columns whose cells in the file's first rows are numbers (see
    # importing.ignored: a file whose only numbers sit there is refused).
    ignored_numbers: list[str] = field(default_factory=list)
    # The headers the person's answers name (importing.mapping) that this file or sheet holds.
    mapped_found: frozenset[str] = frozenset()

    def number_sql(self, column: str, cell: str, line: str = "line") -> str:
        """SQL reading ``cell`` (an expression over ``column`` of the row whose line is ``line``) in
        the number format decided for the column, or as written when it is a typed workbook cell."""
        if column == "target" and self.bounded:  # "<= 24" is the bound 24 (its kind: okr_bound)
            cell = f"okr_unbound({cell})"
        decided = f"okr_number({cell}, {'true' if self.reading.decimal_comma(column) else 'false'})"
        if column not in self.mixed_columns:
            return decided
        return (f"(CASE WHEN {text_cell_sql(self.table, column, line, column in self.mixed_by_kpi)} "
                f"THEN {decided} ELSE okr_number({cell}, false) END)")

    def date_sql(self, column: str, cell: str) -> str:
        """SQL reading ``cell`` in the day/month order decided for the column (typed cells are ISO); a
        column that dates values also reads a period ("Juli 2026", "Q3 2026") as its last day."""
        day = f"okr_date({cell}, '{self.reading.date_order(column).value}')"
        return f"coalesce({day}, okr_period_end({cell}))" if column in _VALUE_DATES else day


def read_upload(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, table: str,
                max_rows: int, workbook_limits: WorkbookLimits | None = None,
                mapping: Mapping = NO_MAPPING) -> list[CsvTable]:
    """Read one upload: a CSV / text file into one table, a workbook into one table per sheet that
    holds a kind (``mapping.sheets``: only those). ``mapping``: the person's answers about the file."""
    if not is_workbook(data):
        return [read_csv(con, file_name, data, table, max_rows, mapping)]
    fail = lambda code, **params: ImportFailed([Problem(file_name, None, None, None, code, params)])  # noqa: E731
    try:
        sheets = read_sheets(data, workbook_limits)
    except WorkbookTooLarge as large:
        raise fail(f"workbook_too_large_{large.what}", **_sizes(large)) from None
    except UnreadableWorkbook as unreadable:
        if unreadable.recognised:
            raise fail("workbook_unreadable", reason=unreadable.reason) from None
        raise fail("file_binary") from None
    digest = hashlib.sha256(data).hexdigest()
    tables, refused, skipped, uncached = [], [], [], []
    chosen = _chosen_sheets(file_name, sheets, mapping)
    for index, sheet in enumerate(sheets):
        label = f"{file_name} › {sheet.name}"
        if not sheet.text.strip() or sheet.name not in chosen:
            skipped.append(sheet.name)
            continue
        try:
            tables.append(_read_text(con, label, sheet.text.encode("utf-8"), "xlsx", digest, f"{table}_{index}",
                                     max_rows, sheet=sheet, mapping=mapping, lone=len(chosen) == 1))
        except ImportFailed as failed:
            codes = {p.code for p in failed.problems}
            if [p.code for p in failed.problems] in (["file_kind_unknown"], ["file_kind_none"]):
                refused += failed.problems
                skipped.append(sheet.name)
                continue
            if codes == {"formula_without_value"}:  # every sheet's are listed at once
                uncached += failed.problems
                continue
            raise
    if uncached:
        raise ImportFailed(uncached)
    if not tables:
        raise ImportFailed(refused or [Problem(file_name, None, None, None, "file_empty", {})])
    found = set().union(*(t.mapped_found for t in tables))
    unfound = [h for h in mapping.named_headers() if normalise_header(h) not in found]
    if unfound and len(chosen) > 1:  # (a lone sheet names its own, on its header line)
        raise ImportFailed([Problem(file_name, None, h, None, "mapping_header_not_found", {"headers": "–"})
                            for h in unfound])
    if skipped:
        tables[0].reading_notes.insert(0, ReadingNote("sheets_skipped", {"sheets": ", ".join(skipped)}))
    return tables


def _chosen_sheets(file_name: str, sheets: list[Sheet], mapping: Mapping) -> set[str]:
    """The names of the sheets to read: every one, or those the answers name (case and spacing free)."""
    if not mapping.sheets:
        return {s.name for s in sheets}
    by_key = {normalise_header(s.name): s.name for s in sheets}
    missing = [name for name in mapping.sheets if normalise_header(name) not in by_key]
    if missing:
        raise ImportFailed([Problem(file_name, None, None, name, "mapping_sheet_not_found", {
            "sheets": ", ".join(s.name for s in sheets)}) for name in missing])
    return {by_key[normalise_header(name)] for name in mapping.sheets}


def _sizes(large: WorkbookTooLarge) -> dict[str, float]:
    """A limit's figures (floats: the message writes them in the reader's convention), bytes in MB."""
    scale = 2**20 if large.what in ("unpacked", "text") else 1
    return {"found": float(round(large.found / scale)), "limit": float(round(large.limit / scale))}


def read_csv(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, table: str, max_rows: int,
             mapping: Mapping = NO_MAPPING) -> CsvTable:
    """Read one text upload into scratch table ``table``; raise ImportFailed with every structural problem."""
    if not data or data.isspace():  # (strip() would copy a large file)
        raise ImportFailed([Problem(file_name, None, None, None, "file_empty", {})])
    try:
        decoded = decode(data)
    except UndecodableFile as bad:
        raise ImportFailed([Problem(file_name, bad.line, None, bad.value, bad.code, {})]) from None
    notes = []
    if decoded.encoding != "utf-8":
        notes.append(ReadingNote(f"encoding_{decoded.encoding.replace('-', '_')}"))
    if decoded.extra_boms:
        notes.append(ReadingNote("extra_bom", {"count": decoded.extra_boms}))
    return _read_text(con, file_name, decoded.data, decoded.encoding, hashlib.sha256(data).hexdigest(), table,
                      max_rows, start=decoded.start, notes=notes, mapping=mapping)


def _read_text(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, encoding: str, sha256: str, table: str,
               max_rows: int, *, start: int = 0, sheet: Sheet | None = None,
               notes: list[ReadingNote] | None = None, mapping: Mapping = NO_MAPPING, lone: bool = True) -> CsvTable:
    """Read the UTF-8 text ``data[start:]`` (``start``: past byte order marks) into scratch table ``table``.

    ``sheet``: the workbook sheet the text was written from, which says which cells were typed and
    which formulas have no stored result. ``mapping``: the person's answers; ``lone``: the only
    text of its upload read, so a header the answers name and it lacks is a problem here."""
    notes = list(notes or [])
    data, start = plain_lines(file_name, data, start, notes)
    head_lines = first_lines(data, HEADER_SEARCH_LINES, start)
    row = _header_row(file_name, head_lines, notes, mapping)
    samples = line_cells([line.decode("utf-8") for line in head_lines[row.last + 1:]], row.delimiter)
    layout = lay_out(file_name, row, samples, notes, mapping, lone)
    make_room_for_columns(con, len(layout.columns))
    # The rows after the header are data[body_start:], never copied out: a 127 MB file's copy
    # would be held beside the file and DuckDB's table of it.
    body_start = min(start + sum(len(line) + 1 for line in head_lines[:layout.header_last + 1]), len(data))
    if blank_from(data, body_start):
        raise ImportFailed([Problem(file_name, None, None, None, "file_no_rows", {})])
    load_rows(con, file_name, data, body_start, row.delimiter, layout.columns, table, layout.header_last + 1)
    columns = reshape(con, file_name, table, layout, row, notes, links=data.find(b"http", body_start) >= 0)
    row_count = con.execute(
        f'SELECT {"count(DISTINCT line)" if layout.wide or layout.export or layout.metrics else "count(*)"} '
        f'FROM "{table}"').fetchall()[0][0]
    if row_count == 0:
        raise ImportFailed([Problem(file_name, None, None, None, "file_no_rows", {})])
    if row_count > max_rows:
        raise ImportFailed([Problem(file_name, None, None, None, "file_too_many_rows", {
            "rows": row_count, "limit": max_rows})])
    if sheet is not None and sheet.uncached_formulas:
        _refuse_uncached_formulas(con, file_name, table, layout, sheet.uncached_formulas)
    typed_from = sheet.typed_from if sheet is not None else {}
    mixed = _mixed_columns(con, table, layout, typed_from, sheet.text_cells if sheet is not None else {})
    return CsvTable(
        file_name=file_name,
        sha256=sha256,
        kind=layout.kind,
        table=table,
        columns=[c for c in columns if not c.startswith("_") and c != "year"],
        row_count=row_count,
        delimiter=row.delimiter,
        encoding=encoding,
        ignored_headers=layout.ignored,
        headers={c: h for c, h in layout.headers.items() if c in columns},
        # A column an answer filled holds a text cell: read by evidence, typed cells each as themselves.
        typed_columns=_typed_columns(layout, typed_from) - {c for c, lines in layout.answered_lines.items() if lines},
        reading_notes=notes,
        mixed_columns=mixed,
        mixed_by_kpi=frozenset({"value"} & mixed) if layout.metrics else frozenset(),
        metrics=tuple(layout.metrics.values()),
        bounded="target" in columns and _holds_a_bound(data, body_start),
        ignored_numbers=_ignored_numbers(con, layout, row, samples),
        mapped_found=frozenset(layout.mapped_found),
    )


def _refuse_uncached_formulas(con: duckdb.DuckDBPyConnection, file_name: str, table: str, layout: Layout,
                              cells: tuple[tuple[int, int], ...]) -> None:
    """Refuse each formula without a stored result (0-based row, column) on a line the sheet's data
    is read from, unless its column is one the import does not use: calamine reads it as blank."""
    lines = sorted({row + 1 for row, _ in cells})
    read = {line for (line,) in con.execute(
        f'SELECT DISTINCT line FROM "{table}" WHERE line IN (SELECT unnest(?))', [lines]).fetchall()}
    problems = [Problem(file_name, row + 1, None, None, "formula_without_value", {"cell": cell_address(row, column)})
                for row, column in cells
                if row + 1 in read and not (column < len(layout.columns)
                                            and layout.columns[column].startswith("_ignored_"))]
    if problems:
        raise ImportFailed(problems)


def _ignored_numbers(con: duckdb.DuckDBPyConnection, layout: Layout, row: HeaderRow,
                     samples: list[list[str]]) -> list[str]:
    """The ignored columns whose cells in the first rows read as numbers in either format (one query)."""
    cells = [(i, cell) for i, name in enumerate(layout.columns) if name.startswith("_ignored_")
             and i < len(row.cells) and row.cells[i].strip() for sample in samples if i < len(sample)
             for cell in [sample[i].strip()] if cell]
    if not cells:
        return []
    found = {i for (i,) in con.execute(
        """SELECT DISTINCT i FROM (SELECT unnest(?) AS i, unnest(?) AS cell)
           WHERE okr_number(cell, true) IS NOT NULL OR okr_number(cell, false) IS NOT NULL""",
        [[i for i, _ in cells], [c for _, c in cells]]).fetchall()}
    return [row.cells[i].strip() for i in sorted(found)]


def _header_row(file_name: str, head_lines: list[bytes], notes: list[ReadingNote], mapping: Mapping) -> HeaderRow:
    lines = [line.decode("utf-8") for line in head_lines]
    if mapping.header_row is not None:
        if mapping.header_row > len(lines):
            raise ImportFailed([Problem(file_name, None, None, str(mapping.header_row), "mapping_header_row_beyond", {
                "lines": min(len(lines), HEADER_SEARCH_LINES)})])
        row = header_row_at(lines, mapping.header_row - 1)
    else:
        row = find_header_row(lines, {normalise_header(h) for h in mapping.named_headers()})
    if not "".join(row.cells).strip():
        raise ImportFailed([Problem(file_name, None, None, None, "file_no_header", {})])
    if row.upper is not None:
        two_lines = {"upper": row.upper + 1, "line": row.index + 1, "names": ", ".join(row.from_upper)}
        if row.groups:
            notes.append(ReadingNote("header_two_lines_grouped", {**two_lines, "groups": "; ".join(row.groups)}))
        else:
            notes.append(ReadingNote("header_two_lines", two_lines))
    elif row.index:
        notes.append(ReadingNote("header_row", {"line": row.index + 1}))
    if row.comment_lines:
        notes.append(ReadingNote("comment_lines", {"count": row.comment_lines}))
    return row


def _mixed_columns(con: duckdb.DuckDBPyConnection, table: str, layout: Layout, typed_from: dict[int, int],
                   text_cells: dict[int, Rows]) -> frozenset[str]:
    """A workbook sheet's number columns holding typed cells and text cells below the header: their
    text cells' lines go into ``<table>_text_cells`` (col, line), so each cell is read as itself.
    The sheet's runs of text rows are expanded by DuckDB (a column may hold 500,000 text cells)."""
    first_data = layout.header_last + 2  # 1-based line of the first data row
    runs = [(layout.columns[i], max(first, first_data), last) for i, rows in text_cells.items()
            if i in typed_from and i < len(layout.columns) and layout.columns[i] in NUMBER_COLUMNS
            for first, last in rows.runs if last >= first_data]
    # A person's answer put into a typed number column is a text cell there, read as its own text.
    typed = {layout.columns[i] for i in typed_from if i < len(layout.columns)}
    runs += [(column, line, line) for column, lines in layout.answered_lines.items()
             if column in typed and column in NUMBER_COLUMNS for line in lines]
    kpis: list[str | None] = [None] * len(runs)
    # A sheet of one column per metric: its values are one column once unpivoted, each cell still
    # typed or text as its metric's column holds it (a column without typed cells is text throughout).
    positions = {key: int(key.removeprefix("_metric_")) for key in layout.metrics}
    if any(i in typed_from for i in positions.values()) and not all(
            i in typed_from and i not in text_cells for i in positions.values()):
        last_line = con.execute(f'SELECT max(line) FROM "{table}"').fetchall()[0][0] or first_data
        for key, i in positions.items():
            found = (text_cells[i].runs if i in text_cells else []) if i in typed_from else [(first_data, last_line)]
            for first, last in found:
                if last >= first_data:
                    runs.append(("value", max(first, first_data), last))
                    kpis.append(layout.metrics[key])
    if runs:
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{table}_text_cells" AS '
                    "SELECT col, unnest(range(first, last + 1)) AS line, kpi "
                    "FROM (SELECT unnest(?) AS col, unnest(?) AS first, unnest(?) AS last, unnest(?::VARCHAR[]) AS kpi)",
                    [[c for c, _, _ in runs], [f for _, f, _ in runs], [la for _, _, la in runs], kpis])
    return frozenset(column for column, _, _ in runs)


def _typed_columns(layout: Layout, typed_from: dict[int, int]) -> frozenset[str]:
    """The canonical columns whose every cell below the header is a typed workbook cell."""
    typed = {layout.columns[i] for i, row in typed_from.items()
             if i < len(layout.columns) and row <= layout.header_last + 1}
    if layout.metrics and all(column in typed for column in layout.metrics):
        typed.add("value")
    if layout.wide:
        if not any(p.written for p in layout.periods.values()):
            typed.add("date")
        for meaning in ("value", "target", "achievement"):
            columns = [c[meaning] for c in layout.period_columns.values() if meaning in c]
            if columns and all(c in typed or c.startswith("_none_") for c in columns):
                typed.add(meaning)
    if layout.title_date is not None:
        typed.add("date")
    return frozenset(c for c in typed if not c.startswith("_"))
