"""The OKR vs KPI page: how they differ, the guides' two cases scored live by the real rules in a
scratch store, the guides' examples filtered from the link (and loadable as drafts), and the good
practice the coach checks."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd

from okrdash import bridge, examples, readmodels
from okrdash.coach import CHECKS
from okrdash.importing import ImportResult, Upload, import_files
from okrdash.markdown import plain
from okrdash.models import Cycle
from okrdash.problems import Problem
from okrdash.readmodels import records
from okrdash.settings import Settings
from okrdash.store import Store, open_store
from okrdash.urls import Urls
from okrdash.viewstate import ExplainerState
from okrdash.views.common import Filter, Markdown, Message, Notice, Option, PageLink, Scope, Table, Words, choose, table

# The worked cases run in a scratch store of their own, on a fixed cycle and day.
SANDBOX_CYCLE = Cycle.parse("2026-Q2")
SANDBOX_AS_OF = dt.date(2026, 5, 15)
REPLY_TARGET, REPLY_BASELINE = 30, 48
NPS_TARGET = 10
# The cases' inputs: widget key -> the value it starts with.
CASE_INPUTS = {"ex_reply_kpi": REPLY_BASELINE, "ex_reply_kr": 40, "ex_nps_kpi": 4, "ex_nps_kr": 7}
# The two KPIs of the cases: (locale key of the name, of the unit, direction, target).
CASE_KPIS = {
    "reply": ("explainer.reply_kpi_name", "explainer.minutes", "lower_is_better", REPLY_TARGET),
    "nps": ("explainer.nps_kpi_name", "explainer.points", "higher_is_better", NPS_TARGET),
}
ASPECTS = ("purpose", "nature", "structure", "approach", "time", "flexibility", "fit", "judged", "bonus", "example")
# Each piece of advice and the coach checks that enforce it (none: a matter of policy).
PRACTICE = (
    ("objective", ("objective_has_number", "objective_title_too_long")),
    ("key_results", ("too_few_key_results", "too_many_key_results", "key_result_without_baseline",
                     "key_result_without_target", "key_result_is_task")),
    ("focus", ("too_many_objectives",)),
    ("alignment", ("objective_not_aligned",)),
    ("rhythm", ()),
    ("plan", ()),
    ("scoring", ("committed_below_one",)),
    ("bonus", ()),
)
FILTERS = {"ex_team": ("team", examples.TEAMS, "explainer.filter_team"),
           "ex_role": ("role", examples.ROLES, "explainer.filter_role"),
           "ex_category": ("category", examples.CATEGORIES, "explainer.filter_category"),
           "ex_type": ("kpi_type", examples.KPI_TYPES, "explainer.filter_type"),
           "ex_indicator": ("indicator", examples.INDICATORS, "explainer.filter_indicator")}


# -- the worked cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseKpi:
    status: Markdown        # icon and word
    target: str             # "target: at most 30 minutes"
    why: Markdown | None    # why the bridge proposes an OKR (None: the KPI is fine)


@dataclass(frozen=True)
class CaseKeyResult:
    progress: str
    status: Markdown
    expected: str           # how far the cycle is and what is expected by now


@dataclass(frozen=True)
class WorkedCases:
    reply_kpi: CaseKpi
    reply_kr: CaseKeyResult
    nps_kpi: CaseKpi
    nps_okr: Markdown | None        # the objective and key result the NPS KPI became (None: it is fine)
    nps_kr: CaseKeyResult | None


def worked_cases(words: Words, inputs: dict[str, int]) -> WorkedCases:
    """The guides' two cases (the reply time KPI and its key result; the NPS KPI becoming an OKR
    below target) with the reader's numbers, scored by the real rules."""
    kpis = _kpi_cases((("reply", int(inputs["ex_reply_kpi"])), ("nps", int(inputs["ex_nps_kpi"]))), words.lang)
    minutes = words.t("explainer.minutes")
    key_results = [(words.t("explainer.reply_objective"), words.t("explainer.reply_kr"), "decrease",
                    float(REPLY_BASELINE), float(REPLY_TARGET), minutes, int(inputs["ex_reply_kr"]))]
    proposal = kpis["nps"]["proposal"]
    if proposal is not None:
        # Stored under the KPI's name, so a new starting value updates the same key result.
        key_results.append((proposal["objective"], words.t("explainer.nps_kpi_name"), proposal["kind"],
                            float(proposal["baseline"]), float(proposal["target"]), proposal["unit"],
                            int(inputs["ex_nps_kr"])))
    scored = _kr_cases(tuple(key_results), words.lang)
    return WorkedCases(
        reply_kpi=_case_kpi(words, kpis["reply"], "explainer.kpi_target_at_most", REPLY_TARGET, minutes),
        reply_kr=_case_kr(words, scored[0]),
        nps_kpi=_case_kpi(words, kpis["nps"], "explainer.kpi_target_at_least", NPS_TARGET, words.t("explainer.points")),
        nps_okr=None if proposal is None else (
            words.t("explainer.objective_line", title=plain(proposal["objective"])) + "  \n"
            + words.t("explainer.key_result_line", title=plain(proposal["key_result"]))),
        nps_kr=_case_kr(words, scored[1]) if proposal is not None else None,
    )


