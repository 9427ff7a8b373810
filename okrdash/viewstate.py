"""What a link holds: each page's query string as a typed state, and back (no Streamlit).

Every page shares the language, the cycle and the as-of date (:class:`PageState`); each page's
state adds its own filters, declared once as fields with their reader (:func:`text`,
:func:`whole_number`, :func:`names`) in the order its link writes them. A state without an as-of
date is *live*: opened next week, it shows next week's numbers. Reading keeps what a page cannot
read out of the state and records it (:attr:`PageState.unread`: the page's view model reports
it), so that ``read(cls, query(state))`` gives ``state`` back. A new page is a subclass here, a
view model in okrdash/views/ and a method of okrdash/urls.py's ``Urls``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar
from urllib.parse import urlencode

from okrdash.i18n import LANGUAGES

SHARED = ("lang", "cycle", "as_of")


def _whole_number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _text(text: str) -> str | None:
    return text or None


def _names(text: str) -> tuple[str, ...] | None:
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    return names or None


def text() -> Any:
    """A filter holding one text (a team, an owner, a category ...)."""
    return field(default=None, metadata={"read": _text})


def whole_number() -> Any:
    """A filter holding a whole number (an objective's id, a page number)."""
    return field(default=None, metadata={"read": _whole_number})


def names() -> Any:
    """A filter holding several texts, written comma-separated (``?status=Off+Track,At+Risk``)."""
    return field(default=(), metadata={"read": _names})


@dataclass(frozen=True)
class PageState:
    """The language, cycle and date of a link; a page's state (a subclass) adds its filters."""

    PAGE: ClassVar[str] = ""    # the page's url path ("home" is the start page, served at "/")
    SCRIPT: ClassVar[str] = ""  # the page's file, for st.Page and st.page_link

    lang: str | None = None
    cycle: str | None = None
    as_of: dt.date | None = None          # None: live, today's numbers whenever the link is opened
    # (name, value) pairs of the query string that did not read as their type: the view reports them.
    unread: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def filter_names(cls) -> tuple[str, ...]:
        """This page's filters, in the order its link writes them."""
        return tuple(f.name for f in dataclasses.fields(cls) if "read" in f.metadata)

    @property
    def filters(self) -> tuple[tuple[str, object], ...]:
        """The filters that hold a value, as (name, value) in the page's order."""
        return tuple((name, value) for name in self.filter_names()
                     if (value := getattr(self, name)) not in (None, ()))

    @property
    def is_live(self) -> bool:
        return self.as_of is None

    def with_(self: S, **changes: object) -> S:
        """The same state with ``changes`` (filters or shared settings); nothing left unread."""
        return dataclasses.replace(self, unread=(), **changes)

    def pinned(self: S, day: dt.date) -> S:
        """The same view fixed to ``day``."""
        return self.with_(as_of=day)

    def live(self: S) -> S:
        """The same view without its date (and without a cycle, which follows the date)."""
        return self.with_(cycle=None, as_of=None)

    def sharing(self: S, lang: str | None, cycle: str | None, as_of: dt.date | None) -> S:
        """The same filters with the language, cycle and date of another view (a link between pages)."""
        return self.with_(lang=lang, cycle=cycle, as_of=as_of)


S = TypeVar("S", bound=PageState)


@dataclass(frozen=True)
class HomeState(PageState):
    PAGE: ClassVar[str] = "home"
    SCRIPT: ClassVar[str] = "pages/overview.py"
    aligned: str | None = text()        # a company objective's id, or views.overview.UNALIGNED


@dataclass(frozen=True)
class TeamState(PageState):
    PAGE: ClassVar[str] = "team"
    SCRIPT: ClassVar[str] = "pages/team.py"
    team: str | None = text()
    status: tuple[str, ...] = names()
    owner: str | None = text()
    objective_page: int | None = whole_number()


@dataclass(frozen=True)
class ObjectiveState(PageState):
    PAGE: ClassVar[str] = "objective"
    SCRIPT: ClassVar[str] = "pages/objective.py"
    objective: int | None = whole_number()
    team: str | None = text()           # whose objectives the picker lists


@dataclass(frozen=True)
class MyKeyResultsState(PageState):
    PAGE: ClassVar[str] = "my"
    SCRIPT: ClassVar[str] = "pages/my_key_results.py"
    owner: str | None = text()


@dataclass(frozen=True)
class CheckinState(PageState):
    PAGE: ClassVar[str] = "checkin"
    SCRIPT: ClassVar[str] = "pages/checkin.py"
    owner: str | None = text()          # as the owner cells write the name (the reminder's link names it)


@dataclass(frozen=True)
class KpisState(PageState):
    PAGE: ClassVar[str] = "kpis"
    SCRIPT: ClassVar[str] = "pages/kpis.py"
    team: str | None = text()
    category: str | None = text()
    type: str | None = text()
    indicator: str | None = text()
    status: str | None = text()
    kpi: int | None = whole_number()


@dataclass(frozen=True)
class ReviewState(PageState):
    PAGE: ClassVar[str] = "review"
    SCRIPT: ClassVar[str] = "pages/review.py"
    team: str | None = text()           # None: the whole company


@dataclass(frozen=True)
class UploadState(PageState):
    PAGE: ClassVar[str] = "upload"
    SCRIPT: ClassVar[str] = "pages/upload.py"
    numbers: str | None = text()        # the reader's answer to "how are 1.500 and 4,5 read" (NumberFormat)
    dates: str | None = text()          # and to "is 10/1/2026 10 January or 1 October" (DateOrder)


@dataclass(frozen=True)
class PeopleState(PageState):
    PAGE: ClassVar[str] = "people"
    SCRIPT: ClassVar[str] = "pages/people.py"


@dataclass(frozen=True)
class ExplainerState(PageState):
    PAGE: ClassVar[str] = "explainer"
    SCRIPT: ClassVar[str] = "pages/explainer.py"
    ex_team: str | None = text()
    ex_role: str | None = text()
    ex_category: str | None = text()
    ex_type: str | None = text()
    ex_indicator: str | None = text()


# Every page's state by its url path.
STATES: dict[str, type[PageState]] = {cls.PAGE: cls for cls in (
    HomeState, TeamState, ObjectiveState, MyKeyResultsState, CheckinState, KpisState, ReviewState, UploadState,
    PeopleState, ExplainerState)}


def read(cls: type[S], params: Mapping[str, str | list[str] | None]) -> S:
    """The state of page ``cls`` that a query string asks for (``st.query_params`` or parsed).

    A name given several times (``?status=A&status=B``) counts once per value for lists of names;
    for any other filter the last value counts. Names a page does not know are left alone (other
    pages' links, tracking parameters); a value that does not read as its type is left out and
    recorded in ``unread``, the shared ones (lang, as_of) included.
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
    filters: dict[str, object] = {}
    for spec in dataclasses.fields(cls):
        reader: Callable[[str], object] | None = spec.metadata.get("read")
        if reader is None:
            continue
        given = params.get(spec.name)
        raw = ",".join(given) if isinstance(given, (list, tuple)) and reader is _names else last(spec.name)
        value = reader(raw) if raw else None
        if value is not None:
            filters[spec.name] = value
        elif raw.strip():
            unread.append((spec.name, raw))
    return cls(lang=lang if lang in LANGUAGES else None, cycle=last("cycle") or None, as_of=as_of,
               unread=tuple(unread), **filters)


def query(state: PageState) -> dict[str, str]:
    """The query parameters of ``state``, in a fixed order, without empty values."""
    out: dict[str, str] = {}
    if state.lang:
        out["lang"] = state.lang
    if state.cycle:
        out["cycle"] = state.cycle
    if state.as_of:
        out["as_of"] = state.as_of.isoformat()
    for name, value in state.filters:
        out[name] = ",".join(value) if isinstance(value, tuple) else str(value)
    return out


def url(state: PageState, base: str = "") -> str:
    """The link to ``state``: ``base`` (the page's address) plus its query string."""
    text = urlencode(query(state))
    return f"{base}?{text}" if text else base
