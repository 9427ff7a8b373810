"""Panels of the pages that write or check OKRs: the OKR quality coach, the KPI-to-OKR bridge and the
explainer's loader of the guides' examples."""

from __future__ import annotations

from typing import Any

import streamlit as st

from okrdash import bridge
from okrdash.access import Access
from okrdash.importing import import_files
from okrdash.models import Cycle
from okrdash.problems import ImportFailed
from okrdash.ui import auth, context, widgets
from okrdash.ui.context import Context
from okrdash.views import explainer
from okrdash.views.common import coach_findings


def coach_panel(ctx: Context, team: str | None = None, objective_id: int | None = None, key: str = "coach") -> None:
    """The coach's findings for a team (or one objective), with the reason and a suggested fix."""
    if ctx.cycle is None:
        return
    findings = context.coach_findings(ctx.store, ctx.as_of, ctx.cycle.name, team)
    if objective_id is not None:
        findings = [f for f in findings if f.objective_id == objective_id]
    label = ctx.t("coach_panel.title", count=len(findings))
    with st.expander(f"🧭 {label}", expanded=False):
        if not findings:
            st.success(ctx.t("coach_panel.all_good"), icon="✅")
            return
        st.caption(ctx.t("coach_panel.help"))
        widgets.table(ctx, coach_findings(ctx.words, findings, f"{key}_download"))


def bridge_panel(ctx: Context, access: Access, team: str | None = None, kpi_id: int | None = None,
                 key: str = "bridge") -> None:
    """For each Off Track or At Risk KPI (of ``team``, or only ``kpi_id``): the proposed objective and
    key result, added in one click. Give the team when known: proposals are computed for it alone."""
    if ctx.cycle is None:
        return
    proposals = [p for p in context.proposals(ctx.store, ctx.as_of, ctx.cycle.name, ctx.lang, team)
                 if kpi_id is None or p.kpi_id == kpi_id]
    if not proposals:
        return
    st.subheader(f"🌉 {ctx.t('bridge_panel.title')}")
    st.caption(ctx.t("bridge_panel.help", cycle=ctx.cycle.name))
    added = st.session_state.pop(f"{key}_added", None)
    if added:
        st.success(added, icon="✅")
    for proposal in proposals:
        with st.container(border=True):
            st.markdown(f"{widgets.status_label(ctx, proposal.status)} · **{widgets.plain(proposal.kpi_name)}** · "
                        f"{widgets.plain(ctx.team(proposal.team))}")
            st.caption(widgets.plain(proposal.why(ctx.lang)))
            st.markdown(f"🎯 {widgets.plain(proposal.objective)}  \n📏 {widgets.plain(proposal.key_result)}")
            if proposal.linked_key_results:
                st.caption(ctx.t("bridge_panel.already_linked",
                                 titles=widgets.plain(", ".join(proposal.linked_key_results))))
                continue
            allowed = access.may_edit_team(proposal.team)
            if st.button(ctx.t("bridge_panel.add"), key=f"{key}_{proposal.kpi_id}", disabled=not allowed,
                         help=None if allowed else ctx.t("auth.view_only")):
                try:
                    result = bridge.add_to_okrs(ctx.store, proposal, ctx.cycle.name, proposal.team,
                                                imported_by=access.who, allowed_teams=access.allowed_teams)
                except ImportFailed as failed:
                    st.error("  \n".join(widgets.plain(p.describe(ctx.lang)) for p in failed.problems))
                else:
                    context.data_changed()
                    # Draw the page again so the new key result shows at once, above this panel.
                    st.session_state[f"{key}_added"] = ctx.t("bridge_panel.added", inserted=result.inserted,
                                                             updated=result.updated)
                    st.rerun()
    if not access.can_edit:
        auth.editing_notice(ctx, access)


def example_loader(ctx: Context, access: Access, loadable: dict[str, dict[str, Any]], teams: list[str]) -> None:
    """Load one of the guides' examples (``loadable``: "okr" / "kpi" -> key -> example) as a draft
    into a team, through the importer like an upload; editors only."""
    auth.editing_notice(ctx, access)
    if not access.can_edit:
        return
    t = ctx.t
    draft_cycle = ctx.cycle or Cycle.containing(ctx.as_of)
    st.caption(t("explainer.load.intro", cycle=draft_cycle.name))
    kind = st.radio(t("explainer.load.kind"), ["okr", "kpi"], format_func=lambda k: t(f"explainer.load.kind_{k}"),
                    key="ex_load_kind", horizontal=True)
    pool = loadable[kind]
    if not pool:
        st.info(t("explainer.load.none"), icon="🔎")
        return
    picked = pool[st.selectbox(t("explainer.load.example"), list(pool), key=f"ex_load_{kind}",
                               format_func=lambda k: pool[k].title(ctx.lang))]
    if kind == "okr" and any(kr.unit_en.startswith("index") for kr in picked.key_results):
        st.caption(t("examples.index_unit"))
    elif kind == "kpi":
        st.caption(" ".join([t("examples.from_source" if picked.target_from_source
                               else "examples.illustrative_target"), t("examples.draft_note")]))
    # An editor of named teams may write only those; everyone else picks from the stored teams.
    choices = teams if access.allowed_teams is None else sorted(access.allowed_teams)
    team_column, new_column = st.columns(2)
    existing_team = team_column.selectbox(t("explainer.load.team"), choices, index=None, format_func=ctx.team,
                                          placeholder=t("explainer.load.team_placeholder"), key="ex_load_team")
    new_team = new_column.text_input(t("explainer.load.new_team"), key="ex_load_new_team", max_chars=200,
                                     help=t("explainer.load.new_team_help"))
    if not st.button(t("explainer.load.button"), key="ex_load_button", type="primary", icon="📥"):
        return
    team = (new_team or "").strip() or existing_team
    if not team:
        st.warning(t("explainer.load.need_team"), icon="👥")
        return
    try:
        result = import_files(ctx.store, [explainer.example_upload(kind, picked, team, draft_cycle, ctx.scope)],
                              writer=access)
    except ImportFailed as failed:
        st.error(explainer.load_failed(ctx.words, failed.problems), icon="⚠️")
        return
    context.data_changed()
    done, team_link = explainer.loaded(ctx.scope, team, draft_cycle, result)
    widgets.message(done)
    widgets.page_link(team_link)
