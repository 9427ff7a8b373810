"""Rows typed into a form or an editable table -> the same scratch table an upload becomes.

A check-in form, a KPI measurement form and the editable OKR table hand over rows in the canonical
columns of a file kind, every cell as canonical text (numbers with '.' decimals, ISO dates). They
are loaded into a scratch table directly, so nothing is written to CSV and sniffed again, and the
Validator checks them exactly as it checks a file: there is no second copy of any rule for forms.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import pandas as pd

from okrdash.importing.headers import KIND_COLUMNS, REQUIRED_COLUMNS
from okrdash.importing.table import CsvTable
from okrdash.models import FileKind
from okrdash.problems import Problem


@dataclass(frozen=True)
class FormRows:
    """Rows from the browser. ``name`` is what the import history shows (e.g. "check-in form");
    ``labels`` maps a canonical column to the form's field label in the reader's language, so a
    problem names the field the person typed into."""

    name: str
    kind: FileKind
    rows: tuple[dict[str, str | None], ...]
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(json.dumps(self.rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def relabel(self, problem: Problem) -> Problem:
        """The problem as the form's reader sees it: the field label instead of the column, and a
        row number only where there are rows to count (an editable table)."""
        line = problem.line - 1 if problem.line is not None and len(self.rows) > 1 else None
        column = self.labels.get(problem.column or "", problem.column)
        return Problem(problem.file_name, line, column, problem.value, problem.code, problem.params)


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
    return CsvTable(file_name=form.name, sha256=form.sha256, kind=form.kind, table=table, columns=columns,
                    row_count=len(form.rows), delimiter="", encoding="",
                    # A form writes numbers with "." decimals and ISO dates: nothing to decide.
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


def canonical_date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
