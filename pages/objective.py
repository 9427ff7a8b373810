"""Objective: one objective with each key result's burn-up chart, forecast and check-ins
(okrdash/views/objective.py)."""

import streamlit as st

from okrdash.viewstate import ObjectiveState
from okrdash.views import objective
from okrdash.ui import auth, caching, context, forms, panels, url_state, widgets

ctx = context.current()
t = ctx.t
view = caching.shared_view(objective.view, ctx.store, url_state.read(ObjectiveState), ctx.scope)

st.title(f"🎯 {t('objective.title')}")
url_state.settle(view.notices, view.link)
if view.empty:
    message, upload = view.empty
    widgets.message(message)
    widgets.page_link(upload)
    st.stop()

url_state.picker(ctx, view.team_filter)
url_state.picker(ctx, view.objective_filter)
if view.choose:
    widgets.message(view.choose)
    url_state.share(ctx, view.shown)
    st.stop()

access = auth.current_access(ctx)
st.header(view.title)
if view.other_cycle:
    st.caption(view.other_cycle)
widgets.badge(view.badge)
st.caption(view.reason)
st.markdown(view.meta)
widgets.bars(view.bar)
widgets.badges(view.grade)
widgets.page_link(view.back)

st.subheader(t("objective.key_results"))
if view.key_results:
    widgets.key_results(ctx, view.key_results)
else:
    widgets.message(view.no_key_results)

for card in view.cards:
    with st.container(border=True):
        # One Markdown element, not three: each element is a delta and a React subtree the browser
        # draws before the page's content is on screen (docs/scaling.md, issue 27).
        st.markdown(f"#### {card.title}\n\n{widgets.badges_markdown((card.badge,))}\n\n{card.meta}")
        if card.forecast:
            st.caption(card.forecast)
        if card.kpi:
            widgets.page_link(card.kpi)
        forms.checkin_form(ctx, access, [card.checkin], key=f"checkin_kr_{card.key_result_id}")
        widgets.chart(ctx, card.chart, key=f"burn_up_{card.key_result_id}")
        st.markdown(f"**{t('objective.checkins')}**")
        if card.checkins:
            widgets.small_table(ctx, card.checkins)  # a cycle of weekly check-ins: no grid to load
        else:
            st.caption(t("objective.no_checkins"))

panels.coach_panel(ctx, team=view.team, objective_id=view.objective_id, key="objective_coach")
url_state.share(ctx, view.shown)
