"""Header words -> the columns they name, and which file kind a set of columns is (okrdash/kinds.py
declares the spellings, the kinds and their columns; this module only reads them)."""

from __future__ import annotations

import functools
import re

from okrdash.importing.confidence import without_scale
from okrdash.kinds import AMBIGUOUS, COLUMNS, KINDS
from okrdash.models import FileKind
from okrdash.vocabulary import parse_word

# Canonical column -> the header spellings read for it (normalised), and the other way round.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {}
AMBIGUOUS_HEADERS = AMBIGUOUS
KIND_COLUMNS: dict[FileKind, tuple[str, ...]] = {k: kind.names for k, kind in KINDS.items()}
REQUIRED_COLUMNS: dict[FileKind, tuple[str, ...]] = {k: kind.required for k, kind in KINDS.items()}


def normalise_header(text: str) -> str:
    """``" Nilai Awal "`` -> ``"nilai_awal"``; ``"KEY-RESULT"`` -> ``"key_result"``; ``"Nilai⏎Awal"`` -> ``"nilai_awal"``."""
    return re.sub(r"[\s_\-./]+", "_", text.strip().lower()).strip("_")


for _name, _column in COLUMNS.items():
    HEADER_ALIASES[_name] = tuple(dict.fromkeys(
        alias for alias in map(normalise_header, (*_column.en, *_column.id)) if alias != _name))
_ALIAS_TO_CANONICAL = {
    alias: canonical
    for canonical, aliases in HEADER_ALIASES.items()
    for alias in (canonical, *aliases)
    if alias not in AMBIGUOUS_HEADERS
}


def canonical_header(text: str) -> str | None:
    """The canonical column a header names, or None (also for a word with two meanings, see header_meanings)."""
    meanings = header_meanings(text)
    return meanings[0] if len(meanings) == 1 else None


@functools.lru_cache(maxsize=8192)  # a wide sheet repeats its headers on every line looked at
def header_meanings(text: str) -> tuple[str, ...]:
    """Every canonical column ``text`` may name: one, none, or two for a word like ``Periode``.

    ``"Nilai saat ini (Rp)"`` and ``"Target (%)"`` carry a unit in brackets; a bilingual header
    such as ``"Tujuan / Objective"`` names a column when its halves agree.
    """
    meanings = _word_meanings(text)
    if meanings:
        return meanings
    bare = re.sub(r"\(.*?\)|\[.*?\]", "", text)
    meanings = _word_meanings(bare)
    if not meanings and _word_meanings(without_scale(bare)) == ("confidence",):
        return ("confidence",)  # "Keyakinan 1-5": the scale is read by importing.confidence
    if meanings or not re.search(r"[/|]", bare):
        return meanings
    halves = {_word_meanings(half) for half in re.split(r"\s*[/|]\s*", bare) if half.strip()}
    halves.discard(())
    return halves.pop() if len(halves) == 1 else ()


def _word_meanings(text: str) -> tuple[str, ...]:
    name = normalise_header(text)
    if name in AMBIGUOUS_HEADERS:
        return AMBIGUOUS_HEADERS[name]
    return (_ALIAS_TO_CANONICAL[name],) if name in _ALIAS_TO_CANONICAL else ()


def detect_kind(columns: set[str]) -> FileKind | None:
    """The first kind (in the declared order) whose telling columns the file has."""
    for kind in KINDS.values():
        if any(tell.columns <= columns and not tell.unless & columns for tell in kind.told_by):
            return kind.kind
    return None


# The columns that say what a row is about, and those that measure it: a file with none of them
# names no objective, key result, KPI or person and measures nothing (a budget, a task list).
# (A person is named by the columns only people files have: a bare "name" is as likely a budget line's.)
_SUBJECTS = ("objective", "key_result", "kpi", "email", "manager_email", "language", "whatsapp")
_MEASURES = ("target", "value", "baseline", "current", "progress", "achievement")


