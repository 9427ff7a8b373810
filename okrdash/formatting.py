"""Numbers, percentages, amounts with their unit, dates and month names in the reader's language.

Babel (CLDR data) does the locale work: separators, month names, the percent pattern. What is ours
is how much precision a reader wants (47%, not 46.92%; 1.234,5, not 1.234,5678) and where a unit
goes: one formatter for a number with its unit, used by every page, the bridge and the charts.
No Streamlit here.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import sys
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_time
from babel.numbers import format_decimal, format_percent

LOCALES = {"en": "en", "id": "id"}
MISSING = "–"
# Units written before the number, with no space (Rp1.500.000, $120); their spellings in files.
PREFIX_UNITS = {"Rp": "Rp", "IDR": "Rp", "Rp.": "Rp", "$": "$", "US$": "US$", "USD": "US$"}
# Units written straight after the number (45%, 4,5/5).
_ATTACHED_SUFFIXES = ("%",)


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "en")


def finite_number(value: object) -> float | None:
    """The value as a finite float, or None for missing, NaN and infinite values."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _decimals_for(number: float) -> int:
    """Whole numbers show none; large ones one decimal; small ones two (trailing zeros dropped)."""
    if number.is_integer():
        return 0
    return 1 if abs(number) >= 100 else 2


@lru_cache(maxsize=None)
def _symbols(lang: str) -> tuple[str, str, str]:
    """The locale's decimal sign, group separator and minus sign (CLDR, through Babel), read once."""
    symbols = Locale.parse(_locale(lang)).number_symbols["latn"]
    return symbols["decimal"], symbols["group"], symbols["minusSign"]


# Above this a float's digits are no longer what Babel prints (it reads str(float)): Babel writes those.
_EXACT_BELOW = 1e15


def _grouped(rounded: float, places: int, lang: str, optional: bool) -> str:
    """``rounded`` (already rounded to ``places``) as Babel's "#,##0.##" (``optional``) or "#,##0.00"
    pattern writes it in ``lang``: the same text, without Babel's per-call pattern parsing and
    Decimal arithmetic (a table of 15,000 numbers took 0.3 s through Babel)."""
    decimal, group, minus = _symbols(lang)
    text = f"{abs(rounded):,.{places}f}"
    if places and optional:
        text = text.rstrip("0").rstrip(".")
    if group != "," or decimal != ".":
        text = text.translate({ord(","): group, ord("."): decimal})
    return minus + text if rounded < 0 else text


def number(value: float | int | None, lang: str = "en", decimals: int | None = None) -> str:
    """1234.5 -> "1,234.5" in English, "1.234,5" in Indonesian; at most ``decimals`` decimals."""
    usable = finite_number(value)
    if usable is None:
        return MISSING
    places = _decimals_for(usable) if decimals is None else decimals
    rounded = round(usable, places) + 0.0  # "+ 0.0" turns -0.0 into 0.0: no "-0" for a person
    if abs(rounded) >= _EXACT_BELOW:
        pattern = "#,##0" + ("." + "#" * places if places else "")
        return format_decimal(rounded, format=pattern, locale=_locale(lang))
    return _grouped(rounded, places, lang, optional=True)


def rounded(value: object) -> float | None:
    """The number :func:`number` shows, as a number (1.5, not 1.4999999999999998; 0, never -0)."""
    usable = finite_number(value)
    return None if usable is None else round(usable, _decimals_for(usable)) + 0.0


def rounded_share(share: object) -> float | None:
    """The share :func:`percent` shows, as a number (0.74 for "74%"; 0, never -0)."""
    usable = finite_number(share)
    return None if usable is None else (round(usable * 100) + 0) / 100


def numbers(values: Iterable[object], lang: str = "en", decimals: int | None = None) -> list[str]:
    """:func:`number` of every value: a table's column in one call."""
    return [number(value, lang, decimals) for value in values]


def fixed(value: float | int | None, lang: str = "en", decimals: int = 1) -> str:
    """Exactly ``decimals`` decimals (a grade reads 0,7 and 1,0)."""
    usable = finite_number(value)
    if usable is None:
        return MISSING
    rounded = round(usable, decimals) + 0.0
    if abs(rounded) >= _EXACT_BELOW:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(rounded, format=pattern, locale=_locale(lang))
    return _grouped(rounded, decimals, lang, optional=False)


def percent(share: float | None, lang: str = "en") -> str:
    """A share rounded for reading: 0.4692 -> "47%"; never "-0%"."""
    usable = finite_number(share)
    if usable is None:
        return MISSING
    whole = round(usable * 100) + 0
    if abs(whole) >= _EXACT_BELOW:
        return format_percent(whole / 100, format="#,##0%", locale=_locale(lang))
    return _grouped(float(whole), 0, lang, optional=True) + "%"


def percents(shares: Iterable[object], lang: str = "en") -> list[str]:
    """:func:`percent` of every share."""
    return [percent(share, lang) for share in shares]


