"""English and Bahasa Indonesia: strings from ``locales/*.toml`` (numbers and dates: ``formatting``)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

# The package and its pages have always imported the formatters from here; they live in formatting.
from okrdash.formatting import date as format_date
from okrdash.formatting import number as format_number
from okrdash.formatting import percent as format_percent

__all__ = ["LANGUAGES", "format_date", "format_number", "format_percent", "normalise_language", "strings",
           "translate"]

LANGUAGES = ("en", "id")
LOCALES_DIR = Path(__file__).parent / "locales"


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
