"""Objective: one objective with each key result's burn-up chart, forecast and check-ins."""

import pandas as pd
import streamlit as st

from okrdash import charts, readmodels
from okrdash.formatting import amount, fixed
from okrdash.i18n import format_percent
from okrdash.ui import auth, context, forms, panels, widgets

ctx = context.current()
t = ctx.t

st.title(f"🎯 {t('objective.title')}")
if ctx.cycle is None:
    st.info(t("common.no_cycle") if context.teams(ctx.store) else
            f"**{t('common.empty_title')}**  \n{t('common.empty_body')}", icon="📭")
    st.page_link("pages/upload.py", label=t("common.go_upload"), icon="⬆️")
    st.stop()

# The picker shows "team · title", so it is not bound to the URL (the link would carry that text):
# the URL holds the objective id (read by okrdash/viewstate.py), and picking another writes the new id.
page = context.page_view(ctx, "objective")
objective_id = page.filter("objective")
view = context.objective_view(ctx.store, objective_id, ctx.as_of) if objective_id is not None else None
if objective_id is not None and view is None:
    context.warn_ignored(ctx, "objective", objective_id, message="objective.unknown_id")


def _picked() -> None:
    chosen = st.session_state.get("objective_picker")
    if chosen is None:
        st.query_params.pop("objective", None)
    else:
        st.query_params["objective"] = str(chosen)


# The picker lists one team's objectives (the shown objective's team, else the link's, else the
# company's own): a large company's whole cycle is thousands of options, most of the page's bytes.
objectives = context.overview(ctx.store, ctx.cycle, ctx.as_of).objectives
teams = sorted(set(objectives["team"]))
fallback_team = (view.objective["team"] if view is not None
                 else next((name for name in teams if name in readmodels.COMPANY_TEAMS), teams[0] if teams else None))
linked_team = context.choose(ctx, page, "team", teams, used=ctx.team(fallback_team), message="team.unknown_team")
default_team = view.objective["team"] if view is not None else linked_team or fallback_team
team = widgets.url_choice(ctx, t("filter.team"), teams, key="objective_team", value=default_team, name="team",
                          format_func=ctx.team, on_change_too=lambda: st.query_params.pop("objective", None),
                          placeholder=t("filter.team")) or default_team
own = objectives[objectives["team"] == team]
names = dict(zip(own["objective_id"].astype(int).tolist(), own["title"].tolist()))
if view is not None:
    names.setdefault(int(view.objective["objective_id"]), view.objective["title"])
st.session_state["objective_picker"] = objective_id if view is not None else None
st.selectbox(t("objective.pick"), list(names), index=None, format_func=names.get, key="objective_picker",
             placeholder=t("objective.pick_placeholder"), on_change=_picked)

if view is None:
    st.info(t("objective.choose") if names else t("objective.no_objectives", cycle=ctx.cycle.name), icon="👆")
    widgets.share_link(ctx, "objective", team=team)
    st.stop()

objective = view.objective
access = auth.current_access(ctx)
st.header(widgets.plain(objective["title"]))
if objective["cycle"] != ctx.cycle.name:
    st.caption(t("objective.other_cycle", cycle=widgets.plain(objective["cycle"])))
widgets.status_badge(ctx, objective["status"])
widgets.status_reason(ctx, objective["status"], list(view.key_results["status"]))
st.markdown(t("objective.meta", team=widgets.plain(ctx.team(objective["team"])), owner=widgets.plain(objective["owner"] or "–"),
              type=t(f"objective.type_{objective['objective_type']}")))
widgets.progress(ctx, [objective["progress"]], [objective["expected"]], [objective["status"]])
if objective["grade_band"] and objective["end_date"] and ctx.as_of >= objective["end_date"]:
    st.badge(t("objective.grade", grade=fixed(objective["grade"], ctx.lang),
               band=t(f"objective.band_{objective['grade_band']}")),
             icon="🎓", color={"green": "green", "yellow": "yellow", "red": "red"}[objective["grade_band"]])