def _case_kpi(words: Words, case: dict[str, Any], target_key: str, target: float, unit: str) -> CaseKpi:
    return CaseKpi(plain(words.status_label(case["status"])), words.t(target_key, amount=words.amount(target, unit)),
                   plain(case["why"]) if case["why"] else None)


def _case_kr(words: Words, score: dict[str, Any]) -> CaseKeyResult:
    return CaseKeyResult(words.percent(score["progress"]), plain(words.status_label(score["status"])),
                         words.t("explainer.expected_note", as_of=words.date(SANDBOX_AS_OF),
                                 elapsed=words.percent(score["elapsed"]), expected=words.percent(score["expected"])))


_SANDBOX: list[Store] = []
_SANDBOX_LOCK = threading.Lock()  # an import and the reads after it, one at a time


def _sandbox() -> Store:
    """The cases' scratch store (in memory, one per process), opened when first needed."""
    if not _SANDBOX:
        _SANDBOX.append(open_store(":memory:"))
    return _SANDBOX[0]


def _csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@functools.lru_cache(maxsize=512)
def _kpi_cases(values: tuple[tuple[str, int], ...], lang: str) -> dict[str, dict[str, Any]]:
    """Import each case's KPI with one measurement; per case its status and the bridge's proposal."""
    words = Words(lang)
    team = words.t("explainer.sandbox_team")
    names = {case: words.t(CASE_KPIS[case][0]) for case, _ in values}
    data = _csv_bytes([{
        "team": team, "kpi": names[case], "date": SANDBOX_AS_OF.isoformat(), "value": value,
        "target": CASE_KPIS[case][3], "unit": words.t(CASE_KPIS[case][1]), "direction": CASE_KPIS[case][2],
        "category": "service", "frequency": "weekly",
    } for case, value in values])
    with _SANDBOX_LOCK:
        sandbox = _sandbox()
        import_files(sandbox, [Upload("kpis.csv", data)], today=SANDBOX_AS_OF)
        scores = {r["name"]: r for r in records(sandbox.kpi_scores(SANDBOX_AS_OF, team=team))}
        proposals = {p.kpi_name: p for p in bridge.proposals(sandbox, SANDBOX_AS_OF, SANDBOX_CYCLE.name, lang)
                     if p.team == team}
    out = {}
    for case, name in names.items():
        proposal = proposals.get(name)
        out[case] = {
            "status": scores[name]["status"],
            "why": proposal.why(lang) if proposal else None,
            "proposal": None if proposal is None else {
                "objective": proposal.objective, "key_result": proposal.key_result, "kind": proposal.kind,
                "baseline": proposal.current, "target": proposal.target, "unit": proposal.unit or "",
            },
        }
    return out


@functools.lru_cache(maxsize=512)
def _kr_cases(key_results: tuple[tuple[str, str, str, float, float, str, int], ...],
              lang: str) -> list[dict[str, Any]]:
    """Import committed objectives, each with one key result and its check-in; each key result's score.

    A key result is (objective, title, kind, baseline, target, unit, current).
    """
    team = Words(lang).t("explainer.sandbox_team")
    data = _csv_bytes([{
        "cycle": SANDBOX_CYCLE.name, "team": team, "objective": objective, "objective_type": "committed",
        "key_result": title, "kind": kind, "baseline": format(baseline, "g"), "target": format(target, "g"),
        "unit": unit, "current": current, "date": SANDBOX_AS_OF.isoformat(),
    } for objective, title, kind, baseline, target, unit, current in key_results])
    with _SANDBOX_LOCK:
        sandbox = _sandbox()
        import_files(sandbox, [Upload("okrs.csv", data)], today=SANDBOX_AS_OF)
        rows = records(sandbox.kr_scores(SANDBOX_AS_OF, cycle=SANDBOX_CYCLE.name, team=team))
    by_title = {(r["objective"], r["title"]): r for r in rows}
    return [{k: by_title[(kr[0], kr[1])][k] for k in ("progress", "expected", "elapsed", "status")}
            for kr in key_results]


# -- the page ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExampleCard:
    title: Markdown
    key_results: Markdown   # one line each


@dataclass(frozen=True, eq=False)
class RoleExamples:
    heading: Markdown
    cards: tuple[ExampleCard, ...]
    kpis: Markdown | None


@dataclass(frozen=True)
class Practice:
    title: Markdown
    checked_by: Markdown | None     # the coach checks that enforce it, or the stale rule
    unchecked: bool                 # a matter of policy: no check


