"""OKR vs KPI: how they differ, how they work together (live, on the real rules), the guides'
examples to browse and load as drafts, and the good practice the coach checks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from okrdash import bridge, examples
from okrdash.access import Access
from okrdash.coach import CHECKS
from okrdash.formatting import amount
from okrdash.i18n import format_number, format_percent, translate
from okrdash.importing import Upload, import_files
from okrdash.models import Cycle
from okrdash.problems import ImportFailed, Problem
from okrdash.readmodels import records
from okrdash.store import Store, open_store
from okrdash.ui import auth, context, widgets

ctx = context.current()
t = ctx.t

# The worked cases run in a scratch store of their own, on a fixed cycle and day.
SANDBOX_CYCLE = Cycle.parse("2026-Q2")
SANDBOX_AS_OF = dt.date(2026, 5, 15)
REPLY_TARGET, REPLY_BASELINE = 30, 48
NPS_TARGET = 10

EXAMPLE_FILTERS = ("ex_team", "ex_role", "ex_category", "ex_type", "ex_indicator")
ASPECTS = ("purpose", "nature", "structure", "approach", "time", "flexibility", "fit", "judged", "bonus", "example")
# Each piece of advice and the coach checks that enforce it (none: a matter of policy).
PRACTICE = (
    ("objective", ("objective_has_number", "objective_title_too_long")),
    ("key_results", ("too_few_key_results", "too_many_key_results", "key_result_without_baseline",
                     "key_result_without_target", "key_result_is_task")),
    ("focus", ("too_many_objectives",)),
    ("alignment", ("objective_not_aligned",)),
    ("rhythm", ()),
    ("scoring", ("committed_below_one",)),
    ("bonus", ()),
)


# -- the scratch store of the worked cases -------------------------------------------------------
@dataclass
class _Sandbox:
    store: Store
    lock: threading.Lock  # an import and the reads after it, one session at a time


@st.cache_resource(show_spinner=False)
def _sandbox() -> _Sandbox:
    return _Sandbox(open_store(":memory:"), threading.Lock())


def _csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# The two KPIs of the cases: (locale key of the name, of the unit, direction, target).
CASE_KPIS = {
    "reply": ("explainer.reply_kpi_name", "explainer.minutes", "lower_is_better", REPLY_TARGET),
    "nps": ("explainer.nps_kpi_name", "explainer.points", "higher_is_better", NPS_TARGET),
}


@st.cache_data(show_spinner=False, max_entries=512)
def _kpi_cases(values: tuple[tuple[str, int], ...], lang: str) -> dict[str, dict[str, Any]]:
    """Import each case's KPI with one measurement; per case its status and the bridge's proposal."""
    team = translate("explainer.sandbox_team", lang)
    names = {case: translate(CASE_KPIS[case][0], lang) for case, _ in values}
    data = _csv_bytes([{
        "team": team, "kpi": names[case], "date": SANDBOX_AS_OF.isoformat(), "value": value,
        "target": CASE_KPIS[case][3], "unit": translate(CASE_KPIS[case][1], lang), "direction": CASE_KPIS[case][2],
        "category": "service", "frequency": "weekly",
    } for case, value in values])
    sandbox = _sandbox()
    with sandbox.lock:
        import_files(sandbox.store, [Upload("kpis.csv", data)], today=SANDBOX_AS_OF)
        scores = {r["name"]: r for r in records(sandbox.store.kpi_scores(SANDBOX_AS_OF, team=team))}
        proposals = {p.kpi_name: p for p in bridge.proposals(sandbox.store, SANDBOX_AS_OF, SANDBOX_CYCLE.name, lang)
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


@st.cache_data(show_spinner=False, max_entries=512)
def _kr_cases(key_results: tuple[tuple[str, str, str, float, float, str, int], ...],
              lang: str) -> list[dict[str, Any]]:
    """Import committed objectives, each with one key result and its check-in; each key result's score.

    A key result is (objective, title, kind, baseline, target, unit, current).
    """
    team = translate("explainer.sandbox_team", lang)
    data = _csv_bytes([{
        "cycle": SANDBOX_CYCLE.name, "team": team, "objective": objective, "objective_type": "committed",
        "key_result": title, "kind": kind, "baseline": format(baseline, "g"), "target": format(target, "g"),
        "unit": unit, "current": current, "date": SANDBOX_AS_OF.isoformat(),
    } for objective, title, kind, baseline, target, unit, current in key_results])
    sandbox = _sandbox()
    with sandbox.lock:
        import_files(sandbox.store, [Upload("okrs.csv", data)], today=SANDBOX_AS_OF)
        rows = records(sandbox.store.kr_scores(SANDBOX_AS_OF, cycle=SANDBOX_CYCLE.name, team=team))
    by_title = {(r["objective"], r["title"]): r for r in rows}
    return [{k: by_title[(kr[0], kr[1])][k] for k in ("progress", "expected", "elapsed", "status")}
            for kr in key_results]


def _kr_metrics(score: dict[str, Any], progress_label: str, status_label: str) -> None:
    st.metric(progress_label, format_percent(score["progress"], ctx.lang))
    st.metric(status_label, widgets.status_label(ctx, score["status"]))
    st.caption(t("explainer.expected_note", as_of=ctx.date(SANDBOX_AS_OF),
                 elapsed=format_percent(score["elapsed"], ctx.lang),
                 expected=format_percent(score["expected"], ctx.lang)))


def _amount(value: float | None, unit: str | None) -> str:
    """48 minutes, 45%, Rp1.500.000, 4,5/5: a number with its unit, in the reader's format."""
    return amount(value, unit, ctx.lang)