def closest_kind(columns: set[str]) -> tuple[FileKind | None, list[str]]:
    """The kind the meanings of the file's columns point to, and the required columns it lacks:
    the kind that has the file's subject column (objective, key result, KPI, a person's address,
    language or phone), then the most of its
    columns no other kind has (a baseline or a progress is an OKR's, a direction a KPI's), then the
    most of its columns, then the fewest missing. None when no column names or measures anything."""
    if not columns & {*_SUBJECTS, *_MEASURES}:
        return None, []

    def missing(kind: FileKind) -> list[str]:
        return KINDS[kind].missing(columns)

    def only_its_own(kind: FileKind) -> int:
        others = {c for k in KINDS if k is not kind for c in KIND_COLUMNS[k]}
        return len(columns & (set(KIND_COLUMNS[kind]) - others))

    kind = max(KINDS, key=lambda k: (bool(columns & set(KIND_COLUMNS[k]) & set(_SUBJECTS)), only_its_own(k),
                                     len(columns & set(KIND_COLUMNS[k])), -len(missing(k))))
    return kind, missing(kind)


# Word sets whose words say what the column is whatever its header: a trend column's "naik" /
# "turun" is not a direction, so directions and kinds are read only under their own headers.
_TELLING_WORDS = ("ObjectiveType", "Frequency", "KpiType", "Indicator")


def column_of_words(cells: list[str], candidates: list[str]) -> str | None:
    """The one candidate column whose word set reads every non-blank cell (``"Strategis"`` is a KPI
    type, ``"Bulanan"`` a frequency), or None when none or several do."""
    values = [c for c in cells if c.strip()]
    if not values:
        return None
    fits = [name for name in candidates if COLUMNS[name].words in _TELLING_WORDS
            and all(parse_word(COLUMNS[name].words, cell) for cell in values)]
    return fits[0] if len(fits) == 1 else None


# Cell values that tell the two readings of an ambiguous header apart.
_UNIT_WORDS = {"%", "persen", "percent", "rp", "idr", "$", "usd", "orang", "people", "jam", "hours", "hari",
               "days", "menit", "minutes", "pcs", "unit", "units", "kali", "times", "x", "poin", "points",
               "skor", "score", "nps", "rupiah", "juta", "miliar", "ton", "kg", "km", "transaksi", "tiket"}
_QUARTER_LIKE = re.compile(r"(?i)^\s*(q[1-4]|kuartal|triwulan|tw\s*[1-4iv]|fy|[0-9]{4}\s*-?\s*q[1-4])")


def resolve_ambiguous(
    header: str, meanings: tuple[str, str], taken: set[str], samples: list[str]
) -> tuple[str, str]:
    """Which of its two meanings an ambiguous header has in this file, and why (a reading-note reason).

    Decided by evidence, never by the header's position: a meaning another header already has is
    out; then what the file's kind requires; then the header's own cells.
    """
    free = [m for m in meanings if m not in taken]
    if len(free) == 1:
        return free[0], "other_header"
    if not free:
        return meanings[0], "other_header"
    values = [v.strip().lower() for v in samples if v.strip()]
    name = normalise_header(header)
    if name == "unit":  # unit of measure, or the organisational unit (team)
        if values and all(v in _UNIT_WORDS or len(v) <= 2 for v in values):
            return "unit", "cells"
        return "team", "cells" if values else "required"
    if name == "indikator":  # the KPI's name, or its leading / lagging type
        if values and all(parse_word("Indicator", v) for v in values):
            return "indicator", "cells"
        return "kpi", "cells" if values else "required"
    # "periode": the cycle of an OKR, or the date of a measurement
    kind = detect_kind(taken)
    if kind is FileKind.KPIS:
        return "date", "kind"
    if values and all(_QUARTER_LIKE.match(v) for v in values):
        return "cycle", "cells"
    if kind is FileKind.CHECKINS:
        return "date", "kind"
    return "cycle", "kind"
