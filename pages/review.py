"""Quarter review: one cycle's grades, their distribution, the objectives to talk about, and the change
against the previous cycle per team. Printable as a clean page."""

import pandas as pd
import streamlit as st

from okrdash import charts, review
from okrdash.formatting import fixed, signed
from okrdash.i18n import format_number
from okrdash.ui import context, widgets

ctx = context.current()
t = ctx.t

# Our own static CSS, no user text: printing drops the sidebar, the toolbar and every button, and
# keeps a table or chart from being cut across two sheets.
st.html("""<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDownloadButton"], [data-testid="stElementToolbar"], [data-testid="stBaseButton-secondary"],
  [data-testid="stExpander"] {
    display: none !important;
  }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 1rem !important; }
  [data-testid="stDataFrame"], [data-testid="stVegaLiteChart"], [data-testid="stVerticalBlockBorderWrapper"] {
    break-inside: avoid;
  }
}
</style>""")

st.title(f"🎓 {t('review.title')}")
if ctx.cycle is None:
    st.info(t("common.no_cycle") if context.teams(ctx.store) else
            f"**{t('common.empty_title')}**  \n{t('common.empty_body')}", icon="📭")
    st.page_link("pages/upload.py", label=t("common.go_upload"), icon="⬆️")
    st.stop()

cycle = ctx.cycle
teams = context.review_teams(ctx.store, cycle)
# The typed view of the URL (okrdash/viewstate.py); no team in the link is the whole company.
page = context.page_view(ctx, "review")
requested_team = context.choose(ctx, page, "team", teams, message="review.unknown_team", cycle=cycle.name)
team = widgets.url_choice(ctx, t("filter.team"), teams, key="team", value=requested_team, format_func=ctx.team,
                          placeholder=t("review.all_teams"))

result = context.quarter_review(ctx.store, cycle, ctx.as_of, team)
caption = "review.caption_final" if result.is_final else "review.caption_running"
st.caption(t(caption, cycle=widgets.plain(cycle.name), graded_on=ctx.date(result.graded_on)))
st.caption(t("review.print_hint"))
if result.is_empty:
    st.info(t("review.nothing", cycle=widgets.plain(cycle.name)), icon="📭")
    widgets.share_link(ctx, team=team)
    st.stop()

counted, objectives_counted, key_results_counted = st.columns(3)
counted.metric(t("review.teams"), len(result.teams), border=True)
objectives_counted.metric(t("review.objectives"), len(result.objectives), border=True)
key_results_counted.metric(t("review.key_results"), len(result.key_results), border=True)


def _band(band: object) -> str:
    return t(f"review.band_{'none' if pd.isna(band) else band}")


def _type(objective_type: str) -> str:
    return t(f"objective.type_{objective_type}")


# Per column, translated once per distinct value: a large company grades 15,000 key results.
def _bands(column: pd.Series) -> pd.Series:
    named = {band: _band(band) for band in review.GRADE_BANDS if band is not None}
    return column.map(named).fillna(_band(None)).astype(object)


def _types(column: pd.Series) -> pd.Series:
    return column.map({kind: _type(kind) for kind in set(column)})


def _statuses(column: pd.Series) -> pd.Series:
    return column.map({status: widgets.status_label(ctx, status) for status in set(column)})


