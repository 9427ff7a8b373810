"""The objective page: one objective with each key result's burn-up chart, forecast and check-ins, and
a picker of one team's objectives."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from okrdash import charts, formatting, presentation, readmodels
from okrdash.markdown import plain
from okrdash.readmodels import COMPANY_TEAMS
from okrdash.store import Store
from okrdash.viewstate import ObjectiveState
from okrdash.views.common import (BAND_COLORS, Badge, Bar, Filter, KeyResults, Markdown, Message, Notice, Option, PageLink, Scope,
                                  Table, Words, badge, bars, choose, key_results, link_notice, nothing_yet, table,
                                  unread)


@dataclass(frozen=True, eq=False)
class KeyResultCard:
    key_result_id: int
    title: Markdown
    badge: Badge
    meta: Markdown                    # owner, progress and expected; current and target
    forecast: Markdown | None         # when the current pace reaches the target (None: no pace to speak of)
    kpi: PageLink | None              # the KPI its values come from
    checkin: dict[str, Any]           # the key result, for the check-in form
    chart: charts.Spec                # burn-up: the check-ins against the expected line
    checkins: Table | None            # None: no check-in yet


@dataclass(frozen=True, eq=False)
class ObjectiveView:
    shown: ObjectiveState
    link: ObjectiveState                            # what the address holds: the filters the page could use
    notices: list[Notice]
    empty: tuple[Message, PageLink] | None = None   # no cycle: what to say and where to go
    team_filter: Filter | None = None
    objective_filter: Filter | None = None
    choose: Message | None = None                   # no objective chosen: what to do
    team: str = ""                                  # the objective's team
    objective_id: int | None = None
    title: Markdown = ""
    other_cycle: Markdown | None = None
    badge: Badge | None = None
    reason: Markdown = ""
    meta: Markdown = ""
    bar: tuple[Bar, ...] = ()
    grade: tuple[Badge, ...] = ()                   # grade and band, once the cycle has ended
    back: PageLink | None = None                    # to the team page
    key_results: KeyResults | None = None
    no_key_results: Message | None = None
    cards: tuple[KeyResultCard, ...] = ()


_CHECKIN_COLUMNS = ["date", "value", "confidence", "note"]


def view(store: Store, state: ObjectiveState, scope: Scope) -> ObjectiveView:
    words = scope.words
    notices = unread(words, state, {"objective": "objective.bad_id"})
    if scope.cycle is None:
        message, upload = nothing_yet(words, scope.urls)
        if readmodels.teams(store, scope.as_of):
            message = Message(words.t("common.no_cycle"), "📭")
        return ObjectiveView(scope.shown(ObjectiveState()), state.with_(), notices, empty=(message, upload))
    shown = readmodels.objective_view(store, state.objective, scope.as_of) if state.objective is not None else None
    if state.objective is not None and shown is None:
        notices.append(link_notice(words, "objective", state.objective, message="objective.unknown_id"))
    # The picker lists one team's objectives (the shown objective's team, else the link's, else the
    # company's own): a large company's whole cycle is thousands of options, most of the page's bytes.
    objectives = readmodels.overview(store, scope.cycle, scope.as_of).objectives
    teams = sorted(set(objectives["team"])) if len(objectives) else []
    fallback = (shown.objective["team"] if shown is not None
                else next((name for name in teams if name in COMPANY_TEAMS), teams[0] if teams else None))
    linked = choose(words, notices, "team", state.team, teams, used=words.team(fallback), message="team.unknown_team")
    team = shown.objective["team"] if shown is not None else linked or fallback
    objective_id = int(shown.objective["objective_id"]) if shown is not None else None
    picked = ObjectiveState(objective=objective_id, team=team if shown is None else None)
    own = objectives[objectives["team"] == team] if len(objectives) else objectives
    names = dict(zip(own["objective_id"].astype(int).tolist(), own["title"].tolist())) if len(own) else {}
    if shown is not None:
        names.setdefault(objective_id, shown.objective["title"])
    base = ObjectiveView(
        scope.shown(picked), ObjectiveState(objective=objective_id, team=linked), notices,
        team_filter=Filter("team", words.t("filter.team"), tuple(Option(name, words.team(name)) for name in teams),
                           team, picked, placeholder=words.t("filter.team"), resets=("objective",),
                           key="objective_team"),
        objective_filter=Filter("objective", words.t("objective.pick"),
                                tuple(Option(i, title) for i, title in names.items()), objective_id, picked,
                                placeholder=words.t("objective.pick_placeholder"), key="objective_picker"))
    if shown is None:
        return replace(base, choose=Message(words.t("objective.choose") if names else
                                             words.t("objective.no_objectives", cycle=scope.cycle.name), "👆"))
    return _objective(base, store, words, scope, shown)


def _objective(base: ObjectiveView, store: Store, words: Words, scope: Scope, shown: readmodels.ObjectiveView
               ) -> ObjectiveView:
    objective, krs = shown.objective, shown.key_results
    objective_id = int(objective["objective_id"])
    # Graded once its cycle is over, read by its type (the rules' band: met or missed when committed).
    ended = objective["band"] and objective["end_date"] and scope.as_of >= objective["end_date"]
    return replace(
        base, team=objective["team"], objective_id=objective_id, title=plain(objective["title"]),
        other_cycle=words.t("objective.other_cycle", cycle=plain(objective["cycle"]))
        if objective["cycle"] != scope.cycle.name else None,
        badge=badge(words, objective["status"]),
        reason=plain(presentation.objective_status_reason(objective["status"], list(krs["status"]), words.lang)),
        meta=words.t("objective.meta", team=plain(words.team(objective["team"])), owner=plain(objective["owner"] or "–"),
                     type=words.t(f"objective.type_{objective['objective_type']}")),
        bar=bars(words, None, [objective["progress"]], [objective["expected"]], [objective["status"]]),
        # Two badges, so that a phone's line wraps between them (one badge is never wrapped, only cut).
        grade=(Badge(words.t("objective.grade", grade=formatting.fixed(objective["grade"], words.lang)), "🎓",
                     BAND_COLORS[objective["band"]]),
               Badge(words.t(f"objective.band_{objective['band']}"), "", BAND_COLORS[objective["band"]]))
        if ended else (),
        back=PageLink(words.t("objective.back_to_team", team=plain(words.team(objective["team"]))),
                      scope.urls.team(team=objective["team"]), "👥"),
        key_results=key_results(words, krs, lambda _: (f"objective-{objective_id}-key-results.csv",
                                                       "download_key_results")).get(objective_id),
        no_key_results=None if len(krs) else Message(words.t("objective.no_key_results"), "📭"),
        cards=tuple(_card(words, scope, kr, shown.histories.get(int(kr["key_result_id"])),
                          shown.expected_paths.get(int(kr["key_result_id"])))
                    for kr in readmodels.with_last_checkins(store, readmodels.records(krs), scope.as_of)),
    )


def _card(words: Words, scope: Scope, kr: dict[str, Any], history: pd.DataFrame | None,
          expected_path: pd.DataFrame | None) -> KeyResultCard:
    kr_id = int(kr["key_result_id"])
    history = history if history is not None else pd.DataFrame(columns=_CHECKIN_COLUMNS)
    labels = {name: words.t(f"objective.chart_{name}") for name in ("actual", "expected", "target")}
    return KeyResultCard(
        key_result_id=kr_id, title=plain(kr["title"]), badge=badge(words, kr["status"]),
        meta=words.t("objective.kr_meta", owner=plain(kr["owner"] or "–"), progress=words.percent(kr["progress"]),
                     expected=words.percent(kr["expected"])) + "  \n"
        + words.t("objective.kr_values", current=plain(words.amount(kr["current"], kr["unit"])),
                  target=plain(words.amount(kr["target"], kr["unit"]))),
        forecast=_forecast(words, kr),
        kpi=PageLink(words.t("objective.from_kpi", kpi=plain(kr["kpi_name"])),
                     scope.urls.kpis(kpi=int(kr["kpi_id"])), "📈") if kr["kpi_id"] is not None else None,
        checkin=kr,
        chart=charts.burn_up_chart(history, readmodels.expected_line(kr, expected_path), kr["target"],
                                   words.t("objective.chart_title"),
                                   kr["unit"] or words.t("common.value"), words.t("common.date"), labels),
        checkins=_checkins(words, kr_id, history) if len(history) else None,
    )


def _forecast(words: Words, kr: dict[str, Any]) -> str | None:
    """The forecast sentence; None for key results that have no pace (milestones, bounds)."""
    if kr["kind"] not in ("increase", "decrease"):
        return None
    if kr["progress"] is not None and kr["progress"] >= 1:
        return words.t("objective.forecast_reached")
    if kr["forecast_date"] is not None:
        if kr["end_date"] and kr["forecast_date"] > kr["end_date"]:
            return words.t("objective.forecast_after_end", date=words.date(kr["forecast_date"]),
                           end=words.date(kr["end_date"]))
        return words.t("objective.forecast_on", date=words.date(kr["forecast_date"]))
    if kr["progress"] is None or kr["checkin_count"] < 2:
        return words.t("objective.forecast_none")
    return words.t("objective.forecast_not")


def _checkins(words: Words, kr_id: int, history: pd.DataFrame) -> Table:
    note = words.t("common.note")
    frame = pd.DataFrame({
        words.t("common.date"): pd.to_datetime(history["date"]).dt.date,
        words.t("common.value"): history["value"],
        words.t("common.confidence"): history["confidence"],
        note: history["note"],
    })
    return table(words, frame, f"checkins-{kr_id}.csv", f"download_checkins_{kr_id}", widths={note: "large"})