# -- header and the comparison ---------------------------------------------------------------------
st.title(f"💡 {t('explainer.title')}")
st.subheader(t("explainer.subtitle"))
st.markdown(t("explainer.intro"))
kpi_column, okr_column = st.columns(2)
with kpi_column.container(border=True):
    st.markdown(f"**📊 {t('explainer.kpi_label')}** · {t('explainer.kpi_short')}")
with okr_column.container(border=True):
    st.markdown(f"**🧭 {t('explainer.okr_label')}** · {t('explainer.okr_short')}")

st.subheader(t("explainer.compare_title"))
st.caption(t("explainer.compare_caption"))
st.table(pd.DataFrame({
    t("explainer.aspect_column"): [t(f"explainer.aspect.{a}") for a in ASPECTS],
    t("explainer.kpi_column"): [t(f"explainer.kpi.{a}") for a in ASPECTS],
    t("explainer.okr_column"): [t(f"explainer.okr.{a}") for a in ASPECTS],
}), hide_index=True)

st.subheader(f"🚗 {t('explainer.analogy_title')}")
st.markdown(t("explainer.analogy"))

# -- how they work together: the guides' two cases, scored by the real rules ----------------------
st.subheader(t("explainer.together_title"))
st.markdown(t("explainer.together_intro"))
st.caption(t("explainer.sandbox_note", cycle=SANDBOX_CYCLE.name, as_of=ctx.date(SANDBOX_AS_OF)))
minutes = t("explainer.minutes")

# Every input first, into its place on the page; then the two imports; then the results.
with st.container(border=True):
    st.markdown(f"#### {t('explainer.case_reply_title')}")
    kpi_side, okr_side = st.columns(2)
    with kpi_side:
        st.markdown(t("explainer.case_reply_body"))
        reply_now = st.number_input(t("explainer.reply_kpi_input"), min_value=0, max_value=1440, value=REPLY_BASELINE,
                                    step=1, key="ex_reply_kpi")
        reply_kpi_place = st.container()
    with okr_side:
        st.markdown(t("explainer.reply_okr_body"))
        st.markdown(t("explainer.objective_line", title=widgets.plain(t("explainer.reply_objective"))) + "  \n"
                    + t("explainer.key_result_line", title=widgets.plain(t("explainer.reply_kr"))))
        reply_checkin = st.number_input(t("explainer.reply_kr_input"), min_value=0, max_value=1440, value=40, step=1,
                                        key="ex_reply_kr")
        reply_kr_place = st.container()

with st.container(border=True):
    st.markdown(f"#### {t('explainer.case_nps_title')}")
    kpi_side, nps_okr_place = st.columns(2)
    with kpi_side:
        st.markdown(t("explainer.case_nps_body"))
        nps_now = st.number_input(t("explainer.nps_kpi_input"), min_value=-100, max_value=100, value=4, step=1,
                                  key="ex_nps_kpi")
        nps_kpi_place = st.container()

