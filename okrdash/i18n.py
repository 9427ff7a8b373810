"""English and Bahasa Indonesia: strings from ``locales/*.toml``, numbers and dates per language."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("en", "id")
LOCALES_DIR = Path(__file__).parent / "locales"

_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
}


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@lru_cache(maxsize=len(LANGUAGES))
def strings(lang: str) -> dict[str, str]:
    """All strings of one language, keyed ``section.name``, from every ``locales/<lang>/*.toml``."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with open(path, "rb") as handle:
            merged.update(_flatten(tomllib.load(handle)))
    return merged


def normalise_language(lang: str | None, default: str = "en") -> str:
    return lang if lang in LANGUAGES else default


def translate(key: str, lang: str = "en", /, **params: object) -> str:
    """The string ``key`` in ``lang`` with ``{params}`` filled in; English, then the key, as fallbacks."""
    template = strings(normalise_language(lang)).get(key) or strings("en").get(key) or key
    if not params:
        return template
    formatted = {k: format_number(v, lang) if isinstance(v, float) else v for k, v in params.items()}
    try:
        return template.format(**formatted)
    except (KeyError, IndexError, ValueError):
        return template


def format_number(value: float | int | None, lang: str = "en", decimals: int | None = None) -> str:
    """1234.5 -> "1,234.5" in English and "1.234,5" in Indonesian; "–" for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (1 if abs(value) >= 100 else 2)
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".") if "." in text else text
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_percent(share: float | None, lang: str = "en") -> str:
    """0.444 -> "44%"."""
    return "–" if share is None or math.isnan(share) else f"{format_number(round(share * 100), lang)}%"


def format_date(day: dt.date | None, lang: str = "en") -> str:
    """31 May 2026 / 31 Mei 2026."""
    if day is None:
        return "–"
    return f"{day.day} {_MONTHS[normalise_language(lang)][day.month - 1]} {day.year}"
