"""What a link holds: the query string of a page, as a typed view state and back (no Streamlit).

Every page shares the language, the cycle and the as-of date; each page adds its own filters. A
view without an as-of date is *live*: opened next week, it shows next week's numbers. Parsing drops
what a page does not know or cannot read (a page reports those itself), so that
``parse(page, query(view))`` gives ``view`` back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from okrdash.i18n import LANGUAGES


def _whole_number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _text(text: str) -> str | None:
    return text or None


def _names(text: str) -> tuple[str, ...] | None:
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    return names or None


# Each page's own filters, in the order its link writes them, with the reader of each value.
PAGE_FILTERS: dict[str, dict[str, Callable[[str], object]]] = {
    "home": {},
    "team": {"team": _text, "status": _names, "owner": _text},
    "objective": {"objective": _whole_number},
    "kpis": {"team": _text, "category": _text, "type": _text, "indicator": _text, "status": _text,
             "kpi": _whole_number},
    "review": {"team": _text},
    "upload": {},
    "explainer": {"ex_team": _text, "ex_role": _text, "ex_category": _text, "ex_type": _text,
                  "ex_indicator": _text},
}


@dataclass(frozen=True)
class View:
    """One page's view: shared settings plus that page's filters (name -> value, in the page's order)."""

    page: str
    lang: str | None = None
    cycle: str | None = None
    as_of: dt.date | None = None          # None: live, today's numbers whenever the link is opened
    filters: tuple[tuple[str, object], ...] = field(default=())

    @property
    def is_live(self) -> bool:
        return self.as_of is None

    def filter(self, name: str) -> object:
        return dict(self.filters).get(name)

    def pinned(self, day: dt.date) -> View:
        """The same view fixed to ``day``."""
        return View(self.page, self.lang, self.cycle, day, self.filters)

    def live(self) -> View:
        """The same view without its date (and without a cycle, which follows the date)."""
        return View(self.page, self.lang, None, None, self.filters)


def parse(page: str, params: Mapping[str, str | None]) -> View:
    """The view a query string asks for (one value per name, as ``st.query_params`` gives them)."""
    lang = params.get("lang")
    as_of = None
    raw_as_of = params.get("as_of") or ""
    try:
        as_of = dt.date.fromisoformat(raw_as_of) if raw_as_of else None
    except ValueError:
        as_of = None
    filters = []
    for name, read in PAGE_FILTERS.get(page, {}).items():
        raw = params.get(name)
        value = read(raw) if raw else None
        if value is not None:
            filters.append((name, value))
    return View(page=page, lang=lang if lang in LANGUAGES else None, cycle=params.get("cycle") or None,
                as_of=as_of, filters=tuple(filters))


def query(view: View) -> dict[str, str]:
    """The query parameters of ``view``, in a fixed order, without empty values."""
    out: dict[str, str] = {}
    if view.lang:
        out["lang"] = view.lang
    if view.cycle:
        out["cycle"] = view.cycle
    if view.as_of:
        out["as_of"] = view.as_of.isoformat()
    for name, value in view.filters:
        out[name] = ",".join(value) if isinstance(value, tuple) else str(value)
    return out


def url(view: View, base: str = "") -> str:
    """The link to ``view``: ``base`` (the page's address) plus its query string."""
    text = urlencode(query(view))
    return f"{base}?{text}" if text else base


def from_page(page: str | None, lang: str, cycle: str | None, as_of: dt.date | None, **filters: object) -> View:
    """The view a page is showing, from the values it uses (empty filters dropped, in the page's order).

    An unknown page (a page script run on its own, as in tests) keeps every filter it is given.
    """
    known = PAGE_FILTERS.get(page or "", {name: _text for name in filters})
    ordered = []
    for name, read in known.items():
        value = filters.get(name)
        if isinstance(value, (list, tuple)):
            value = tuple(str(v) for v in value) or None
        elif isinstance(value, str):
            value = read(value)
        if value not in (None, ""):
            ordered.append((name, value))
    return View(page=page or "", lang=lang, cycle=cycle, as_of=as_of, filters=tuple(ordered))
