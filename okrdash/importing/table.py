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

import duckdb

from okrdash.importing.decoding import decode, sniff_delimiter
from okrdash.importing.headers import REQUIRED_COLUMNS, canonical_header, detect_kind
from okrdash.importing.reading import Reading
from okrdash.models import FileKind
from okrdash.problems import ImportFailed, Problem

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass
class CsvTable:
    """One uploaded file, read into the scratch table ``table`` (column ``line`` + canonical text columns)."""

    file_name: str
    sha256: str
    kind: FileKind
    table: str
    columns: list[str]
    row_count: int
    delimiter: str
    encoding: str
    ignored_headers: list[str] = field(default_factory=list)
    # Canonical column -> the header text the file gives it.
    headers: dict[str, str] = field(default_factory=dict)
    # Canonical columns whose cells came from typed workbook cells ("1500", "0.65", ISO dates).
    typed_columns: frozenset[str] = frozenset()
    # How each number and date column is read (importing.decide, before validation).
    reading: Reading = field(default_factory=Reading)
    # Canonical column -> the column next to it holding its parsed value (see importer._parse_cells).
    parsed: dict[str, str] = field(default_factory=dict)


def read_csv(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, table: str, max_rows: int) -> CsvTable:
    """Read one upload into scratch table ``table``; raise ImportFailed with every structural problem."""
    fail = lambda code, **params: ImportFailed([Problem(file_name, None, None, None, code, params)])  # noqa: E731
    if not data or data.isspace():  # (strip() would copy a large file)
        raise fail("file_empty")
    try:
        text, encoding = decode(data)
    except ValueError:
        raise fail("file_binary") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n", 1)
    header_line = lines[0]
    if not header_line.strip():
        raise fail("file_no_header")
    delimiter = sniff_delimiter(header_line)
    raw_headers = next(csv.reader([header_line], delimiter=delimiter))
    columns, problems, ignored = [], [], []
    for index, raw in enumerate(raw_headers, start=1):
        name = canonical_header(raw)
        if name is None:
            ignored.append(raw)
            name = f"_ignored_{index}"
        elif name in columns:
            problems.append(Problem(file_name, 1, raw, raw, "header_duplicate", {}))
        columns.append(name)
    kind = detect_kind(set(columns))
    if kind is FileKind.OKRS and "value" in columns and "current" not in columns:
        # In an OKR file "nilai" / "value" is the key result's current value.
        columns = ["current" if c == "value" else c for c in columns]
    if kind is None:
        raise fail("file_kind_unknown", headers=", ".join(raw_headers))
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in columns]
    problems += [Problem(file_name, 1, c, None, "header_missing", {"kind": kind.value}) for c in missing]
    if problems:
        raise ImportFailed(problems)
    body = lines[1] if len(lines) > 1 else ""
    if not body or body.isspace():
        raise fail("file_no_rows")

    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".csv", delete=False) as tmp:
        tmp.write(body)
    try:
        column_spec = {name: "VARCHAR" for name in columns}
        # Surrounding spaces, tabs and line breaks are never part of a value.
        cell = padding_trim(body, delimiter)
        cells = ", ".join(cell.format(f'"{c}"') + f' AS "{c}"' for c in columns)
        any_cell = ", ".join(f"nullif(\"{c}\", '')" for c in columns)
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE "{table}_read" AS
                SELECT {cells}
                FROM read_csv(?, header = false, delim = ?, quote = '"', escape = '"', columns = ?,
                              store_rejects = true, strict_mode = true, null_padding = false,
                              auto_detect = false, max_line_size = 1048576)""",
            [tmp.name, delimiter, column_spec],
        )
        # Line numbers come from the row ids, which follow the file's order: a row_number() window
        # would force the read above onto one core.
        con.execute(f"""CREATE OR REPLACE TABLE "{table}" AS SELECT rowid + 2 AS line, * FROM "{table}_read"
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
                file_name, line + 1, None, csv_line[:200],
                "row_too_few_fields" if "MISSING" in error_type else "row_too_many_fields"
                if "TOO MANY" in error_type else "row_unreadable",
                {"expected": len(columns)},
            )
            for line, error_type, csv_line in rejects[:200]
        ])
    row_count = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
    if row_count == 0:
        raise fail("file_no_rows")
    if row_count > max_rows:
        raise fail("file_too_many_rows", rows=row_count, limit=max_rows)
    # A blank line is "\n" followed by spaces or tabs up to the next "\n" (one pass, no per-line anchors).
    # Trailing line breaks are not blank lines (found without copying the body, as rstrip would).
    ending = len(body[-64:]) - len(body[-64:].rstrip("\n"))
    has_blank_lines = re.match(r"[ \t]*\n", body) is not None or _BLANK_LINE.search(
        body, 0, len(body) - ending) is not None
    if has_blank_lines or ('"' in body and "\n" in body):
        _fix_line_numbers(con, table, body, delimiter, columns, has_blank_lines)

    return CsvTable(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        table=table,
        columns=[c for c in columns if not c.startswith("_ignored_")],
        row_count=row_count,
        delimiter=delimiter,
        encoding=encoding,
        ignored_headers=ignored,
        headers={name: raw for name, raw in zip(columns, raw_headers) if not name.startswith("_ignored_")},
    )


def padding_trim(body: str, delimiter: str) -> str:
    """The SQL template that trims one cell of this file: ``okr_trim({})`` or the cheaper ``okr_trim_spaces({})``.

    Only spaces can pad a cell unless the file holds a tab, a no-break space, or a quoted cell
    that starts or ends with a line break; checking for those is faster than trimming for them.
    """
    d = delimiter
    quoted_line_break = '"' in body and (body.startswith('"\n') or body.endswith('\n"') or any(
        sequence in body for sequence in (f'{d}"\n', '\n"\n', f'\n"{d}')))
    return "okr_trim({})" if "\t" in body or "\xa0" in body or quoted_line_break else "okr_trim_spaces({})"


def _fix_line_numbers(
    con: duckdb.DuckDBPyConnection, table: str, body: str, delimiter: str, columns: list[str], has_blank_lines: bool
) -> None:
    """Blank lines and quoted cells that span lines shift line numbers; recount them with Python's csv.

    Only files that have such lines pay for this slower pass.
    """
    if not has_blank_lines:
        multiline_checks = " OR ".join(f'contains("{c}", chr(10))' for c in columns)
        if not con.execute(f'SELECT bool_or({multiline_checks}) FROM "{table}"').fetchall()[0][0]:
            return
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    starts, previous_end = [], 0
    for row in reader:
        if row:  # DuckDB numbers every row but the empty lines it skips
            starts.append(previous_end + 2)  # +1 for the header line, +1 for 1-based numbering
        previous_end = reader.line_num
    con.register("line_mapping", _line_mapping(starts))
    try:
        con.execute(
            f'UPDATE "{table}" SET line = m.real_line FROM line_mapping m WHERE "{table}".line = m.row_line'
        )
    finally:
        con.unregister("line_mapping")


def _line_mapping(starts: list[int]):  # pyarrow is imported lazily: only multi-line files need it
    import pyarrow as pa

    return pa.table({"row_line": list(range(2, len(starts) + 2)), "real_line": starts})
