"""Every link between pages, built in one place from the view on show (no Streamlit).

``Urls(lang, cycle, as_of)`` carries the language, cycle and date of the view a link is made
from; each page has a method taking that page's filters, typed, and returning a :class:`Link`
to its state (okrdash/viewstate.py), which reads back as the same state. ``st.page_link`` takes
a link's ``script`` and ``query``; a table's link column its ``href``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pandas as pd

from okrdash.viewstate import (CheckinState, ExplainerState, HomeState, KpisState, MyKeyResultsState, ObjectiveState, PageState,
                               PeopleState, ReviewState, TeamState, UploadState, query, url)


@dataclass(frozen=True)
class Link:
    """A link to one page's state."""

    state: PageState

    @property
    def page(self) -> str:
        """The page's url path."""
        return self.state.PAGE

    @property
    def script(self) -> str:
        """The page's file (what ``st.page_link`` names)."""
        return self.state.SCRIPT

    @property
    def query(self) -> dict[str, str]:
        return query(self.state)

    @property
    def href(self) -> str:
        """The relative link: the page's url path and its query string."""
        return url(self.state, self.state.PAGE)

    def at(self, base_url: str) -> str:
        """The absolute link under ``base_url`` (where okrdash is opened), for an e-mail or a chat."""
        return f"{base_url.rstrip('/')}/{self.href}"


@dataclass(frozen=True)
class Urls:
    """The links of one view: each carries its language, cycle and date."""

    lang: str | None = None
    cycle: str | None = None
    as_of: dt.date | None = None

    def to(self, state: PageState) -> Link:
        """The link to ``state``'s filters, with this view's language, cycle and date."""
        return Link(state.sharing(self.lang, self.cycle, self.as_of))

    def home(self, aligned: str | None = None) -> Link:
        return self.to(HomeState(aligned=aligned))

    def team(self, team: str | None = None, status: tuple[str, ...] = (), owner: str | None = None,
             objective_page: int | None = None) -> Link:
        return self.to(TeamState(team=team, status=status, owner=owner, objective_page=objective_page))

    def objective(self, objective: int | None = None, team: str | None = None) -> Link:
        return self.to(ObjectiveState(objective=objective, team=team))

    def my_key_results(self, owner: str | None = None) -> Link:
        return self.to(MyKeyResultsState(owner=owner))

    def checkin(self, owner: str | None = None) -> Link:
        """The weekly check-in of ``owner``: every key result they own in the cycle, on one screen."""
        return self.to(CheckinState(owner=owner))

    def kpis(self, team: str | None = None, category: str | None = None, type: str | None = None,
             indicator: str | None = None, status: str | None = None, kpi: int | None = None) -> Link:
        return self.to(KpisState(team=team, category=category, type=type, indicator=indicator, status=status,
                                 kpi=kpi))

    def review(self, team: str | None = None) -> Link:
        return self.to(ReviewState(team=team))

    def upload(self) -> Link:
        return self.to(UploadState())

    def people(self) -> Link:
        """The People page (admins): the people okrdash reminds and the owners no person is."""
        return self.to(PeopleState())

    def explainer(self, ex_team: str | None = None, ex_role: str | None = None, ex_category: str | None = None,
                  ex_type: str | None = None, ex_indicator: str | None = None) -> Link:
        return self.to(ExplainerState(ex_team=ex_team, ex_role=ex_role, ex_category=ex_category, ex_type=ex_type,
                                      ex_indicator=ex_indicator))

    def objectives(self, ids: pd.Series) -> pd.Series:
        """The link to each objective of ``ids``, for a table's link column."""
        return _column(self.objective(), "objective", ids)

    def kpi_details(self, ids: pd.Series) -> pd.Series:
        """The link to each KPI of ``ids`` on the KPIs page, for a table's link column."""
        return _column(self.kpis(), "kpi", ids)


def whatsapp(text: str) -> str:
    """A WhatsApp share of ``text`` (a short summary and a view's link): whoever opens it picks the
    chat or group to send it to."""
    return f"https://wa.me/?{urlencode({'text': text}, quote_via=quote)}"


def _column(base: Link, name: str, ids: pd.Series) -> pd.Series:
    """``base`` (a link with no filter set) with filter ``name`` set to each id, built as one string
    operation per column: with no other filter set, ``name`` is the last of the query string."""
    href = base.href
    return f"{href}{'&' if '?' in href else '?'}{name}=" + ids.astype("int64").astype(str)
