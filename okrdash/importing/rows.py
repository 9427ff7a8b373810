"""Rows typed into a form or an editable table -> the same scratch table an upload becomes.

A check-in form, a KPI measurement form and the editable OKR table hand over rows in the canonical
columns of a file kind: dates ISO, text as typed, and numbers as the person typed them, in the
convention of the language they read the page in (``FormRows.numbers``: "6,5" and "1.500" in
Indonesian, "6.5" and "1,500" in English). They are loaded into a scratch table directly, so nothing
is written to CSV and sniffed again, and the Validator checks them exactly as it checks a file, its
number columns read by the same cell reader in that convention: there is no second copy of any rule,
nor a second number parser, for forms.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import pandas as pd

from okrdash.importing.headers import KIND_COLUMNS, REQUIRED_COLUMNS
from okrdash.importing.number_format import NUMBER_COLUMNS
from okrdash.importing.reading import ColumnReading, Evidence, NumberFormat, Reading
from okrdash.importing.table import CsvTable
from okrdash.models import FileKind
from okrdash.problems import Problem


@dataclass(frozen=True)
class FormRows:
    """Rows from the browser. ``name`` is what the import history shows (e.g. "check-in form");
    ``labels`` maps a canonical column to the form's field label in the reader's language, so a
    problem names the field the person typed into; ``numbers`` is the convention the number cells
    are written in (the reader's language for what a person typed; see :func:`number_cell`);
    ``table_rows`` is the table row (1 = the first) each row is, when a save writes only the rows
    a person changed: a problem then names the row where they see it."""

    name: str
    kind: FileKind
    rows: tuple[dict[str, str | None], ...]
    labels: dict[str, str] = field(default_factory=dict)
    numbers: NumberFormat = NumberFormat.EN
    table_rows: tuple[int, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(json.dumps(self.rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def relabel(self, problem: Problem) -> Problem:
        """The problem as the form's reader sees it: the field label instead of the column, and a
        row number only where there are rows to count (an editable table)."""
        if problem.line is not None and self.table_rows:
            line = self.table_rows[problem.line - 2]
        else:
            line = problem.line - 1 if problem.line is not None and len(self.rows) > 1 else None
        column = self.labels.get(problem.column or "", problem.column)
        code, params = typed_problem(problem.code, problem.params, self.numbers)
        return Problem(problem.file_name, line, column, problem.value, code, params)


def form_table(con: duckdb.DuckDBPyConnection, form: FormRows, table: str) -> CsvTable:
    """Load ``form``'s rows into scratch table ``table`` (line 2 is the first row, as in a file)."""
    columns = [c for c in KIND_COLUMNS[form.kind] if c in REQUIRED_COLUMNS[form.kind]
               or any(row.get(c) not in (None, "") for row in form.rows)]
    unknown = sorted({c for row in form.rows for c in row} - set(KIND_COLUMNS[form.kind]))
    if unknown:  # a programming error in a page, never a user's input
        raise ValueError(f"{form.name}: no such {form.kind.value} column {', '.join(unknown)}")
    frame = pd.DataFrame(
        {column: pd.Series([_cell(row.get(column)) for row in form.rows], dtype=object) for column in columns}
    )
    frame.insert(0, "line", range(2, len(form.rows) + 2))
    con.register("form_rows", frame)
    try:
        cells = ", ".join(f'"{c}"::VARCHAR AS "{c}"' for c in columns)
        con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT line::BIGINT AS line, {cells} FROM form_rows')
    finally:
        con.unregister("form_rows")
    # Dates are ISO and numbers in the convention they were typed in: nothing to decide from evidence.
    numbers = {c: ColumnReading(c, form.numbers, Evidence.CHOSEN) for c in columns if c in NUMBER_COLUMNS}
    return CsvTable(file_name=form.name, sha256=form.sha256, kind=form.kind, table=table, columns=columns,
                    row_count=len(form.rows), delimiter="", encoding="", reading=Reading(numbers=numbers),
                    typed_columns=frozenset(columns))


def _cell(value: str | None) -> str | None:
    """Blank cells are NULL, as the CSV reader leaves them; text is trimmed as a file's cells are."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def canonical_number(value: float | None) -> str | None:
    """A number as a form cell: '.' decimals, no thousands separators, no trailing zeros."""
    if value is None:
        return None
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")  # never "1e-07": the cell parser reads plain decimals


def number_text(value: float, numbers: NumberFormat) -> str:
    """A finite ``value`` as a person writes it in ``numbers``' convention, every digit kept and
    thousands grouped: 1234.5 -> "1.234,5" (Indonesian), "1,234.5" (English). The cell reader reads
    it back to exactly ``value`` (tests/test_typed_numbers.py)."""
    text = canonical_number(value) or ""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = digits.partition(".")
    group, decimal = (".", ",") if numbers.decimal_comma else (",", ".")
    return sign + f"{int(whole):,}".replace(",", group) + (decimal + fraction if fraction else "")


def number_cell(value: str | float | None, numbers: NumberFormat) -> str | None:
    """A number field's value as a form cell in ``numbers``' convention: text as it was typed, a
    number written by :func:`number_text`. NaN and infinities stay what they are ("nan", "inf"), for
    the reader to refuse: a blank would read as "not given" and change what was sent."""
    if value is None or isinstance(value, str):
        return value
    number = float(value)
    return number_text(number, numbers) if math.isfinite(number) else str(number)


def typed_problem(code: str, params: dict, numbers: NumberFormat) -> tuple[str, dict]:
    """A problem's code and parameters as a form that reads numbers in ``numbers``' convention says
    them: the file message for an unreadable number gives examples in both conventions, and a form
    reads one, so it shows that one's ("6.5" is not a number in an Indonesian form)."""
    if code == "not_a_number":
        return "not_a_number_typed", {"examples": number_examples(numbers)}
    return code, params


def number_examples(numbers: NumberFormat) -> str:
    """A few numbers as ``numbers``' convention writes them, for a message: "6,5 · 1.500 · 45% · Rp1.500.000"."""
    return " · ".join([number_text(6.5, numbers), number_text(1500, numbers), "45%",
                       "Rp" + number_text(1_500_000, numbers)])


def canonical_date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
