"""The header vocabulary: every spelling of a column people write, and which file kind a set of columns is."""

from __future__ import annotations

import re

from okrdash.models import FileKind

# Canonical column -> the header spellings accepted for it (after normalising case and spacing).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "cycle": ("siklus", "period", "quarter", "kuartal", "triwulan"),
    "start_date": ("tanggal_mulai", "mulai", "start", "expected_start_date"),
    "end_date": ("tanggal_selesai", "selesai", "end", "expected_end_date"),
    "team": ("tim", "departemen", "department", "divisi", "bagian", "teams", "unit_kerja"),
    "objective": ("tujuan", "objektif", "objective_title"),
    "objective_owner": ("pemilik_tujuan",),
    "objective_type": ("jenis_tujuan", "tipe_tujuan"),
    "parent_objective": ("tujuan_induk", "induk", "parent"),
    "key_result": ("hasil_kunci", "kr", "key_results"),
    # The day a key result is measured from when it starts after its cycle (blank: the cycle's start).
    "kr_start": ("kr_start_date", "mulai_kr", "tanggal_mulai_kr", "key_result_start"),
    "owner": ("pemilik", "pic", "penanggung_jawab"),
    "kind": ("jenis", "jenis_kr", "tipe_kr", "kr_kind"),
    "baseline": ("nilai_awal", "awal", "start_value", "starting_value", "initial_value"),
    "target": ("sasaran_nilai", "target_value"),
    "unit": ("satuan",),
    "weight": ("bobot",),
    "kpi": ("nama_kpi", "kpi_name", "metric", "metrik", "nama_indikator"),
    "current": ("nilai_saat_ini", "current_value", "saat_ini"),
    "value": ("nilai", "actual", "realisasi", "aktual", "capaian"),
    "date": ("tanggal", "tgl", "bulan", "month", "check_in_date", "checkin_date", "tanggal_check_in"),
    "last_checkin": ("last_check_in", "last_checkin", "updated", "last_updated", "tanggal_update"),
    "progress": ("progres", "progress_%", "progress_pct", "persen_capaian"),  # share done, 0-100 or 0-1
    "confidence": ("keyakinan", "kepercayaan"),
    "note": ("catatan", "keterangan", "notes", "comment"),
    "direction": ("arah",),
    "min": ("minimum", "batas_bawah"),
    "max": ("maximum", "maksimum", "batas_atas"),
    "tolerance": ("toleransi",),
    "frequency": ("frekuensi",),
    "kpi_type": ("jenis_kpi", "tipe_kpi"),
    "indicator": (),
    "category": ("kategori",),
    # Only a sheet with one column per month reads it: it gives those months their year.
    "year": ("tahun", "fiscal_year", "tahun_anggaran"),
}
# Words that name two columns; the other headers of the file decide which (see map_headers).
AMBIGUOUS_HEADERS: dict[str, tuple[str, str]] = {
    "periode": ("cycle", "date"),
    "unit": ("unit", "team"),
    "indikator": ("indicator", "kpi"),
}
_ALIAS_TO_CANONICAL = {
    alias: canonical
    for canonical, aliases in HEADER_ALIASES.items()
    for alias in (canonical, *aliases)
    if alias not in AMBIGUOUS_HEADERS
}

KIND_COLUMNS: dict[FileKind, tuple[str, ...]] = {
    FileKind.OKRS: (
        "cycle", "start_date", "end_date", "team", "objective", "objective_owner", "objective_type",
        "parent_objective", "key_result", "owner", "kind", "baseline", "target", "unit", "weight",
        "kpi", "current", "date", "confidence", "kr_start",
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
    """The canonical column a header names, or None (also for a word with two meanings, see header_meanings)."""
    meanings = header_meanings(text)
    return meanings[0] if len(meanings) == 1 else None


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
    if "key_result" in columns:
        if columns & {"baseline", "target", "kind", "weight"} or {"objective", "cycle"} <= columns and (
            "value" not in columns
        ):
            return FileKind.OKRS
        return FileKind.CHECKINS
    if "kpi" in columns:
        return FileKind.KPIS
    return None


def closest_kind(columns: set[str]) -> tuple[FileKind, list[str]]:
    """The kind the file lacks the fewest required columns of (then: has the most of), and those it lacks."""
    def missing(kind: FileKind) -> list[str]:
        return [c for c in REQUIRED_COLUMNS[kind] if c not in columns]

    kind = min(FileKind, key=lambda k: (len(missing(k)), -(len(REQUIRED_COLUMNS[k]) - len(missing(k)))))
    return kind, missing(kind)


# Cell values that tell the two readings of an ambiguous header apart.
_UNIT_WORDS = {"%", "persen", "percent", "rp", "idr", "$", "usd", "orang", "people", "jam", "hours", "hari",
               "days", "menit", "minutes", "pcs", "unit", "units", "kali", "times", "x", "poin", "points",
               "skor", "score", "nps", "rupiah", "juta", "miliar", "ton", "kg", "km", "transaksi", "tiket"}
_INDICATOR_WORDS = {"leading", "lagging", "lead", "lag", "utama", "tertinggal"}
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
        if values and all(v in _INDICATOR_WORDS for v in values):
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
