"""Team: one team's objectives, key results and KPIs for one cycle at one as-of date."""

import streamlit as st

from okrdash import okrfiles, readmodels
from okrdash.formatting import amount
from okrdash.i18n import format_number
from okrdash.readmodels import STATUS_ORDER
from okrdash.ui import auth, context, editors, forms, panels, widgets

ctx = context.current()
t = ctx.t

st.title(f"👥 {t('team.title')}")
teams = context.teams(ctx.store)
if not teams:
    st.info(f"**{t('common.empty_title')}**  \n{t('common.empty_body')}", icon="📭")
    st.page_link("pages/upload.py", label=t("common.go_upload"), icon="⬆️")
    st.stop()

# A bound widget silently drops a value it does not know, so an unknown team in the link is
# reported before the picker replaces it with the first team.
requested_team = st.query_params.get("team")
if requested_team and requested_team not in teams:
    st.warning(t("team.unknown_team", team=widgets.plain(requested_team), shown=widgets.plain(teams[0])), icon="🔗")
if len(teams) <= 8:
    team = st.segmented_control(t("filter.team"), teams, default=teams[0], required=True, key="team",
                                bind="query-params", format_func=widgets.plain)  # options render Markdown
else:
    team = st.selectbox(t("filter.team"), teams, index=0, key="team", bind="query-params")
team = team or teams[0]

access = auth.current_access(ctx)
view = context.team_view(ctx.store, team, ctx.cycle, ctx.as_of)
st.caption(t("team.caption", team=widgets.plain(team), cycle=ctx.cycle.name if ctx.cycle else "–",
             as_of=ctx.date(ctx.as_of)))
base = {"lang": ctx.lang, "cycle": ctx.cycle.name if ctx.cycle else None, "as_of": ctx.as_of.isoformat()}

# The status filter shows icon + translated label, so it is not bound (the URL would carry the
# translated label): the URL holds the plain status names, comma-separated, e.g.
# ?status=Off+Track,At+Risk, and a change writes them back.
requested_statuses = [s.strip() for raw in st.query_params.get_all("status") for s in raw.split(",") if s.strip()]
statuses = []
owner = None


def _status_changed() -> None:
    chosen = st.session_state.get("status") or []
    if chosen:
        st.query_params["status"] = ",".join(chosen)
    else:
        st.query_params.pop("status", None)


krs = view.key_results
if ctx.cycle is None:
    st.info(t("common.no_cycle"), icon="📭")
elif view.objectives.empty:
    st.info(t("team.no_objectives", team=widgets.plain(team), cycle=ctx.cycle.name), icon="📭")
