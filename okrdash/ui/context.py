"""Per-session context shared by every page: the store, the language and the URL-bound filters.

``app.py`` draws the sidebar once per run with :func:`sidebar`; pages read it with :func:`current`.
The cycle, as-of date and language live in the query string (``bind="query-params"``), so any
view is a link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from okrdash import demo, readmodels, review, viewstate
from okrdash.formatting import clock_time
from okrdash.i18n import LANGUAGES, format_date, normalise_language, translate
from okrdash.models import Cycle
from okrdash.settings import load_settings
from okrdash.store import Store, StoreError, shared_store
from okrdash.ui.caching import cache_data
from okrdash.ui.text import plain

LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}


def get_store() -> Store:
    """The store of ``OKRDASH_DB``: one per database file and process, outside every Streamlit cache.

    An empty database gets the demo company when first opened, so a first visit shows something real.
    """
    config = load_settings()
    store, opened = shared_store(config.db_path, config)
    if opened and config.demo_when_empty:
        with store.write_lock:
            if store.is_empty():
                demo.load_demo(store)
    return store


def data_changed() -> None:
    """After an import or undo: free every cached query now (entries of older write versions can
    no longer be hit, see the cached read models below, but would stay in memory until evicted)."""
    st.cache_data.clear()


def checkins_changed() -> None:
    """After a check-in: free the cached views that show key results' values (the KPI table, the
    team list and the KPI proposals do not depend on check-ins)."""
    from okrdash.ui import panels  # panels imports this module

    for cached in (_objective_view, panels._coach_findings):
        cached.clear()


def measurements_changed() -> None:
    """After a KPI measurement: the views of KPIs and of key results that follow a KPI."""
    from okrdash.ui import panels

    for cached in (_objective_view, panels._coach_findings, panels._proposals):
        cached.clear()


@dataclass
class Context:
    store: Store
    lang: str
    cycle: Cycle | None
    cycles: list[Cycle]
    as_of: dt.date
    # The database could not be reached while the sidebar read it: run_page shows the outage page.
    outage: StoreError | None = None

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def status(self, status: str | None) -> str:
        return translate(f"status.{status}", self.lang) if status else "–"

    def date(self, day: dt.date | None) -> str:
        return format_date(day, self.lang)

    def team(self, team: str | None) -> str:
        """A team's name as shown: the company's own team ("Company" / "Perusahaan" in the data) in
        the reader's language, every other team as it is named. Links keep the stored name."""
        if team is None:
            return "–"
        return self.t("common.company") if team.strip() in readmodels.COMPANY_TEAMS else team

    @property
    def shared(self) -> dict[str, str | None]:
        """The language, cycle and date of this view, as every link between pages carries them."""
        return {"lang": self.lang, "cycle": self.cycle.name if self.cycle else None, "as_of": self.as_of.isoformat()}


_CONTEXT_KEY = "_okrdash_context"


def sidebar() -> Context:
    """Language, cycle and as-of date in the sidebar, each bound to the URL."""
    try:
        store = get_store()
    except StoreError as error:  # a damaged database or one held by another process: say so, instead of
        # Streamlit's generic error page (the next visit tries again: a failed open is not kept)
        lang = normalise_language(st.query_params.get("lang") or load_settings().default_language)
        if error.code == UNREACHABLE:
            outage_page(error, lang)
        else:
            st.error(store_failure(error, lang), icon="🛑")
        st.stop()
    default_lang = normalise_language(store.config.default_language)
    requested = {k: st.query_params.get(k) for k in ("lang", "cycle", "as_of")}
    with st.sidebar:
        # The option itself (en/id) is what the URL carries, so it is shown as is.
        lang = st.segmented_control(
            "🌐 Language · Bahasa", LANGUAGES, default=default_lang, key="lang", bind="query-params",
            required=True, help=" · ".join(f"{code} = {name}" for code, name in LANGUAGE_NAMES.items()),
        ) or default_lang
        as_of = st.date_input(translate("filter.as_of", lang), value=dt.date.today(), key="as_of",
                              bind="query-params", format="DD/MM/YYYY" if lang == "id" else "YYYY-MM-DD")
        as_of = as_of if isinstance(as_of, dt.date) else dt.date.today()
        outage = None
        try:
            cycles = store.cycles()
            default_cycle = readmodels.pick_cycle(store, None, as_of)
        except StoreError as error:
            if error.code != UNREACHABLE:
                raise
            # The picker keeps the options of the session's last run (or the link's cycle), so the
            # choice and the link stay as they were until the database answers again.
            outage, earlier = error, st.session_state.get(_CONTEXT_KEY)
            cycles = earlier.cycles if earlier else []
            default_cycle = earlier.cycle if earlier else None
        names = [c.name for c in reversed(cycles)] or ([requested["cycle"]] if outage and requested["cycle"] else [])
        chosen = st.selectbox(
            translate("filter.cycle", lang), names,
            index=names.index(default_cycle.name) if default_cycle else None,
            key="cycle", bind="query-params", placeholder=translate("filter.no_cycles", lang),
        )
    cycle = next((c for c in cycles if c.name == chosen), None)
    context = Context(store=store, lang=lang, cycle=cycle, cycles=cycles, as_of=as_of, outage=outage)
    if outage is None:
        _warn_about_ignored(context, requested, {"lang": lang, "cycle": chosen, "as_of": as_of.isoformat()})
    st.session_state[_CONTEXT_KEY] = context
    return context