kpi_scores = _kpi_cases((("reply", int(reply_now)), ("nps", int(nps_now))), ctx.lang)
for place, case, label_key, target_key, target, unit in (
    (reply_kpi_place, "reply", "explainer.reply_kpi_status", "explainer.kpi_target_at_most", REPLY_TARGET, minutes),
    (nps_kpi_place, "nps", "explainer.nps_kpi_status", "explainer.kpi_target_at_least", NPS_TARGET,
     t("explainer.points")),
):
    with place:
        st.metric(t(label_key), widgets.status_label(ctx, kpi_scores[case]["status"]))
        st.caption(t(target_key, amount=_amount(target, unit)))
        if kpi_scores[case]["why"]:
            st.markdown(widgets.plain(kpi_scores[case]["why"]))
        elif case == "reply":  # the NPS case says so where its OKR would be
            st.markdown(t("explainer.kpi_fine"))

key_results = [(t("explainer.reply_objective"), t("explainer.reply_kr"), "decrease", float(REPLY_BASELINE),
                float(REPLY_TARGET), minutes, int(reply_checkin))]
proposal = kpi_scores["nps"]["proposal"]
with nps_okr_place:
    if proposal is None:
        st.success(t("explainer.kpi_fine"), icon="✅")
    else:
        st.markdown(t("explainer.nps_became_okr"))
        st.markdown(t("explainer.objective_line", title=widgets.plain(proposal["objective"])) + "  \n"
                    + t("explainer.key_result_line", title=widgets.plain(proposal["key_result"])))
        nps_checkin = st.number_input(t("explainer.nps_kr_input"), min_value=-100, max_value=100, value=7, step=1,
                                      key="ex_nps_kr")
        # Stored under the KPI's name, so a new starting value updates the same key result.
        key_results.append((proposal["objective"], t("explainer.nps_kpi_name"), proposal["kind"],
                            float(proposal["baseline"]), float(proposal["target"]), proposal["unit"],
                            int(nps_checkin)))
        nps_kr_place = st.container()

kr_scores = _kr_cases(tuple(key_results), ctx.lang)
with reply_kr_place:
    _kr_metrics(kr_scores[0], t("explainer.reply_kr_progress"), t("explainer.reply_kr_status"))
if proposal is not None:
    with nps_kr_place:
        _kr_metrics(kr_scores[1], t("explainer.nps_kr_progress"), t("explainer.nps_kr_status"))

base_query = {"lang": ctx.lang, "as_of": ctx.as_of.isoformat()}
if ctx.cycle:
    base_query["cycle"] = ctx.cycle.name
links = st.columns(2)
links[0].page_link("pages/kpis.py", label=t("explainer.see_kpis"), icon="📈", query_params=base_query)
links[1].page_link("pages/overview.py", label=t("explainer.see_overview"), icon="🏢", query_params=base_query)


# -- examples, filtered from the link ----------------------------------------------------------------
def _filter(label_key: str, group: str, options: tuple[str, ...], key: str) -> str | None:
    """A select whose options are shown in the reader's language; the link carries their keys
    (read from the typed view state, okrdash/viewstate.py)."""
    requested = context.choose(ctx, page, key, list(options), used=t("filter.all"))
    return widgets.url_choice(ctx, t(label_key), list(options), key=key, value=requested,
                              format_func=lambda option: examples.label(group, option, ctx.lang))


def _kr_text(kr: examples.KeyResultExample) -> str:
    if kr.kind == "milestone":
        return t("explainer.kr_milestone")
    unit = kr.unit(ctx.lang)
    if unit == "%":  # 45% to 60%; any other unit once, after the target (72 to 60 bugs a month)
        baseline, target, unit = _amount(kr.baseline, unit), _amount(kr.target, unit), ""
    else:
        baseline, target = format_number(kr.baseline, ctx.lang), format_number(kr.target, ctx.lang)
    key = "explainer.kr_from_to" if kr.baseline is not None and kr.target is not None else "explainer.kr_target"
    return t(key, baseline=baseline, target=target, unit=unit).strip()


def _okr_card(example: examples.OkrExample) -> None:
    group = examples.label("team", example.team, ctx.lang) if example.team else examples.label(
        "role", example.role or "", ctx.lang)
    with st.container(border=True):
        st.markdown(f"**{widgets.plain(example.title(ctx.lang))}** · {widgets.plain(group)}")
        st.markdown("\n".join(f"- {widgets.plain(kr.title(ctx.lang))} · _{widgets.plain(_kr_text(kr))}_"
                              for kr in example.key_results))


def _kpi_target(example: examples.KpiExample) -> str:
    if example.target is None:
        return "–"
    amount = _amount(example.target, example.unit(ctx.lang))
    return t("explainer.at_most" if example.direction == "lower_is_better" else "explainer.at_least", amount=amount)


