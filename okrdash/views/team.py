"""The team page: one team's objectives and key results for one cycle (filtered by status and owner,
a page of objectives at a time) and its KPIs as tiles. Each objective carries its grade as the quarter
review reads it (okrdash/views/review.py): final and read by type once the cycle is over, so far while
it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from okrdash import charts, formatting, okrfiles, presentation, readmodels, review, statuscard
from okrdash.access import Access
from okrdash.markdown import plain
from okrdash.models import Cycle, Status
from okrdash.readmodels import COMPANY_TEAMS, STATUS_ORDER
from okrdash.store import Store
from okrdash.viewstate import TeamState
from okrdash.views import kpis as kpis_view
from okrdash.views import review as review_view
from okrdash.views.common import (BAND_COLORS, STALE_ICON, Badge, Bar, Count, Table, attention_table, Filter, KeyResults, Markdown, Message, Notice, Option,
                                  PageLink, Scope, Words, badge, bars, choose, counts, key_results, link_notice,
                                  nothing_yet, table, unread)

OBJECTIVES_PER_PAGE = 5   # objective cards drawn at once (a company's own team has dozens)
SEGMENTED_TEAMS = 8       # up to this many teams the picker is a row of buttons; beyond, a searchable select box
SEGMENTED_PAGES = 10      # the same for the pages of objectives


@dataclass(frozen=True, eq=False)
class ObjectiveCard:
    objective_id: int
    title: Markdown
    badge: Badge
    meta: Markdown                 # owner and type
    reason: Markdown               # why it has its status
    bar: tuple[Bar, ...]
    grade: tuple[Badge, ...]       # the review's grade: final, then its band and flags; or so far
    link: PageLink                 # to the objective page
    key_results: KeyResults | None  # those that pass the filters (None: none does)
    checkin: list[dict[str, Any]]  # every key result of the objective, for the check-in form


@dataclass(frozen=True, eq=False)
class KpiTile:
    name: Markdown
    value: Markdown
    delta: str | int | None        # the change since the previous reading
    delta_color: str               # the rules' trend decides it (a range KPI included)
    recent: list[float] | None     # the sparkline
    caption: Markdown              # status and target


@dataclass(frozen=True, eq=False)
class TeamView:
    shown: TeamState
    link: TeamState                                 # what the address holds: the filters the page could use
    notices: list[Notice]
    empty: tuple[Message, PageLink] | None = None   # no team at all
    team: str = ""                                  # the team shown (its stored name)
    cycle: Cycle | None = None
    team_filter: Filter | None = None
    caption: Markdown = ""
    message: Message | None = None                  # no cycle, or no objectives in it
    counts: tuple[Count, ...] = ()
    status_filter: Filter | None = None
    owner_filter: Filter | None = None
    nothing_matches: Message | None = None
    objectives_shown: Markdown | None = None        # "Objectives 1–5 of 12" when there are several pages
    grades_caption: Markdown = ""                   # whether the objectives' grades are final or so far
    ambition: Message | None = None                 # the review's raise-ambition flag, once the cycle is over
    objectives: Table | None = None                 # every objective of the team with its grade (a download)
    cards: tuple[ObjectiveCard, ...] = ()
    page_filter: Filter | None = None
    kpi_names: list[str] | None = None              # the team's KPIs, for the OKR editor
    okrs_file: Callable[[], pd.DataFrame] | None = None  # the team's OKRs as an okrs file (built on click)
    okrs_file_name: str = ""
    kpis: tuple[KpiTile, ...] = ()
    no_kpis: Markdown | None = None
    attention: Table | None = None                  # the team's own: Off Track, At Risk, stale, low confidence
    all_clear: Markdown | None = None
    summary: str | None = None                      # plain text for a chat: the team's key results by status
    status_card: Callable[[], bytes] | None = None  # the team's objectives as a PNG for a chat (built on click)
    status_card_name: str = ""


def view(store: Store, state: TeamState, scope: Scope, access: Access, per_page: int | None = None) -> TeamView:
    """``per_page``: objectives a page lists (default :data:`OBJECTIVES_PER_PAGE`)."""
    words = scope.words
    per_page = per_page or OBJECTIVES_PER_PAGE
    notices = unread(words, state)
    teams = readmodels.teams(store, scope.as_of)
    if not teams:
        return TeamView(scope.shown(TeamState()), state.with_(), notices, empty=nothing_yet(words, scope.urls))
    # No team in the link: the signed-in person's own team, else the company's, else the first.
    default = access.home_team(teams) or next((name for name in teams if name in COMPANY_TEAMS), teams[0])
    team = choose(words, notices, "team", state.team, teams, used=words.team(default),
                  message="team.unknown_team") or default
    caption = words.t("team.caption", team=plain(words.team(team)), cycle=scope.cycle.name if scope.cycle else "–",
                      as_of=words.date(scope.as_of))
    kpi_rows = readmodels.kpi_table(store, scope.as_of, team=team).kpis
    base = TeamView(scope.shown(TeamState(team=team)), state.with_(team=team if team == state.team else None),
                    notices, team=team, cycle=scope.cycle,
                    team_filter=_team_filter(words, teams, TeamState(team=team)), caption=caption,
                    kpis=_kpi_tiles(words, kpi_rows),
                    no_kpis=None if len(kpi_rows) else words.t("team.no_kpis", team=plain(words.team(team))))
    if scope.cycle is None:
        return replace(base, message=Message(words.t("common.no_cycle"), "📭"))
    cycle = scope.cycle
    files = _okrs_file(store, team, cycle, scope)
    # The rules' statuses, stale and confidence flags and gap order (scores.sql), for this team only.
    attention = store.needs_attention(scope.as_of, cycle.name, team=team)
    base = replace(base, kpi_names=sorted(kpi_rows["name"]), okrs_file=files,
                   okrs_file_name=f"okrs-{team}-{cycle.name}.csv",
                   attention=attention_table(words, scope, attention, f"needs-attention-{team}-{cycle.name}.csv")
                   if len(attention) else None,
                   all_clear=None if len(attention) else words.t("team.nothing_needs_attention",
                                                                 team=plain(words.team(team))))
    statuses = tuple(s for s in state.status if s in STATUS_ORDER)
    for unknown in [s for s in state.status if s not in STATUS_ORDER]:
        notices.append(link_notice(words, "status", unknown, message="team.unknown_filter"))
    page = readmodels.team_page(store, team, cycle, scope.as_of, statuses, state.owner, state.objective_page or 1,
                                per_page)
    owner = choose(words, notices, "owner", state.owner, page.owners, message="team.unknown_filter")
    if owner != state.owner:  # an owner the team does not have: that filter is not applied
        page = readmodels.team_page(store, team, cycle, scope.as_of, statuses, None, state.objective_page or 1,
                                    per_page)
    if state.objective_page is not None and page.page != state.objective_page:
        notices.append(link_notice(words, "objective_page", state.objective_page, 1, message="team.unknown_page",
                                   pages=words.number(page.pages)))
    shown = TeamState(team=team, status=statuses, owner=owner, objective_page=page.page if page.page > 1 else None)
    base = replace(base, shown=scope.shown(shown), team_filter=_team_filter(words, teams, shown),
                   link=base.link.with_(status=statuses, owner=owner,
                                        objective_page=page.page if page.page == state.objective_page else None))
    if not page.team_objectives:
        return replace(base, message=Message(words.t("team.no_objectives", team=plain(words.team(team)),
                                                   cycle=cycle.name), "📭"))
    present = {status for status, count in page.status_counts.items() if count}
    by_status = ", ".join(f"{count} {words.status_label(status)}" for status, count in page.status_counts.items()
                          if count)
    first = (page.page - 1) * per_page
    rules = store.config.rule_values()
    # The grades the quarter review gives this team's objectives (one reading, kept with the scores).
    graded = review_view.quarter_review(store, cycle, scope.as_of, team)
    badges = _grades(words, rules, graded)
    return replace(
        base,
        grades_caption=words.t("team.grades_final", cycle=plain(cycle.name), **rules) if graded.is_final
        else words.t("team.grades_so_far", cycle=plain(cycle.name), end=words.date(cycle.end_date)),
        ambition=_ambition(words, rules, graded),
        objectives=_objectives(words, rules, graded, f"objectives-{team}-{cycle.name}.csv"),
        status_card=lambda: status_card(store, scope, team), status_card_name=f"status-{team}-{cycle.name}.png",
        summary=words.t("team.whatsapp", team=words.team(team), cycle=cycle.name, as_of=words.date(scope.as_of),
                        statuses=by_status),
        counts=counts(words, page.status_counts, [s for s in STATUS_ORDER if s != Status.NO_TARGET.value
                                                  or page.status_counts[s]]),
        status_filter=Filter("status", words.t("filter.status"),
                             tuple(Option(s, words.status_label(s)) for s in STATUS_ORDER
                                   if s in present or s in statuses),
                             statuses, shown, style="pills", multi=True, resets=("objective_page",)),
        owner_filter=Filter("owner", words.t("filter.owner"), tuple(Option(o, o) for o in page.owners),
                            owner, shown, resets=("objective_page",)),
        nothing_matches=None if page.key_results["matches"].any() else Message(words.t("team.nothing_matches"), "🔎"),
        objectives_shown=words.t("team.objectives_shown", first=words.number(first + 1),
                                 last=words.number(min(first + per_page, page.listed)),
                                 total=words.number(page.listed)) if page.pages > 1 else None,
        cards=_cards(store, words, scope, team, page, badges),
        page_filter=Filter("objective_page", words.t("team.objectives_page"),
                           tuple(Option(n, words.number(n)) for n in range(1, page.pages + 1)), page.page, shown,
                           style="segmented" if page.pages <= SEGMENTED_PAGES else "select",
                           required=page.pages <= SEGMENTED_PAGES) if page.pages > 1 else None,
    )


def status_card(store: Store, scope: Scope, team: str) -> bytes:
    """The team's objectives of the cycle shown with status and progress, as a PNG (okrdash/statuscard.py)."""
    return statuscard.png(status_card_content(store, scope, team))


