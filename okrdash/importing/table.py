"""Uploaded bytes -> a scratch table of canonical text columns with the file's own line numbers.

DuckDB's CSV reader does the tokenising (it is an order of magnitude faster than Python's csv
module on the large files companies export); this module picks the encoding and the delimiter,
maps the headers to canonical names, and reports structural problems (wrong
field counts, unknown headers) with the file's own line numbers. It works in a scratch in-memory
DuckDB connection and never touches the store.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from okrdash.importing import exports
from okrdash.importing.decoding import UndecodableFile, decode
from okrdash.importing.headers import (
    REQUIRED_COLUMNS,
    closest_kind,
    detect_kind,
    header_meanings,
    resolve_ambiguous,
)
from okrdash.importing.notes import ReadingNote, line_list
from okrdash.kinds import header, required_columns_text
from okrdash.importing.shapes import (
    HEADER_SEARCH_LINES,
    MAX_LINE_BYTES,
    WEEK_NUMBER_HEADER,
    HeaderRow,
    PeriodHeader,
    drop_rows,
    fill_down,
    fill_down_checks,
    line_cells,
    find_header_row,
    period_dates,
    period_header,
    total_condition,
    unpivot_periods,
    unwrap_quoted_lines,
    year_into_cycle,
)
from okrdash.importing.workbook import UnreadableWorkbook, is_workbook, read_sheets
from okrdash.importing.reading import Reading
from okrdash.models import FileKind
from okrdash.problems import ImportFailed, Localised, Problem

_BLANK_LINE = re.compile(rb"\n[ \t]*\n")
_BLANK_START = re.compile(rb"[ \t]*\n")
# A byte that is not ASCII white space: a letter, or the first byte of one beyond ASCII.
_NOT_ASCII_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c\x1c-\x1f]")


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


def read_upload(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, table: str,
                max_rows: int) -> list[CsvTable]:
    """Read one upload: a CSV / text file into one table, a workbook into one table per sheet that holds a kind."""
    if not is_workbook(data):
        return [read_csv(con, file_name, data, table, max_rows)]
    try:
        sheets = read_sheets(data)
    except UnreadableWorkbook:
        raise ImportFailed([Problem(file_name, None, None, None, "file_binary", {})]) from None
    digest = hashlib.sha256(data).hexdigest()
    tables, refused, skipped = [], [], []
    for index, sheet in enumerate(sheets):
        label = f"{file_name} › {sheet.name}"
        if not sheet.text.strip():
            skipped.append(sheet.name)
            continue
        try:
            tables.append(_read_text(con, label, sheet.text.encode("utf-8"), "xlsx", digest, f"{table}_{index}",
                                     max_rows, typed_from=sheet.typed_from))
        except ImportFailed as failed:
            if [p.code for p in failed.problems] in (["file_kind_unknown"], ["file_kind_none"]):
                refused += failed.problems
                skipped.append(sheet.name)
            else:
                raise
    if not tables:
        raise ImportFailed(refused or [Problem(file_name, None, None, None, "file_empty", {})])
    if skipped:
        tables[0].reading_notes.insert(0, ReadingNote("sheets_skipped", {"sheets": ", ".join(skipped)}))
    return tables


# DuckDB's reject error types, each with a message that says why the row could not be read.
_REJECT_CODES = {
    "MISSING COLUMNS": "row_too_few_fields",
    "TOO MANY COLUMNS": "row_too_many_fields",
    "UNQUOTED VALUE": "row_unclosed_quote",
    "LINE SIZE OVER MAXIMUM": "row_too_long",
    "INVALID UNICODE": "row_not_text",
}


def read_csv(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, table: str, max_rows: int) -> CsvTable:
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
                      max_rows, start=decoded.start, notes=notes)


def _read_text(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, encoding: str, sha256: str, table: str,
               max_rows: int, *, start: int = 0, typed_from: dict[int, int] | None = None,
               notes: list[ReadingNote] | None = None) -> CsvTable:
    """Read the UTF-8 text ``data[start:]`` (``start``: past byte order marks) into scratch table ``table``.

    The text stays bytes throughout: only its first lines are decoded in Python, every other look
    at it is a search over the bytes, and DuckDB reads the rest from a scratch file written from
    them. (Decoded, a 127 MB file was a second 127 MB, or four times that with one non-ASCII letter.)

    ``typed_from``: for a workbook sheet, column index -> the last row holding a text cell in that
    column; below it (and so below a header row at or under it) every non-blank cell is typed."""
    fail = lambda code, **params: ImportFailed([Problem(file_name, None, None, None, code, params)])  # noqa: E731
    notes = list(notes or [])
    if _blank_from(data, start):
        raise fail("file_empty")
    if data.find(b"\r", start) >= 0:  # Windows (or old Mac) line ends: one copy, for these files only
        data = data.replace(b"\r\n", b"\n")
        if data.find(b"\r", start) >= 0:
            data = data.replace(b"\r", b"\n")
    unwrapped = unwrap_quoted_lines(data, start)
    if unwrapped is not None:
        data, start = unwrapped, 0
        notes.append(ReadingNote("unwrapped_lines"))
    head_lines = _first_lines(data, HEADER_SEARCH_LINES, start)
    head = [line.decode("utf-8") for line in head_lines]
    found = find_header_row(head)
    header_line = head[found.index] if head else ""
    if not header_line.strip():
        raise fail("file_no_header")
    if found.index:
        notes.append(ReadingNote("header_row", {"line": found.index + 1}))
    if found.comment_lines:
        notes.append(ReadingNote("comment_lines", {"count": found.comment_lines}))
    delimiter = found.delimiter
    # The rows after the header are data[body_start:], never copied out: a 127 MB file's copy
    # would be held beside the file and DuckDB's table of it.
    body_start = min(start + sum(len(line) + 1 for line in head_lines[:found.index + 1]), len(data))
    samples = line_cells([line.decode("utf-8") for line in _first_lines(data, HEADER_SEARCH_LINES, body_start)],
                         delimiter)
    raw_headers = found.cells
    mapped = _map_headers(file_name, raw_headers, samples, notes, found.index + 1)
    columns, problems, ignored = mapped.columns, mapped.problems, mapped.ignored
    kind = detect_kind(set(columns) | mapped.provided)
    if kind is FileKind.OKRS and "value" in columns and "current" not in columns:
        # In an OKR file "nilai" / "value" is the key result's current value.
        columns = mapped.columns = ["current" if c == "value" else c for c in columns]
        mapped.headers["current"] = mapped.headers.pop("value")
    if kind is None:
        closest, missing = closest_kind(set(columns))
        headers = ", ".join(h for h in raw_headers if h.strip()) or "–"
        if closest is None:
            raise fail("file_kind_none", headers=headers,
                       kinds=Localised(required_columns_text("en"), required_columns_text("id")))
        raise fail("file_kind_unknown", headers=headers, kind=closest.value, missing=Localised(
            ", ".join(missing), ", ".join(header(c, "id") for c in missing)))
    periods = mapped.periods
    wide = bool(periods) and kind in (FileKind.KPIS, FileKind.CHECKINS) and not {"date", "value"} & set(columns)
    if periods and not wide:
        ignored += [mapped.period_headers[c] for c in periods]
    weeks = [h for h in mapped.ignored if WEEK_NUMBER_HEADER.fullmatch(h)]
    weekly = len(weeks) >= 2 and kind in (FileKind.KPIS, FileKind.CHECKINS) and not {"date", "value"} & set(columns)
    if weekly:  # the week columns hold the values: what is missing is their dates, said once
        problems.append(Problem(file_name, found.index + 1, None, None, "period_week_number", {
            "headers": ", ".join(weeks)}))
    provided = mapped.provided | ({"date", "value"} if wide or weekly else set())
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in columns and c not in provided]
    problems += [Problem(file_name, found.index + 1, c, None, "header_missing", {"kind": kind.value}) for c in missing]
    if wide and "year" not in columns and found.title_year is None and any(p.year is None for p in periods.values()):
        problems.append(Problem(file_name, found.index + 1, None, None, "period_needs_year", {
            "headers": ", ".join(mapped.period_headers[c] for c, p in periods.items() if p.year is None)}))
    if problems:
        raise ImportFailed(problems)
    if _blank_from(data, body_start):
        raise fail("file_no_rows")
    first_line = found.index + 1  # the header's 1-based line: data rows start on the next one

    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as tmp:
        try:
            tmp.write(memoryview(data)[body_start:])
        except OSError:  # a full temp folder: leave no half-written file behind
            tmp.close()
            Path(tmp.name).unlink(missing_ok=True)
            raise
    try:
        column_spec = {name: "VARCHAR" for name in columns}
        # Surrounding spaces, tabs and line breaks are never part of a value.
        cell = padding_trim(data, delimiter, body_start)
        cells = ", ".join(cell.format(f'"{c}"') + f' AS "{c}"' for c in columns)
        any_cell = ", ".join(f"nullif(\"{c}\", '')" for c in columns)
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE "{table}_read" AS
                SELECT {cells}
                FROM read_csv(?, header = false, delim = ?, quote = '"', escape = '"', columns = ?,
                              store_rejects = true, strict_mode = true, null_padding = false,
                              auto_detect = false, max_line_size = {MAX_LINE_BYTES})""",
            [tmp.name, delimiter, column_spec],
        )
        # Line numbers come from the row ids, which follow the file's order: a row_number() window
        # would force the read above onto one core.
        con.execute(f"""CREATE OR REPLACE TABLE "{table}" AS SELECT rowid + {first_line + 1} AS line, *
                        FROM "{table}_read"
                        -- A row of empty cells (",,,") is an empty line too.
                        WHERE coalesce({any_cell}) IS NOT NULL;
                        DROP TABLE "{table}_read" """)
        rejects = con.execute(
            "SELECT line, error_type, csv_line FROM reject_errors ORDER BY line"
        ).fetchall()
        con.execute("DELETE FROM reject_errors; DELETE FROM reject_scans")
    except duckdb.Error as error:
        raise fail("file_unreadable", detail=str(error).splitlines()[0]) from None
    finally:
        os.unlink(tmp.name)
    if rejects:
        rejects = list({line: (line, error_type, csv_line) for line, error_type, csv_line in rejects}.values())
        raise ImportFailed([
            Problem(
                file_name, line + first_line, None, csv_line[:200],
                _REJECT_CODES.get(error_type, "row_unreadable"),
                {"expected": len(columns), "reason": error_type.lower()},
            )
            for line, error_type, csv_line in rejects[:200]
        ])
    # A blank line is "\n" followed by spaces or tabs up to the next "\n" (one pass, no per-line anchors).
    # Trailing line breaks are not blank lines (found without copying the body, as rstrip would).
    tail = data[max(body_start, len(data) - 64):]
    ending = len(tail) - len(tail.rstrip(b"\n"))
    has_blank_lines = _BLANK_START.match(data, body_start) is not None or _BLANK_LINE.search(
        data, body_start, len(data) - ending) is not None
    if has_blank_lines or (data.find(b'"', body_start) >= 0 and data.find(b"\n", body_start) >= 0):
        _fix_line_numbers(con, table, data, body_start, delimiter, columns, has_blank_lines, first_line)
    columns = _reshape(con, file_name, table, kind, columns, mapped, found, wide, notes)
    row_count = con.execute(
        f'SELECT {"count(DISTINCT line)" if wide or mapped.export else "count(*)"} FROM "{table}"').fetchall()[0][0]
    if row_count == 0:
        raise fail("file_no_rows")
    if row_count > max_rows:
        raise fail("file_too_many_rows", rows=row_count, limit=max_rows)
    typed = {mapped.columns[i] for i, row in (typed_from or {}).items()
             if i < len(mapped.columns) and row <= found.index + 1 and not mapped.columns[i].startswith("_")}
    if wide:
        typed.add("date")
        if all(typed_from and typed_from.get(mapped.period_indices[c], 10**9) <= found.index + 1 for c in periods):
            typed.add("value")
    headers = {c: h for c, h in mapped.headers.items() if c in columns}

    return CsvTable(
        file_name=file_name,
        sha256=sha256,
        kind=kind,
        table=table,
        columns=[c for c in columns if not c.startswith("_") and c != "year"],
        row_count=row_count,
        delimiter=delimiter,
        encoding=encoding,
        ignored_headers=ignored,
        headers=headers,
        typed_columns=frozenset(typed),
        reading_notes=notes,
    )