@dataclass(frozen=True, eq=False)
class ExplainerView:
    shown: ExplainerState
    link: ExplainerState
    notices: list[Notice]
    comparison: pd.DataFrame
    sandbox_note: str
    links: tuple[PageLink, ...]      # to the KPIs page and the overview
    filters: dict[str, Filter]
    team_caption: str
    team_cards: tuple[ExampleCard, ...]
    roles: tuple[RoleExamples, ...]
    kpi_caption: str
    kpi_examples: Table | None
    no_kpi_examples: Message | None
    kinds: Markdown                  # what each KPI type and indicator means
    loadable: dict[str, dict[str, Any]]   # "okr" / "kpi" -> example key -> example, as the filters leave them
    teams: list[str]                 # the teams an example can be loaded into (or a new one)
    practice: tuple[Practice, ...]


def view(store: Store, state: ExplainerState, scope: Scope) -> ExplainerView:
    words, urls, config = scope.words, scope.urls, store.config
    notices: list[Notice] = []
    chosen = {name: choose(words, notices, name, getattr(state, name), list(options), used=words.t("filter.all"))
              for name, (_, options, _) in FILTERS.items()}
    shown = ExplainerState(**chosen)
    team_okrs = [e for e in examples.okr_examples(team=chosen["ex_team"]) if e.team]
    role_okrs = [e for e in examples.okr_examples(role=chosen["ex_role"]) if e.role]
    kpi_list = examples.kpi_examples(category=chosen["ex_category"], kpi_type=chosen["ex_type"],
                                     indicator=chosen["ex_indicator"])
    return ExplainerView(
        shown=scope.shown(shown), link=shown, notices=notices,
        comparison=pd.DataFrame({
            words.t("explainer.aspect_column"): [words.t(f"explainer.aspect.{a}") for a in ASPECTS],
            words.t("explainer.kpi_column"): [words.t(f"explainer.kpi.{a}") for a in ASPECTS],
            words.t("explainer.okr_column"): [words.t(f"explainer.okr.{a}") for a in ASPECTS],
        }),
        sandbox_note=words.t("explainer.sandbox_note", cycle=SANDBOX_CYCLE.name, as_of=words.date(SANDBOX_AS_OF)),
        links=(PageLink(words.t("explainer.see_kpis"), urls.kpis(), "📈"),
               PageLink(words.t("explainer.see_overview"), urls.home(), "🏢")),
        filters={name: Filter(name, words.t(label), tuple(Option(key, examples.label(group, key, words.lang))
                                                          for key in options), chosen[name], shown)
                 for name, (group, options, label) in FILTERS.items()},
        team_caption=words.t("explainer.shown", shown=len(team_okrs),
                             total=len([e for e in examples.okr_examples() if e.team])),
        team_cards=tuple(_card(words, example) for example in team_okrs),
        roles=tuple(_role(words, role) for role in ([chosen["ex_role"]] if chosen["ex_role"] else examples.ROLES)),
        kpi_caption=words.t("explainer.shown", shown=len(kpi_list), total=len(examples.kpi_examples())),
        kpi_examples=_kpi_table(words, kpi_list) if kpi_list else None,
        no_kpi_examples=None if kpi_list else Message(words.t("explainer.no_examples"), "🔎"),
        kinds="\n".join(
            [f"- **{examples.label('kpi_type', k, words.lang)}**: {words.t(f'examples.kpi_type_about.{k}')}"
             for k in examples.KPI_TYPES]
            + [f"- **{examples.label('indicator', i, words.lang)}**: {words.t(f'examples.indicator_about.{i}')}"
               for i in examples.INDICATORS]),
        loadable={"okr": {e.key: e for e in [*team_okrs, *role_okrs]}, "kpi": {e.key: e for e in kpi_list}},
        teams=readmodels.teams(store, scope.as_of),
        practice=tuple(_practice(words, practice, checks, config) for practice, checks in PRACTICE),
    )


def _kr_text(words: Words, kr: examples.KeyResultExample) -> str:
    if kr.kind == "milestone":
        return words.t("explainer.kr_milestone")
    unit = kr.unit(words.lang)
    if unit == "%":  # 45% to 60%; any other unit once, after the target (72 to 60 bugs a month)
        baseline, target, unit = words.amount(kr.baseline, unit), words.amount(kr.target, unit), ""
    else:
        baseline, target = words.number(kr.baseline), words.number(kr.target)
    key = "explainer.kr_from_to" if kr.baseline is not None and kr.target is not None else "explainer.kr_target"
    return words.t(key, baseline=baseline, target=target, unit=unit).strip()


