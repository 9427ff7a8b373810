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

# Zero-width and invisible formatting characters that change a string without changing its look.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
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
