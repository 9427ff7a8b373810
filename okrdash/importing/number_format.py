"""How each number column's separators are read, decided from evidence and never guessed.

Per column, from all of its cells (one aggregate query per file; see ``okr_number_evidence`` in
cells.sql): a cell only one format reads ("4,5", "1.234.567", "Rp150.000", "4.5", "1,234.5")
decides its column. A column whose cells both formats read differently ("1.500", "-1.234") and
that decides nothing itself follows the rest of the upload: the same column in another file, a
";" delimiter (Excel in an Indonesian locale), or other columns of the file when at least two
of their cells decide (one quoted "2,5" in a comma file is not enough). Indonesian headers are
not evidence: a sheet headed in Indonesian may be kept in an English locale. When
that evidence is missing or disagrees, the person chooses (:class:`ReadingChoices`); without a
choice the import stops with a problem that says what to choose.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import duckdb

from okrdash.kinds import ColumnType, columns_of_type

from okrdash.importing.reading import ColumnReading, Evidence, NumberFormat, ReadingChoices, cell_evidence
from okrdash.problems import Localised, Problem

# Every number column of okrdash/kinds.py ("year" only dates month columns, and is gone by then).
NUMBER_COLUMNS = tuple(c for c in columns_of_type(ColumnType.NUMBER) if c != "year")

# A file's other columns decide a column only with this many deciding cells between them.
MIN_CELLS_FROM_OTHER_COLUMNS = 2


# Ambiguous cells whose three digits end in 0 ("12,500", "1.000"), by separator, and the format in
# which that separator groups thousands.
_ROUND = {"round_dot": NumberFormat.ID, "round_comma": NumberFormat.EN}


@dataclass(frozen=True)
class NumberEvidence:
    """What one column's cells say: how many decide each format, how many are ambiguous, and one of
    each; ``whole_numbers``: whether a cell is a whole number written without a separator."""

    counts: Counter[str]
    examples: dict[str, tuple[int, str]]
    whole_numbers: bool = False

    def decided(self) -> NumberFormat | None:
        formats = [f for f in NumberFormat if self.counts[f.value]]
        if formats:
            return formats[0] if len(formats) == 1 else None
        return self.grouping()

    def grouping(self) -> NumberFormat | None:
        """The format a round ambiguous cell decides: "12,500" beside whole numbers ("800") cannot be a
        decimal (only a format of fixed decimals writes 12.5 so, and it would write 800 as "800,000"),
        so its separator groups thousands."""
        found = {_ROUND[key] for key in _ROUND if self.counts[key]}
        return found.pop() if self.whole_numbers and len(found) == 1 else None

    @property
    def ambiguous(self) -> int:
        return self.counts["ambiguous"] + sum(self.counts[key] for key in _ROUND)

    def example_of_ambiguity(self) -> tuple[int, str]:
        return min(self.examples[key] for key in ("ambiguous", *_ROUND) if key in self.examples)

    def deciding(self, decided: NumberFormat) -> int:
        """How many of the column's cells decide it ``decided`` (its round cells, when they do)."""
        if self.counts[decided.value]:
            return self.counts[decided.value]
        return sum(self.counts[key] for key, grouped in _ROUND.items() if grouped is decided)

    def example_of_grouping(self) -> tuple[int, str]:
        return next(self.examples[key] for key in _ROUND if key in self.examples)


def number_evidence(con: duckdb.DuckDBPyConnection, table: str, columns: list[str],
                    text_cells: frozenset[str] = frozenset(), by_kpi: frozenset[str] = frozenset()
                    ) -> dict[str, NumberEvidence]:
    """Each column's evidence, in one query; cells without a separator are skipped unread. For a
    column of ``text_cells`` (a workbook's mixed column) only its text cells are evidence."""
    if not columns:
        return {}
    found = cell_evidence(con, table, columns, "okr_number_evidence", "(contains({c}, '.') OR contains({c}, ','))",
                          text_cells, by_kpi)
    rounded = [c for c, (counts, _) in found.items() if any(counts[key] for key in _ROUND)]
    whole = dict(zip(rounded, con.execute(
        "SELECT " + ", ".join(f'coalesce(bool_or(okr_whole_number("{c}")), false)' for c in rounded)
        + f' FROM "{table}"').fetchall()[0])) if rounded else {}
    return {column: NumberEvidence(counts, examples, whole.get(column, False))
            for column, (counts, examples) in found.items()}


