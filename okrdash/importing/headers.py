"""The header vocabulary: every spelling of a column people write, and which file kind a set of columns is."""

from __future__ import annotations

import re

from okrdash.models import FileKind

# Canonical column -> the header spellings accepted for it (after normalising case and spacing).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "cycle": ("siklus", "periode", "period", "quarter", "kuartal"),
    "year": ("tahun", "fiscal_year", "tahun_anggaran"),  # with a quarter-only cycle column ("Tahun", "Kuartal")
    "start_date": ("tanggal_mulai", "mulai", "start"),
    "end_date": ("tanggal_selesai", "selesai", "end"),
    "team": ("tim", "departemen", "department"),
    "objective": ("tujuan", "objektif", "objective_title"),
    "objective_owner": ("pemilik_tujuan",),
    "objective_type": ("jenis_tujuan", "tipe_tujuan"),
    "parent_objective": ("tujuan_induk", "induk", "parent"),
    "key_result": ("hasil_kunci", "kr", "key_results"),
    "owner": ("pemilik", "pic", "penanggung_jawab"),
    "kind": ("jenis", "jenis_kr", "tipe_kr", "kr_kind"),
    "baseline": ("nilai_awal", "awal", "start_value"),
    "target": ("sasaran_nilai", "target_value"),
    "unit": ("satuan",),
    "weight": ("bobot",),
    "kpi": ("nama_kpi", "kpi_name"),
    "current": ("nilai_saat_ini", "current_value", "saat_ini"),
    "value": ("nilai", "actual", "realisasi", "aktual"),
    "date": ("tanggal", "tgl"),
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
    "indicator": ("indikator",),
    "category": ("kategori",),
}
_ALIAS_TO_CANONICAL = {
    alias: canonical
    for canonical, aliases in HEADER_ALIASES.items()
    for alias in (canonical, *aliases)
}

KIND_COLUMNS: dict[FileKind, tuple[str, ...]] = {
    FileKind.OKRS: (
        "cycle", "start_date", "end_date", "team", "objective", "objective_owner", "objective_type",
        "parent_objective", "key_result", "owner", "kind", "baseline", "target", "unit", "weight",
        "kpi", "current", "date", "confidence",
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
    name = normalise_header(text)
    if name in _ALIAS_TO_CANONICAL:
        return _ALIAS_TO_CANONICAL[name]
    # "Nilai saat ini (Rp)" and "Target (%)": a unit in brackets after a known header.
    bare = normalise_header(re.sub(r"\(.*?\)|\[.*?\]", "", text))
    return _ALIAS_TO_CANONICAL.get(bare)


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


# Parsing macros for cells. Numbers: strip currency prefixes and %, then read the separators
# according to the file's decimal style (decimal comma: "1.234,5"; decimal dot: "1,234.5").