st.page_link("pages/team.py", label=t("objective.back_to_team", team=widgets.plain(ctx.team(objective["team"]))),
             icon="👥", query_params=widgets.link_params(ctx, "team", team=objective["team"]))

st.subheader(t("objective.key_results"))
key_results = view.key_results
if key_results.empty:
    st.info(t("objective.no_key_results"), icon="📭")
else:
    widgets.key_results_table(ctx, key_results, f"objective-{objective['objective_id']}-key-results.csv",
                              key="download_key_results")

chart_labels = {"actual": t("objective.chart_actual"), "expected": t("objective.chart_expected"),
                "target": t("objective.chart_target")}


def _forecast(kr: dict) -> str | None:
    """The forecast sentence; None for key results that have no pace (milestones, bounds)."""
    if kr["kind"] not in ("increase", "decrease"):
        return None
    if kr["progress"] is not None and kr["progress"] >= 1:
        return t("objective.forecast_reached")
    if kr["forecast_date"] is not None:
        if kr["end_date"] and kr["forecast_date"] > kr["end_date"]:
            return t("objective.forecast_after_end", date=ctx.date(kr["forecast_date"]), end=ctx.date(kr["end_date"]))
        return t("objective.forecast_on", date=ctx.date(kr["forecast_date"]))
    if kr["progress"] is None or kr["checkin_count"] < 2:
        return t("objective.forecast_none")
    return t("objective.forecast_not")


for kr in readmodels.records(key_results):
    kr_id = int(kr["key_result_id"])
    with st.container(border=True):
        st.markdown(f"#### {widgets.plain(kr['title'])}")
        widgets.status_badge(ctx, kr["status"])
        st.markdown(t("objective.kr_meta", owner=widgets.plain(kr["owner"] or "–"),
                      progress=format_percent(kr["progress"], ctx.lang),
                      expected=format_percent(kr["expected"], ctx.lang)) + "  \n"
                    + t("objective.kr_values", current=widgets.plain(amount(kr["current"], kr["unit"], ctx.lang)),
                        target=widgets.plain(amount(kr["target"], kr["unit"], ctx.lang))))
        forecast = _forecast(kr)
        if forecast:
            st.caption(forecast)
        if kr["kpi_id"] is not None:
            st.page_link("pages/kpis.py", label=t("objective.from_kpi", kpi=widgets.plain(kr["kpi_name"])), icon="📈",
                         query_params=widgets.link_params(ctx, "kpis", kpi=kr["kpi_id"]))
        forms.checkin_form(ctx, access, [kr], key=f"checkin_kr_{kr_id}")
        history = view.histories.get(kr_id, pd.DataFrame(columns=["date", "value", "confidence", "note"]))
        widgets.chart(
            ctx,
            charts.burn_up_chart(history, readmodels.expected_line(kr), kr["target"], t("objective.chart_title"),
                                 kr["unit"] or t("common.value"), t("common.date"), chart_labels),
            width="stretch",
        )
        st.markdown(f"**{t('objective.checkins')}**")
        if history.empty:
            st.caption(t("objective.no_checkins"))
            continue
        checkins = pd.DataFrame({
            t("common.date"): pd.to_datetime(history["date"]).dt.date,
            t("common.value"): history["value"],
            t("common.confidence"): history["confidence"],
            t("common.note"): history["note"],
        })
        widgets.show_table(ctx, checkins, hide_index=True, width="stretch",
                           column_config={t("common.note"): st.column_config.TextColumn(width="large")})
        widgets.download_csv(ctx, checkins, f"checkins-{kr_id}.csv", key=f"download_checkins_{kr_id}")

panels.coach_panel(ctx, team=objective["team"], objective_id=objective["objective_id"], key="objective_coach")

widgets.share_link(ctx, "objective", objective=objective["objective_id"])
