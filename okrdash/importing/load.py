"""Step 5 of reading a file, rows of text -> cells: DuckDB reads the rows after the header into a
scratch table of text columns (one per header position), each cell trimmed, with the file's own
line numbers; rows it cannot read are reported with theirs.

DuckDB's CSV reader does the tokenising (an order of magnitude faster than Python's csv module on
the large files companies export); Python's reader only recounts line numbers in the rare file
whose quoted cells span lines or that has blank lines.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path

import duckdb

from okrdash.importing.header_row import MAX_LINE_BYTES
from okrdash.problems import ImportFailed, Problem

# DuckDB's reject error types, each with a message that says why the row could not be read.
_REJECT_CODES = {
    "MISSING COLUMNS": "row_too_few_fields",
    "TOO MANY COLUMNS": "row_too_many_fields",
    "UNQUOTED VALUE": "row_unclosed_quote",
    "LINE SIZE OVER MAXIMUM": "row_too_long",
    "INVALID UNICODE": "row_not_text",
}
_BLANK_LINE = re.compile(rb"\n[ \t]*\n")
_BLANK_START = re.compile(rb"[ \t]*\n")
# okrdash's own CSV downloads protect a text cell that starts like a formula with an apostrophe
# (export.neutralise); read back, the apostrophe goes (issue 22, finding 6).
# (Cells are trimmed, so okrdash never writes one that starts with a tab or a line break.)
_PROTECTED_STARTS = (b"'=", b"'+", b"'-", b"'@")


def load_rows(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, body_start: int, delimiter: str,
              columns: list[str], table: str, first_line: int) -> None:
    """Read ``data[body_start:]`` (UTF-8, never copied out of ``data``) into scratch table ``table``:
    the column ``line`` (the file's own line; ``first_line`` is the header's last line) and one text
    column per name of ``columns`` (one per header position) that okrdash uses: a column it ignores
    (``_ignored_<n>``) is tokenised but never kept, so a sheet of a thousand unknown columns costs
    what its cells cost to split (the first column is kept: it may say "TOTAL" or "#").
    Raises ImportFailed with every row DuckDB cannot read.

    A file with more kept columns than :data:`WIDE_COLUMNS` (one per day for years) is read by
    :func:`_read_wide` instead: DuckDB's reader holds buffers per column and runs out of memory."""
    if len(kept_columns(columns)) > WIDE_COLUMNS:
        _read_wide(con, file_name, data, body_start, delimiter, columns, table, first_line)
        return
    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as tmp:
        try:
            tmp.write(memoryview(data)[body_start:])
        except OSError:  # a full temp folder: leave no half-written file behind
            tmp.close()
            Path(tmp.name).unlink(missing_ok=True)
            raise
    try:
        rejects = _read(con, tmp.name, data, body_start, delimiter, columns, table, first_line)
    except duckdb.Error as error:
        raise ImportFailed([Problem(file_name, None, None, None, "file_unreadable", {
            "detail": str(error).splitlines()[0]})]) from None
    finally:
        os.unlink(tmp.name)
    if rejects:
        rejects = list({line: (line, error_type, csv_line) for line, error_type, csv_line in rejects}.values())
        raise ImportFailed([
            Problem(file_name, line + first_line, None, csv_line[:200], _REJECT_CODES.get(error_type, "row_unreadable"),
                    {"expected": len(columns), "reason": error_type.lower()})
            for line, error_type, csv_line in rejects[:200]])
    # A blank line is "\n" followed by spaces or tabs up to the next "\n" (one pass, no per-line anchors).
    # Trailing line breaks are not blank lines (found without copying the body, as rstrip would).
    tail = data[max(body_start, len(data) - 64):]
    ending = len(tail) - len(tail.rstrip(b"\n"))
    has_blank_lines = _BLANK_START.match(data, body_start) is not None or _BLANK_LINE.search(
        data, body_start, len(data) - ending) is not None
    if has_blank_lines or (data.find(b'"', body_start) >= 0 and data.find(b"\n", body_start) >= 0):
        _fix_line_numbers(con, table, data, body_start, delimiter, kept_columns(columns), has_blank_lines, first_line)


def _read(con: duckdb.DuckDBPyConnection, path: str, data: bytes, body_start: int, delimiter: str,
          columns: list[str], table: str, first_line: int) -> list[tuple]:
    column_spec = {name: "VARCHAR" for name in columns}
    kept = kept_columns(columns)
    # Surrounding spaces, tabs and line breaks are never part of a value.
    cell = cell_reader(data, delimiter, body_start)
    cells = ", ".join(cell.format(f'"{c}"') + f' AS "{c}"' for c in kept)
    # A row of empty cells (",,,") is an empty line too: kept only when one cell holds text.
    any_cell = _any(kept, "{} <> ''")
    # Line numbers are counted as the rows are read, before the empty ones are dropped: one pass and
    # no copy of the table. (The count keeps the reader on one core, but costs less CPU than a
    # parallel read into a table copied again to number its rows: 1.7 against 2.2 s for 1.8 M rows.)
    con.execute(
        f"""CREATE OR REPLACE TABLE "{table}" AS
            SELECT * FROM (
                SELECT row_number() OVER () + {first_line} AS line, {cells}
                FROM read_csv(?, header = false, delim = ?, quote = '"', escape = '"', columns = ?,
                              store_rejects = true, strict_mode = true, null_padding = false,
                              auto_detect = false, max_line_size = {MAX_LINE_BYTES}))
            WHERE {any_cell}""",
        [path, delimiter, column_spec],
    )
    rejects = con.execute("SELECT line, error_type, csv_line FROM reject_errors ORDER BY line").fetchall()
    con.execute("DELETE FROM reject_errors; DELETE FROM reject_scans")
    return rejects