page = context.page_view(ctx, "explainer")
st.subheader(t("explainer.examples_title"))
st.markdown(t("explainer.examples_intro"))
tab_teams, tab_roles, tab_kpis = st.tabs([t("explainer.tab_teams"), t("explainer.tab_roles"), t("explainer.tab_kpis")])

with tab_teams:
    ex_team = _filter("explainer.filter_team", "team", examples.TEAMS, "ex_team")
    all_team_okrs = [e for e in examples.okr_examples() if e.team]
    team_okrs = [e for e in examples.okr_examples(team=ex_team) if e.team]
    st.caption(t("explainer.shown", shown=len(team_okrs), total=len(all_team_okrs)))
    st.caption(t("examples.index_unit"))
    for example in team_okrs:
        _okr_card(example)

with tab_roles:
    ex_role = _filter("explainer.filter_role", "role", examples.ROLES, "ex_role")
    for role in [ex_role] if ex_role else examples.ROLES:
        st.markdown(f"##### {widgets.plain(examples.label('role', role, ctx.lang))}")
        for example in examples.okr_examples(role=role):
            _okr_card(example)
        role_kpis = examples.kpi_examples(role=role)
        if role_kpis:
            st.markdown(f"**{t('explainer.role_kpis')}**  \n" + "\n".join(
                f"- {widgets.plain(k.title(ctx.lang))} · _{widgets.plain(_kpi_target(k))}_" for k in role_kpis))
role_okrs = [e for e in examples.okr_examples(role=ex_role) if e.role]

with tab_kpis:
    columns = st.columns(3)
    with columns[0]:
        ex_category = _filter("explainer.filter_category", "category", examples.CATEGORIES, "ex_category")
    with columns[1]:
        ex_type = _filter("explainer.filter_type", "kpi_type", examples.KPI_TYPES, "ex_type")
    with columns[2]:
        ex_indicator = _filter("explainer.filter_indicator", "indicator", examples.INDICATORS, "ex_indicator")
    kpi_list = examples.kpi_examples(category=ex_category, kpi_type=ex_type, indicator=ex_indicator)
    st.caption(t("explainer.shown", shown=len(kpi_list), total=len(examples.kpi_examples())))
    if not kpi_list:
        st.info(t("explainer.no_examples"), icon="🔎")
    else:
        st.dataframe(pd.DataFrame({
            t("explainer.column_kpi"): [k.title(ctx.lang) for k in kpi_list],
            t("explainer.column_category"): [examples.label("category", k.category, ctx.lang) if k.category else "–"
                                             for k in kpi_list],
            t("explainer.column_type"): [examples.label("kpi_type", k.kpi_type, ctx.lang) for k in kpi_list],
            t("explainer.column_indicator"): [examples.label("indicator", k.indicator, ctx.lang) for k in kpi_list],
            t("explainer.column_target"): [_kpi_target(k) for k in kpi_list],
            t("explainer.column_frequency"): [t(f"explainer.frequency.{k.frequency}") for k in kpi_list],
            t("explainer.column_role"): [examples.label("role", k.role, ctx.lang) if k.role else "–"
                                         for k in kpi_list],
            t("explainer.column_source"): [t("explainer.source_yes" if k.target_from_source else "explainer.source_no")
                                           for k in kpi_list],
        }), hide_index=True, width="stretch")
    with st.expander(t("explainer.types_title")):
        st.markdown("\n".join(
            [f"- **{examples.label('kpi_type', k, ctx.lang)}**: {t(f'examples.kpi_type_about.{k}')}"
             for k in examples.KPI_TYPES]
            + [f"- **{examples.label('indicator', i, ctx.lang)}**: {t(f'examples.indicator_about.{i}')}"
               for i in examples.INDICATORS]))

chosen_filters = {"ex_team": ex_team, "ex_role": ex_role, "ex_category": ex_category, "ex_type": ex_type,
                  "ex_indicator": ex_indicator}


# -- loading an example as a draft, through the normal importer --------------------------------------
def _problem_line(problem: Problem) -> str:
    where = [problem.file_name]
    if problem.line is not None:
        where.append(t("problem.at_line", line=problem.line))
    if problem.column:
        where.append(t("problem.at_column", column=problem.column))
    return f"- {widgets.plain(', '.join(where))}: {widgets.plain(problem.message(ctx.lang))}"


