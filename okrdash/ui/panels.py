"""Panels shared by several pages: the OKR quality coach and the KPI-to-OKR bridge."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from okrdash import bridge, coach
from okrdash.access import Access
from okrdash.problems import ImportFailed
from okrdash.ui import auth, context, widgets
from okrdash.ui.caching import cache_data
from okrdash.ui.context import Context


@cache_data(show_spinner=False, max_entries=64)
def _coach_findings(_store, version: int, as_of, cycle: str | None, team: str | None) -> list[coach.Finding]:
    # ``version``: the store's write version, so a result computed during a write is never served after it.
    return coach.check_store(_store, as_of, cycle=cycle, team=team)


@cache_data(show_spinner=False, max_entries=64)
def _proposals(_store, version: int, as_of, cycle: str, lang: str, team: str | None) -> list[bridge.Proposal]:
    return bridge.proposals(_store, as_of, cycle, lang, team=team)


def coach_panel(ctx: Context, team: str | None = None, objective_id: int | None = None, key: str = "coach") -> None:
    """The coach's findings for a team (or one objective), with the reason and a suggested fix."""
    if ctx.cycle is None:
        return
    findings = _coach_findings(ctx.store, ctx.store.write_version, ctx.as_of, ctx.cycle.name, team)
    if objective_id is not None:
        findings = [f for f in findings if f.objective_id == objective_id]
    label = ctx.t("coach_panel.title", count=len(findings))
    with st.expander(f"🧭 {label}", expanded=False):
        if not findings:
            st.success(ctx.t("coach_panel.all_good"), icon="✅")
            return
        st.caption(ctx.t("coach_panel.help"))
        findings_table(ctx, findings, key=f"{key}_download")


def findings_table(ctx: Context, findings: list[coach.Finding], key: str) -> None:
    """The coach's findings as a table in the reader's language (with the file line for uploads)."""
    table = pd.DataFrame({
        ctx.t("coach_panel.severity"): [ctx.t(f"coach_panel.severity_{f.severity}") for f in findings],
        ctx.t("upload.line"): pd.array([f.line for f in findings], dtype="Int64"),
        ctx.t("common.objective"): [f.objective for f in findings],
        ctx.t("common.key_result"): [f.key_result for f in findings],
        ctx.t("coach_panel.reason"): [f.reason(ctx.lang) for f in findings],
        ctx.t("coach_panel.fix"): [f.fix(ctx.lang) for f in findings],
    })
    if table[ctx.t("upload.line")].isna().all():
        table = table.drop(columns=[ctx.t("upload.line")])
    st.dataframe(table, hide_index=True, width="stretch")
    widgets.download_csv(ctx, table, "okr-coach.csv", key=key)


def bridge_panel(ctx: Context, access: Access, team: str | None = None, kpi_id: int | None = None,
                 key: str = "bridge") -> None:
    """For each Off Track or At Risk KPI (of ``team``, or only ``kpi_id``): the proposed objective and
    key result, added in one click. Give the team when known: proposals are computed for it alone."""
    if ctx.cycle is None:
        return
    proposals = [p for p in _proposals(ctx.store, ctx.store.write_version, ctx.as_of, ctx.cycle.name, ctx.lang, team)
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
