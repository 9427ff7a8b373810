"""The overview: the whole company for one cycle (status counts, key results per team, company
objectives with the team objectives aligned under them, what needs attention)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from okrdash import charts, readmodels, reminders
from okrdash.models import Status
from okrdash.store import Store
from okrdash.viewstate import HomeState
from okrdash.readmodels import STATUS_ORDER
from okrdash.views.common import (Count, attention_table, Filter, Markdown, Message, Notice, Option, PageLink, RowsAsCards,
                                  Scope, Table, Words, choose, counts, nothing_yet, status_colors, status_labels, table,
                                  unread)

CHART_TEAMS = 25     # teams the status chart draws: one bar each; a large company has thousands
ALIGNED_ROWS = 100   # team objectives listed at once under one company objective
CHECKIN_RATE_ROWS = 100  # teams in this week's check-in rates on the page (a large company has thousands)
UNALIGNED = "none"   # the ``aligned`` link value for the objectives aligned to no company objective
_BEHIND = (Status.OFF_TRACK.value, Status.AT_RISK.value)


@dataclass(frozen=True, eq=False)
class OverviewView:
    shown: HomeState                       # the view on show (the share box's link)
    link: HomeState                        # what the address holds: the link's filters the page could use
    notices: list[Notice]
    empty: tuple[Message, PageLink] | None  # an empty company: what to say and where to go
    caption: Markdown = ""
    key_results: tuple[Count, ...] = ()
    kpis: tuple[Count, ...] = ()
    chart: charts.Spec | None = None        # key results per team by status
    chart_note: Markdown | None = None      # says which teams the chart draws, when not all
    alignment: Table | None = None          # one row per company objective
    aligned_to: Filter | None = None        # which company objective's team objectives are listed
    aligned: Table | None = None
    no_aligned: Markdown | None = None
    attention: Table | None = None
    all_clear: Markdown | None = None
    checkin_rates: Table | None = None      # this week's check-ins per team: checked in / due


def view(store: Store, state: HomeState, scope: Scope) -> OverviewView:
    words = scope.words
    notices = unread(words, state)
    company = company_view(store, scope)
    if company is None:
        return OverviewView(scope.shown(HomeState()), state.with_(), notices, nothing_yet(words, scope.urls))
    titles, keys = company.titles, list(company.titles)
    requested = choose(words, notices, "aligned", state.aligned, keys, used=titles[keys[0]] if keys else None,
                       message="overview.unknown_aligned")
    chosen = requested or (keys[0] if keys else None)
    children = company.children.get(chosen) if chosen else None
    aligned = _aligned(words, scope, children) if children is not None and len(children) else None
    return OverviewView(
        shown=scope.shown(HomeState(aligned=requested)), link=HomeState(aligned=requested), notices=notices,
        empty=None, caption=company.caption, key_results=company.key_results, kpis=company.kpis,
        chart=company.chart, chart_note=company.chart_note, alignment=company.alignment,
        aligned_to=Filter("aligned", words.t("overview.aligned_to"), company.aligned_options, chosen,
                          HomeState(aligned=requested), key="_aligned_picker") if keys else None,
        aligned=aligned,
        no_aligned=words.t("overview.no_children") if keys and aligned is None else None,
        attention=company.attention,
        all_clear=company.all_clear,
        checkin_rates=company.checkin_rates,
    )


@dataclass(frozen=True, eq=False)
class CompanyView:
    """What the overview shows whichever company objective's aligned objectives are listed: the same
    for every view of one cycle, language and kept scoring, so it is built once for all of them."""

    caption: Markdown
    key_results: tuple[Count, ...]
    kpis: tuple[Count, ...]
    chart: charts.Spec | None
    chart_note: Markdown | None
    titles: dict[str, str]                  # each company objective's link value -> its title
    aligned_options: tuple[Option, ...]
    children: dict[str, pd.DataFrame]       # each company objective's link value -> its aligned objectives
    alignment: Table | None
    attention: Table | None
    all_clear: Markdown | None
    checkin_rates: Table | None


def company_view(store: Store, scope: Scope) -> CompanyView | None:
    """The overview's :class:`CompanyView` of ``scope``, kept with the scores of its date until the
    next write (okrdash.warming makes it in both languages before the first view); None for a
    company with nothing to show yet."""
    return store.scores(scope.as_of).kept(("overview_view", scope.cycle, scope.lang),
                                          lambda: _company_view(store, scope))


def _company_view(store: Store, scope: Scope) -> CompanyView | None:
    words = scope.words
    overview = readmodels.overview(store, scope.cycle, scope.as_of)
    if overview.is_empty:
        return None
    shown = [s for s in STATUS_ORDER if s != Status.NO_TARGET.value]
    by_team, team_count = teams_to_chart(overview.team_status)
    tree = readmodels.alignment_tree(overview.objectives)
    summary = alignment_summary(tree)
    titles = dict(zip(summary["key"], summary["title"].fillna(words.t("overview.unaligned"))))
    attention = overview.needs_attention
    return CompanyView(
        caption=words.t("overview.caption", cycle=scope.cycle.name if scope.cycle else "–",
                        as_of=words.date(scope.as_of)),
        key_results=counts(words, overview.key_result_counts, shown),
        kpis=counts(words, overview.kpi_counts, shown),
        chart=_chart(words, by_team) if len(by_team) else None,
        chart_note=words.t("overview.chart_some_teams", shown=words.number(CHART_TEAMS),
                           teams=words.number(team_count)) if team_count > CHART_TEAMS else None,
        titles=titles,
        aligned_options=tuple(Option(key, title) for key, title in titles.items()),
        children=dict(zip(summary["key"], (frame for _, frame in tree))),
        alignment=_alignment(words, summary, titles) if titles else None,
        attention=attention_table(words, scope, attention, f"needs-attention-{scope.cycle.name if scope.cycle else ''}.csv")
        if len(attention) else None,
        all_clear=None if len(attention) else words.t("overview.nothing_needs_attention"),
        checkin_rates=checkin_rates(store, scope),
    )


def teams_to_chart(team_status: pd.DataFrame, limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """The key result status counts (``okr`` rows of ``Overview.team_status``) of the ``limit``
    (default :data:`CHART_TEAMS`) teams with the most key results Off Track or At Risk (then the
    most key results, then by name), and how many teams have key results at all."""
    okr = team_status[team_status["subject"] == "okr"] if len(team_status) else pd.DataFrame(
        columns=["subject", "team", "status", "count"])
    behind = okr["count"].where(okr["status"].isin(_BEHIND), 0)
    per_team = (okr.assign(behind=behind).groupby("team", sort=False)[["behind", "count"]].sum()
                .reset_index().sort_values(["behind", "count", "team"], ascending=[False, False, True]))
    shown = set(per_team["team"].head(CHART_TEAMS if limit is None else limit))
    return okr[okr["team"].isin(shown)].reset_index(drop=True), len(per_team)


def alignment_summary(tree: list[tuple[dict, pd.DataFrame]]) -> pd.DataFrame:
    """One row per root of :func:`readmodels.alignment_tree`: its id as text (:data:`UNALIGNED` for
    the root of unaligned objectives), team, title, status and progress, and how many objectives
    are aligned to it and how many of those are Off Track or At Risk."""
    rows = [{
        "key": str(root["objective_id"]) if root else UNALIGNED,
        "team": root.get("team"), "title": root.get("title"), "status": root.get("status"),
        "progress": root.get("progress"), "aligned": len(children),
        "aligned_behind": int(children["status"].isin(_BEHIND).sum()) if len(children) else 0,
    } for root, children in tree]
    return pd.DataFrame(rows, columns=["key", "team", "title", "status", "progress", "aligned", "aligned_behind"])


def _chart(words: Words, by_team: pd.DataFrame) -> charts.Spec:
    data = by_team.assign(team=words.teams(by_team["team"]), status_label=status_labels(words, by_team["status"]),
                          status_rank=by_team["status"].map(STATUS_ORDER.index))
    return charts.team_status_chart(data, words.t("overview.chart_title"), words.t("overview.chart_x"),
                                    words.t("common.team"), words.t("common.status"))


def _alignment(words: Words, summary: pd.DataFrame, titles: dict[str, str]) -> Table:
    frame = pd.DataFrame({
        words.t("common.status"): status_labels(words, summary["status"]).where(summary["status"].notna(), "–"),
        words.t("common.team"): words.teams(summary["team"]),
        words.t("common.objective"): summary["key"].map(titles),
        words.t("common.progress"): summary["progress"],
        words.t("overview.aligned_count"): summary["aligned"],
        words.t("overview.aligned_behind"): summary["aligned_behind"],
    })
    return table(words, frame, None, "alignment", shares=(words.t("common.progress"),),
                 helps={words.t(f"overview.{key}"): words.t(f"overview.{key}_help") for key in ("aligned_count", "aligned_behind")},
                 cards=RowsAsCards(words.t("common.objective"),
                                   status_colors([s if isinstance(s, str) else None for s in summary["status"]])))


def _aligned(words: Words, scope: Scope, children: pd.DataFrame) -> Table:
    """The team objectives aligned to one company objective: Off Track, then At Risk, then the rest."""
    rank = children["status"].map({Status.OFF_TRACK.value: 0, Status.AT_RISK.value: 1}).fillna(2)
    ordered = children.assign(behind_rank=rank).sort_values(["behind_rank", "team", "title"], kind="stable")
    open_column = words.t("overview.open")
    frame = pd.DataFrame({
        words.t("common.status"): status_labels(words, ordered["status"]),
        words.t("common.team"): words.teams(ordered["team"]),
        words.t("common.objective"): ordered["title"],
        words.t("common.progress"): ordered["progress"],
        words.t("common.expected"): ordered["expected"],
        open_column: scope.urls.objectives(ordered["objective_id"]),
    }).reset_index(drop=True)
    return table(words, frame, "aligned-objectives.csv", "download_aligned", limit=ALIGNED_ROWS,
                 first_rows="overview.aligned_first", shares=(words.t("common.progress"), words.t("common.expected")),
                 links=(open_column,),
                 cards=RowsAsCards(words.t("common.objective"), status_colors(list(ordered["status"]))))


def checkin_rates(store: Store, scope: Scope) -> Table | None:
    """This week's check-in rate per team of the cycle shown: key results checked in since Monday out
    of those due (reminders.sql says which are); None when no key result of the cycle is due."""
    cycle = scope.cycle.name if scope.cycle else None
    rates = reminders.week_rates(kr for kr in reminders.week_checkins(store, scope.as_of) if kr.cycle == cycle)
    if not rates:
        return None
    words = scope.words
    rate = words.t("checkin.rate")
    frame = pd.DataFrame({
        words.t("common.team"): [words.team(r.team) for r in rates],
        words.t("checkin.checked_in"): [r.checked_in for r in rates],
        words.t("checkin.due"): [r.due for r in rates],
        rate: [r.rate for r in rates],
    })
    return table(words, frame, f"checkin-rate-{readmodels.week_start(scope.as_of).isoformat()}.csv",
                 "download_checkin_rate", shares=(rate,), limit=CHECKIN_RATE_ROWS,
                 first_rows="overview.checkin_rate_first_rows")