def _first_lines(data: bytes, count: int, start: int = 0) -> list[bytes]:
    """The first ``count`` lines of ``data[start:]``, without splitting (and so copying) the rest of a large file."""
    lines = []
    while len(lines) < count and start <= len(data):
        end = data.find(b"\n", start)
        if end < 0:
            lines.append(data[start:])
            break
        lines.append(data[start:end])
        start = end + 1
    return lines


def _blank_from(data: bytes, start: int) -> bool:
    """Whether the UTF-8 text ``data[start:]`` is empty or white space only (``str.isspace``), without decoding it."""
    at = start
    while (found := _NOT_ASCII_SPACE.search(data, at)) is not None:
        at = found.start()
        if data[at] < 0x80:
            return False
        width = 2 if data[at] < 0xE0 else 3 if data[at] < 0xF0 else 4  # a letter beyond ASCII: a no-break space?
        if not data[at:at + width].decode("utf-8").isspace():
            return False
        at += width
    return True


@dataclass
class _MappedHeaders:
    """The file's headers, one scratch column name per header position."""

    columns: list[str]
    headers: dict[str, str]  # canonical column -> the file's header text
    ignored: list[str]
    problems: list[Problem]
    periods: dict[str, PeriodHeader]  # scratch column of a month / date header -> its period
    period_headers: dict[str, str]
    period_indices: dict[str, int]
    export: exports.Export | None
    provided: set[str]  # canonical columns an export's rows will have once rebuilt


