"""Uploaded bytes -> a table of canonical text columns with line numbers, and the cell parsers.

DuckDB's CSV reader does the tokenising (it is an order of magnitude faster than Python's csv
module on the large files companies export); this module picks the encoding, the delimiter and
the decimal style, maps the headers to canonical names, and reports structural problems (wrong
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

from okrdash.models import FileKind
from okrdash.problems import Problem, ImportFailed

# Canonical column -> the header spellings accepted for it (after normalising case and spacing).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "cycle": ("siklus", "periode", "period", "quarter", "kuartal"),
    "start_date": ("tanggal_mulai", "mulai", "start"),
    "end_date": ("tanggal_selesai", "selesai", "end"),
    "team": ("tim", "departemen", "department"),
    "objective": ("tujuan", "objektif", "objective_title"),
    "objective_owner": ("pemilik_tujuan",),
    "objective_type": ("jenis_tujuan", "tipe_tujuan"),
    "parent_objective": ("tujuan_induk", "induk", "parent"),
    "key_result": ("hasil_kunci", "kr", "key_results"),
    "owner": ("pemilik", "pic", "penanggung_jawab"),
    "kind": ("jenis", "jenis_kr", "tipe_kr", "kr_kind"),
    "baseline": ("nilai_awal", "awal", "start_value"),
    "target": ("sasaran_nilai", "target_value"),
    "unit": ("satuan",),
    "weight": ("bobot",),
    "kpi": ("nama_kpi", "kpi_name"),
    "current": ("nilai_saat_ini", "current_value", "saat_ini"),
    "value": ("nilai", "actual", "realisasi", "aktual"),
    "date": ("tanggal", "tgl"),
    "confidence": ("keyakinan", "kepercayaan"),
    "note": ("catatan", "keterangan", "notes", "comment"),
    "direction": ("arah",),
    "min": ("minimum", "batas_bawah"),
    "max": ("maximum", "maksimum", "batas_atas"),
    "tolerance": ("toleransi",),
    "frequency": ("frekuensi",),
    "kpi_type": ("jenis_kpi", "tipe_kpi"),
    "indicator": ("indikator",),
    "category": ("kategori",),
}
_ALIAS_TO_CANONICAL = {
    alias: canonical
    for canonical, aliases in HEADER_ALIASES.items()
    for alias in (canonical, *aliases)
}

KIND_COLUMNS: dict[FileKind, tuple[str, ...]] = {
    FileKind.OKRS: (
        "cycle", "start_date", "end_date", "team", "objective", "objective_owner", "objective_type",
        "parent_objective", "key_result", "owner", "kind", "baseline", "target", "unit", "weight",
        "kpi", "current", "date", "confidence",
    ),
    FileKind.CHECKINS: ("team", "key_result", "objective", "cycle", "date", "value", "confidence", "note"),
    FileKind.KPIS: (
        "team", "kpi", "date", "value", "target", "unit", "direction", "min", "max", "tolerance",
        "frequency", "kpi_type", "indicator", "category", "owner",
    ),
}
REQUIRED_COLUMNS: dict[FileKind, tuple[str, ...]] = {
    FileKind.OKRS: ("cycle", "team", "objective", "key_result"),
    FileKind.CHECKINS: ("team", "key_result", "date", "value"),
    FileKind.KPIS: ("team", "kpi"),
}


def normalise_header(text: str) -> str:
    """``" Nilai Awal "`` -> ``"nilai_awal"``; ``"KEY-RESULT"`` -> ``"key_result"``."""
    return re.sub(r"[\s_\-./]+", "_", text.strip().lower()).strip("_")


def canonical_header(text: str) -> str | None:
    name = normalise_header(text)
    if name in _ALIAS_TO_CANONICAL:
        return _ALIAS_TO_CANONICAL[name]
    # "Nilai saat ini (Rp)" and "Target (%)": a unit in brackets after a known header.
    bare = normalise_header(re.sub(r"\(.*?\)|\[.*?\]", "", text))
    return _ALIAS_TO_CANONICAL.get(bare)


def detect_kind(columns: set[str]) -> FileKind | None:
    if "key_result" in columns:
        if columns & {"baseline", "target", "kind", "weight"} or {"objective", "cycle"} <= columns and (
            "value" not in columns
        ):
            return FileKind.OKRS
        return FileKind.CHECKINS
    if "kpi" in columns:
        return FileKind.KPIS
    return None


# Parsing macros for cells. Numbers: strip currency prefixes and %, then read the separators
# according to the file's decimal style (decimal comma: "1.234,5"; decimal dot: "1,234.5").
# Rupiah amounts written "Rp150.000" use dots for thousands in either style.
CELL_MACROS = r"""
CREATE OR REPLACE MACRO okr_clean_number(t) AS
    regexp_replace(regexp_replace(upper(trim(t)), '^(RP\.?|IDR|\$|USD)\s*|\s*%$|\s', '', 'g'), '\s', '', 'g');
