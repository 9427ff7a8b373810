"""People (admins): the people okrdash reminds, edited in a table, and the owners of key results
no person is or two people are (okrdash/views/people.py)."""

import streamlit as st

from okrdash.viewstate import PeopleState
from okrdash.views import people
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

st.subheader(t("people.unknown_title"))
if view.unknown is None:
    st.caption(view.unknown_none)
else:
    st.caption(t("people.unknown_help"))
    with widgets.wide("people_unknown"):
        widgets.table(ctx, view.unknown)
    with widgets.narrow("people_unknown"):
        widgets.cards(view.unknown_cards)

st.subheader(t("people.ambiguous_title"))
if view.ambiguous is None:
    st.caption(view.ambiguous_none)
else:
    st.caption(t("people.ambiguous_help"))
    with widgets.wide("people_ambiguous"):
        widgets.table(ctx, view.ambiguous)
    with widgets.narrow("people_ambiguous"):
        widgets.cards(view.ambiguous_cards)
url_state.share(ctx, view.shown)
