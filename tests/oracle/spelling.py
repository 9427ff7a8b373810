"""How one writer spells numbers, dates, headers and words: an English or an Indonesian spreadsheet.

Written independently of okrdash's own formatting and vocabulary: the oracle is a second reader's
model of what people type, so a shared mistake cannot hide on both sides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

from okrdash.importing import DateOrder, NumberFormat
from okrdash.models import Direction, KRKind, ObjectiveType


@dataclass(frozen=True)
class Convention:
    """One writer's spreadsheet: its language (headers, words) and how it spells numbers and dates."""

    lang: str  # "en" or "id"
    decimal: str  # "." or ","
    group: str  # thousands separator: "" (none), "," or "."
    dates: str  # "iso", "dmy" (31/10/2026), "dmy-dash" (31-10-2026), "mdy" (10/31/2026), "named" (31 Okt 2026)
    percent_sign: bool  # "65%" (else "65", the unit column says %)
    rupiah_prefix: bool  # "Rp1.500.000" (else "1.500.000", the unit column says Rp)

    @property
    def number_format(self) -> NumberFormat:
        """What the writer answers when asked how to read its numbers."""
        return NumberFormat.ID if self.decimal == "," else NumberFormat.EN

    @property
    def date_order(self) -> DateOrder:
        return DateOrder.MDY if self.dates == "mdy" else DateOrder.DMY


def conventions(lang: str | None = None) -> st.SearchStrategy[Convention]:
    """An English spreadsheet (1,500.5 and month-first or ISO dates) or an Indonesian one
    (1.500,5 and day-first dates), with or without grouping, percent signs and Rp prefixes."""
    english = st.builds(Convention, st.just("en"), st.just("."), st.sampled_from(["", ","]),
                        st.sampled_from(["iso", "mdy", "named"]), st.booleans(), st.booleans())
    indonesian = st.builds(Convention, st.just("id"), st.just(","), st.sampled_from(["", "."]),
                           st.sampled_from(["dmy", "dmy-dash", "named", "iso"]), st.booleans(), st.booleans())
    if lang is None:
        return st.one_of(english, indonesian)
    return english if lang == "en" else indonesian


def spell_number(value: float, decimals: int, unit: str | None, conv: Convention) -> str:
    """``value`` as the writer's sheet shows it: ``1.500.000``, ``4,50``, ``65%``, ``-Rp40.000.000``."""
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals))
    sign = "-" if exact < 0 else ""
    whole, _, fraction = f"{abs(exact):f}".partition(".")
    if conv.group and len(whole) > 3:
        head = len(whole) % 3 or 3
        whole = whole[:head] + "".join(conv.group + whole[i:i + 3] for i in range(head, len(whole), 3))
    body = whole + (conv.decimal + fraction if fraction else "")
    if unit == "%" and conv.percent_sign:
        return f"{sign}{body}%"
    if unit == "Rp" and conv.rupiah_prefix:
        return f"{sign}Rp{body}"
    return sign + body


MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
}


def spell_date(day: dt.date, conv: Convention) -> str:
    if conv.dates == "iso":
        return day.isoformat()
    if conv.dates == "dmy":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if conv.dates == "dmy-dash":
        return f"{day.day:02d}-{day.month:02d}-{day.year}"
    if conv.dates == "mdy":
        return f"{day.month}/{day.day}/{day.year}"
    if conv.lang == "en":
        return f"{MONTHS['en'][day.month - 1]} {day.day}, {day.year}"
    return f"{day.day} {MONTHS['id'][day.month - 1]} {day.year}"


def spell_month(day: dt.date, conv: Convention, with_year: bool = True) -> str:
    """A month column's header: ``Jan 2026`` / ``Okt 2026``, or ``Okt`` alone."""
    name = MONTHS[conv.lang][day.month - 1]
    return f"{name} {day.year}" if with_year else name


# Canonical column -> the headers each language's sheets write for it (any of them is right).
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "cycle": {"en": ("Cycle", "Quarter"), "id": ("Siklus", "Kuartal", "Periode")},
    "team": {"en": ("Team", "Department", "Tim / Team"), "id": ("Tim", "Divisi", "Departemen", "Tim / Team")},
    "objective": {"en": ("Objective", "Tujuan / Objective"), "id": ("Tujuan", "Objektif", "Tujuan / Objective")},
    "objective_type": {"en": ("Objective type",), "id": ("Jenis Tujuan",)},
    "key_result": {"en": ("Key Result", "KR"), "id": ("Hasil Kunci", "KR", "Hasil Kunci | Key Result")},
    "owner": {"en": ("Owner",), "id": ("PIC", "Pemilik", "Penanggung Jawab")},
    "kind": {"en": ("Kind",), "id": ("Jenis", "Jenis KR")},
    "baseline": {"en": ("Baseline", "Start value"), "id": ("Nilai Awal",)},
    "target": {"en": ("Target",), "id": ("Target",)},
    "unit": {"en": ("Unit",), "id": ("Satuan",)},
    "current": {"en": ("Current value", "Current"), "id": ("Nilai Saat Ini", "Realisasi")},
    "date": {"en": ("Date", "Check-in date"), "id": ("Tanggal", "Tgl")},
    "value": {"en": ("Value", "Actual"), "id": ("Nilai", "Realisasi", "Capaian", "Aktual")},
    "kpi": {"en": ("KPI", "Metric"), "id": ("Nama KPI", "KPI")},
    "direction": {"en": ("Direction",), "id": ("Arah",)},
    "progress": {"en": ("Progress", "Progress %"), "id": ("Progres", "Persen Capaian")},
}


def header(column: str, lang: str) -> st.SearchStrategy[str]:
    return st.sampled_from(HEADERS[column][lang])


KIND_WORDS = {
    "en": {KRKind.INCREASE: "increase", KRKind.DECREASE: "decrease", KRKind.AT_LEAST: "at least",
           KRKind.AT_MOST: "at most", KRKind.MILESTONE: "milestone"},
    "id": {KRKind.INCREASE: "naik", KRKind.DECREASE: "turun", KRKind.AT_LEAST: "minimal",
           KRKind.AT_MOST: "maksimal", KRKind.MILESTONE: "tonggak"},
}
OBJECTIVE_TYPE_WORDS = {
    "en": {ObjectiveType.COMMITTED: "committed", ObjectiveType.ASPIRATIONAL: "aspirational"},
    "id": {ObjectiveType.COMMITTED: "komitmen", ObjectiveType.ASPIRATIONAL: "aspiratif"},
}
DIRECTION_WORDS = {
    "en": {Direction.HIGHER_IS_BETTER: "higher_is_better", Direction.LOWER_IS_BETTER: "lower_is_better"},
    "id": {Direction.HIGHER_IS_BETTER: "naik", Direction.LOWER_IS_BETTER: "turun"},
}