def status_card_content(store: Store, scope: Scope, team: str) -> statuscard.Card:
    """What the status card says: each objective's status, progress and grade as the team page gives
    them (the final grade and its band once the cycle is over, the grade so far until then)."""
    words = scope.words
    assert scope.cycle is not None
    objectives = readmodels.records(store.objective_scores(scope.as_of, cycle=scope.cycle.name, team=team))
    grades = _grades(words, store.config.rule_values(), review_view.quarter_review(store, scope.cycle, scope.as_of, team))
    rows = tuple(statuscard.CardRow(
        o["title"], words.status(o["status"]), charts.STATUS_COLORS.get(o["status"], charts.STATUS_COLORS["No Data"]),
        o["progress"] or 0.0, words.percent(o["progress"]),
        " · ".join(badge.label for badge in grades.get(int(o["objective_id"]), ()))) for o in objectives)
    return statuscard.Card(
        store.config.company_name, f"{words.team(team)} · {scope.cycle.name}",
        words.t("team.card_as_of", as_of=words.date(scope.as_of)), rows,
        words.t("team.no_objectives", team=words.team(team), cycle=scope.cycle.name))


def _team_filter(words: Words, teams: list[str], shown: TeamState) -> Filter:
    """The team picker: the company's own team in the reader's language, every team by its stored name
    in the link; a row of buttons for a few teams, a searchable select box for many."""
    return Filter("team", words.t("filter.team"), tuple(Option(name, words.team(name)) for name in teams),
                  shown.team, shown, style="segmented" if len(teams) <= SEGMENTED_TEAMS else "select", required=True)