# Above this many kept columns a file is read a batch of rows at a time in Python (its cells, not
# its columns, set the cost): 3,000 day columns made DuckDB's reader run out of its 256 MB.
WIDE_COLUMNS = 256
_WIDE_BATCH_CELLS = 1 << 20  # cells held at once before they go into the scratch table
_PADDING = " \t\n\r\xa0"


def _read_wide(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, body_start: int, delimiter: str,
               columns: list[str], table: str, first_line: int) -> None:
    """Python's csv reader over the rows, keeping the kept columns' cells trimmed (as okr_trim does)
    with their real lines; a batch of rows at a time goes into the scratch table as Arrow."""
    import pyarrow as pa

    kept = kept_columns(columns)
    positions = [columns.index(c) for c in kept]
    unprotect = data.find(b"'", body_start) >= 0 and any(data.find(s, body_start) >= 0 for s in _PROTECTED_STARTS)
    batch: dict[str, list] = {"line": [], **{c: [] for c in kept}}
    problems: list[Problem] = []
    created = False

    def flush() -> None:
        nonlocal created
        con.register("wide_rows", pa.table({"line": pa.array(batch["line"], pa.int64()),
                                            **{c: pa.array(batch[c], pa.string()) for c in kept}}))
        try:
            con.execute(f'INSERT INTO "{table}" SELECT * FROM wide_rows' if created
                        else f'CREATE OR REPLACE TABLE "{table}" AS SELECT * FROM wide_rows')
        finally:
            con.unregister("wide_rows")
        created = True
        for values in batch.values():
            values.clear()

    raw = io.BytesIO(data)
    raw.seek(body_start)
    reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""), delimiter=delimiter, strict=True)
    previous_end = 0
    try:
        for row in reader:
            line, previous_end = previous_end + first_line + 1, reader.line_num
            if not row or len(problems) >= 200:
                continue
            if len(row) != len(columns):
                code = "row_too_few_fields" if len(row) < len(columns) else "row_too_many_fields"
                problems.append(Problem(file_name, line, None, delimiter.join(row)[:200], code, {
                    "expected": len(columns), "reason": code}))
                continue
            cells = [_wide_cell(row[i], unprotect) for i in positions]
            if any(cells):
                batch["line"].append(line)
                for name, cell in zip(kept, cells):
                    batch[name].append(cell)
                if len(batch["line"]) * len(kept) >= _WIDE_BATCH_CELLS:
                    flush()
    except csv.Error:
        problems.append(Problem(file_name, previous_end + first_line + 1, None, None, "row_unclosed_quote", {}))
    if problems:
        raise ImportFailed(problems)
    flush()


def _wide_cell(cell: str, unprotect: bool) -> str | None:
    text = cell.strip(_PADDING)
    if unprotect and text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text or None


def kept_columns(columns: list[str]) -> list[str]:
    """The columns the scratch table keeps: every column okrdash uses, and the first one."""
    return [c for i, c in enumerate(columns) if i == 0 or not c.startswith("_ignored_")]


# Up to this many columns a condition is written out per column; a wider file tests one list over
# the row (a condition of a thousand terms costs DuckDB's planner more than the read).
_WRITTEN_OUT = 64


def _any(columns: list[str], condition: str) -> str:
    """SQL true when ``condition`` (``{}``: a cell) holds for a non-NULL cell of the row's ``columns``."""
    if len(columns) <= _WRITTEN_OUT:
        return "(" + " OR ".join(f"coalesce({condition.format(chr(34) + c + chr(34))}, false)" for c in columns) + ")"
    cells = ", ".join(f'"{c}"' for c in columns)
    return f"coalesce(list_bool_or(list_transform([{cells}], lambda x: {condition.format('x')})), false)"


def cell_reader(data: bytes, delimiter: str, start: int = 0) -> str:
    """The SQL template that reads one cell of this file's rows (the UTF-8 ``data[start:]``, not
    copied): trimmed by ``okr_trim({})`` or the cheaper ``okr_trim_spaces({})``, and the apostrophe
    of okrdash's own protected downloads removed when the file holds one.

    Only spaces can pad a cell unless the file holds a tab, a no-break space, or a quoted cell
    that starts or ends with a line break; checking for those is faster than trimming for them.
    (A no-break space's first byte is looked for first: one byte is found ten times faster than two.)
    """
    d = delimiter.encode("utf-8")

    def holds(sequence: bytes) -> bool:
        return data.find(sequence, start) >= 0

    quoted_line_break = holds(b'"') and (data.startswith(b'"\n', start) or (len(data) - start >= 2 and data.endswith(
        b'\n"')) or any(holds(sequence) for sequence in (d + b'"\n', b'\n"\n', b'\n"' + d)))
    trim = "okr_trim({})" if holds(b"\t") or (holds(b"\xc2") and holds("\xa0".encode("utf-8"))) or quoted_line_break \
        else "okr_trim_spaces({})"
    # An apostrophe is looked for first: one byte is found far faster than two, and most files hold none.
    if holds(b"'") and any(holds(protected) for protected in _PROTECTED_STARTS):
        return "okr_unprotect(" + trim + ")"
    return trim


def _fix_line_numbers(
    con: duckdb.DuckDBPyConnection, table: str, data: bytes, body_start: int, delimiter: str, columns: list[str],
    has_blank_lines: bool, first_line: int = 1,
) -> None:
    """Blank lines and quoted cells that span lines shift line numbers; recount them with Python's
    csv over the rows ``data[body_start:]`` (UTF-8, read a line at a time, never decoded whole).

    Only files that have such lines pay for this slower pass.
    """
    if not has_blank_lines:
        if not con.execute(f'SELECT bool_or({_any(columns, "contains({}, chr(10))")}) FROM "{table}"').fetchall()[0][0]:
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
