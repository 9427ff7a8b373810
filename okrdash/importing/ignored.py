"""Columns okrdash does not use are never dropped silently: each is named, with the known column
it most resembles, and a file whose only numbers sit in such columns is refused.
"""

from __future__ import annotations

import difflib

import duckdb

from okrdash.importing.headers import HEADER_ALIASES, normalise_header
from okrdash.importing.number_format import NUMBER_COLUMNS
from okrdash.importing.table import CsvTable
from okrdash.models import FileKind
from okrdash.problems import Problem

# Where each kind of file keeps its numbers, named in the refusal.
_NUMBERS_OF_KIND = {FileKind.OKRS: ("baseline", "target", "current", "progress"), FileKind.KPIS: ("date", "value", "target"),
                    FileKind.CHECKINS: ("value",)}
_SPELLINGS = {alias: canonical for canonical, aliases in HEADER_ALIASES.items() for alias in (canonical, *aliases)}


def suggest_column(header: str) -> str | None:
    """The known column an unknown header is probably a typo of: ``taget`` -> ``target``."""
    close = difflib.get_close_matches(normalise_header(header), list(_SPELLINGS), n=1, cutoff=0.75)
    return _SPELLINGS[close[0]] if close else None


def numbers_only_in_ignored(con: duckdb.DuckDBPyConnection, table: CsvTable) -> list[Problem]:
    """One problem per ignored column holding numbers, when none of the file's used columns holds one.

    An okrs file whose progress sits in ``Progress %``, or a KPI sheet of month columns, would
    otherwise import with every number dropped. Ignored columns are not kept (importing.load), so
    their numbers are those of the file's first rows (``CsvTable.ignored_numbers``).
    """
    if not table.ignored_numbers or table.kind not in _NUMBERS_OF_KIND:  # (a people file holds no numbers)
        return []
    used = [c for c in NUMBER_COLUMNS if c in table.columns]
    any_used = " OR ".join(f"NOT okr_blank(\"{c}\")" for c in used) or "false"
    if con.execute(f'SELECT count(*) FILTER (WHERE {any_used}) FROM "{table.table}"').fetchall()[0][0]:
        return []
    return [Problem(table.file_name, 1, header, None, "numbers_only_in_ignored",
                    {"kind": table.kind.value, "columns": ", ".join(_NUMBERS_OF_KIND[table.kind])})
            for header in table.ignored_numbers]
