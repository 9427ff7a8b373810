"""People (admins): the people okrdash reminds, edited in a table, and the owners of key results
no person is or two people are (okrdash/views/people.py)."""

import streamlit as st

from okrdash.viewstate import PeopleState
from okrdash.views import people
from okrdash.views.common import Table
from okrdash.ui import auth, context, editors, url_state, widgets

ctx = context.current()
t = ctx.t
access = auth.current_access(ctx)
view = people.view(ctx.store, url_state.read(PeopleState), ctx.scope, access)

st.title(f"📇 {t('people.title')}")
url_state.settle(view.notices, view.link)
if view.denied:
    widgets.message(view.denied)
    st.stop()

st.caption(view.caption)
if view.empty:
    widgets.message(view.empty)
    widgets.page_link(view.upload)

st.subheader(t("people.people_list"))
if not view.empty:
    st.caption(view.count)
with widgets.wide("people"):
    editors.people_editor(ctx, access, view.people, view.labels, view.languages)
if view.cards:
    with widgets.narrow("people"):
        widgets.cards(view.cards)


def owners_listed(name: str, shown: Table | None, none: str) -> None:
    """Owners that match no person (``unknown``) or two (``ambiguous``): a table, or why there is none."""
    st.subheader(t(f"people.{name}_title"))
    if shown is None:
        st.caption(none)
        return
    st.caption(t(f"people.{name}_help"))
    widgets.table(ctx, shown)


owners_listed("unknown", view.unknown, view.unknown_none)
owners_listed("ambiguous", view.ambiguous, view.ambiguous_none)
url_state.share(ctx, view.shown)
