"""KPIs: every KPI with its status and trend, filtered from the link, and one KPI in detail
(okrdash/views/kpis.py)."""

import streamlit as st

from okrdash.viewstate import KpisState
from okrdash.views import kpis
from okrdash.ui import auth, caching, context, editors, forms, panels, url_state, widgets

FILTERS_KEY = "kpi_filters"  # session state: whether the filters are open

ctx = context.current()
t = ctx.t
view = caching.shared_view(kpis.view, ctx.store, url_state.read(KpisState), ctx.scope, url_state.changed())

st.title(f"📈 {t('kpis.title')}")
url_state.settle(view.notices, view.link)
if view.empty:
    message, upload = view.empty
    widgets.message(message)
    widgets.page_link(upload)
    st.stop()

# Folded away, so a phone reaches the KPIs first; open while any filter is set. Drawn only when
# open (opening it reruns the page): the browser draws a closed expander's five select boxes too.
# Its label counts the filters set, and a new label is a new expander to Streamlit: an open one
# stays open when a filter in it is cleared.
if st.session_state.get(FILTERS_KEY):
    st.session_state[FILTERS_KEY] = True
with st.expander(view.filtering, expanded=view.filters_open, key=FILTERS_KEY, on_change="rerun") as folded:
    if folded.open:
        for place, choice in zip(st.columns(len(view.filters)), view.filters):
            url_state.picker(ctx, choice, place=place)
st.caption(view.caption)
if view.table:
    widgets.table(ctx, view.table)
else:
    widgets.message(view.no_match)

st.subheader(t("kpis.detail"))
detail = view.detail
if detail:
    url_state.picker(ctx, view.picker)
    if view.outside_filter:
        st.caption(view.outside_filter)
    st.markdown(f"#### {detail.heading}")
    widgets.badge(detail.badge)
    if detail.stale:
        st.caption(detail.stale)
    for place, metric in zip(st.columns(3), (detail.latest, detail.goal, detail.tolerance)):
        with place:
            st.metric(metric.label, metric.value, delta=metric.delta, delta_color=metric.delta_color,
                      delta_arrow=metric.delta_arrow, delta_description=metric.delta_description, border=True)
            widgets.sparkline(metric.chart, metric.label, ctx.lang)
    st.caption(detail.tolerance_note)
    st.markdown(detail.direction)

    access = auth.current_access(ctx)
    forms.measurement_form(ctx, access, detail.kpi, key=f"measure_{detail.kpi['kpi_id']}")
    editors.kpi_editor(ctx, access, detail.kpi, detail.definition)
    if detail.chart:
        widgets.chart(ctx, detail.chart, key=f"kpi_history_{detail.kpi['kpi_id']}")
        if detail.band_note:
            st.caption(detail.band_note)
        st.markdown(f"##### {t('kpis.measurements')}")
        widgets.small_table(ctx, detail.measurements)  # a dozen rows: no grid to load
    else:
        widgets.message(detail.no_measurements)
    panels.bridge_panel(ctx, access, team=detail.kpi["team"], kpi_id=detail.kpi["kpi_id"], key="kpi_bridge")

url_state.share(ctx, view.shown)
