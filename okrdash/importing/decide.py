"""Decide how every number and date column of an upload is read (and a confidence column's scale,
importing.confidence), before any cell is parsed.

Runs once per upload, after the files are read and before validation: the evidence of each file
is gathered in aggregate SQL (one query per file and cell type, no loop over rows), then each
column is decided by ``number_format`` and ``date_order``, the same column in the upload's other
files counting as evidence. The decision is kept in each table's ``reading``; the problems are the
questions nobody answered.
"""

from __future__ import annotations

import duckdb

from okrdash.importing.confidence import decide_confidence_scale
from okrdash.importing.date_order import DATE_COLUMNS, DateEvidence, date_evidence, decide_dates
from okrdash.importing.number_format import NUMBER_COLUMNS, NumberEvidence, decide_numbers, number_evidence
from okrdash.importing.reading import (
    ColumnReading,
    DateOrder,
    Evidence,
    NumberFormat,
    Reading,
    ReadingChoices,
)
from okrdash.importing.table import CsvTable
from okrdash.problems import Problem


def decide_readings(con: duckdb.DuckDBPyConnection, tables: list[CsvTable], choices: ReadingChoices) -> list[Problem]:
    """Set each table's ``reading``; return a problem for every column that needs a choice not given."""
    for table in tables:
        _join_year_to_quarter(con, table)
    numbers: dict[int, dict[str, NumberEvidence]] = {}
    dates: dict[int, dict[str, DateEvidence]] = {}
    for index, table in enumerate(tables):
        numbers[index] = number_evidence(con, table.table, [c for c in NUMBER_COLUMNS if c in table.columns
                                                            and c not in table.typed_columns], table.mixed_columns,
                                        table.mixed_by_kpi)
        dates[index] = date_evidence(con, table.table, [c for c in DATE_COLUMNS if c in table.columns
                                                        and c not in table.typed_columns])
    problems: list[Problem] = []
    for index, table in enumerate(tables):
        # A ';' is Excel's list separator in an Indonesian locale. Indonesian headers are not
        # evidence: a sheet headed "Tim", "Target" may still be kept in an English locale (Google
        # Sheets' default), where "1,955" is 1955.
        semicolon = table.delimiter == ";"
        number_readings, found = decide_numbers(
            table.file_name, numbers[index],
            file_signals=[NumberFormat.ID] if semicolon else [],
            elsewhere=_elsewhere(numbers, index), choices=choices)
        problems += found
        date_readings, found = decide_dates(
            table.file_name, dates[index],
            file_signals=[DateOrder.DMY] if semicolon else [],
            elsewhere=_elsewhere(dates, index), choices=choices)
        problems += found
        # Typed workbook cells are already plain numbers and ISO dates; a form's numbers keep the
        # convention they were typed in (importing.rows sets it).
        for column in table.typed_columns:
            if column in NUMBER_COLUMNS:
                number_readings[column] = (table.reading.numbers.get(column)
                                           or ColumnReading(column, NumberFormat.EN, Evidence.TYPED))
            elif column in DATE_COLUMNS:
                date_readings[column] = ColumnReading(column, DateOrder.YMD, Evidence.TYPED)
        table.reading = Reading(numbers=number_readings, dates=date_readings)
        problems += decide_confidence_scale(con, table)
    return problems


def _elsewhere(evidence: dict[int, dict], index: int) -> dict:
    """Per column, the one format its cells decide in the upload's other files (when they agree)."""
    decided: dict[str, set] = {}
    for other, columns in evidence.items():
        if other == index:
            continue
        for column, found in columns.items():
            if (choice := found.decided()) is not None:
                decided.setdefault(column, set()).add(choice)
    return {column: formats.pop() for column, formats in decided.items() if len(formats) == 1}


def _join_year_to_quarter(con: duckdb.DuckDBPyConnection, table: CsvTable) -> None:
    """A ``Tahun`` column and a ``Kuartal`` column ("IV", "TW4", "Q4") read as one cycle ("2026 IV")."""
    if "year" in table.columns and "cycle" in table.columns:
        con.execute(f"""UPDATE "{table.table}" SET cycle = trim(year) || ' ' || trim(cycle)
                        WHERE NOT okr_blank(year) AND NOT okr_blank(cycle) AND NOT regexp_matches(cycle, '[0-9]{{4}}')""")
