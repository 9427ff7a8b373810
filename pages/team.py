"""Team: one team's objectives, key results and KPIs for one cycle (okrdash/views/team.py)."""

import streamlit as st

from okrdash.viewstate import TeamState
from okrdash.views import team
from okrdash.ui import auth, caching, context, editors, forms, panels, url_state, widgets

ctx = context.current()
t = ctx.t
access = auth.current_access(ctx)
view = caching.shared_view(team.view, ctx.store, url_state.read(TeamState), ctx.scope, access)

st.title(f"👥 {t('team.title')}")
url_state.settle(view.notices, view.link)
if view.empty:
    message, upload = view.empty
    widgets.message(message)
    widgets.page_link(upload)
    st.stop()

url_state.picker(ctx, view.team_filter)
st.caption(view.caption)
if view.message:
    widgets.message(view.message)
else:
    st.subheader(t("team.key_results"))
    widgets.metrics(view.counts)
    st.subheader(t("team.needs_attention"))
    if view.attention:
        widgets.table(ctx, view.attention)
    else:
        st.success(view.all_clear, icon="✅")
    st.subheader(t("team.objectives"))
    st.caption(view.grades_caption)
    if view.ambition:
        widgets.message(view.ambition)
    left, right = st.columns(2)
    url_state.picker(ctx, view.status_filter, place=left)
    url_state.picker(ctx, view.owner_filter, place=right)
    if view.nothing_matches:
        widgets.message(view.nothing_matches)
    if view.objectives_shown:
        st.caption(view.objectives_shown)
    # A handful of objectives at a time: each is a card with its key results and check-in form, and
    # a browser draws every one of them before it settles.
    for card in view.cards:
        with st.container(border=True):
            st.markdown(f"#### {card.title}")
            widgets.badge(card.badge)
            widgets.badges(card.grade)
            st.caption(card.meta)
            st.caption(card.reason)
            widgets.bars(card.bar)
            widgets.page_link(card.link)
            if card.key_results:
                widgets.key_results(ctx, card.key_results)
            forms.checkin_form(ctx, access, card.checkin, key=f"checkin_{card.objective_id}")
    if view.page_filter:
        url_state.picker(ctx, view.page_filter)
    st.markdown(f"**{t('team.objectives_file')}**")
    widgets.table_downloads(ctx, view.objectives)

if view.cycle:
    editors.okr_editor(ctx, access, view.team, view.cycle, view.kpi_names)
    st.markdown(f"**{t('team.okrs_file')}**")
    st.caption(t("team.okrs_file_help"))
    widgets.downloads(ctx, view.okrs_file, view.okrs_file_name, key="download_team_okrs")

st.subheader(t("team.kpis"))
if view.no_kpis:
    st.caption(view.no_kpis)
for start in range(0, len(view.kpis), 4):
    for column, tile in zip(st.columns(4), view.kpis[start:start + 4]):
        with column:
            st.metric(tile.name, tile.value, delta=tile.delta, delta_color=tile.delta_color, border=True)
            widgets.sparkline(tile.recent, tile.name, ctx.lang)
            st.caption(tile.caption)

panels.coach_panel(ctx, team=view.team, key="team_coach")
panels.bridge_panel(ctx, access, team=view.team, key="team_bridge")
if view.status_card:
    st.download_button(f"🖼️ {t('team.status_card')}", data=view.status_card, file_name=view.status_card_name,
                       mime="image/png", key="status_card", on_click="ignore")
url_state.share(ctx, view.shown, view.summary)
