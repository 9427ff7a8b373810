"""Overview: the whole company for one cycle at one as-of date."""

import pandas as pd
import streamlit as st

from okrdash import charts, readmodels
from okrdash.i18n import format_number, format_percent
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
for column, status in zip(st.columns(len(shown)), shown):
    column.metric(widgets.status_label(ctx, status), view.key_result_counts[status])
st.subheader(t("overview.kpis"))
for column, status in zip(st.columns(len(shown)), shown):
    column.metric(widgets.status_label(ctx, status), view.kpi_counts[status])

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
for index, (root, children) in enumerate(readmodels.alignment_tree(view.objectives)):
    with st.container(border=True):
        if root:
            st.markdown(
                f"**{widgets.plain(root['title'])}** · {widgets.plain(root['team'])} · "
                f"{widgets.status_label(ctx, root['status'])} · {format_percent(root['progress'], ctx.lang)}"
            )
        else:
            st.markdown(f"**{t('overview.unaligned')}**")
        if children.empty:
            st.caption(t("overview.no_children"))
            continue
        # One table per company objective: a large company has thousands of team objectives.
        children = widgets.with_status_labels(ctx, children)
        aligned = pd.DataFrame({
            t("common.status"): children["status_label"],
            t("common.team"): children["team"],
            t("common.objective"): children["title"],
            t("common.progress"): children["progress"],
            t("common.expected"): children["expected"],
            t("overview.open"): readmodels.page_urls("objective", "objective", children["objective_id"], **base),
        })
        widgets.show_table(
            ctx, aligned, shares=(t("common.progress"), t("common.expected")), hide_index=True, width="stretch",
            height="auto" if len(children) <= 10 else 320,
            column_config={t("overview.open"): st.column_config.LinkColumn(display_text="↗")},
        )
        widgets.download_csv(ctx, aligned, f"aligned-objectives-{index + 1}.csv", key=f"download_aligned_{index}")

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
