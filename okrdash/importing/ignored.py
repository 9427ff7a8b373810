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
    otherwise import with every number dropped.
    """
    ignored = [name for name, *_ in con.execute(f'DESCRIBE "{table.table}"').fetchall() if name.startswith("_ignored_")]
    used = [c for c in NUMBER_COLUMNS if c in table.columns]
    if not ignored:
        return []
    any_used = " OR ".join(f"NOT okr_blank(\"{c}\")" for c in used) or "false"
    holds_numbers = ", ".join(
        f"count(*) FILTER (WHERE okr_number(\"{c}\", true) IS NOT NULL OR okr_number(\"{c}\", false) IS NOT NULL)"
        for c in ignored)
    used_count, *numbers = con.execute(
        f'SELECT count(*) FILTER (WHERE {any_used}), {holds_numbers} FROM "{table.table}"').fetchall()[0]
    if used_count:
        return []
    by_name = dict(zip(ignored, table.ignored_headers))
    return [Problem(table.file_name, 1, by_name[name], None, "numbers_only_in_ignored",
                    {"kind": table.kind.value, "columns": ", ".join(_NUMBERS_OF_KIND[table.kind])})
            for name, count in zip(ignored, numbers) if count]
