"""Overview: the whole company for one cycle at one as-of date."""

import pandas as pd
import streamlit as st

from okrdash import charts, readmodels
from okrdash.i18n import format_number
from okrdash.models import Status
from okrdash.readmodels import STATUS_ORDER
from okrdash.ui import context, widgets

ctx = context.current()
t = ctx.t

st.title(f"🏢 {t('overview.title')}")
view = context.overview(ctx.store, ctx.cycle, ctx.as_of)
if view.is_empty:
    st.info(f"**{t('common.empty_title')}**  \n{t('common.empty_body')}", icon="📭")
    st.page_link("pages/upload.py", label=t("common.go_upload"), icon="⬆️")
    st.stop()

st.caption(t("overview.caption", cycle=ctx.cycle.name if ctx.cycle else "–", as_of=ctx.date(ctx.as_of)))

shown = [s for s in STATUS_ORDER if s != "No Target"]
st.subheader(t("overview.key_results"))
widgets.status_counts(ctx, view.key_result_counts, shown)
st.subheader(t("overview.kpis"))
widgets.status_counts(ctx, view.kpi_counts, shown)

okr_by_team, team_count = readmodels.teams_to_chart(view.team_status)
if len(okr_by_team):
    if team_count > readmodels.CHART_TEAMS:  # a bar per team would be thousands of bars
        st.caption(t("overview.chart_some_teams", shown=format_number(readmodels.CHART_TEAMS, ctx.lang),
                     teams=format_number(team_count, ctx.lang)))
    counts = widgets.with_status_labels(ctx, okr_by_team)
    counts["status_rank"] = counts["status"].map(STATUS_ORDER.index)
    widgets.chart(
        ctx,
        charts.team_status_chart(counts, t("overview.chart_title"), t("overview.chart_x"), t("common.team"),
                                 t("common.status")),
        width="stretch",
    )

st.subheader(t("overview.alignment"))
base = {"lang": ctx.lang, "cycle": ctx.cycle.name, "as_of": ctx.as_of.isoformat()}
# One summary row per company objective, and the aligned team objectives of one of them: a large
# company aligns thousands, too many to send to a browser at once.
tree = readmodels.alignment_tree(view.objectives)
summary = widgets.with_status_labels(ctx, readmodels.alignment_summary(tree))
roots = pd.DataFrame({
    t("common.status"): summary["status_label"].where(summary["status"].notna(), "–"),
    t("common.team"): summary["team"].fillna(""),
    t("common.objective"): summary["title"].fillna(t("overview.unaligned")),
    t("common.progress"): summary["progress"],
    t("overview.aligned_count"): summary["aligned"],
    t("overview.aligned_behind"): summary["aligned_behind"],
})
widgets.show_table(ctx, roots, shares=(t("common.progress"),), hide_index=True, width="stretch")
titles = dict(zip(summary["key"], roots[t("common.objective")]))
if titles:
    # The URL carries the objective's id (``aligned``), not its title: a selectbox bound to the URL
    # would write the shown label there.
    keys = list(titles)
    requested = context.choose(ctx, context.page_view(ctx, "home"), "aligned", keys, used=titles[keys[0]],
                               message="overview.unknown_aligned")
    if requested is None:
        st.query_params.pop("aligned", None)

    def _aligned_picked() -> None:
        st.query_params["aligned"] = st.session_state["_aligned_picker"]

    chosen = st.selectbox(t("overview.aligned_to"), keys, index=keys.index(requested) if requested else 0,
                          key="_aligned_picker", on_change=_aligned_picked,
                          format_func=lambda key: widgets.plain(titles.get(key, key)))  # options render Markdown
    children = dict(zip(summary["key"], (frame for _, frame in tree))).get(chosen)
    if children is None or children.empty:
        st.caption(t("overview.no_children"))
    else:
        children = widgets.with_status_labels(ctx, children)
        # Off Track, then At Risk, then the rest: what the first rows shown should be.
        children["behind_rank"] = children["status"].map({Status.OFF_TRACK.value: 0, Status.AT_RISK.value: 1}).fillna(2)
        children = children.sort_values(["behind_rank", "team", "title"], kind="stable")
        aligned = pd.DataFrame({
            t("common.status"): children["status_label"],
            t("common.team"): children["team"],
            t("common.objective"): children["title"],
            t("common.progress"): children["progress"],
            t("common.expected"): children["expected"],
            t("overview.open"): readmodels.page_urls("objective", "objective", children["objective_id"], **base),
        }).reset_index(drop=True)
        if len(aligned) > readmodels.ALIGNED_ROWS:
            st.caption(t("overview.aligned_first", shown=format_number(readmodels.ALIGNED_ROWS, ctx.lang),
                         total=format_number(len(aligned), ctx.lang)))
        widgets.show_table(
            ctx, aligned.head(readmodels.ALIGNED_ROWS), shares=(t("common.progress"), t("common.expected")),
            hide_index=True, width="stretch",
            column_config={t("overview.open"): st.column_config.LinkColumn(display_text="↗")},
        )
        widgets.download_csv(ctx, aligned, "aligned-objectives.csv", key="download_aligned")

st.subheader(t("overview.needs_attention"))
attention = view.needs_attention
if attention.empty:
    st.success(t("overview.nothing_needs_attention"), icon="✅")
else:
    table = pd.DataFrame({
        t("common.status"): [widgets.status_label(ctx, s) for s in attention["status"]],
        t("common.team"): attention["team"],
        t("common.title"): attention["title"],
        t("overview.kind"): [t(f"overview.kind_{s}") for s in attention["subject"]],
        t("overview.gap"): attention["gap"],
        t("common.last_checkin"): pd.to_datetime(attention["last_checkin"]).dt.date,
        t("overview.why"): [
            ", ".join(filter(None, [t("overview.stale") if stale else "",
                                    t("overview.low_confidence") if low else ""]))
            for stale, low in zip(attention["stale"], attention["confidence_disagrees"])
        ],
        t("overview.open"): [
            readmodels.page_url("objective", objective=int(o), **base) if subject == "key_result"
            else readmodels.page_url("kpis", kpi=int(k), **base)
            for subject, o, k in zip(attention["subject"], attention["objective_id"], attention["kpi_id"])
        ],
    })
    widgets.show_table(
        ctx, table, shares=(t("overview.gap"),), hide_index=True, width="stretch",
        column_config={t("overview.open"): st.column_config.LinkColumn(display_text="↗")},
    )
    widgets.download_csv(ctx, table, f"needs-attention-{ctx.cycle.name}.csv", key="download_attention")

widgets.share_link(ctx)
