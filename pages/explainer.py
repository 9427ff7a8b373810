"""OKR vs KPI: how they differ, how they work together (live, on the real rules), the guides' examples
to browse and load as drafts, and the good practice the coach checks (okrdash/views/explainer.py)."""

import streamlit as st

from okrdash.viewstate import ExplainerState
from okrdash.views import explainer
from okrdash.ui import auth, caching, context, panels, url_state, widgets

EXAMPLES_TAB = "ex_tab"  # session state: the examples' tab on show, by its label

ctx = context.current()
t = ctx.t
view = caching.shared_view(explainer.view, ctx.store, url_state.read(ExplainerState), ctx.scope)

# -- header and the comparison ---------------------------------------------------------------------
st.title(f"💡 {t('explainer.title')}")
url_state.settle(view.notices, view.link)
st.subheader(t("explainer.subtitle"))
st.markdown(t("explainer.intro"))
kpi_column, okr_column = st.columns(2)
kpi_column.container(border=True).markdown(f"**📊 {t('explainer.kpi_label')}** · {t('explainer.kpi_short')}")
okr_column.container(border=True).markdown(f"**🧭 {t('explainer.okr_label')}** · {t('explainer.okr_short')}")
st.subheader(t("explainer.compare_title"))
st.caption(t("explainer.compare_caption"))
widgets.text_table(view.comparison)
st.subheader(f"🚗 {t('explainer.analogy_title')}")
st.markdown(t("explainer.analogy"))

# -- how they work together: the guides' two cases, scored by the real rules ----------------------
st.subheader(t("explainer.together_title"))
st.markdown(t("explainer.together_intro"))
st.caption(view.sandbox_note)
# The cases are scored from the inputs' values (what the reader typed, else where they start).
cases = explainer.worked_cases(ctx.words, {key: st.session_state.get(key, start)
                                           for key, start in explainer.CASE_INPUTS.items()})


def number(label: str, key: str, low: int, high: int) -> None:
    st.number_input(t(label), min_value=low, max_value=high, value=explainer.CASE_INPUTS[key], step=1, key=key)


def kpi_result(label: str, case: explainer.CaseKpi) -> None:
    st.metric(t(label), case.status)
    st.caption(case.target)


def kr_result(progress_label: str, status_label: str, case: explainer.CaseKeyResult) -> None:
    st.metric(t(progress_label), case.progress)
    st.metric(t(status_label), case.status)
    st.caption(case.expected)


with st.container(border=True):
    st.markdown(f"#### {t('explainer.case_reply_title')}")
    kpi_side, okr_side = st.columns(2)
    with kpi_side:
        st.markdown(t("explainer.case_reply_body"))
        number("explainer.reply_kpi_input", "ex_reply_kpi", 0, 1440)
        kpi_result("explainer.reply_kpi_status", cases.reply_kpi)
        st.markdown(cases.reply_kpi.why or t("explainer.kpi_fine"))
    with okr_side:
        st.markdown(t("explainer.reply_okr_body"))
        st.markdown(t("explainer.objective_line", title=widgets.plain(t("explainer.reply_objective"))) + "  \n"
                    + t("explainer.key_result_line", title=widgets.plain(t("explainer.reply_kr"))))
        number("explainer.reply_kr_input", "ex_reply_kr", 0, 1440)
        kr_result("explainer.reply_kr_progress", "explainer.reply_kr_status", cases.reply_kr)
with st.container(border=True):
    st.markdown(f"#### {t('explainer.case_nps_title')}")
    kpi_side, okr_side = st.columns(2)
    with kpi_side:
        st.markdown(t("explainer.case_nps_body"))
        number("explainer.nps_kpi_input", "ex_nps_kpi", -100, 100)
        kpi_result("explainer.nps_kpi_status", cases.nps_kpi)
        if cases.nps_kpi.why:
            st.markdown(cases.nps_kpi.why)
    with okr_side:
        if cases.nps_okr is None:
            st.success(t("explainer.kpi_fine"), icon="✅")
        else:
            st.markdown(t("explainer.nps_became_okr"))
            st.markdown(cases.nps_okr)
            number("explainer.nps_kr_input", "ex_nps_kr", -100, 100)
            kr_result("explainer.nps_kr_progress", "explainer.nps_kr_status", cases.nps_kr)
for place, link in zip(st.columns(2), view.links):
    widgets.page_link(link, place)

# -- examples, filtered from the link ----------------------------------------------------------------
st.subheader(t("explainer.examples_title"))
st.markdown(t("explainer.examples_intro"))
# Only the chosen tab is drawn (a change of tab reruns the page): the browser draws a hidden tab's
# elements too, and these are a third of the page's (docs/scaling.md, issue 27). Its filters are in
# the link whichever tab shows.
tab_teams, tab_roles, tab_kpis = st.tabs([t("explainer.tab_teams"), t("explainer.tab_roles"), t("explainer.tab_kpis")],
                                         key=EXAMPLES_TAB, on_change="rerun")
with tab_teams:
    if tab_teams.open:
        url_state.picker(ctx, view.filters["ex_team"])
        st.caption(view.team_caption)
        st.caption(t("examples.index_unit"))
        for card in view.team_cards:
            st.container(border=True).markdown(f"{card.title}\n\n{card.key_results}")
with tab_roles:
    if tab_roles.open:
        url_state.picker(ctx, view.filters["ex_role"])
        for role in view.roles:
            st.markdown(f"##### {role.heading}")
            for card in role.cards:
                st.container(border=True).markdown(f"{card.title}\n\n{card.key_results}")
            if role.kpis:
                st.markdown(role.kpis)
with tab_kpis:
    if tab_kpis.open:
        for place, name in zip(st.columns(3), ("ex_category", "ex_type", "ex_indicator")):
            url_state.picker(ctx, view.filters[name], place=place)
        st.caption(view.kpi_caption)
        if view.kpi_examples:
            widgets.table(ctx, view.kpi_examples)
        else:
            widgets.message(view.no_kpi_examples)
        with st.expander(t("explainer.types_title")):
            st.markdown(view.kinds)

# -- loading an example as a draft, through the normal importer --------------------------------------
st.markdown(f"#### {t('explainer.load.title')}")
panels.example_loader(ctx, auth.current_access(ctx), view.loadable, view.teams)

# -- good practice, and the checks that enforce it -------------------------------------------------
st.subheader(t("explainer.practice_title"))
st.markdown(t("explainer.practice_intro"))
for practice in view.practice:
    with st.container(border=True):
        if practice.checked_by:
            st.markdown(f"{practice.title}\n\n{practice.checked_by}")  # one element, not two (issue 27)
        else:
            st.markdown(practice.title)
            st.caption(t("explainer.no_check"))

st.subheader(f"📜 {t('explainer.history_title')}")
st.markdown(t("explainer.history"))
url_state.share(ctx, view.shown)
