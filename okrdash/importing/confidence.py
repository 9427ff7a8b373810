"""The scale of a confidence column, decided per column before its cells are read (issue 26).

The source documents write confidence as red / yellow / green or on 1-5; okrdash keeps 0-10. A
header that names its scale ("Confidence (1-5)", "Keyakinan 1-5", "Confidence 1-10") decides; a
column whose numbers all lie from 1 to 5 and whose header says nothing is asked (a 3 is low on 0-10
and the middle on 1-5); any other number (0, or above 5) says 0-10. Words are on no numeric scale.
A 1-5 column is stored on 0-10 linearly, 1 -> 0 and 5 -> 10 (docs/rules.md).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import duckdb

from okrdash.importing.notes import ReadingNote
from okrdash.problems import Problem

if TYPE_CHECKING:
    from okrdash.importing.table import CsvTable

# "1-5", "1 – 5", "(skala 1-5)", "1 s/d 5", "0-10": a scale's ends written in a header.
_RANGE = re.compile(r"(?<![\d.,])(\d{1,2})\s*(?:-|–|—|s/d|sampai|to|hingga)\s*(\d{1,2})(?![\d.,])", re.I)
_SCALES = {(1, 5): 5, (0, 10): 10, (1, 10): 10}


def header_scale(header: str) -> int | None:
    """5 or 10 when the header names the scale (1-5; 0-10 or 1-10), else None."""
    found = _RANGE.search(header)
    return _SCALES.get((int(found[1]), int(found[2]))) if found else None


def without_scale(header: str) -> str:
    """The header with the scale it names taken out: "Keyakinan 1-5" -> "Keyakinan "."""
    return _RANGE.sub("", header)


def decide_confidence_scale(con: duckdb.DuckDBPyConnection, table: CsvTable) -> list[Problem]:
    """Set ``table.confidence_scale``; a problem when only the person can say it. A form's confidence
    (no header of its own) is typed on 0-10, as the form says."""
    header = table.headers.get("confidence")
    if header is None or "confidence" not in table.columns:
        return []
    named = header_scale(header)
    if named is not None:
        table.confidence_scale = named
        if named == 5:
            table.reading_notes.append(ReadingNote("confidence_five", {"header": header}))
        return []
    number = "TRY_CAST(replace(trim(confidence), ',', '.') AS DOUBLE)"
    count, outside, line, cell = con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE v NOT BETWEEN 1 AND 5), arg_min(line, line), arg_min(confidence, line)
        FROM (SELECT line, confidence, {number} AS v FROM "{table.table}") WHERE v IS NOT NULL""").fetchone()
    if count and not outside:
        return [Problem(table.file_name, line, "confidence", cell, "confidence_scale_undecided", {})]
    return []
