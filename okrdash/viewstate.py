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
    "home": {"aligned": _text},
    "team": {"team": _text, "status": _names, "owner": _text, "objective_page": _whole_number},
    "objective": {"objective": _whole_number, "team": _text},
    "my": {"owner": _text},
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
    return read(page, params)[0]


def read(page: str, params: Mapping[str, str | list[str] | None]) -> tuple[View, list[tuple[str, str]]]:
    """The view a query string asks for, and the (name, value) pairs of it that could not be read.

    A name given several times (``?status=A&status=B``) counts once per value for lists of names;
    for any other filter the last value counts. Names a page does not know are left alone (other
    pages' links, tracking parameters); a value that does not read as its type is returned.
    """
    unread: list[tuple[str, str]] = []

    def last(name: str) -> str:
        raw = params.get(name)
        if isinstance(raw, (list, tuple)):
            return raw[-1] if raw else ""
        return raw or ""

    lang = last("lang")
    as_of = None
    raw_as_of = last("as_of")
    try:
        as_of = dt.date.fromisoformat(raw_as_of) if raw_as_of else None
    except ValueError:
        unread.append(("as_of", raw_as_of))
    if lang and lang not in LANGUAGES:
        unread.append(("lang", lang))
    filters = []
    for name, reader in PAGE_FILTERS.get(page, {}).items():
        given = params.get(name)
        raw = ",".join(given) if isinstance(given, (list, tuple)) and reader is _names else last(name)
        value = reader(raw) if raw else None
        if value is not None:
            filters.append((name, value))
        elif raw.strip():
            unread.append((name, raw))
    view = View(page=page, lang=lang if lang in LANGUAGES else None, cycle=last("cycle") or None,
                as_of=as_of, filters=tuple(filters))
    return view, unread


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


def link(page: str, shared: View | Mapping[str, object] | None = None, **filters: object) -> str:
    """The relative link to ``page`` (its url path, ``home`` for the start page) with the language,
    cycle and date of ``shared`` (the view on show, or a mapping with lang / cycle / as_of) and
    ``filters``: every link between pages is built here, so it reads back as the same view."""
    return url(for_page(page, shared, **filters), page)


def for_page(page: str, shared: View | Mapping[str, object] | None = None, **filters: object) -> View:
    """The view of ``page`` with the shared settings of ``shared`` and ``filters``."""
    if isinstance(shared, View):
        lang, cycle, as_of = shared.lang, shared.cycle, shared.as_of
    else:
        given = dict(shared or {})
        lang, cycle, raw = given.get("lang"), given.get("cycle"), given.get("as_of")
        as_of = raw if isinstance(raw, dt.date) or raw is None else dt.date.fromisoformat(str(raw))
    view = from_page(page, str(lang) if lang else "", str(cycle) if cycle else None, as_of,
                     **{name: str(value) if isinstance(value, int) else value for name, value in filters.items()})
    return View(view.page, view.lang or None, view.cycle, view.as_of, view.filters)