else:
    counts = readmodels.status_counts(krs)
    shown = [s for s in STATUS_ORDER if s != "No Target" or counts[s]]
    st.subheader(t("team.key_results"))
    widgets.status_counts(ctx, counts, shown)

    present = set(krs["status"])
    options = [s for s in STATUS_ORDER if s in present or s in requested_statuses]
    owners = sorted({o for o in krs["owner"] if isinstance(o, str) and o})
    requested_owner = st.query_params.get("owner")
    ignored = [("status", s) for s in requested_statuses if s not in STATUS_ORDER]
    if requested_owner and requested_owner not in owners:
        ignored.append(("owner", requested_owner))
    for name, value in ignored:
        st.warning(t("team.unknown_filter", name=name, value=widgets.plain(value)), icon="🔗")
    st.session_state["status"] = [s for s in options if s in requested_statuses]
    st.subheader(t("team.objectives"))
    left, right = st.columns(2)
    statuses = left.pills(t("filter.status"), options, selection_mode="multi", key="status",
                          format_func=lambda s: widgets.status_label(ctx, s), on_change=_status_changed)
    owner = right.selectbox(t("filter.owner"), owners, index=None, key="owner", bind="query-params",
                            placeholder=t("filter.all"))

    shown_krs = krs
    if statuses:
        shown_krs = shown_krs[shown_krs["status"].isin(statuses)]
    if owner:
        shown_krs = shown_krs[shown_krs["owner"] == owner]
    if shown_krs.empty:
        st.info(t("team.nothing_matches"), icon="🔎")

    # Split once by objective (not filtered again for each): a company team has dozens of objectives.
    own_by_objective = dict(tuple(krs.groupby("objective_id", sort=False)))
    shown_by_objective = dict(tuple(shown_krs.groupby("objective_id", sort=False)))
    records_by_objective: dict[int, list] = {}
    for record in readmodels.records(krs):
        records_by_objective.setdefault(record["objective_id"], []).append(record)
    no_rows = krs.iloc[0:0]
    for objective in readmodels.records(view.objectives):
        rows = shown_by_objective.get(objective["objective_id"], no_rows)
        if rows.empty and (statuses or owner):
            continue
        with st.container(border=True):
            st.markdown(f"#### {widgets.plain(objective['title'])}")
            widgets.status_badge(ctx, objective["status"])
            st.caption(t("team.objective_meta", owner=widgets.plain(objective["owner"] or "–"),
                         type=t(f"objective.type_{objective['objective_type']}")))
            own = own_by_objective.get(objective["objective_id"], no_rows)
            widgets.status_reason(ctx, objective["status"], list(own["status"]))
            widgets.progress(ctx, [objective["progress"]], [objective["expected"]], [objective["status"]])
            st.page_link("pages/objective.py", label=t("team.open_objective"), icon="🎯",
                         query_params={"objective": str(objective["objective_id"]), **base})
            if not rows.empty:
                widgets.key_results_table(ctx, rows, f"key-results-{team}-{objective['objective_id']}.csv",
                                          key=f"download_krs_{objective['objective_id']}")
            forms.checkin_form(ctx, access, records_by_objective.get(objective["objective_id"], []),
                               key=f"checkin_{objective['objective_id']}")


if ctx.cycle is not None:
    editors.okr_editor(ctx, access, team, ctx.cycle, sorted(view.kpis["name"]) if not view.kpis.empty else [])

    # The team's OKRs as an okrs file in the reader's language: edit it in Excel, upload it back.
    st.markdown(f"**{t('team.okrs_file')}**")
    st.caption(t("team.okrs_file_help"))
    cycle = ctx.cycle
    widgets.download_csv(ctx, lambda: okrfiles.localise(okrfiles.team_okrs(ctx.store, team, cycle, ctx.as_of), ctx.lang),
                         f"okrs-{team}-{cycle.name}.csv", key="download_team_okrs")  # built on click


def _quantity(value: float | None, unit: str | None) -> str:
    return widgets.plain(amount(value, unit, ctx.lang))  # st.metric renders Markdown


st.subheader(t("team.kpis"))
kpis = readmodels.records(view.kpis)
if not kpis:
    st.caption(t("team.no_kpis", team=widgets.plain(team)))
for start in range(0, len(kpis), 4):
    for column, kpi in zip(st.columns(4), kpis[start:start + 4]):
        change = kpi["change"]
        delta = None if change is None else 0 if change == 0 else (
            f"{'+' if change > 0 else ''}{format_number(change, ctx.lang)}")
        target = (t("team.kpi_range", low=format_number(kpi["min_value"], ctx.lang),
                    high=format_number(kpi["max_value"], ctx.lang)) if kpi["direction"] == "range"
                  else _quantity(kpi["target"], kpi["unit"]))
        with column:
            st.metric(
                widgets.plain(kpi["name"]), _quantity(kpi["value"], kpi["unit"]), delta=delta,
                # The rules' trend decides the colour, as on the KPIs page (a range KPI included).
                delta_color="green" if kpi["trend"] > 0 else "red" if kpi["trend"] < 0 else "gray",
                chart_data=kpi["recent_values"] or None, chart_type="line", border=True,
            )
            st.caption(t("team.kpi_status", status=widgets.status_label(ctx, kpi["status"]), target=target))

panels.coach_panel(ctx, team=team, key="team_coach")
panels.bridge_panel(ctx, access, team=team, key="team_bridge")

widgets.share_link(ctx, team=team, status=",".join(statuses or []), owner=owner)