def store_failure(error: StoreError, lang: str) -> str:
    """Why the app cannot open its database, for a visitor: a file held by another process says
    which one and what the person running okrdash can do (the CLI's text tells a terminal user to
    stop it or use the Upload page, which is this very app)."""
    if error.code == "store_locked":
        return translate("store.store_locked_app", lang, **{k: plain(v) for k, v in error.params.items()})
    return error.message(lang)


# The code of a StoreError for a database server that cannot be reached (PostgreSQL down, refused, cut off).
UNREACHABLE = "store_unreachable"
# How often the outage page tries the database again.
RETRY_SECONDS = 5.0
_OUTAGE_DRAWN = "_okrdash_outage_drawn"


def run_page(ctx: Context, draw: Callable[[], None]) -> None:
    """``draw()`` the page; when the database cannot be reached, before it or while it draws, the
    outage page instead of anything it drew (a form's own message included: the page says the same)."""
    outage = ctx.outage
    if outage is None:
        body = st.empty()
        try:
            with body.container():
                draw()
            return
        except StoreError as error:
            if error.code != UNREACHABLE:
                raise
            body.empty()
            outage = error
    outage_page(outage, ctx.lang)


def outage_page(error: StoreError, lang: str) -> None:
    """The one page shown while the database cannot be reached: that nothing was changed and when
    the next try is. It tries again by itself every :data:`RETRY_SECONDS` (the whole app reruns),
    so the page the link asks for comes back once the database does."""
    next_try = dt.datetime.now() + dt.timedelta(seconds=RETRY_SECONDS)
    st.title(translate("store.outage_title", lang))
    st.error(translate("store.outage", lang, time=clock_time(next_try, lang)), icon="🛑")
    st.caption(plain(error.message(lang)))
    st.session_state[_OUTAGE_DRAWN] = True
    _retry_soon()


@st.fragment(run_every=RETRY_SECONDS)
def _retry_soon() -> None:
    # Drawn with the outage page (nothing to do yet), then run by itself every RETRY_SECONDS: a
    # rerun of the whole app, which reads the database again.
    if not st.session_state.pop(_OUTAGE_DRAWN, False):
        st.rerun(scope="app")


def _warn_about_ignored(context: Context, requested: dict[str, str | None], used: dict[str, str | None]) -> None:
    """A link with a value we could not use says so, instead of silently showing something else."""
    for key, raw in requested.items():
        if raw and raw != used[key]:
            st.warning(context.t("nav.ignored_param", name=key, value=plain(raw), used=plain(used[key] or "–")),
                       icon="🔗")


def warn_ignored(ctx: Context, name: str, value: object, used: object = None, message: str = "nav.ignored_param",
                 **params: object) -> None:
    """The one way a page says that a link asked for something it could not show: the values from
    the URL (and what is shown instead) escaped, in the reader's language."""
    st.warning(ctx.t(message, name=name, value=plain(value), used=plain(used if used is not None else "–"),
                     **{key: plain(v) for key, v in params.items()}), icon="🔗")


# Filters with their own wording for a value that is not of their type.
_UNREADABLE = {"objective": "objective.bad_id"}


