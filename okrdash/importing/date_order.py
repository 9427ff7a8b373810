"""The order of day and month in each date column, decided from evidence and never guessed.

Per column, from all of its cells (``okr_date_evidence`` in cells.sql): a first number above 12
("31/05/2026") decides day first, a second number above 12 ("05/31/2026") month first. A column
whose dates are all ambiguous ("10/1/2026") follows the rest of the upload: other date columns of
the file and the same column in another file when their cells decide, Indonesian month names
("9 Okt 2026") or a ";" delimiter (day first), not Indonesian headers. When nothing decides, or the
evidence disagrees, the person chooses (``--dates dmy|mdy|ymd``); without a choice the import
stops and asks. ISO dates, dates that start with the year and month names need no order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import duckdb

from okrdash.kinds import ColumnType, columns_of_type

from okrdash.importing.reading import ColumnReading, DateOrder, Evidence, ReadingChoices, cell_evidence
from okrdash.problems import Problem

DATE_COLUMNS = columns_of_type(ColumnType.DATE)


@dataclass(frozen=True)
class DateEvidence:
    counts: Counter[str]
    examples: dict[str, tuple[int, str]]

    def decided(self) -> DateOrder | None:
        orders = [o for o in (DateOrder.DMY, DateOrder.MDY) if self.counts[o.value]]
        return orders[0] if len(orders) == 1 else None

    @property
    def indonesian_months(self) -> bool:
        return bool(self.counts["indonesian"])


def date_evidence(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> dict[str, DateEvidence]:
    """Each column's evidence, in one query; ISO dates (nearly every cell of a large export) are skipped."""
    if not columns:
        return {}
    return {column: DateEvidence(counts, examples) for column, (counts, examples)
            in cell_evidence(con, table, columns, "okr_date_evidence",
                             "NOT {c} LIKE '____-__-__'").items()}


def decide_dates(
    file_name: str,
    evidence: dict[str, DateEvidence],
    *,
    file_signals: list[DateOrder],
    elsewhere: dict[str, DateOrder],
    choices: ReadingChoices,
) -> tuple[dict[str, ColumnReading], list[Problem]]:
    """Each date column's reading, and a problem per column that needs a choice nobody gave."""
    readings: dict[str, ColumnReading] = {}
    problems: list[Problem] = []
    own = {c: e.decided() for c, e in evidence.items()}
    signals_of_file = list(file_signals)
    if any(e.indonesian_months for e in evidence.values()):
        signals_of_file.append(DateOrder.DMY)
    for column, found in evidence.items():
        decided = own[column]
        mixed = found.counts["dmy"] and found.counts["mdy"]
        if decided is not None:
            line, cell = found.examples[decided.value]
            readings[column] = ColumnReading(column, decided, Evidence.CELLS, line, cell)
            continue
        if not mixed and not found.counts["ambiguous"]:
            readings[column] = ColumnReading(column, DateOrder.DMY, Evidence.NOT_NEEDED)
            continue
        signals = signals_of_file + [own[c] for c in evidence if c != column and own[c] is not None]
        if column in elsewhere:
            signals.append(elsewhere[column])
        distinct = set(signals)
        file_order = distinct.pop() if len(distinct) == 1 and not mixed else None
        line, cell = found.examples["ambiguous"] if not mixed else found.examples["mdy"]
        if file_order is not None:
            readings[column] = ColumnReading(column, file_order, Evidence.FILE, line, cell)
        elif choices.dates is not None:
            readings[column] = ColumnReading(column, choices.dates, Evidence.CHOSEN, line, cell)
        elif mixed:
            (dmy_line, dmy_cell), (mdy_line, mdy_cell) = found.examples["dmy"], found.examples["mdy"]
            problems.append(Problem(file_name, max(dmy_line, mdy_line), column,
                                    mdy_cell if mdy_line > dmy_line else dmy_cell, "dates_mixed",
                                    {"dmy_line": dmy_line, "dmy_value": dmy_cell,
                                     "mdy_line": mdy_line, "mdy_value": mdy_cell}))
        else:
            problems.append(Problem(file_name, line, column, cell, "dates_ambiguous", _both_ways(cell)))
    return readings, problems


def _both_ways(cell: str) -> dict[str, str]:
    """``10/1/2026`` as day first and as month first, written as ISO dates (the same in every language)."""
    first, second, year = (re.split(r"[/.\- T:]+", cell.strip()) + ["", "", ""])[:3]
    year = f"20{year}" if len(year) == 2 else year
    return {"day_first": f"{year}-{int(second):02d}-{int(first):02d}",
            "month_first": f"{year}-{int(first):02d}-{int(second):02d}"}