def decide_numbers(
    file_name: str,
    evidence: dict[str, NumberEvidence],
    *,
    file_signals: list[NumberFormat],
    elsewhere: dict[str, NumberFormat],
    choices: ReadingChoices,
) -> tuple[dict[str, ColumnReading], list[Problem]]:
    """Each column's reading, and a problem per column that needs a choice nobody gave.

    ``file_signals`` are the file's own leanings (a ";" delimiter); ``elsewhere``
    is the same column's format decided by its cells in another file of the upload.
    """
    readings: dict[str, ColumnReading] = {}
    problems: list[Problem] = []
    own = {c: e.decided() for c, e in evidence.items()}
    for column, found in evidence.items():
        decided = own[column]
        grouping = found.grouping()
        mixed = (found.counts["id"] and found.counts["en"]) or (grouping and decided and grouping is not decided)
        if decided is not None and not mixed:
            line, cell = found.examples[decided.value] if decided.value in found.examples \
                else found.example_of_grouping()
            evidence_kind = Evidence.CELLS if decided.value in found.examples else Evidence.ROUND
            readings[column] = ColumnReading(column, decided, evidence_kind, line, cell)
            continue
        if not mixed and not found.ambiguous:
            readings[column] = ColumnReading(column, _lean(file_signals) or NumberFormat.EN, Evidence.NOT_NEEDED)
            continue
        signals = list(file_signals)
        if column in elsewhere:
            signals.append(elsewhere[column])
        others = [own[c] for c in evidence if c != column and own[c] is not None]
        deciding_cells = sum(evidence[c].deciding(own[c]) for c in evidence if c != column and own[c] is not None)
        if others and deciding_cells >= MIN_CELLS_FROM_OTHER_COLUMNS:
            signals += others
        file_format = _lean(signals) if not mixed else None
        line, cell = found.example_of_ambiguity() if not mixed else _two_ways(found)[0]
        if file_format is not None:
            readings[column] = ColumnReading(column, file_format, Evidence.FILE, line, cell)
        elif choices.numbers is not None:
            readings[column] = ColumnReading(column, choices.numbers, Evidence.CHOSEN, line, cell)
        elif mixed:
            (id_line, id_cell), (en_line, en_cell) = _two_ways(found)
            problems.append(Problem(file_name, max(id_line, en_line), column, en_cell if en_line > id_line else id_cell,
                                    "numbers_mixed", {"id_line": id_line, "id_value": id_cell,
                                                      "en_line": en_line, "en_value": en_cell}))
        else:
            problems.append(Problem(file_name, line, column, cell, "numbers_ambiguous", ambiguity_params(cell)))
    return readings, problems


def _two_ways(found: NumberEvidence) -> tuple[tuple[int, str], tuple[int, str]]:
    """A cell written the Indonesian way and one written the English way (a round cell beside whole
    numbers counts for the format in which its separator groups thousands)."""
    ways = {f: found.examples[f.value] for f in NumberFormat if f.value in found.examples}
    for key, grouped in _ROUND.items():
        if found.whole_numbers and key in found.examples:
            ways.setdefault(grouped, found.examples[key])
    return ways[NumberFormat.ID], ways[NumberFormat.EN]


def _lean(signals: list[NumberFormat]) -> NumberFormat | None:
    """The one format every signal points to; None when there is none or they disagree."""
    distinct = set(signals)
    return distinct.pop() if len(distinct) == 1 else None


def ambiguity_params(cell: str) -> dict[str, object]:
    """An ambiguous cell ("1.500", "-1,234") read both ways: as thousands (``thousands``, in the style
    whose separator it is: ``thousands_style``), and as a fraction (``fraction``, written in the
    reader's convention, in ``decimal_style``)."""
    sign = "-" if cell.strip().startswith("-") else ""
    digits = "".join(ch for ch in cell if ch.isdigit())
    whole, fraction = digits[:-3], digits[-3:]
    dot = "." in cell
    indonesian, english = Localised("Indonesian style", "gaya Indonesia"), Localised("English style", "gaya Inggris")
    return {"thousands": f"{sign}{int(whole + fraction)}",
            "fraction": Localised(f"{sign}{whole}.{fraction.rstrip('0') or '0'}",
                                  f"{sign}{whole},{fraction.rstrip('0') or '0'}"),
            "thousands_style": indonesian if dot else english, "decimal_style": english if dot else indonesian}


def ambiguous_readings(cell: str, lang: str) -> dict[NumberFormat, str]:
    """What an ambiguous cell is in each format, written so the reader of ``lang`` cannot misread it.

    ``1.500``: 1500 in Indonesian style, 1.5 (en) / 1,5 (id) in English style. Whole numbers are
    written without separators, fractions with the reader's decimal separator.
    """
    params = ambiguity_params(cell)
    fraction = params["fraction"].text(lang)
    dot = "." in cell
    return {NumberFormat.ID: params["thousands"] if dot else fraction,
            NumberFormat.EN: fraction if dot else params["thousands"]}