def _map_headers(file_name: str, raw_headers: list[str], samples: list[list[str]],
                 notes: list[ReadingNote], header_line: int) -> _MappedHeaders:
    export = exports.recognise(raw_headers)
    meanings = [() if export and i in export.special else header_meanings(raw) for i, raw in enumerate(raw_headers)]
    taken = {m[0] for m in meanings if len(m) == 1}
    columns: list[str] = []
    mapped = _MappedHeaders(columns, {}, [], [], {}, {}, {}, export,
                            exports.provided_columns(export) if export else set())
    taken |= mapped.provided
    for index, raw in enumerate(raw_headers, start=1):
        options = meanings[index - 1]
        if export and index - 1 in export.special:
            name = export.special[index - 1]
        elif len(options) == 2:
            column_cells = [row[index - 1] for row in samples if len(row) >= index]
            name, reason = resolve_ambiguous(raw, options, taken, column_cells)
            taken.add(name)
            notes.append(ReadingNote(f"ambiguous_header_{reason}", {"header": raw, "column": name}))
        elif options:
            name = options[0]
        elif period_header(raw):
            name = f"_period_{index}"
            mapped.periods[name] = period_header(raw)
            mapped.period_headers[name] = raw
            mapped.period_indices[name] = index - 1
        else:
            mapped.ignored.append(raw)
            name = f"_ignored_{index}"
        if name in columns:
            mapped.problems.append(Problem(file_name, header_line, raw, raw, "header_duplicate", {}))
        elif not name.startswith("_"):
            mapped.headers[name] = raw.strip()
        columns.append(name)
    if len(mapped.periods) == 1:  # one month-like header alone is a column like any other
        (name, _), = mapped.periods.items()
        mapped.ignored.append(mapped.period_headers.pop(name))
        mapped.periods.clear()
    mapped.periods = dict(zip(mapped.periods, period_dates(list(mapped.periods.values()))))
    return mapped