def _card(words: Words, example: examples.OkrExample) -> ExampleCard:
    group = examples.label("team", example.team, words.lang) if example.team else examples.label(
        "role", example.role or "", words.lang)
    return ExampleCard(f"**{plain(example.title(words.lang))}** · {plain(group)}",
                       "\n".join(f"- {plain(kr.title(words.lang))} · _{plain(_kr_text(words, kr))}_"
                                 for kr in example.key_results))


def _kpi_target(words: Words, example: examples.KpiExample) -> str:
    if example.target is None:
        return "–"
    amount = words.amount(example.target, example.unit(words.lang))
    return words.t("explainer.at_most" if example.direction == "lower_is_better" else "explainer.at_least",
                   amount=amount)


def _role(words: Words, role: str) -> RoleExamples:
    kpis = examples.kpi_examples(role=role)
    return RoleExamples(
        heading=plain(examples.label("role", role, words.lang)),
        cards=tuple(_card(words, example) for example in examples.okr_examples(role=role)),
        kpis=f"**{words.t('explainer.role_kpis')}**  \n" + "\n".join(
            f"- {plain(k.title(words.lang))} · _{plain(_kpi_target(words, k))}_" for k in kpis) if kpis else None)


def _kpi_table(words: Words, kpi_list: list[examples.KpiExample]) -> Table:
    t, lang = words.t, words.lang
    frame = pd.DataFrame({
        t("explainer.column_kpi"): [k.title(lang) for k in kpi_list],
        t("explainer.column_category"): [examples.label("category", k.category, lang) if k.category else "–"
                                         for k in kpi_list],
        t("explainer.column_type"): [examples.label("kpi_type", k.kpi_type, lang) for k in kpi_list],
        t("explainer.column_indicator"): [examples.label("indicator", k.indicator, lang) for k in kpi_list],
        t("explainer.column_target"): [_kpi_target(words, k) for k in kpi_list],
        t("explainer.column_frequency"): [t(f"explainer.frequency.{k.frequency}") for k in kpi_list],
        t("explainer.column_role"): [examples.label("role", k.role, lang) if k.role else "–" for k in kpi_list],
        t("explainer.column_source"): [t("explainer.source_yes" if k.target_from_source else "explainer.source_no")
                                       for k in kpi_list],
    })
    return table(words, frame, None, "kpi_examples")


def _practice(words: Words, practice: str, checks: tuple[str, ...], config: Settings) -> Practice:
    t = words.t
    title = f"**{t(f'explainer.practice.{practice}', **config.rule_values())}**"
    if checks:
        return Practice(title, f"{t('explainer.checked_by')}:  \n" + "\n".join(
            f"- **{t(f'coach.{check}.name')}** ({t(f'coach.severity_{CHECKS[check]}')}): {t(f'coach.{check}.fix')}"
            for check in checks), False)
    if practice == "rhythm":
        return Practice(title, f"{t('explainer.checked_by')}:  \n- "
                        + t("explainer.stale_check", label=t("overview.stale"), days=config.checkin_interval_days), False)
    if practice == "plan":
        return Practice(title, f"{t('explainer.checked_by')}:  \n- " + t("explainer.plan_check"), False)
    return Practice(title, None, True)


# -- loading an example as a draft ------------------------------------------------------------------


def example_upload(kind: str, example: examples.OkrExample | examples.KpiExample, team: str, cycle: Cycle,
                   scope: Scope) -> Upload:
    """The example as the file a person would upload: an okrs file for the cycle, or a kpis file."""
    if kind == "okr":
        data = examples.example_okr_csv(example, team, cycle.name, scope.lang, start_date=cycle.start_date,
                                        end_date=cycle.end_date)
    else:
        data = examples.example_kpi_csv(example, team, scope.as_of, scope.lang)
    return Upload(f"example-{example.key.replace('.', '-').replace('_', '-')}.csv", data)


def loaded(scope: Scope, team: str, cycle: Cycle, result: ImportResult) -> tuple[Message, PageLink]:
    """What a loaded example says, and the way to the team it went to (in the draft's cycle)."""
    words = scope.words
    return (Message(words.t("explainer.load.done", team=plain(team), inserted=result.inserted,
                            updated=result.updated), "✅", "success"),
            PageLink(words.t("explainer.load.open_team", team=plain(words.team(team))),
                     Urls(scope.lang, cycle.name, scope.as_of).team(team=team), "👥"))


def load_failed(words: Words, problems: list[Problem]) -> Markdown:
    """Why the example could not be loaded: each problem with its file, line and column."""
    def line(problem: Problem) -> str:
        where = [problem.file_name]
        if problem.line is not None:
            where.append(words.t("problem.at_line", line=problem.line))
        if problem.column:
            where.append(words.t("problem.at_column", column=problem.column))
        return f"- {plain(', '.join(where))}: {plain(problem.message(words.lang))}"

    return words.t("explainer.load.failed") + "\n\n" + "\n".join(line(p) for p in problems)