CREATE OR REPLACE MACRO okr_number_spelled(t, decimal_comma) AS (
    CASE
        WHEN t IS NULL OR trim(t) = '' THEN NULL
        WHEN NOT regexp_full_match(okr_clean_number(t), '[+-]?[0-9.,]*[0-9][0-9.,]*') THEN NULL
        WHEN regexp_matches(upper(trim(t)), '^(RP|IDR)')
             AND regexp_full_match(okr_clean_number(t), '[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?')
            THEN TRY_CAST(replace(replace(okr_clean_number(t), '.', ''), ',', '.') AS DOUBLE)
        WHEN decimal_comma THEN
            CASE WHEN regexp_full_match(okr_clean_number(t), '[+-]?([0-9]+|[0-9]{1,3}(\.[0-9]{3})+)(,[0-9]+)?')
                 THEN TRY_CAST(replace(replace(okr_clean_number(t), '.', ''), ',', '.') AS DOUBLE) END
        ELSE
            CASE WHEN regexp_full_match(okr_clean_number(t), '[+-]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?|[+-]?\.[0-9]+')
                 THEN TRY_CAST(replace(okr_clean_number(t), ',', '') AS DOUBLE) END
    END);
CREATE OR REPLACE MACRO okr_number_unit(t) AS (
    CASE
        WHEN regexp_matches(trim(t), '%$') THEN '%'
        WHEN regexp_matches(upper(trim(t)), '^(RP|IDR)') THEN 'Rp'
        WHEN regexp_matches(upper(trim(t)), '^(\$|USD)') THEN '$'
    END);
CREATE OR REPLACE MACRO okr_date_spelled(t) AS (
    CASE
        WHEN regexp_full_match(trim(t), '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}')
            THEN TRY_STRPTIME(trim(t), '%Y-%m-%d')::DATE
        WHEN regexp_full_match(trim(t), '[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}')
            THEN TRY_STRPTIME(regexp_replace(trim(t), '[/.]', '-', 'g'), '%d-%m-%Y')::DATE
    END);
-- Plain digits and ISO dates, nearly every cell of a large export, skip the regexes above: this
-- fast path is what lets a file of millions of measurements import in seconds. Same answers.
CREATE OR REPLACE MACRO okr_number(t, decimal_comma) AS (
    CASE
        WHEN t IS NULL THEN NULL
        WHEN regexp_full_match(t, '[+-]?[0-9]{1,15}') THEN CAST(t AS DOUBLE)
        WHEN NOT decimal_comma AND regexp_full_match(t, '[+-]?[0-9]{0,15}\.[0-9]{1,15}') THEN CAST(t AS DOUBLE)
        ELSE okr_number_spelled(t, decimal_comma)
    END);
