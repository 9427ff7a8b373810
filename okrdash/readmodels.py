"""What each page and the CLI need, assembled from the store's bulk queries.

Pages call one function here per view; none of them writes SQL or applies a rule itself.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from okrdash import sqlfiles, viewstate
from okrdash.models import Cycle, Status
# The pages choose their cycle as the CLI does (status_report.py: the CLI's status without pandas).
from okrdash.status_report import pick_cycle as pick_cycle
from okrdash.store import Store

STATUS_ORDER = [s.value for s in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.COMPLETE,
                                  Status.NO_DATA, Status.NO_TARGET)]
COMPANY_TEAMS = ("Company", "Perusahaan")


def _none(value: Any) -> Any:
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value


def _plain_column(values: pd.Series) -> list[Any]:
    """A column as plain Python values, as :func:`_none` makes each (None for missing), converted
    per column where the dtype says how (numbers, flags), per value only where it does not."""
    kind = values.dtype.kind if isinstance(values.dtype, np.dtype) else None
    if kind in ("i", "u", "b"):
        return values.tolist()  # Python ints and bools; these dtypes hold no missing value
    if kind == "f":
        return [None if value != value else value for value in values.tolist()]  # NaN is not equal to itself
    return [_none(value) for value in values.tolist()]


def records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """DataFrame rows as plain dicts (None for missing values)."""
    frame = frame if columns is None else frame[columns]
    names = [str(name) for name in frame.columns]
    plain = [_plain_column(frame.iloc[:, position]) for position in range(len(names))]
    return [dict(zip(names, row)) for row in zip(*plain)] if names else [{} for _ in range(len(frame))]


def page_url(page: str, **params: Any) -> str:
    """A relative link to a page with its query string, for link columns in tables: the shared
    ``lang`` / ``cycle`` / ``as_of`` and the page's filters, written by :func:`viewstate.link`."""
    shared = {name: params.pop(name) for name in ("lang", "cycle", "as_of") if name in params}
    return viewstate.link(page, shared, **params)


