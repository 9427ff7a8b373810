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

from okrdash import sqlfiles
from okrdash.models import Cycle, Status
# The pages choose their cycle as the CLI does (status_report.py: the CLI's status without pandas).
from okrdash.status_report import pick_cycle as pick_cycle
from okrdash.store import Store

STATUS_ORDER = [s.value for s in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.COMPLETE,
                                  Status.NO_DATA, Status.NO_TARGET)]
COMPANY_TEAMS = ("Company", "Perusahaan")


def teams(store: Store, as_of: dt.date) -> list[str]:
    """Every team, kept with the scores of ``as_of`` until the next write (the pickers' choices)."""
    return store.scores(as_of).kept(("teams",), store.teams)


def owners(store: Store, as_of: dt.date) -> list[str]:
    """Every owner of objectives, key results and KPIs, kept like :func:`teams`."""
    return store.scores(as_of).kept(("owners",), store.owners)


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


@dataclass
class KpiTable:
    """KPIs passing the KPIs page's filters, in view order (team, name, id), with the last values of
    each for its sparkline (``recent_values``, oldest first)."""

    kpis: pd.DataFrame   # the first ``limit`` of them (all without a limit)
    listed: int          # how many pass the filters
    every: int           # how many KPIs there are
    holds: bool          # whether the KPI asked about (``kpi_id``) passes the filters


def kpi_table(store: Store, as_of: dt.date, team: str | None = None, category: str | None = None,
              kpi_type: str | None = None, indicator: str | None = None, status: str | None = None,
              limit: int | None = None, kpi_id: int | None = None) -> KpiTable:
    """The KPIs with ``team``, ``category``, ``kpi_type``, ``indicator`` and ``status`` (None: any),
    filtered in readmodels.sql (``kpi_page``) over every KPI's row, built once per kept scoring."""
    params = {"team": team, "category": category, "kpi_type": kpi_type, "indicator": indicator, "status": status,
              "limit": limit, "kpi_id": kpi_id}
    (page,) = _over_kpis(store, as_of, params, "kpi_page")
    kpis = page[page["kpi_id"].notna()].drop(columns=["listed", "every", "kpi_listed"]).reset_index(drop=True)
    return KpiTable(_with_lists(kpis.astype({"kpi_id": "int64"})), int(page["listed"].iloc[0]),
                    int(page["every"].iloc[0]), bool(page["kpi_listed"].iloc[0]))


def kpi_row(store: Store, as_of: dt.date, kpi_id: int) -> dict[str, Any] | None:
    """One KPI's row of :func:`kpi_table` as plain values; None for an id no KPI has."""
    (found,) = _over_kpis(store, as_of, {"kpi_id": kpi_id}, "kpi_by_id")
    return records(_with_lists(found))[0] if len(found) else None


def kpi_categories(store: Store, as_of: dt.date) -> list[str]:
    """The categories the KPIs have (the KPIs page's category filter)."""
    (found,) = _over_kpis(store, as_of, {}, "kpi_categories")
    return list(found["category"])


KPI_POINTS = 12  # the last values a KPI's sparkline draws


def _kpi_rows(store: Store, as_of: dt.date) -> Any:
    """Every KPI's row with its last :data:`KPI_POINTS` values, as an Arrow table kept with the
    scores of ``as_of`` (one query per scoring; filters read it where it is)."""
    def build() -> Any:
        sql = sqlfiles.named_queries(READMODELS_SQL)["kpi_rows"]
        scored = store.scores(as_of)
        with store.cursor() as cur:
            scored.register(cur)
            return cur.sql(sql, params={"as_of": as_of, "points": KPI_POINTS}).to_arrow_table()

    return store.scores(as_of).kept(("kpi_rows", KPI_POINTS), build)


def _over_kpis(store: Store, as_of: dt.date, params: dict[str, Any], *names: str) -> list[pd.DataFrame]:
    """Queries ``names`` of readmodels.sql over every KPI's row (registered as kpi_rows)."""
    rows = _kpi_rows(store, as_of)
    queries = sqlfiles.named_queries(READMODELS_SQL)
    with store.cursor() as cur:
        cur.register("kpi_rows", rows)
        return [cur.execute(queries[name], sqlfiles.parameters(queries[name], params)).df() for name in names]


def _with_lists(kpis: pd.DataFrame) -> pd.DataFrame:
    """``recent_values`` as Python lists (DuckDB gives arrays; a missing list is an empty one)."""
    return kpis.assign(recent_values=[list(v) if v is not None and hasattr(v, "__len__") else []
                                      for v in kpis["recent_values"]])


@dataclass
class TeamPage:
    """What the team page lists for one team and cycle, its filters applied (readmodels.sql)."""

    objectives: pd.DataFrame      # the objectives of the page shown, in view order
    key_results: pd.DataFrame     # every key result of those objectives; ``matches``: passes the filters
    team_objectives: int          # the team's objectives in the cycle
    listed: int                   # objectives that hold a key result passing the filters (all, unfiltered)
    pages: int                    # pages those fill (at least one)
    page: int                     # the page shown: the one asked for, or the first if there is no such page
    status_counts: dict[str, int]  # the team's key results per status, every status present
    owners: list[str]             # who owns the team's key results