CREATE OR REPLACE MACRO okr_date(t) AS (
    CASE
        WHEN t IS NULL THEN NULL
        WHEN regexp_full_match(t, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(t AS DATE)
        ELSE okr_date_spelled(t)
    END);
CREATE OR REPLACE MACRO okr_confidence(t) AS (
    CASE lower(trim(t))
        WHEN 'low' THEN 2 WHEN 'rendah' THEN 2 WHEN 'red' THEN 2 WHEN 'merah' THEN 2
        WHEN 'medium' THEN 5 WHEN 'sedang' THEN 5 WHEN 'yellow' THEN 5 WHEN 'kuning' THEN 5
        WHEN 'amber' THEN 5
        WHEN 'high' THEN 8 WHEN 'tinggi' THEN 8 WHEN 'green' THEN 8 WHEN 'hijau' THEN 8
        ELSE CASE WHEN TRY_CAST(replace(trim(t), ',', '.') AS DOUBLE) BETWEEN 0 AND 10
                  THEN TRY_CAST(replace(trim(t), ',', '.') AS DOUBLE) END
    END);
-- Why a cell is not a usable number: NaN, infinities and exponent forms are out of range.
CREATE OR REPLACE MACRO okr_number_problem(t) AS (
    CASE WHEN regexp_full_match(lower(trim(t)), '[+-]?(nan|inf|infinity|[0-9]*[.,]?[0-9]+e[+-]?[0-9]+)')
         THEN 'number_out_of_range' ELSE 'not_a_number' END);
CREATE OR REPLACE MACRO okr_blank(t) AS (t IS NULL OR trim(t) = '');
-- Trimming is as costly as reading a file, so cells are tested first (most need nothing), and
-- the cheap test serves files where only spaces can pad a cell (see padding_trim).
CREATE OR REPLACE MACRO okr_trim(t) AS (
    CASE WHEN regexp_matches(t, '^[\s\xa0]|[\s\xa0]$') THEN trim(t, ' ' || chr(9) || chr(10) || chr(13) || chr(160))
         ELSE t END);
-- Spaces may sit next to other whitespace (" \n1"), so a cell found padded is trimmed of all of it.
CREATE OR REPLACE MACRO okr_trim_spaces(t) AS (
    CASE WHEN t LIKE ' %' OR t LIKE '% ' THEN trim(t, ' ' || chr(9) || chr(10) || chr(13) || chr(160)) ELSE t END);
"""

# A cell that decides the file uses decimal commas: "4,5", "0,75", "1.234,5", "12345,6".
_DECIMAL_COMMA_SQL = r"regexp_full_match(okr_clean_number({col}), '[+-]?([0-9]*|[0-9]{{1,3}}(\.[0-9]{{3}})+),([0-9]{{1,2}}|[0-9]{{4,}})')"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NUMERIC_COLUMNS = ("baseline", "target", "weight", "current", "value", "min", "max", "tolerance")


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
    decimal_comma: bool
    ignored_headers: list[str] = field(default_factory=list)
    # Canonical column -> the column next to it holding its parsed value (see importer._parse_cells).
    parsed: dict[str, str] = field(default_factory=dict)


def scratch_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the cell parsing macros."""
    con = duckdb.connect(":memory:")
    con.execute(CELL_MACROS)
    return con


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 (with or without BOM), else Windows-1252."""
    if b"\x00" in data[:4096]:
        raise ValueError("binary")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > max(3, len(text) // 100):
            raise ValueError("binary") from None
        return text, "windows-1252"


def sniff_delimiter(header_line: str) -> str:
    """Comma or semicolon: whichever splits the header into more fields outside quotes."""
    outside_quotes = re.sub(r'"[^"]*"', "", header_line)
    return ";" if outside_quotes.count(";") > outside_quotes.count(",") else ","


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

    numeric = [c for c in _NUMERIC_COLUMNS if c in columns]
    # In a comma-separated file a cell holds a comma only inside quotes.
    has_commas = numeric and (delimiter != "," or '"' in body) and con.execute(
        f'SELECT count(*) FROM "{table}" WHERE {" OR ".join(f"contains({c}, chr(44))" for c in numeric)}'
    ).fetchall()[0][0] > 0
    decimal_comma = bool(has_commas) and bool(con.execute(
        f'SELECT bool_or({" OR ".join(_DECIMAL_COMMA_SQL.format(col=c) for c in numeric)}) FROM "{table}"'
    ).fetchall()[0][0])
    # Excel in a comma-decimal locale writes ";" files; "1,234" there is 1.234, not 1234.
    decimal_comma = decimal_comma or bool(has_commas and delimiter == ";")
    return CsvTable(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        table=table,
        columns=[c for c in columns if not c.startswith("_ignored_")],
        row_count=row_count,
        delimiter=delimiter,
        encoding=encoding,
        decimal_comma=decimal_comma,
        ignored_headers=ignored,
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