def page_view(ctx: Context, page: str) -> viewstate.View:
    """The typed view of ``page`` that the URL asks for (okrdash/viewstate.py); a value that does not
    read as its type is reported once and left out. Pages read their filters from here only."""
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    view, unread = viewstate.read(page, params)
    shared = {"lang", "cycle", "as_of"}  # the sidebar reports those (see _warn_about_ignored)
    for name, raw in unread:
        if name not in shared:
            warn_ignored(ctx, name, raw, message=_UNREADABLE.get(name, "nav.ignored_param"))
            st.query_params.pop(name, None)
    return view


def choose(ctx: Context, view: viewstate.View, name: str, options: list, used: object = None,
           message: str = "nav.ignored_param", **params: object) -> object:
    """The value of filter ``name`` if it is one of ``options``; else None, reported (with ``used``,
    what is shown instead, and the message key of the page's own wording)."""
    value = view.filter(name)
    if value is None or value in options:
        return value
    warn_ignored(ctx, name, value, used, message, **params)
    return None


def set_param(name: str, value: object) -> None:
    """Write one filter into the URL (or take it out): how an unbound picker keeps the URL the state."""
    if value is None or value == "" or value == [] or value == ():
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = ",".join(value) if isinstance(value, (list, tuple)) else str(value)


def current() -> Context:
    """The context ``app.py`` set up for this run (or a fresh one when a page runs alone)."""
    context = st.session_state.get(_CONTEXT_KEY)
    return context if context is not None else sidebar()


# Read models. The overview, a team's view, the KPI table and a team's filtered key results are
# lookups of the store's kept scores (Store.scores: one scoring per write version and date), cheaper
# than st.cache_data's pickle round trip of their frames on every run (0.1-0.3 CPU s for the
# company's KPI table or objectives). An objective's view reads its histories, so it is cached,
# keyed by the store's write version (bumped by every committed write of this process): a view
# computed while another session wrote is stored under the old version and never served again.
# The store argument (one per process) is not hashed.
def overview(store: Store, cycle: Cycle | None, as_of: dt.date) -> readmodels.Overview:
    return readmodels.overview(store, cycle, as_of)


def team_view(store: Store, team: str, cycle: Cycle | None, as_of: dt.date) -> readmodels.TeamView:
    return readmodels.team_view(store, team, cycle, as_of)


def objective_view(store: Store, objective_id: int, as_of: dt.date) -> readmodels.ObjectiveView | None:
    return _objective_view(store, store.write_version, objective_id, as_of)


def kpi_table(store: Store, as_of: dt.date, team: str | None = None, category: str | None = None,
              kpi_type: str | None = None, indicator: str | None = None, status: str | None = None) -> pd.DataFrame:
    return readmodels.kpi_table(store, as_of, team=team, category=category, kpi_type=kpi_type, indicator=indicator,
                                status=status)


def team_key_results(store: Store, team: str, cycle: Cycle, as_of: dt.date, statuses: tuple[str, ...],
                     owner: str | None) -> pd.DataFrame:
    return readmodels.team_key_results(store, team, cycle, as_of, statuses, owner)


@cache_data(show_spinner=False, max_entries=128)
def _objective_view(_store: Store, version: int, objective_id: int, as_of: dt.date) -> readmodels.ObjectiveView | None:
    return readmodels.objective_view(_store, objective_id, as_of)


def teams(store: Store) -> list[str]:
    return _teams(store, store.write_version)


def owners(store: Store) -> list[str]:
    return _owners(store, store.write_version)


@cache_data(show_spinner=False, max_entries=16)
def _teams(_store: Store, version: int) -> list[str]:
    return _store.teams()


@cache_data(show_spinner=False, max_entries=16)
def _owners(_store: Store, version: int) -> list[str]:
    return _store.owners()


def frame_or_empty(frame: pd.DataFrame | None) -> pd.DataFrame:
    return frame if frame is not None else pd.DataFrame()


def quarter_review(store: Store, cycle: Cycle, as_of: dt.date, team: str | None) -> review.Review:
    return _quarter_review(store, store.write_version, cycle, as_of, team)


def review_teams(store: Store, cycle: Cycle) -> list[str]:
    return _review_teams(store, store.write_version, cycle)


@cache_data(show_spinner=False, max_entries=64)
def _quarter_review(_store: Store, version: int, cycle: Cycle, as_of: dt.date, team: str | None) -> review.Review:
    return review.review(_store, cycle, as_of, team=team)


@cache_data(show_spinner=False, max_entries=64)
def _review_teams(_store: Store, version: int, cycle: Cycle) -> list[str]:
    return review.cycle_teams(_store, cycle)
