"""How names (teams, objectives, key results, KPIs) are written down and compared, in one place.

People paste names from chats, PDFs and spreadsheets: a no-break space, a zero-width space, a
full-width letter or a ligature looks like the plain name but is another string. ``normalise_name``
is what okrdash stores; ``name_key`` is how two names are compared, in Python and (registered as
``okr_name_key``) in the importer's SQL, so that both agree: DuckDB's lower('İT') is 'it', Python
keeps 'İT' and 'IT' apart, and only one of those may decide who may write which team.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Zero-width and invisible formatting characters that change a string without changing its look
# (the bidirectional embeddings, overrides and isolates U+202A-202E and U+2066-2069 included).
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
# Both functions are pure and a file repeats its names: a large okrs file asks for ~375,000 keys of
# ~40,000 distinct names (team, objective and key result titles on every row, and the store's). The
# bound keeps a long-running server's memory in check (~2 x 2^17 short strings).
_CACHED_NAMES = 1 << 17


@functools.lru_cache(maxsize=_CACHED_NAMES)
def normalise_name(text: str) -> str:
    """NFKC (full-width letters, ligatures, no-break spaces become plain ones), no invisible
    characters, runs of white space as one space, trimmed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))).strip()


@functools.lru_cache(maxsize=_CACHED_NAMES)
def name_key(text: str | None) -> str | None:
    """The comparison key of a name: normalised and case-folded ('Sales' = 'sales', 'İT' != 'IT')."""
    return None if text is None else normalise_name(text).casefold()


# Letters of other scripts drawn like Latin ones (from Unicode's confusables, for the scripts a name
# typed or pasted here meets): "Sаles" with a Cyrillic а is another name that looks like "Sales".
_LOOKALIKE = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
    "ɡ": "g", "ı": "i", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ѡ": "w", "ց": "g", "օ": "o", "ս": "u", "ᴀ": "a",
})


@functools.lru_cache(maxsize=_CACHED_NAMES)
def skeleton(text: str) -> str:
    """How a name looks: its comparison key with look-alike letters of other scripts made Latin.
    Two names with one skeleton and two keys are look-alikes (``Sales`` and ``Sаles``)."""
    return (name_key(text) or "").translate(_LOOKALIKE)


@functools.lru_cache(maxsize=_CACHED_NAMES)
def foreign_letters(text: str) -> str:
    """The look-alike letters of another script inside a word of Latin letters ("а (CYRILLIC)" of
    "Sаles"), or "" when there are none: a word typed in one script does not borrow a letter."""
    key = name_key(text) or ""
    if key.isascii():  # (most names: at once)
        return ""
    found: dict[str, None] = {}
    for word in re.findall(r"\w+", key):  # a word of Latin letters with one from elsewhere ("Sprint α" is two)
        if any(ch.isascii() and ch.isalpha() for ch in word):
            found.update(dict.fromkeys(ch for ch in word if not ch.isascii() and ch.translate(_LOOKALIKE) != ch))
    return ", ".join(f"{ch} ({unicodedata.name(ch, '?').split()[0]})" for ch in found)