def signed(value: float | int | None, lang: str = "en", unit: str | None = None) -> str:
    """A change with its sign: "+1,5", "−2 minutes", "0" (no sign for no change)."""
    usable = finite_number(value)
    if usable is None:
        return MISSING
    text = amount(abs(usable), unit, lang)
    if number(abs(usable), lang) == "0":
        return text
    return ("+" if usable > 0 else "−") + text


def unit_word(written: str | None, lang: str = "en") -> str:
    """A unit in the reader's language when it is one of the unit words okrdash knows
    (locales/*/units.toml: "minutes" is "menit" in Indonesian); any other unit as its writer typed it."""
    spelled = (written or "").strip()
    return _unit_words(_locale(lang)).get(spelled.casefold(), spelled) if spelled else ""


@lru_cache(maxsize=len(LOCALES))
def _unit_words(lang: str) -> dict[str, str]:
    # Read here, not through i18n, which imports this module's formatters.
    with open(Path(__file__).parent / "locales" / lang / "units.toml", "rb") as handle:
        return tomllib.load(handle)["unit"]


def amount(value: float | int | None, unit: str | None, lang: str = "en", range_start: bool = False) -> str:
    """A number with its unit where a reader expects it: Rp1.500.000, 45%, 4,5/5, 48 minutes.

    ``range_start``: the first number of "from 40 to 60 minutes", which leaves a word unit to the
    second (a currency and a percent sign stay on both: "Rp1 to Rp2", "40% to 60%").
    """
    text = number(value, lang)
    unit = unit_word(unit, lang)
    if text == MISSING or not unit:
        return text
    if unit in PREFIX_UNITS:
        return f"{PREFIX_UNITS[unit]}{text}"
    if unit in _ATTACHED_SUFFIXES:
        return f"{text}{unit}"
    if range_start:
        return text
    if unit.startswith("/"):
        return f"{text}{unit}"
    return f"{text} {unit}"


def date(day: dt.date | None, lang: str = "en") -> str:
    """31 May 2026 / 31 Mei 2026 (Babel's "d MMM y", with the month names read once)."""
    if day is None or _is_nat(day) or (isinstance(day, float) and math.isnan(day)):
        return MISSING
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"{day.day} {month_names(lang, 'abbreviated')[day.month - 1]} {day.year}"


def _is_nat(day: object) -> bool:
    """Whether ``day`` is pandas' missing time (NaT). Only a loaded pandas makes one, so this module
    does not load pandas for it: the command line formats dates without pandas."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and day is pandas.NaT


def clock_time(moment: dt.datetime | dt.time, lang: str = "en") -> str:
    """A time of day with its seconds, as the reader writes it: 2:05:09 PM / 14.05.09 (Babel's medium)."""
    return format_time(moment, "medium", locale=_locale(lang))


def dates(days: Iterable[object], lang: str = "en") -> list[str | None]:
    """:func:`date` of every day of a column; None (an empty cell) for a missing one."""
    shown: list[str | None] = []
    for day in days:
        if isinstance(day, dt.datetime):
            day = None if _is_nat(day) else day.date()
        shown.append(date(day, lang) if isinstance(day, dt.date) else None)
    return shown


def short_date_pattern(lang: str) -> str:
    """How a short date is written: 31/05/2026 in Indonesian (day first), 2026-05-31 in English."""
    return "%d/%m/%Y" if lang == "id" else "%Y-%m-%d"


@lru_cache(maxsize=None)  # (language, width) pairs
def month_names(lang: str = "en", width: str = "wide") -> tuple[str, ...]:
    """January..December (or their abbreviations with ``width="abbreviated"``) in ``lang``."""
    names = Locale.parse(_locale(lang)).months["format"][width]
    return tuple(names[month] for month in range(1, 13))


@lru_cache(maxsize=None)
def _day_names(lang: str, width: str) -> tuple[str, ...]:
    names = Locale.parse(_locale(lang)).days["format"][width]
    return tuple(names[(day + 6) % 7] for day in range(7))  # CLDR counts from Monday; d3 from Sunday


def chart_locale(lang: str = "en") -> dict[str, dict[str, object]]:
    """Vega-Lite's ``config.locale`` for ``lang``: number separators and month and day names, so that
    chart axes and tooltips read 1.234,5 and "Agu" in Indonesian. A new copy each call (built once)."""
    return copy.deepcopy(_chart_locale(_locale(lang)))


@lru_cache(maxsize=None)
def _chart_locale(lang: str) -> dict[str, dict[str, object]]:
    locale = Locale.parse(_locale(lang))
    symbols = locale.number_symbols["latn"]
    return {
        "number": {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3],
                   "currency": ["Rp", ""], "minus": "−"},
        "time": {
            "dateTime": "%A, %e %B %Y %X", "date": short_date_pattern(lang), "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": list(_day_names(lang, "wide")), "shortDays": list(_day_names(lang, "abbreviated")),
            "months": list(month_names(lang, "wide")), "shortMonths": list(month_names(lang, "abbreviated")),
        },
    }
