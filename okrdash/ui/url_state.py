"""The one binding between the address bar and the page: read a page's state from the link, draw its
filters as widgets that write their choice back, report what the link asked for that the page
cannot show, and the share box. No page touches ``st.query_params``.

The pickers are not ``bind="query-params"``: a bound widget writes its formatted label into the
link, so a translated option ("Perusahaan") would make a link that works in one language only.
Each picker shows the options of a view model's :class:`~okrdash.views.common.Filter` in the
reader's language, and a change writes the state that choice leads to (the option itself, the
same in both languages); the rerun reads it back from the link. Only the sidebar's language,
cycle and date are bound (ui/context.py: their options are neutral).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

import streamlit as st

from okrdash import readmodels, viewstate
from okrdash.markdown import plain
from okrdash.urls import whatsapp
from okrdash.ui.context import Context
from okrdash.viewstate import PageState
from okrdash.views.common import Filter, Notice

S = TypeVar("S", bound=PageState)
_SHARE_BOX = "_okrdash_share_box"
_CHANGED = "_okrdash_changed_filters"


def read(cls: type[S]) -> S:
    """The state of page ``cls`` that this run's link asks for (what did not read is in ``unread``)."""
    return viewstate.read(cls, {name: st.query_params.get_all(name) for name in st.query_params})


def changed() -> frozenset[str]:
    """The filters the reader changed with a picker since the last run (then forgotten)."""
    return frozenset(st.session_state.pop(_CHANGED, ()))


def go(state: PageState) -> None:
    """Write ``state``'s filters into the link (the shared settings are the sidebar's widgets')."""
    for name in state.filter_names():
        _write(name, getattr(state, name))


def _write(name: str, value: object) -> None:
    if value in (None, (), ""):
        st.query_params.pop(name, None)
    else:
        text = ",".join(value) if isinstance(value, tuple) else str(value)
        if st.query_params.get(name) != text:
            st.query_params[name] = text


def settle(notices: Iterable[Notice], link: PageState) -> None:
    """Each value of the link the page could not use, as a warning (escaped by the view model), and
    the address made ``link``: the filters the page could use, so a link copied from the address
    shows what the page shows."""
    for notice in notices:
        st.warning(notice.text, icon="🔗")
    go(link)


def picker(ctx: Context, choice: Filter, place: Any = None) -> Any:
    """A widget for ``choice`` (a select box, a segmented control or pills) showing its value on
    show; picking writes the state the choice leads to into the link. Returns the widget's value."""
    key = choice.widget_key

    def picked() -> None:
        go(choice.chosen(st.session_state.get(key)))
        st.session_state[_CHANGED] = {*st.session_state.get(_CHANGED, ()), choice.name}

    values = choice.values
    if choice.multi:
        st.session_state[key] = [v for v in values if v in (choice.selected or ())]
    else:
        st.session_state[key] = choice.selected if choice.selected in values else None
    where = place if place is not None else st
    if choice.style == "radio":
        # Radio options render Markdown: labels escaped.
        return where.radio(choice.label, values, index=None, key=key, on_change=picked, help=choice.help,
                           format_func=lambda v: plain(choice.label_of(v)))
    if choice.style == "pills":
        # Pills and segmented controls render their options as Markdown: labels escaped.
        return where.pills(choice.label, values, selection_mode="multi" if choice.multi else "single", key=key,
                           on_change=picked, required=choice.required, format_func=lambda v: plain(choice.label_of(v)))
    if choice.style == "segmented":
        return where.segmented_control(choice.label, values, key=key, on_change=picked, required=choice.required,
                                       format_func=lambda v: plain(choice.label_of(v)))
    return where.selectbox(choice.label, values, index=None, key=key, on_change=picked, required=choice.required,
                           format_func=choice.label_of, placeholder=choice.placeholder or ctx.t("filter.all"))


def reserve_share_box() -> None:
    """Keep the top of the page for the share box (app.py calls this before the page runs; without
    app.py the box is drawn where the page asks for it)."""
    st.session_state[_SHARE_BOX] = st.container()


def share(ctx: Context, state: PageState, summary: str | None = None) -> None:
    """The link to exactly this view (``state``: the view on show, with its language, cycle and
    date), at the top of the page, copied with one click; with a ``summary`` (plain text in the
    reader's language), also a WhatsApp share of the summary and the link.

    Live by default (opened next week, it shows next week's numbers), and pinnable to its date. A
    view of another day than today is always pinned: the link must show what the reader sees.
    """
    today = dt.date.today()
    box = st.session_state.get(_SHARE_BOX) or st.container()
    # A popover: the browser draws its contents only when it is opened, so a page's first load
    # does not fetch and compile st.code's syntax highlighter (1.5 MB of JavaScript, about as much
    # as all of Streamlit's own start-up script) for a box most readers never open.
    with box.popover(ctx.t("share.title"), icon="🔗", help=ctx.t("share.help")):
        pinned = ctx.as_of != today or st.toggle(ctx.t("share.pin", date=ctx.date(ctx.as_of)), key="share_pin")
        if not pinned:
            # A live link follows the date, and with it the cycle, unless the reader chose another one.
            follows_date = ctx.cycle == readmodels.pick_cycle(ctx.store, None, today)
            state = state.live() if follows_date else state.with_(as_of=None)
        base = st.context.url or ""
        link = viewstate.url(state, base)
        st.code(link, language=None)
        st.caption(ctx.t("share.pinned", date=ctx.date(ctx.as_of)) if pinned else ctx.t("share.live"))
        if summary:
            st.link_button(ctx.t("share.whatsapp"), whatsapp(f"{summary} {link}"), icon="💬", width="stretch")