def team_page(store: Store, team: str, cycle: Cycle, as_of: dt.date, statuses: tuple[str, ...] = (),
              owner: str | None = None, page: int = 1, per_page: int = 5) -> TeamPage:
    """One page of ``team``'s objectives in ``cycle`` with a key result of one of ``statuses`` (any
    when empty) owned by ``owner`` (anyone when None), with the key results of those objectives."""
    params = {"cycle": cycle.name, "team": team, "statuses": list(statuses), "owner": owner,
              "filtered": bool(statuses) or owner is not None, "page": page, "per_page": per_page}
    objectives, counts, owners = _queries(store, as_of, params, "team_objectives", "team_status_counts",
                                          "team_owners")
    shown = objectives[objectives["objective_id"].notna()].reset_index(drop=True)
    ids = [int(i) for i in shown["objective_id"]]
    (key_results,) = _queries(store, as_of, {**params, "objective_ids": ids}, "team_key_results")
    counted = dict(zip(counts["status"], counts["count"]))
    return TeamPage(
        objectives=shown.drop(columns=["team_objectives", "listed", "pages", "page"]).astype({"objective_id": "int64"}),
        key_results=key_results.astype({"matches": bool}),
        team_objectives=int(objectives["team_objectives"].iloc[0]), listed=int(objectives["listed"].iloc[0]), pages=int(objectives["pages"].iloc[0]),
        page=int(objectives["page"].iloc[0]),
        status_counts={status: int(counted.get(status, 0)) for status in STATUS_ORDER},
        owners=list(owners["owner"]))


def with_last_checkins(store: Store, key_results: list[dict[str, Any]], as_of: dt.date) -> list[dict[str, Any]]:
    """``key_results`` (records) each with ``last_checkin_row``: its last check-in up to ``as_of``
    (value, date, note; None without one, or for a key result that follows a KPI), what a check-in
    form shows beside the new value. One query for all of them: a team page's forms cost one, not
    one each."""
    ids = [int(kr["key_result_id"]) for kr in key_results if kr["kpi_id"] is None]
    last = store.last_checkins(ids, as_of) if ids else {}
    return [{**kr, "last_checkin_row": last.get(int(kr["key_result_id"]))} for kr in key_results]


READMODELS_SQL = Path(__file__).with_name("readmodels.sql")


def _filtered(store: Store, as_of: dt.date, name: str, **params: Any) -> pd.DataFrame:
    """Query ``name`` of readmodels.sql over the kept scores of ``as_of``, every value a parameter."""
    return _queries(store, as_of, params, name)[0]


def _queries(store: Store, as_of: dt.date, params: dict[str, Any], *names: str) -> list[pd.DataFrame]:
    """Queries ``names`` of readmodels.sql over the kept scores of ``as_of`` on one cursor."""
    queries = sqlfiles.named_queries(READMODELS_SQL)
    scored = store.scores(as_of)
    with store.cursor() as cur:
        scored.register(cur)
        return [cur.execute(queries[name], sqlfiles.parameters(queries[name], {**params, "as_of": as_of})).df()
                for name in names]


@dataclass
class ObjectiveView:
    objective: dict[str, Any]
    key_results: pd.DataFrame
    histories: dict[int, pd.DataFrame]
    # Per key result, its expected path (the rules' expected_path: date, expected progress).
    expected_paths: dict[int, pd.DataFrame]


def objective_view(store: Store, objective_id: int, as_of: dt.date) -> ObjectiveView | None:
    """One objective with each key result's history (check-ins, or its KPI's measurements).

    Kept with the scores of ``as_of`` until the next write (one query of the histories per
    objective viewed); callers read it and leave it as it is."""
    scored = store.scores(as_of)
    if scored.lookup("objectives", objective_id=objective_id).empty:
        return None
    return scored.kept(("objective", objective_id), lambda: _objective_view(store, objective_id, as_of))


def _objective_view(store: Store, objective_id: int, as_of: dt.date) -> ObjectiveView:
    match = store.scores(as_of).lookup("objectives", objective_id=objective_id)
    key_results = store.kr_scores(as_of, objective_id=objective_id)
    ids = [int(kr_id) for kr_id in key_results["key_result_id"]]
    histories = store.checkin_histories(ids, as_of)
    scored = store.scores(as_of)
    paths = {kr_id: scored.lookup("expected_lines", key_result_id=kr_id) for kr_id in ids}
    return ObjectiveView(records(match)[0], key_results, histories, paths)


def expected_line(key_result: dict[str, Any], path: pd.DataFrame | None) -> pd.DataFrame:
    """The expected value of a key result from its start to its cycle's end (for the burn-up chart):
    the rules' expected path (kr_scores' expected_path: the planned path, else the linear one) in
    the key result's values.

    An at-least / at-most key result is expected inside its bound all cycle long (its expected
    progress in kr_scores is the end point from day one), so its line is flat at the bound.
    """
    start, end = key_result["start_date"], key_result["end_date"]
    baseline, target = key_result["baseline"], key_result["target"]
    if key_result["kind"] in ("at_least", "at_most") and None not in (target, start, end):
        return pd.DataFrame({"date": [start, end], "value": [target, target]})
    if baseline is None or target is None or path is None or not len(path):
        return pd.DataFrame(columns=["date", "value"])
    return pd.DataFrame({"date": [d.date() if isinstance(d, pd.Timestamp) else d for d in path["date"]],
                         "value": [baseline + (target - baseline) * e for e in path["expected"]]})


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
