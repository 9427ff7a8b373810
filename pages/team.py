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

# The URL is the state (okrdash/viewstate.py): the team, statuses and owner come from the typed view.
page = context.page_view(ctx, "team")
access = auth.current_access(ctx)
# No team in the link: the signed-in person's own team, else the company's, else the first.
default_team = access.home_team(teams) or next((name for name in teams if name in readmodels.COMPANY_TEAMS), teams[0])
team = context.choose(ctx, page, "team", teams, used=ctx.team(default_team), message="team.unknown_team")
# The picker shows the company's team in the reader's language; the URL keeps the stored name.
team = widgets.url_choice(ctx, t("filter.team"), teams, key="team", value=team or default_team,
                          segmented=len(teams) <= 8, format_func=ctx.team, required=True) or default_team

view = context.team_view(ctx.store, team, ctx.cycle, ctx.as_of)
st.caption(t("team.caption", team=widgets.plain(ctx.team(team)), cycle=ctx.cycle.name if ctx.cycle else "–",
             as_of=ctx.date(ctx.as_of)))

# The status filter shows icon + translated label; the URL holds the plain status names,
# comma-separated, e.g. ?status=Off+Track,At+Risk, and a change writes them back.
requested_statuses = list(page.filter("status") or ())
statuses = []
owner = None
page_number = 1


def _status_changed() -> None:
    context.set_param("status", st.session_state.get("status") or [])
    context.set_param("objective_page", None)  # other objectives match: back to the first page


krs = view.key_results
if ctx.cycle is None:
    st.info(t("common.no_cycle"), icon="📭")
elif view.objectives.empty:
    st.info(t("team.no_objectives", team=widgets.plain(ctx.team(team)), cycle=ctx.cycle.name), icon="📭")
else:
    counts = readmodels.status_counts(krs)
    shown = [s for s in STATUS_ORDER if s != "No Target" or counts[s]]
    st.subheader(t("team.key_results"))
    widgets.status_counts(ctx, counts, shown)

    present = set(krs["status"])
    options = [s for s in STATUS_ORDER if s in present or s in requested_statuses]
    owners = sorted({o for o in krs["owner"] if isinstance(o, str) and o})
    for unknown in [s for s in requested_statuses if s not in STATUS_ORDER]:
        context.warn_ignored(ctx, "status", unknown, message="team.unknown_filter")
    requested_owner = context.choose(ctx, page, "owner", owners, message="team.unknown_filter")
    st.session_state["status"] = [s for s in options if s in requested_statuses]
    st.subheader(t("team.objectives"))
    left, right = st.columns(2)
    statuses = left.pills(t("filter.status"), options, selection_mode="multi", key="status",
                          format_func=lambda s: widgets.status_label(ctx, s), on_change=_status_changed)
    owner = widgets.url_choice(ctx, t("filter.owner"), owners, key="owner", value=requested_owner, place=right,
                               on_change_too=lambda: context.set_param("objective_page", None))

    # The filters are applied by the read model (over the team's kept scores), not here.
    shown_krs = (context.team_key_results(ctx.store, team, ctx.cycle, ctx.as_of, tuple(statuses or ()), owner)
                 if statuses or owner else krs)
    if shown_krs.empty:
        st.info(t("team.nothing_matches"), icon="🔎")

    # Split once by objective (not filtered again for each): a company team has dozens of objectives.
    own_by_objective = dict(tuple(krs.groupby("objective_id", sort=False)))
    shown_by_objective = dict(tuple(shown_krs.groupby("objective_id", sort=False)))
    records_by_objective: dict[int, list] = {}
    for record in readmodels.records(krs):
        records_by_objective.setdefault(record["objective_id"], []).append(record)
    no_rows = krs.iloc[0:0]
    listed = [objective for objective in readmodels.records(view.objectives)
              if not (statuses or owner) or objective["objective_id"] in shown_by_objective]
    # A handful of objectives at a time (a company's own team has dozens): each is a card with its
    # key results table and check-in form, and a browser draws every one of them before it settles.
    pages = max(1, -(-len(listed) // widgets.OBJECTIVES_PER_PAGE))
    requested_page = page.filter("objective_page")
    if requested_page is not None and not 1 <= requested_page <= pages:
        context.warn_ignored(ctx, "objective_page", requested_page, 1, message="team.unknown_page",
                             pages=format_number(pages, ctx.lang))
        requested_page = None
    page_number = requested_page or 1
    first = (page_number - 1) * widgets.OBJECTIVES_PER_PAGE
    if pages > 1:
        st.caption(t("team.objectives_shown", first=format_number(first + 1, ctx.lang),
                     last=format_number(min(first + widgets.OBJECTIVES_PER_PAGE, len(listed)), ctx.lang),
                     total=format_number(len(listed), ctx.lang)))
    for objective in listed[first:first + widgets.OBJECTIVES_PER_PAGE]:
        rows = shown_by_objective.get(objective["objective_id"], no_rows)
        with st.container(border=True):
            st.markdown(f"#### {widgets.plain(objective['title'])}")
            widgets.status_badge(ctx, objective["status"])
            st.caption(t("team.objective_meta", owner=widgets.plain(objective["owner"] or "–"),
                         type=t(f"objective.type_{objective['objective_type']}")))
            own = own_by_objective.get(objective["objective_id"], no_rows)
            widgets.status_reason(ctx, objective["status"], list(own["status"]))
            widgets.progress(ctx, [objective["progress"]], [objective["expected"]], [objective["status"]])
            st.page_link("pages/objective.py", label=t("team.open_objective"), icon="🎯",
                         query_params=widgets.link_params(ctx, "objective", objective=objective["objective_id"]))
            if not rows.empty:
                widgets.key_results_table(ctx, rows, f"key-results-{team}-{objective['objective_id']}.csv",
                                          key=f"download_krs_{objective['objective_id']}")
            forms.checkin_form(ctx, access, records_by_objective.get(objective["objective_id"], []),
                               key=f"checkin_{objective['objective_id']}")
    if pages > 1:
        # In the URL (?objective_page=2), so a link opens on the same objectives; page 1 leaves it out.
        page_number = widgets.url_choice(
            ctx, t("team.objectives_page"), list(range(1, pages + 1)), key="objective_page", value=page_number,
            name="objective_page", segmented=pages <= 10, format_func=lambda n: format_number(n, ctx.lang),
            **({"required": True} if pages <= 10 else {})) or 1


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
    st.caption(t("team.no_kpis", team=widgets.plain(ctx.team(team))))
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

widgets.share_link(ctx, "team", team=team, status=",".join(statuses or []), owner=owner,
                   objective_page=page_number if page_number > 1 else None)
