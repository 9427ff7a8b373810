"""Overview: the whole company for one cycle at one as-of date (okrdash/views/overview.py)."""

import streamlit as st

from okrdash.viewstate import HomeState
from okrdash.views import overview
from okrdash.ui import caching, context, url_state, widgets

ctx = context.current()
t = ctx.t
view = caching.shared_view(overview.view, ctx.store, url_state.read(HomeState), ctx.scope)

st.title(f"🏢 {t('overview.title')}")
url_state.settle(view.notices, view.link)
if view.empty:
    message, upload = view.empty
    widgets.message(message)
    widgets.page_link(upload)
    st.stop()

st.caption(view.caption)
st.subheader(t("overview.key_results"))
widgets.metrics(view.key_results)
st.subheader(t("overview.kpis"))
widgets.metrics(view.kpis)
if view.chart_note:
    st.caption(view.chart_note)
if view.chart:
    widgets.chart(ctx, view.chart, key="overview_chart")

st.subheader(t("overview.alignment"))
# One summary row per company objective, and the aligned team objectives of the one picked: a large
# company aligns thousands, too many to send to a browser at once.
if view.alignment:
    widgets.small_table(ctx, view.alignment)
if view.aligned_to:
    url_state.picker(ctx, view.aligned_to)
if view.aligned:
    widgets.table(ctx, view.aligned)
elif view.no_aligned:
    st.caption(view.no_aligned)

st.subheader(t("overview.needs_attention"))
if view.attention:
    widgets.table(ctx, view.attention)
else:
    st.success(view.all_clear, icon="✅")

if view.checkin_rates:
    st.subheader(t("checkin.rate_title"))
    widgets.small_table(ctx, view.checkin_rates)  # one row per team: no grid to load, fits a phone

url_state.share(ctx, view.shown)