def _first_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows a browser gets: a large company has thousands of objectives and key results (the
    download holds them all)."""
    if len(table) <= review.REVIEW_ROWS:
        return table
    st.caption(t("review.first_rows", shown=format_number(review.REVIEW_ROWS, ctx.lang),
                 total=format_number(len(table), ctx.lang)))
    return table.head(review.REVIEW_ROWS)


def _grades_table(table: pd.DataFrame, file_key: str) -> None:
    """The table with its grades written to one decimal (0,7 and 1,0); the download keeps the numbers."""
    grade = t("common.grade")
    shown = _first_rows(table)
    shown = shown.assign(**{grade: [fixed(g, ctx.lang) for g in shown[grade]]})
    widgets.show_table(ctx, shown, hide_index=True, width="stretch",
                       column_config={grade: st.column_config.TextColumn(alignment="right")})
    widgets.download_csv(ctx, table, f"review-{cycle.name}-{file_key}.csv", key=f"download_{file_key}")


# -- distribution ---------------------------------------------------------------------------------
st.subheader(t("review.distribution"))
st.caption(t("review.distribution_help"))
distribution = pd.DataFrame({
    t("review.band"): [_band(band) for band in review.GRADE_BANDS],
    t("review.objectives"): [result.distribution["objective"][band] for band in review.GRADE_BANDS],
    t("review.key_results"): [result.distribution["key_result"][band] for band in review.GRADE_BANDS],
})
for place, subject, title in zip(st.columns(2), ("objective", "key_result"),
                                 (t("review.objectives"), t("review.key_results"))):
    counts = pd.DataFrame({"band": list(review.GRADE_BANDS), "label": distribution[t("review.band")],
                           "count": [result.distribution[subject][band] for band in review.GRADE_BANDS]})
    with place:
        widgets.chart(ctx, charts.grade_distribution_chart(counts, title, t("review.count"), t("review.band")),
                      width="stretch")
widgets.show_table(ctx, distribution, hide_index=True, width="stretch")
widgets.download_csv(ctx, distribution, f"review-{cycle.name}-distribution.csv", key="download_distribution")


# -- the objectives to talk about -----------------------------------------------------------------
def _objective_list(frame: pd.DataFrame, key: str) -> None:
    table = pd.DataFrame({
        t("common.team"): [ctx.team(name) for name in frame["team"]],
        t("common.objective"): frame["title"],
        t("common.owner"): frame["owner"],
        t("common.grade"): frame["grade"],
        t("review.band"): _bands(frame["grade_band"]),
    })
    _grades_table(table, key)


for flagged, key in ((result.needs_postmortem, "postmortem"),):
    with st.container(border=True):
        st.subheader(t(f"review.{key}"))
        st.caption(t(f"review.{key}_help"))
        if flagged.empty:
            st.success(t(f"review.{key}_none"), icon="✅")
        else:
            _objective_list(flagged, key)

# -- per team against the previous cycle -----------------------------------------------------------
st.subheader(t("review.by_team"))
if result.previous is not None:
    st.caption(t("review.by_team_help", cycle=widgets.plain(cycle.name), previous=widgets.plain(result.previous.name)))
else:
    st.caption(t("review.by_team_no_previous", cycle=widgets.plain(cycle.name)))
by_team = pd.DataFrame({
    t("common.team"): [ctx.team(name) for name in result.teams["team"]],
    t("review.objectives"): result.teams["objective_count"],
    t("review.key_results"): result.teams["key_result_count"],
    t("review.mean_grade"): result.teams["mean_grade"].round(2),
    t("review.previous_mean_grade"): result.teams["previous_mean_grade"].round(2),
    t("review.change"): result.teams["change"].round(2),
})
shown_change = _first_rows(by_team).copy()
shown_change[t("review.change")] = [signed(change, ctx.lang) for change in shown_change[t("review.change")]]
widgets.show_table(ctx, shown_change, hide_index=True, width="stretch",
                   column_config={t("review.change"): st.column_config.TextColumn(alignment="right")})
widgets.download_csv(ctx, by_team, f"review-{cycle.name}-teams.csv", key="download_teams")

# -- every grade -----------------------------------------------------------------------------------
st.subheader(t("review.objective_grades"))
objectives = pd.DataFrame({
    t("common.team"): [ctx.team(name) for name in result.objectives["team"]],
    t("common.objective"): result.objectives["title"],
    t("review.type"): _types(result.objectives["objective_type"]),
    t("common.grade"): result.objectives["grade"],
    t("review.band"): _bands(result.objectives["grade_band"]),
    t("common.status"): _statuses(result.objectives["status"]),
})
_grades_table(objectives, "objectives")

st.subheader(t("review.key_result_grades"))
key_results = pd.DataFrame({
    t("common.team"): [ctx.team(name) for name in result.key_results["team"]],
    t("common.objective"): result.key_results["objective"],
    t("common.key_result"): result.key_results["title"],
    t("common.owner"): result.key_results["owner"],
    t("common.grade"): result.key_results["grade"],
    t("review.band"): _bands(result.key_results["grade_band"]),
})
_grades_table(key_results, "key_results")

widgets.share_link(ctx, team=team)