def _reshape(con: duckdb.DuckDBPyConnection, file_name: str, table: str, kind: FileKind, columns: list[str],
             mapped: _MappedHeaders, found: HeaderRow, wide: bool, notes: list[ReadingNote]) -> list[str]:
    """Rebuild exports, skip comment and total rows, fill merged cells down, unpivot period columns.

    Returns the scratch table's columns afterwards.
    """
    def table_columns() -> list[str]:
        return [d[0] for d in con.execute(f'SELECT * FROM "{table}" LIMIT 0').description if d[0] != "line"]

    if mapped.export:
        counts = exports.rebuild(con, table, mapped.export, columns)
        notes.append(ReadingNote(f"export_{mapped.export.tool}", counts))
        columns = table_columns()
    if found.comment_lines:
        lines = drop_rows(con, table, f"starts_with(trim(\"{columns[0]}\"), '#')")
        if lines:
            notes.append(ReadingNote("comment_rows", {"count": len(lines), "lines": line_list(lines)}))
    labels = list(dict.fromkeys([columns[0], *(c for c in ("team", "kpi", "objective", "key_result") if c in columns)]))
    # One scan tells whether there is a total row or a merged cell at all: most files have neither.
    checks = fill_down_checks(kind, columns)
    found_any = con.execute(f"""SELECT count(*) FILTER (WHERE {total_condition(labels)})
                                       {"".join(f", count(*) FILTER (WHERE {c})" for c in checks.values())}
                                FROM "{table}" """).fetchall()[0]
    lines = drop_rows(con, table, total_condition(labels)) if found_any[0] else []
    if lines:
        notes.append(ReadingNote("total_rows", {"count": len(lines), "lines": line_list(lines)}))
    checks = {rule: sql for (rule, sql), count in zip(checks.items(), found_any[1:]) if count}
    for column, filled in fill_down(con, table, checks, columns).items():
        notes.append(ReadingNote("filled_down", {"header": mapped.headers.get(column, column), "count": len(filled),
                                                 "lines": line_list(filled)}))
    if "year" in columns and "cycle" in columns and not wide:
        lines = year_into_cycle(con, table)
        if lines:
            notes.append(ReadingNote("year_into_cycle", {
                "cycle": mapped.headers["cycle"], "year": mapped.headers["year"], "count": len(lines)}))
    elif "year" in columns and not wide:
        mapped.ignored.append(mapped.headers["year"])
    if wide:
        year_column = "year" if "year" in columns else None
        unknown = unpivot_periods(con, table, mapped.periods, year_column, found.title_year)
        if unknown:
            raise ImportFailed([
                Problem(file_name, line, mapped.headers.get("year") or mapped.period_headers[column], None,
                        "period_needs_year", {"headers": mapped.period_headers[column]})
                for line, column in unknown])
        headers = list(mapped.period_headers.values())
        span = f"{headers[0]} … {headers[-1]}"
        mapped.headers.update({"date": span, "value": span})
        cells = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
        notes.append(ReadingNote("unpivoted", {"count": len(headers), "headers": span, "cells": cells,
                                               "kind": kind.value}))
        columns = table_columns()
    return columns