def _load(access: Access, kind: str, example: examples.OkrExample | examples.KpiExample, team: str,
          cycle: Cycle) -> None:
    if kind == "okr":
        data = examples.example_okr_csv(example, team, cycle.name, ctx.lang, start_date=cycle.start_date,
                                        end_date=cycle.end_date)
    else:
        data = examples.example_kpi_csv(example, team, ctx.as_of, ctx.lang)
    name = f"example-{example.key.replace('.', '-').replace('_', '-')}.csv"
    try:
        result = import_files(ctx.store, [Upload(name, data)], writer=access)
    except ImportFailed as failed:
        st.error(t("explainer.load.failed") + "\n\n" + "\n".join(_problem_line(p) for p in failed.problems),
                 icon="⚠️")
        return
    context.data_changed()
    st.success(t("explainer.load.done", team=widgets.plain(team), inserted=result.inserted, updated=result.updated),
               icon="✅")
    st.page_link("pages/team.py", label=t("explainer.load.open_team", team=widgets.plain(ctx.team(team))), icon="👥",
                 query_params=widgets.link_params(ctx, "team", team=team) | {"cycle": cycle.name})


st.markdown(f"#### {t('explainer.load.title')}")
access = auth.current_access(ctx)
auth.editing_notice(ctx, access)
if access.can_edit:
    draft_cycle = ctx.cycle or Cycle.containing(ctx.as_of)
    st.caption(t("explainer.load.intro", cycle=draft_cycle.name))
    kind = st.radio(t("explainer.load.kind"), ["okr", "kpi"], format_func=lambda k: t(f"explainer.load.kind_{k}"),
                    key="ex_load_kind", horizontal=True)
    pool: dict[str, Any] = ({e.key: e for e in [*team_okrs, *role_okrs]} if kind == "okr"
                            else {e.key: e for e in kpi_list})
    if not pool:
        st.info(t("explainer.load.none"), icon="🔎")
    else:
        example_key = st.selectbox(t("explainer.load.example"), list(pool),
                                   format_func=lambda k: pool[k].title(ctx.lang), key=f"ex_load_{kind}")
        picked = pool[example_key]
        if kind == "okr" and any(kr.unit_en.startswith("index") for kr in picked.key_results):
            st.caption(t("examples.index_unit"))
        elif kind == "kpi":
            st.caption(" ".join([t("examples.from_source" if picked.target_from_source
                                   else "examples.illustrative_target"), t("examples.draft_note")]))
        # An editor of named teams may write only those; everyone else picks from the stored teams.
        teams = context.teams(ctx.store) if access.allowed_teams is None else sorted(access.allowed_teams)
        team_column, new_column = st.columns(2)
        existing_team = team_column.selectbox(t("explainer.load.team"), teams, index=None, format_func=ctx.team,
                                              placeholder=t("explainer.load.team_placeholder"), key="ex_load_team")
        new_team = new_column.text_input(t("explainer.load.new_team"), key="ex_load_new_team", max_chars=200,
                                         help=t("explainer.load.new_team_help"))
        if st.button(t("explainer.load.button"), key="ex_load_button", type="primary", icon="📥"):
            target_team = (new_team or "").strip() or existing_team
            if not target_team:
                st.warning(t("explainer.load.need_team"), icon="👥")
            else:
                _load(access, kind, picked, target_team, draft_cycle)

# -- good practice, and the checks that enforce it -------------------------------------------------
st.subheader(t("explainer.practice_title"))
st.markdown(t("explainer.practice_intro"))
config = ctx.store.config
for practice, checks in PRACTICE:
    with st.container(border=True):
        st.markdown(f"**{t(f'explainer.practice.{practice}', **config.rule_values())}**")
        if checks:
            st.markdown(f"{t('explainer.checked_by')}:  \n" + "\n".join(
                f"- **{t(f'coach.{check}.name')}** ({t(f'coach.severity_{CHECKS[check]}')}): {t(f'coach.{check}.fix')}"
                for check in checks))
        elif practice == "rhythm":
            st.markdown(f"{t('explainer.checked_by')}:  \n- "
                        + t("explainer.stale_check", label=t("overview.stale"), days=config.checkin_interval_days))
        else:
            st.caption(t("explainer.no_check"))

st.subheader(f"📜 {t('explainer.history_title')}")
st.markdown(t("explainer.history"))

widgets.share_link(ctx, **chosen_filters)
