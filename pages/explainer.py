"""OKR vs KPI: a short explanation for now; the full explainer comes in a later issue."""

import streamlit as st

from okrdash.ui import context, widgets

ctx = context.current()
t = ctx.t

st.title(f"💡 {t('explainer.title')}")
st.subheader(t("explainer.subtitle"))
st.markdown(t("explainer.kpi_vs_okr"))

kpi_column, okr_column = st.columns(2)
with kpi_column.container(border=True):
    st.markdown(f"**📊 {t('explainer.kpi_label')}**")
    st.markdown(t("explainer.kpi_short"))
with okr_column.container(border=True):
    st.markdown(f"**🧭 {t('explainer.okr_label')}**")
    st.markdown(t("explainer.okr_short"))

st.markdown(f"**🚗 {t('explainer.analogy_title')}**")
st.markdown(t("explainer.analogy"))

st.info(t("explainer.coming"), icon="🚧")
base = {"lang": ctx.lang, "as_of": ctx.as_of.isoformat()}
if ctx.cycle:
    base["cycle"] = ctx.cycle.name
links = st.columns(2)
links[0].page_link("pages/kpis.py", label=t("explainer.see_kpis"), icon="📈", query_params=base)
links[1].page_link("pages/overview.py", label=t("explainer.see_overview"), icon="🏢", query_params=base)

widgets.share_link(ctx)