def padding_trim(data: bytes, delimiter: str, start: int = 0) -> str:
    """The SQL template that trims one cell of this file's rows (the UTF-8 ``data[start:]``, not
    copied): ``okr_trim({})`` or the cheaper ``okr_trim_spaces({})``.

    Only spaces can pad a cell unless the file holds a tab, a no-break space, or a quoted cell
    that starts or ends with a line break; checking for those is faster than trimming for them.
    (A no-break space's first byte is looked for first: one byte is found ten times faster than two.)
    """
    d = delimiter.encode("utf-8")

    def holds(sequence: bytes) -> bool:
        return data.find(sequence, start) >= 0

    quoted_line_break = holds(b'"') and (data.startswith(b'"\n', start) or (len(data) - start >= 2 and data.endswith(
        b'\n"')) or any(holds(sequence) for sequence in (d + b'"\n', b'\n"\n', b'\n"' + d)))
    return "okr_trim({})" if holds(b"\t") or (holds(b"\xc2") and holds("\xa0".encode("utf-8"))) or quoted_line_break \
        else "okr_trim_spaces({})"


def _fix_line_numbers(
    con: duckdb.DuckDBPyConnection, table: str, data: bytes, body_start: int, delimiter: str, columns: list[str],
    has_blank_lines: bool, first_line: int = 1,
) -> None:
    """Blank lines and quoted cells that span lines shift line numbers; recount them with Python's
    csv over the rows ``data[body_start:]`` (UTF-8, read a line at a time, never decoded whole).

    Only files that have such lines pay for this slower pass.
    """
    if not has_blank_lines:
        multiline_checks = " OR ".join(f'contains("{c}", chr(10))' for c in columns)
        if not con.execute(f'SELECT bool_or({multiline_checks}) FROM "{table}"').fetchall()[0][0]:
            return
    raw = io.BytesIO(data)  # (shares the bytes: nothing is copied until written to)
    raw.seek(body_start)
    reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""), delimiter=delimiter)
    starts, previous_end = [], 0
    for row in reader:
        if row:  # DuckDB numbers every row but the empty lines it skips
            starts.append(previous_end + first_line + 1)  # the lines up to the header, +1 for 1-based numbering
        previous_end = reader.line_num
    con.register("line_mapping", _line_mapping(starts, first_line))
    try:
        con.execute(
            f'UPDATE "{table}" SET line = m.real_line FROM line_mapping m WHERE "{table}".line = m.row_line'
        )
    finally:
        con.unregister("line_mapping")


def _line_mapping(starts: list[int], first_line: int):  # pyarrow is imported lazily: only multi-line files need it
    import pyarrow as pa

    first_row = first_line + 1
    return pa.table({"row_line": list(range(first_row, len(starts) + first_row)), "real_line": starts})
