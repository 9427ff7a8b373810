"""My key results: one person's key results across teams, the ones without a check-in this week first
(okrdash/views/my_key_results.py)."""

import streamlit as st

from okrdash.viewstate import MyKeyResultsState
from okrdash.views import my_key_results
from okrdash.ui import auth, caching, context, forms, url_state, weekly, widgets

ctx = context.current()
t = ctx.t
access = auth.current_access(ctx)
view = caching.shared_view(my_key_results.view, ctx.store, url_state.read(MyKeyResultsState), ctx.scope, access)

st.title(f"🙋 {t('my.title')}")
url_state.settle(view.notices, view.link)
if view.no_cycle:
    widgets.message(view.no_cycle)
    st.stop()

url_state.picker(ctx, view.owner_filter)
if view.choose:
    widgets.message(view.choose)
else:
    st.caption(view.caption)
    if view.none:
        widgets.message(view.none)
    else:
        widgets.table(ctx, view.key_results)
        widgets.page_link(view.weekly)
        forms.checkin_form(ctx, access, view.checkin, key="checkin_mine")
weekly.remember_owner(view.shown.owner)
url_state.share(ctx, view.shown)
