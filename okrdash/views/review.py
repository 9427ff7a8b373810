"""The quarter review page: one cycle's grades, their distribution, the objectives to talk about, and
the change against the previous cycle per team (the numbers are okrdash/review.py's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from okrdash import carry_forward, charts, formatting, readmodels, review
from okrdash.markdown import plain
from okrdash.models import Cycle
from okrdash.store import Store
from okrdash.viewstate import ReviewState
from okrdash.views.common import (Count, Filter, Markdown, Message, Notice, Option, PageLink, Scope, Table, Words,
                                  choose, nothing_yet, status_labels, table, unread)


@dataclass(frozen=True, eq=False)
class Flagged:
    """What the review asks to talk about: the committed objectives that were missed (a postmortem),
    the teams whose aspirational objectives average so high they should raise their ambition."""

    title: str
    help: str
    table: Table | None
    none: str | None        # nothing flagged


@dataclass(frozen=True)
class CarryOffer:
    """A finished cycle's unfinished aspirational objectives, offered to carry into the next cycle
    (okrdash/carry_forward.py); the page offers each to an editor of its team."""

    cycle: Cycle
    to: Cycle
    title: str
    help: str
    options: tuple[Option, ...]      # value: the objective's id; label: team · title (grade)
    teams: dict[int, str]            # objective id -> its team, for the writer's rights


@dataclass(frozen=True, eq=False)
class ReviewView:
    shown: ReviewState
    link: ReviewState                    # what the address holds: the team the page could use
    notices: list[Notice]
    empty: tuple[Message, PageLink] | None = None
    team_filter: Filter | None = None
    caption: Markdown = ""
    nothing: Message | None = None       # the cycle has no objectives
    counts: tuple[Count, ...] = ()
    charts: tuple[charts.Spec, ...] = ()  # the distribution of objectives' and key results' grades
    distribution_help: str = ""          # how a grade reads by type, with the rules' bands
    distribution: Table | None = None
    flagged: tuple[Flagged, ...] = ()
    by_team_caption: Markdown = ""
    by_team: Table | None = None
    objectives: Table | None = None
    key_results: Table | None = None
    carry: CarryOffer | None = None
    summary: str | None = None           # plain text for a chat: what the review counts


def _carry_offer(store: Store, words: Words, result: review.Review, team: str | None) -> CarryOffer | None:
    """What a finished cycle may carry into the next one; None while it runs, or with nothing to carry."""
    if not result.is_final:
        return None
    to = carry_forward.following_cycle(store.cycles(), result.cycle)
    offered = carry_forward.candidates(store, result.cycle, team) if to is not None else []
    if not offered:
        return None
    options = tuple(Option(c.objective_id, f"{words.team(c.team)} · {c.title}"
                                           + ("" if c.grade is None else f" ({formatting.fixed(c.grade, words.lang)})"))
                    for c in offered)
    return CarryOffer(result.cycle, to, words.t("review.carry_title", to=plain(to.name)),
                      words.t("review.carry_help", cycle=plain(result.cycle.name), to=plain(to.name)), options,
                      {c.objective_id: c.team for c in offered})


def quarter_review(store: Store, cycle: Cycle, as_of: dt.date, team: str | None) -> review.Review:
    """The quarter review of ``cycle`` (okrdash/review.py), kept with the scores of ``as_of`` until
    the next write."""
    return store.scores(as_of).kept(("review", cycle, team), lambda: review.review(store, cycle, as_of, team=team))


def review_teams(store: Store, cycle: Cycle, as_of: dt.date) -> list[str]:
    """The teams with an objective in ``cycle`` (the picker's choices), kept like :func:`quarter_review`."""
    return store.scores(as_of).kept(("review teams", cycle), lambda: review.cycle_teams(store, cycle))


def view(store: Store, state: ReviewState, scope: Scope) -> ReviewView:
    words = scope.words
    notices = unread(words, state)
    cycle = scope.cycle
    if cycle is None:
        message, upload = nothing_yet(words, scope.urls)
        if readmodels.teams(store, scope.as_of):
            message = Message(words.t("common.no_cycle"), "📭")
        return ReviewView(scope.shown(ReviewState()), state.with_(), notices, empty=(message, upload))
    teams = review_teams(store, cycle, scope.as_of)
    # No team in the link is the whole company.
    team = choose(words, notices, "team", state.team, teams, message="review.unknown_team", cycle=cycle.name)
    shown = ReviewState(team=team)
    result = quarter_review(store, cycle, scope.as_of, team)
    base = ReviewView(
        scope.shown(shown), shown, notices,
        team_filter=Filter("team", words.t("filter.team"), tuple(Option(name, words.team(name)) for name in teams),
                           team, shown, placeholder=words.t("review.all_teams")),
        caption=words.t("review.caption_final" if result.is_final else "review.caption_running",
                        cycle=plain(cycle.name), graded_on=words.date(result.graded_on)))
    if result.is_empty:
        return replace(base, nothing=Message(words.t("review.nothing", cycle=plain(cycle.name)), "📭"))
    t = words.t
    rules = store.config.rule_values()
    return replace(
        base,
        summary=t("review.whatsapp", cycle=cycle.name, team=words.team(team) if team else t("review.all_teams"),
                  objectives=len(result.objectives), key_results=len(result.key_results)),
        counts=(Count(t("review.teams"), len(result.teams)), Count(t("review.objectives"), len(result.objectives)),
                Count(t("review.key_results"), len(result.key_results))),
        charts=tuple(_distribution_chart(words, rules, result, subject) for subject in ("objective", "key_result")),
        distribution_help=t("review.distribution_help", **rules),
        distribution=_distribution(words, rules, result),
        flagged=(_postmortem(words, rules, result), _raise_ambition(words, result, rules)),
        by_team_caption=words.t("review.by_team_help" if result.is_final else "review.by_team_help_running",
                                cycle=plain(cycle.name), previous=plain(result.previous.name),
                                graded_on=words.date(result.graded_on))
        if result.previous is not None else words.t("review.by_team_no_previous", cycle=plain(cycle.name)),
        by_team=_by_team(words, result),
        carry=_carry_offer(store, words, result, team),
        objectives=_grades(words, result, pd.DataFrame({
            t("common.team"): [words.team(name) for name in result.objectives["team"]],
            t("common.objective"): result.objectives["title"],
            t("review.type"): result.objectives["objective_type"].map(
                {kind: t(f"objective.type_{kind}") for kind in set(result.objectives["objective_type"])}),
            t("common.grade"): result.objectives["grade"],
            t("review.band"): band_labels(words, rules, result.objectives["band"]),
            t("review.flags"): flag_labels(words, result.objectives, review.OBJECTIVE_FLAGS),
            t("common.status"): status_labels(words, result.objectives["status"]),
        }), "objectives"),
        key_results=_grades(words, result, pd.DataFrame({
            t("common.team"): [words.team(name) for name in result.key_results["team"]],
            t("common.objective"): result.key_results["objective"],
            t("common.key_result"): result.key_results["title"],
            t("common.grade"): result.key_results["grade"],
            t("review.band"): band_labels(words, rules, result.key_results["band"]),
        }), "key_results"),
    )


def _band(words: Words, rules: dict[str, object], band: object) -> str:
    """A band in words, with the grades it holds as the rules' settings give them (``rules``)."""
    return words.t(f"review.band_{'none' if band is None or pd.isna(band) else band}", **rules)


def band_labels(words: Words, rules: dict[str, object], column: pd.Series) -> pd.Series:
    """Per column, translated once per distinct value: a large company grades 15,000 key results."""
    named = {band: _band(words, rules, band) for band in review.GRADE_BANDS if band is not None}
    return column.map(named).fillna(_band(words, rules, None)).astype(object)


def flag_labels(words: Words, rows: pd.DataFrame, flags: tuple[str, ...]) -> list[str]:
    """Each row's flags of ``flags`` (the review's: postmortem, raise_ambition) in words."""
    return [", ".join(words.t(f"review.flag_{flag}") for flag in flags if row[flag])
            for row in rows[list(flags)].to_dict("records")]


def _distribution_chart(words: Words, rules: dict[str, object], result: review.Review, subject: str) -> charts.Spec:
    counts = pd.DataFrame({"band": list(review.GRADE_BANDS),
                           "label": [_band(words, rules, band) for band in review.GRADE_BANDS],
                           "count": [result.distribution[subject][band] for band in review.GRADE_BANDS]})
    title = words.t("review.objectives" if subject == "objective" else "review.key_results")
    return charts.grade_distribution_chart(counts, title, words.t("review.count"), words.t("review.band"))


def _distribution(words: Words, rules: dict[str, object], result: review.Review) -> Table:
    frame = pd.DataFrame({
        words.t("review.band"): [_band(words, rules, band) for band in review.GRADE_BANDS],
        words.t("review.objectives"): [result.distribution["objective"][band] for band in review.GRADE_BANDS],
        words.t("review.key_results"): [result.distribution["key_result"][band] for band in review.GRADE_BANDS],
    })
    return table(words, frame, f"review-{result.cycle.name}-distribution.csv", "download_distribution")


def _grades(words: Words, result: review.Review, frame: pd.DataFrame, file_key: str) -> Table:
    """A table whose grades read to one decimal (0,7 and 1,0); the download keeps the numbers."""
    grade = words.t("common.grade")
    shown = frame.head(review.REVIEW_ROWS)
    shown = shown.assign(**{grade: [formatting.fixed(g, words.lang) for g in shown[grade]]})
    return table(words, frame, f"review-{result.cycle.name}-{file_key}.csv", f"download_{file_key}", shown=shown,
                 limit=review.REVIEW_ROWS, total=len(frame), right=(grade,))


def _postmortem(words: Words, rules: dict[str, object], result: review.Review) -> Flagged:
    missed = result.needs_postmortem
    listed = pd.DataFrame({
        words.t("common.team"): [words.team(name) for name in missed["team"]],
        words.t("common.objective"): missed["title"],
        words.t("common.grade"): missed["grade"],
        words.t("review.band"): band_labels(words, rules, missed["band"]),
    })
    return Flagged(words.t("review.postmortem"), words.t("review.postmortem_help"),
                   _grades(words, result, listed, "postmortem") if len(missed) else None,
                   None if len(missed) else words.t("review.postmortem_none"))


def _raise_ambition(words: Words, result: review.Review, rules: dict[str, object]) -> Flagged:
    """The teams whose aspirational objectives average at or above the rules' bar (review.py)."""
    teams = result.raise_ambition
    listed = pd.DataFrame({
        words.t("common.team"): [words.team(name) for name in teams["team"]],
        words.t("review.aspirational_mean_grade"): teams["aspirational_mean_grade"].round(2),
        words.t("review.previous_aspirational_mean_grade"): teams["previous_aspirational_mean_grade"].round(2),
    })
    return Flagged(words.t("review.raise_ambition"), words.t("review.raise_ambition_help", **rules),
                   table(words, listed, f"review-{result.cycle.name}-raise_ambition.csv", "download_raise_ambition",
                         limit=review.REVIEW_ROWS) if len(teams) else None,
                   None if len(teams) else words.t("review.raise_ambition_none"))


def _by_team(words: Words, result: review.Review) -> Table:
    """Each team's mean grade against the previous cycle's (the download keeps the numbers)."""
    change = words.t("review.change")
    frame = pd.DataFrame({
        words.t("common.team"): [words.team(name) for name in result.teams["team"]],
        words.t("review.objectives"): result.teams["objective_count"],
        words.t("review.key_results"): result.teams["key_result_count"],
        words.t("review.mean_grade"): result.teams["mean_grade"].round(2),
        words.t("review.previous_mean_grade"): result.teams["previous_mean_grade"].round(2),
        change: result.teams["change"].round(2),
        words.t("review.flags"): flag_labels(words, result.teams, review.TEAM_FLAGS),
    })
    shown = frame.head(review.REVIEW_ROWS)
    shown = shown.assign(**{change: [formatting.signed(value, words.lang) for value in shown[change]]})
    return table(words, frame, f"review-{result.cycle.name}-teams.csv", "download_teams", shown=shown,
                 limit=review.REVIEW_ROWS, total=len(frame), right=(change,))
