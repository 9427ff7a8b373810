"""Periods written in headers and titles: a month, a quarter or a day (``Jan``, ``Jul-26``,
``Agu 2026``, ``2026-07``, ``Q3 2026``, ``2026-10-05``, ``5 Okt 2026``, ``05/10/2026``), a value or
target of one (``Target Jan 2026``, ``Realisasi Jan 2026``), a week number, and the one period a
title above the header names ("Laporan KPI Periode Juni 2026").

The dating rule is documented in docs/csv-format.md: a month or quarter is dated on its last day,
a day on itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from okrdash.importing.headers import header_meanings
from okrdash.vocabulary import month_number


@dataclass(frozen=True)
class PeriodHeader:
    """A column header that names a month (or a quarter, as its last month) or a day; ``year`` None
    when the header has none. ``written``: a day written in numbers only (``05/10/2026``), whose
    order of day and month the date column decides like any other date cell."""

    year: int | None
    month: int
    day: int | None
    written: str | None = None


_NAMED_MONTH = re.compile(r"(?P<month>[a-z]+)\.?(?:[\s\-/']+(?P<year>[0-9]{4}|[0-9]{2}))?")
_DAY_NAMED_MONTH = re.compile(r"(?P<day>[0-9]{1,2})[\s\-]+(?P<month>[a-z]+)\.?[\s\-]+(?P<year>[0-9]{4})")
_YEAR_MONTH = re.compile(r"(?P<year>[0-9]{4})[-/.](?P<month>[0-9]{1,2})")
_MONTH_YEAR = re.compile(r"(?P<month>[0-9]{1,2})[-/.](?P<year>[0-9]{4})")
_ISO_DAY = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")
_NUMERIC_DAY = re.compile(r"[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:[0-9]{4}|[0-9]{2})")
_QUARTER_WORD = r"(?:q|tw|triwulan|kuartal|kwartal|quarter)"
_QUARTER_NUMBER = r"(?P<q>[1-4]|iv|iii|ii|i)"
_QUARTER = re.compile(rf"{_QUARTER_WORD}\s*-?\s*{_QUARTER_NUMBER}(?:\s*[-/ ]?\s*(?P<year>[0-9]{{4}}))?")
_YEAR_QUARTER = re.compile(rf"(?P<year>[0-9]{{4}})\s*[-/ ]?\s*{_QUARTER_WORD}\s*{_QUARTER_NUMBER}")
_TITLE_QUARTER = re.compile(rf"\b{_QUARTER.pattern}\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# "Minggu 1", "Week 12", "W3", "Pekan 2": a week of some cycle, which the header alone cannot date.
WEEK_NUMBER_HEADER = re.compile(r"(?i)\s*(minggu|pekan|week|wk|mg|w)\s*-?\s*[0-9]{1,2}\s*")
# The meanings a column under (or beside) a period header may have: one value, target or achievement per period.
PAIR_MEANINGS = ("value", "target", "achievement")


@functools.lru_cache(maxsize=8192)  # a wide sheet's header is looked at on several lines
def period_header(text: str) -> PeriodHeader | None:
    """``Jan``, ``Januari``, ``Jul-26``, ``Agu 2026``, ``2026-07``, ``07/2026``, ``Q3 2026``, ``2026-10-05``,
    ``5 Okt 2026``, ``05/10/2026``."""
    cell = text.strip().lower()
    if _NUMERIC_DAY.fullmatch(cell):
        return PeriodHeader(None, 1, 1, written=text.strip())
    quarter = _QUARTER.fullmatch(cell) or _YEAR_QUARTER.fullmatch(cell)
    if quarter:
        number = _ROMAN.get(quarter["q"]) or int(quarter["q"])
        return PeriodHeader(int(quarter["year"]) if quarter["year"] else None, 3 * number, None)
    for pattern in (_ISO_DAY, _DAY_NAMED_MONTH, _YEAR_MONTH, _MONTH_YEAR, _NAMED_MONTH):
        found = pattern.fullmatch(cell)
        if found:
            return _period(found.groupdict())
    return None


def _period(parts: dict[str, str | None]) -> PeriodHeader | None:
    month_text = parts["month"] or ""
    month = int(month_text) if month_text.isdigit() else month_number(month_text)
    year = int(parts["year"]) if parts.get("year") else None
    if year is not None and year < 100:
        year += 2000
    day = int(parts["day"]) if parts.get("day") else None
    if month is None or not 1 <= month <= 12:
        return None
    if day is not None:
        try:
            dt.date(year or 2000, month, day)
        except ValueError:
            return None
    return PeriodHeader(year, month, day)


def pair_header(text: str) -> tuple[str, PeriodHeader] | None:
    """A value, target or achievement of one period in one header: ``Target Jan 2026``,
    ``Realisasi Januari``, ``Jan 2026 - Target``, ``Capaian % Q1``; None otherwise."""
    words = re.split(r"[\s\-_/|:]+", text.strip())
    if len(words) < 2:
        return None
    for split in range(1, len(words)):
        for meaning_part, period_part in ((words[:split], words[split:]), (words[split:], words[:split])):
            meanings = header_meanings(" ".join(meaning_part))
            period = period_header(" ".join(period_part))
            if len(meanings) == 1 and meanings[0] in PAIR_MEANINGS and period and period.written is None:
                return meanings[0], period
    return None


def period_dates(periods: list[PeriodHeader]) -> list[PeriodHeader]:
    """The documented dating rule: a month column is dated on the month's last day.

    A header that names a day dates its column on that day, except when every such header is the
    first of a month (a workbook's "Jul-26" is a date cell of 1 July): those are months too.
    """
    days = [p for p in periods if p.day is not None and p.written is None]
    if len(days) >= 2 and all(p.day == 1 for p in days):
        return [PeriodHeader(p.year, p.month, None, p.written) if p.written is None else p for p in periods]
    return periods


_TITLE_MONTH = re.compile(r"\b(?:(?P<day>[0-9]{1,2})\s+)?(?P<month>[a-z]+)\.?[\s\-]+(?P<year>20[0-9]{2})\b")
# "Januari - Juni 2026": a span of months, which names no one period.
_TITLE_SPAN = re.compile(r"\b(?P<first>[a-z]+)\.?\s*(?:-|–|s\.?d\.?|sampai|to)\s*(?P<last>[a-z]+)\.?\s+20[0-9]{2}\b")


def title_period(lines: list[str], delimiter: str) -> PeriodHeader | None:
    """The one month, quarter or day the lines above a header name ("Periode: Juni 2026",
    "Laporan Triwulan II 2026", "per 30 Juni 2026"), or None when they name none or several."""
    found: set[PeriodHeader] = set()
    for line in lines:
        text = line.replace(delimiter, " ").lower()
        if any(month_number(m["first"]) and month_number(m["last"]) for m in _TITLE_SPAN.finditer(text)):
            return None
        for match in _TITLE_MONTH.finditer(text):
            period = _period(match.groupdict())
            if period is not None:
                found.add(period)
        for match in (*_TITLE_QUARTER.finditer(text), *_YEAR_QUARTER.finditer(text)):
            if match["year"]:
                number = _ROMAN.get(match["q"]) or int(match["q"])
                found.add(PeriodHeader(int(match["year"]), 3 * number, None))
    return found.pop() if len(found) == 1 else None


# "Laporan KPI Divisi Penjualan", "Tim: Sales", "Department of Finance": the team a title names.
_TITLE_TEAM = re.compile(r"(?i)\b(?:divisi|departemen|department|division|bagian|tim|team|unit kerja|satker)\b"
                         r"\s*(?:of\s+)?[:\-–]?\s*(?P<team>[^\s,;:|()\-–/0-9][^,;:|()\-–/0-9]*)")
_TEAM_STOP = re.compile(r"(?i)\s+(?:periode|period|bulan|month|tahun|year|per|triwulan|kuartal|quarter|q[1-4]|tw"
                        r"|s\.?d\.?|sampai|tanggal|tgl|as of)\b.*$")


def title_team(lines: list[str], delimiter: str) -> str | None:
    """The one team the lines above a header name ("Laporan KPI Divisi Penjualan Periode Juni 2026"
    -> "Penjualan"), or None when they name none or several."""
    found = set()
    for line in lines:
        for match in _TITLE_TEAM.finditer(line.replace(delimiter, " ")):
            team = _TEAM_STOP.sub("", match["team"]).strip()
            words = team.split()
            while words and month_number(words[-1]):  # "Penjualan Juni" (a month, its year cut above)
                words.pop()
            if 1 <= len(words) <= 4:
                found.add(" ".join(words))
    return found.pop() if len(found) == 1 else None


def period_end(period: PeriodHeader, year: int) -> dt.date:
    """The day a period dates its values on: the day it names, else its month's last day."""
    if period.day is not None:
        return dt.date(year, period.month, period.day)
    following = dt.date(year + period.month // 12, period.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