def page_urls(page: str, key: str, ids: pd.Series, **params: Any) -> pd.Series:
    """``page_url(page, key=id, **params)`` for every id, built as one string operation per column."""
    first = page_url(page, **params)
    joiner = "&" if "?" in first else "?"
    return f"{first}{joiner}{key}=" + ids.astype("int64").astype(str)


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Count of each status in a scored frame, every status present (zero when absent)."""
    counts = frame["status"].value_counts() if len(frame) else pd.Series(dtype=int)
    return {status: int(counts.get(status, 0)) for status in STATUS_ORDER}


@dataclass
class Overview:
    cycle: Cycle | None
    as_of: dt.date
    objectives: pd.DataFrame
    key_result_counts: dict[str, int]
    objective_counts: dict[str, int]
    kpi_counts: dict[str, int]
    team_status: pd.DataFrame          # subject, team, status, count
    needs_attention: pd.DataFrame

    @property
    def is_empty(self) -> bool:
        return self.objectives.empty and sum(self.kpi_counts.values()) == 0


def overview(store: Store, cycle: Cycle | None, as_of: dt.date) -> Overview:
    """The whole company for one cycle: aggregates only, never raw check-ins.

    Built once per kept scoring and cycle; each call gets its own shallow copies of the frames
    (copy-on-write: a caller that changes one leaves the kept overview alone)."""
    scored = store.scores(as_of)
    kept = scored.kept(("overview", cycle), lambda: _overview(store, cycle, as_of))
    return replace(kept, **{name: getattr(kept, name).copy(deep=False)
                            for name in ("objectives", "team_status", "needs_attention")},
                   key_result_counts=dict(kept.key_result_counts), objective_counts=dict(kept.objective_counts),
                   kpi_counts=dict(kept.kpi_counts))


def _overview(store: Store, cycle: Cycle | None, as_of: dt.date) -> Overview:
    if cycle is None:
        empty = pd.DataFrame()
        kpis = store.kpi_scores(as_of)
        return Overview(None, as_of, empty, status_counts(empty), status_counts(empty), status_counts(kpis),
                        empty, empty)
    objectives = store.objective_scores(as_of, cycle=cycle.name)
    team_status = store.status_counts(as_of, cycle.name)
    okr = team_status[team_status["subject"] == "okr"].groupby("status")["count"].sum()
    kpi = team_status[team_status["subject"] == "kpi"].groupby("status")["count"].sum()
    return Overview(
        cycle=cycle, as_of=as_of, objectives=objectives,
        key_result_counts={s: int(okr.get(s, 0)) for s in STATUS_ORDER},
        objective_counts=status_counts(objectives),
        kpi_counts={s: int(kpi.get(s, 0)) for s in STATUS_ORDER},
        team_status=team_status,
        needs_attention=store.needs_attention(as_of, cycle.name),
    )


CHART_TEAMS = 25  # teams the overview's status chart draws: one bar each; a large company has thousands


def teams_to_chart(team_status: pd.DataFrame, limit: int = CHART_TEAMS) -> tuple[pd.DataFrame, int]:
    """The key result status counts (``okr`` rows of ``Overview.team_status``) of the ``limit``
    teams with the most key results Off Track or At Risk (then the most key results, then by name),
    and how many teams have key results at all."""
    okr = team_status[team_status["subject"] == "okr"] if len(team_status) else pd.DataFrame(
        columns=["subject", "team", "status", "count"])
    behind = okr["count"].where(okr["status"].isin([Status.OFF_TRACK.value, Status.AT_RISK.value]), 0)
    per_team = (okr.assign(behind=behind).groupby("team", sort=False)[["behind", "count"]].sum()
                .reset_index().sort_values(["behind", "count", "team"], ascending=[False, False, True]))
    shown = set(per_team["team"].head(limit))
    return okr[okr["team"].isin(shown)].reset_index(drop=True), len(per_team)


def alignment_tree(objectives: pd.DataFrame) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    """Company (parent) objectives, each with the frame of team objectives aligned under it.

    Objectives of a company team, or named as a parent by another objective, are roots. Team
    objectives whose parent is unknown are gathered under a root of ``{}``. Children stay frames:
    a large company aligns thousands of team objectives, too many for a dict each.
    """
    if objectives.empty:
        return []
    objectives = objectives.reset_index(drop=True)
    parent = objectives["parent_title"]
    has_parent = parent.notna() & (parent != "")
    parent_titles = set(parent[has_parent])
    is_root = objectives["team"].isin(COMPANY_TEAMS) | (objectives["title"].isin(parent_titles) & ~has_parent)
    by_parent = {title: frame for title, frame in objectives[has_parent].groupby("parent_title", sort=False)}
    nobody = objectives.iloc[0:0]
    tree = [(root, by_parent.get(root["title"], nobody).drop(index=index, errors="ignore"))
            for index, root in zip(objectives.index[is_root], records(objectives[is_root]))]
    unaligned = objectives[~is_root & ~parent.isin(set(objectives.loc[is_root, "title"]))]
    if len(unaligned):
        tree.append(({}, unaligned))
    return tree


ALIGNED_ROWS = 100  # team objectives the overview lists at once under one company objective
UNALIGNED = "none"  # the overview's ``aligned`` link value for objectives aligned to no company objective


def alignment_summary(tree: list[tuple[dict[str, Any], pd.DataFrame]]) -> pd.DataFrame:
    """One row per root of :func:`alignment_tree`: its id as text (``UNALIGNED`` for the root of
    unaligned objectives), team, title, status and progress, and how many objectives are aligned to
    it and how many of those are Off Track or At Risk. The overview draws this instead of every objective."""
    behind = (Status.OFF_TRACK.value, Status.AT_RISK.value)
    rows = [{
        "key": str(root["objective_id"]) if root else UNALIGNED,
        "team": root.get("team"), "title": root.get("title"), "status": root.get("status"),
        "progress": root.get("progress"), "aligned": len(children),
        "aligned_behind": int(children["status"].isin(behind).sum()) if len(children) else 0,
    } for root, children in tree]
    return pd.DataFrame(rows, columns=["key", "team", "title", "status", "progress", "aligned", "aligned_behind"])


@dataclass
class TeamView:
    team: str
    cycle: Cycle | None
    objectives: pd.DataFrame
    key_results: pd.DataFrame
    kpis: pd.DataFrame


def team_view(store: Store, team: str, cycle: Cycle | None, as_of: dt.date) -> TeamView:
    objectives = store.objective_scores(as_of, cycle=cycle.name, team=team) if cycle else pd.DataFrame()
    key_results = store.kr_scores(as_of, cycle=cycle.name, team=team) if cycle else pd.DataFrame()
    return TeamView(team, cycle, objectives, key_results, kpi_table(store, as_of, team=team))


def kpi_table(store: Store, as_of: dt.date, team: str | None = None, category: str | None = None,
              kpi_type: str | None = None, indicator: str | None = None, status: str | None = None,
              points: int = 12) -> pd.DataFrame:
    """Scored KPIs with their last ``points`` values (for sparklines), by team, name and id.

    Every KPI's row is built once per kept scoring (one query: readmodels.sql ``kpi_table``); a
    filter is a lookup of those rows (``Scores.lookup``: the team's row positions, then the others
    compared over the rows left), so a team's KPIs cost no query of their own."""
    scored = store.scores(as_of)
    name = ("kpi_table", points)
    scored.kept(name, lambda: _every_kpi(store, as_of, points))
    return scored.lookup(name, team=team, category=category, kpi_type=kpi_type, indicator=indicator, status=status)


