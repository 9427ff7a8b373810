"""Quarter review: one cycle's grades, their distribution, the objectives to talk about, and the change
against the previous cycle per team (okrdash/views/review.py). Printable as a clean page."""

import streamlit as st

from okrdash.viewstate import ReviewState
from okrdash.views import review
from okrdash.ui import auth, caching, carry_forward, context, url_state, widgets

ctx = context.current()
t = ctx.t
view = caching.shared_view(review.view, ctx.store, url_state.read(ReviewState), ctx.scope)

# Our own static CSS, no user text: printing drops the sidebar, the toolbar and every button, and
# keeps a table or chart from being cut across two sheets.
st.html("""<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDownloadButton"], [data-testid="stElementToolbar"], [data-testid="stBaseButton-secondary"],
  [data-testid="stExpander"] {
    display: none !important;
  }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 1rem !important; }
  [data-testid="stDataFrame"], [data-testid="stVegaLiteChart"], [data-testid="stVerticalBlockBorderWrapper"] {
    break-inside: avoid;
  }
}
</style>""")

st.title(f"🎓 {t('review.title')}")
url_state.settle(view.notices, view.link)
if view.empty:
    message, upload = view.empty
    widgets.message(message)
    widgets.page_link(upload)
    st.stop()

url_state.picker(ctx, view.team_filter)
st.caption(view.caption)
st.caption(t("review.print_hint"))
if view.nothing:
    widgets.message(view.nothing)
    url_state.share(ctx, view.shown)
    st.stop()

for place, count in zip(st.columns(len(view.counts)), view.counts):
    place.metric(count.label, count.count, border=True)

st.subheader(t("review.distribution"))
st.caption(view.distribution_help)
for number, (place, chart) in enumerate(zip(st.columns(len(view.charts)), view.charts)):
    with place:
        widgets.chart(ctx, chart, key=f"grades_{number}")
widgets.small_table(ctx, view.distribution)  # the six grade bands

for flagged in view.flagged:
    with st.container(border=True):
        st.subheader(flagged.title)
        st.caption(flagged.help)
        if flagged.table:
            widgets.table(ctx, flagged.table)
        else:
            st.success(flagged.none, icon="✅")

st.subheader(t("review.by_team"))
st.caption(view.by_team_caption)
widgets.table(ctx, view.by_team)
st.subheader(t("review.objective_grades"))
widgets.table(ctx, view.objectives)
st.subheader(t("review.key_result_grades"))
widgets.table(ctx, view.key_results)
carry_forward.carry_panel(ctx, auth.current_access(ctx), view.carry)

url_state.share(ctx, view.shown, view.summary)