def _grades(words: Words, rules: dict[str, Any], graded: review.Review) -> dict[int, tuple[Badge, ...]]:
    """Each objective's grade as badges: once the cycle is over its final grade, band (read by type)
    and flags, each a badge in the band's colour (short enough for a phone's line); while it runs
    the grade so far, provisional, with no band: a band is the end-of-cycle reading, and until then
    the status is what to act on."""
    objectives = graded.objectives
    ids = [int(i) for i in objectives["objective_id"]]
    numbers = [formatting.fixed(g, words.lang) for g in objectives["grade"]]
    if not graded.is_final:
        return {i: (Badge(words.t("team.grade_so_far", grade=g), "⏳", "gray"),) for i, g in zip(ids, numbers)}
    bands = review_view.band_labels(words, rules, objectives["band"])
    flags = review_view.flag_labels(words, objectives, review.OBJECTIVE_FLAGS)
    colors = [BAND_COLORS.get(code, "gray") if isinstance(code, str) else "gray" for code in objectives["band"]]
    return {i: (Badge(words.t("team.grade_final", grade=g), "🎓", color), Badge(band, "", color))
            + ((Badge(flag, "", color),) if flag else ())
            for i, g, band, flag, color in zip(ids, numbers, bands, flags, colors)}


def _ambition(words: Words, rules: dict[str, Any], graded: review.Review) -> Message | None:
    """The review's flag on a team whose aspirational objectives averaged so high they were not
    ambitious enough: said once the cycle is over, of the team, never of an objective or a person."""
    flagged = graded.raise_ambition
    if not graded.is_final or flagged.empty:
        return None
    row = readmodels.records(flagged)[0]
    return Message(words.t("team.raise_ambition", team=plain(words.team(row["team"])), cycle=plain(graded.cycle.name),
                           mean=words.number(round(row["aspirational_mean_grade"], 2)), **rules), "📈", "warning")