def _every_kpi(store: Store, as_of: dt.date, points: int) -> pd.DataFrame:
    kpis = _filtered(store, as_of, "kpi_table", points=points)
    kpis["recent_values"] = kpis["recent_values"].map(
        lambda v: list(v) if isinstance(v, (list, tuple)) or hasattr(v, "tolist") else [])
    return kpis


def team_key_results(store: Store, team: str, cycle: Cycle, as_of: dt.date, statuses: tuple[str, ...] = (),
                     owner: str | None = None) -> pd.DataFrame:
    """The cycle's key results of ``team`` with one of ``statuses`` (any when empty) and ``owner``
    (anyone when None): the team page's filters, over the team's kept rows."""
    krs = store.kr_scores(as_of, cycle=cycle.name, team=team)
    if statuses:
        krs = krs[krs["status"].isin(list(statuses))]
    if owner is not None:
        krs = krs[krs["owner"] == owner]
    return krs.reset_index(drop=True)


READMODELS_SQL = Path(__file__).with_name("readmodels.sql")


def _filtered(store: Store, as_of: dt.date, name: str, **params: Any) -> pd.DataFrame:
    """Query ``name`` of readmodels.sql over the kept scores of ``as_of``, every value a parameter."""
    sql = sqlfiles.named_queries(READMODELS_SQL)[name]
    used = sqlfiles.parameters(sql, {**params, "as_of": as_of})
    scored = store.scores(as_of)
    with store.cursor() as cur:
        scored.register(cur)
        return cur.execute(sql, used).df()


KPI_ROWS = 100  # rows of the KPI table (and choices of its picker) a browser gets; a filter narrows them


@dataclass
class ObjectiveView:
    objective: dict[str, Any]
    key_results: pd.DataFrame
    histories: dict[int, pd.DataFrame]


def objective_view(store: Store, objective_id: int, as_of: dt.date) -> ObjectiveView | None:
    """One objective with each key result's history (check-ins, or its KPI's measurements)."""
    match = store.scores(as_of).lookup("objectives", objective_id=objective_id)
    if match.empty:
        return None
    key_results = store.kr_scores(as_of, objective_id=objective_id)
    histories = store.checkin_histories([int(kr_id) for kr_id in key_results["key_result_id"]], as_of)
    return ObjectiveView(records(match)[0], key_results, histories)


def expected_line(key_result: dict[str, Any]) -> pd.DataFrame:
    """The expected value of a key result from cycle start to end (for the burn-up chart).

    An at-least / at-most key result is expected inside its bound all cycle long (its expected
    progress in kr_scores is the end point from day one), so its line is flat at the bound.
    """
    start, end = key_result["start_date"], key_result["end_date"]
    baseline, target = key_result["baseline"], key_result["target"]
    if key_result["kind"] in ("at_least", "at_most") and None not in (target, start, end):
        return pd.DataFrame({"date": [start, end], "value": [target, target]})
    if baseline is None or target is None or start is None or end is None:
        return pd.DataFrame(columns=["date", "value"])
    end_value = baseline + (target - baseline) * key_result["end_point"]
    return pd.DataFrame({"date": [start, end], "value": [baseline, end_value]})


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week: the weekly check-in is due once per such week."""
    return day - dt.timedelta(days=day.weekday())


def owned_key_results(store: Store, cycle: Cycle, as_of: dt.date, owner: str) -> pd.DataFrame:
    """The cycle's key results ``owner`` owns, across teams; those without a check-in this week
    (``checked_in_this_week`` false) first, then the furthest behind, then by team and title."""
    mine = _filtered(store, as_of, "owned_key_results", cycle=cycle.name, owner=owner, week_start=week_start(as_of))
    mine["checked_in_this_week"] = mine["checked_in_this_week"].astype(bool)
    return mine


def owner_of(who: str | None, owners: list[str]) -> str | None:
    """The owner name a signed-in person goes by: their e-mail address as written in the owner
    column, else a name equal to the address's local part ("rizky@contoh.co.id" -> "Rizky")."""
    if not who:
        return None
    address = who.strip().casefold()
    local = address.split("@", 1)[0]
    for wanted in (address, local):
        for owner in owners:
            if owner.strip().casefold() == wanted:
                return owner
    return None
