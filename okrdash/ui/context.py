"""Per-session context shared by every page: the store, and the language, cycle and as-of date the
sidebar shows (the :class:`~okrdash.views.common.Scope` every view model is built for).

``app.py`` draws the sidebar once per run with :func:`sidebar`; pages read it with :func:`current`.
The cycle, as-of date and language live in the query string (``bind="query-params"``: their options
are neutral); each page's own filters are bound by ui/url_state.py. Here too: the outage page,
and the caches of the coach's findings and the KPI proposals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from okrdash.access import Access
from okrdash import bridge, coach, demo, readmodels, warming
from okrdash.formatting import clock_time
from okrdash.i18n import LANGUAGES, normalise_language, translate
from okrdash.markdown import plain
from okrdash.models import Cycle
from okrdash.settings import load_settings
from okrdash.store import Store, StoreError, shared_store
from okrdash.ui.caching import cache_data
from okrdash.views.common import Scope, Words

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
    no longer be hit, see the cached read models below, but would stay in memory until evicted),
    and warm the new version's scores before the next view asks (okrdash.warming)."""
    st.cache_data.clear()
    warming.poke()


def checkins_changed() -> None:
    """After a check-in: free the cached views that show key results' values (the KPI table, the
    team list and the KPI proposals do not depend on check-ins)."""
    _coach_findings.clear()
    warming.poke()


def measurements_changed() -> None:
    """After a KPI measurement: the views of KPIs and of key results that follow a KPI."""
    for cached in (_coach_findings, _proposals):
        cached.clear()
    warming.poke()


@dataclass
class Context:
    store: Store
    lang: str
    cycle: Cycle | None
    cycles: list[Cycle]
    as_of: dt.date
    # The database could not be reached while the sidebar read it: run_page shows the outage page.
    outage: StoreError | None = None
    # Who is here, once this run's page has asked (auth.current_access); app.py's sidebar reads it.
    access: Access | None = None

    @property
    def scope(self) -> Scope:
        """The language, cycle and day this run shows: what every view model is built for."""
        return Scope(self.lang, self.cycle, self.as_of)

    @property
    def words(self) -> Words:
        return Words(self.lang)

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def status(self, status: str | None) -> str:
        return self.words.status(status)

    def date(self, day: dt.date | None) -> str:
        return self.words.date(day)

    def team(self, team: str | None) -> str:
        """A team's name as shown (views.common.Words.team): links keep the stored name."""
        return self.words.team(team)

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


def current() -> Context:
    """The context ``app.py`` set up for this run (or a fresh one when a page runs alone)."""
    context = st.session_state.get(_CONTEXT_KEY)
    return context if context is not None else sidebar()


# The coach's findings and the KPI proposals, cached per write version of the store (bumped by
# every committed write of this process): a result computed while another session wrote is stored
# under the old version and never served again. The store argument (one per process) is not hashed.
# Every other view reads the store's kept scores (okrdash/readmodels.py), not Streamlit's cache.
def coach_findings(store: Store, as_of: dt.date, cycle: str | None, team: str | None) -> list[coach.Finding]:
    return _coach_findings(store, store.write_version, as_of, cycle, team)


def proposals(store: Store, as_of: dt.date, cycle: str, lang: str, team: str | None) -> list[bridge.Proposal]:
    return _proposals(store, store.write_version, as_of, cycle, lang, team)


@cache_data(show_spinner=False, max_entries=64)
def _coach_findings(_store, version: int, as_of, cycle: str | None, team: str | None) -> list[coach.Finding]:
    # ``version``: the store's write version, so a result computed during a write is never served after it.
    return coach.check_store(_store, as_of, cycle=cycle, team=team)


@cache_data(show_spinner=False, max_entries=64)
def _proposals(_store, version: int, as_of, cycle: str, lang: str, team: str | None) -> list[bridge.Proposal]:
    return bridge.proposals(_store, as_of, cycle, lang, team=team)

