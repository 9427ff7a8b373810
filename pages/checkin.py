"""The weekly check-in: every key result one person owns in the cycle on one screen, saved as one
batch (okrdash/views/checkin.py; fields and save in okrdash/ui/weekly.py)."""

import streamlit as st

from okrdash.viewstate import CheckinState
from okrdash.views import checkin
from okrdash.ui import auth, context, url_state, weekly, widgets

ctx = context.current()
t = ctx.t
access = auth.current_access(ctx)
view = checkin.view(ctx.store, url_state.read(CheckinState), ctx.scope, access)

st.title(f"✅ {t('checkin.title')}")
url_state.settle(view.notices, view.link)
if view.no_cycle:
    widgets.message(view.no_cycle)
    st.stop()

url_state.picker(ctx, view.owner_filter)
if view.choose:
    widgets.message(view.choose)
elif view.none:
    widgets.message(view.none)
else:
    st.caption(view.caption)
    if view.read_only:
        auth.editing_notice(ctx, access)
    weekly.draw(ctx, access, view)
    widgets.page_link(view.my_key_results)
weekly.remember_owner(view.shown.owner)
url_state.share(ctx, view.shown)