def _objectives(words: Words, rules: dict[str, Any], graded: review.Review, file_name: str) -> Table:
    """The team's objectives with type, status, progress and the review's grade, band and flags, as
    the cards show them (grades so far while the cycle runs, without a band); no owner: grades are
    never given per person."""
    objectives = graded.objectives
    t = words.t
    frame = pd.DataFrame({
        t("common.objective"): objectives["title"],
        t("review.type"): objectives["objective_type"].map(
            {kind: t(f"objective.type_{kind}") for kind in set(objectives["objective_type"])}),
        t("common.status"): [words.status(status) for status in objectives["status"]],
        t("common.progress"): objectives["progress"],
    })
    if graded.is_final:
        frame[t("common.grade")] = objectives["grade"]
        frame[t("review.band")] = review_view.band_labels(words, rules, objectives["band"])
        frame[t("review.flags")] = review_view.flag_labels(words, objectives, review.OBJECTIVE_FLAGS)
    else:
        frame[t("team.grade_so_far_column")] = objectives["grade"]
    return table(words, frame, file_name, "download_team_objectives", shares=(t("common.progress"),))


def _cards(store: Store, words: Words, scope: Scope, team: str, page: readmodels.TeamPage,
           badges: dict[int, tuple[Badge, ...]]) -> tuple[ObjectiveCard, ...]:
    """The page's objectives as cards, shaped from one pass over all their key results (a frame per
    objective cost the team page's first view 0.07 CPU s) and one query of their last check-ins."""
    every = page.key_results
    tables = key_results(words, every[every["matches"]].reset_index(drop=True),
                         lambda objective_id: (f"key-results-{team}-{objective_id}.csv", f"download_krs_{objective_id}"))
    own: dict[int, list[dict[str, Any]]] = {}
    for kr in readmodels.with_last_checkins(store, readmodels.records(every), scope.as_of):
        own.setdefault(int(kr["objective_id"]), []).append(kr)
    return tuple(_card(words, scope, objective, own.get(int(objective["objective_id"]), []),
                       tables.get(int(objective["objective_id"])), badges.get(int(objective["objective_id"]), ()))
                 for objective in readmodels.records(page.objectives))


def _card(words: Words, scope: Scope, objective: dict[str, Any], own: list[dict[str, Any]],
          shown: KeyResults | None, grade: tuple[Badge, ...]) -> ObjectiveCard:
    objective_id = int(objective["objective_id"])
    return ObjectiveCard(
        objective_id=objective_id,
        title=plain(objective["title"]),
        badge=badge(words, objective["status"]),
        meta=words.t("team.objective_meta", owner=plain(objective["owner"] or "–"),
                     type=words.t(f"objective.type_{objective['objective_type']}")),
        reason=plain(presentation.objective_status_reason(objective["status"], [kr["status"] for kr in own],
                                                          words.lang)),
        bar=bars(words, None, [objective["progress"]], [objective["expected"]], [objective["status"]]),
        grade=grade,
        link=PageLink(words.t("team.open_objective"), scope.urls.objective(objective=objective_id), "🎯"),
        key_results=shown,
        checkin=own,
    )


def _okrs_file(store: Store, team: str, cycle: Cycle, scope: Scope) -> Callable[[], pd.DataFrame]:
    """The team's OKRs as an okrs file in the reader's language: edit it in Excel, upload it back."""
    return lambda: okrfiles.localise(okrfiles.team_okrs(store, team, cycle, scope.as_of), scope.lang)


def _kpi_tiles(words: Words, kpis: pd.DataFrame) -> tuple[KpiTile, ...]:
    tiles = []
    for kpi in readmodels.records(kpis):
        change = kpis_view.trend_change(kpi)
        change = None if change is None or pd.isna(change) else change
        delta = None if change is None else 0 if change == 0 else f"{'+' if change > 0 else ''}{words.number(change)}"
        target = (words.t("team.kpi_range", low=words.number(kpi["min_value"]), high=words.number(kpi["max_value"]))
                  if kpi["direction"] == "range" else plain(words.amount(kpi["target"], kpi["unit"])))
        tiles.append(KpiTile(
            name=plain(kpi["name"]), value=plain(words.amount(kpi["value"], kpi["unit"])), delta=delta,
            delta_color="green" if kpi["trend"] > 0 else "red" if kpi["trend"] < 0 else "gray",
            recent=kpi["recent_values"] or None,
            caption=words.t("team.kpi_status", status=words.status_label(kpi["status"]), target=target)
            + (f" · {STALE_ICON} {words.t('common.stale_kpi')}" if kpi["stale"] else "")))
    return tuple(tiles)
