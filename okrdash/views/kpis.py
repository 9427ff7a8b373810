"""The KPIs page: every KPI with its status and trend, filtered from the link, and one KPI in detail."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pandas as pd

from okrdash import charts, readmodels
from okrdash.markdown import plain
from okrdash.models import Direction, Indicator, KpiType
from okrdash.readmodels import STATUS_ORDER, KpiTable
from okrdash.store import Store
from okrdash.viewstate import KpisState
from okrdash.views.common import (Badge, Filter, Markdown, Message, Notice, Option, PageLink, RowsAsCards, Scope, Table,
                                  Words, STALE_ICON, badge, choose, link_notice, nothing_yet, stale_marks,
                                  status_colors, status_labels, table, unread, with_stale)

KPI_ROWS = 100  # rows of the table (and choices of the detail's picker) a browser gets; a filter narrows them
FILTERS = ("team", "category", "type", "indicator", "status")


@dataclass(frozen=True)
class Metric:
    label: Markdown
    value: Markdown
    delta: str | None = None
    delta_color: str = "gray"
    delta_arrow: str = "auto"
    delta_description: str | None = None
    chart: list[float] | None = None


@dataclass(frozen=True, eq=False)
class KpiDetail:
    kpi: dict[str, Any]                 # the KPI's row (the measurement form and the definition editor)
    # The stored definition, which the editor starts from (the row's target may be a period's
    # target), read-only: every session draws this one object.
    definition: Mapping[str, Any]
    heading: Markdown
    badge: Badge
    stale: Markdown | None              # not measured within its own frequency (the rules' stale)
    latest: Metric
    goal: Metric
    tolerance: Metric
    tolerance_note: str
    direction: Markdown                 # what counts as On Track, At Risk and Off Track for it
    chart: charts.Spec | None           # measurements, target and At Risk band (None: no measurement yet)
    band_note: str | None
    measurements: Table | None
    no_measurements: Message | None


@dataclass(frozen=True, eq=False)
class KpisView:
    shown: KpisState
    link: KpisState                     # what the address holds: the filters the page could use
    notices: list[Notice]
    empty: tuple[Message, PageLink] | None = None
    filters: tuple[Filter, ...] = ()
    caption: Markdown = ""
    no_match: Message | None = None
    table: Table | None = None
    filtering: Markdown = ""            # the folded filters' label, with how many are set
    filters_open: bool = False          # any filter set: the fold opens
    picker: Filter | None = None        # which KPI the detail shows
    outside_filter: str | None = None   # the KPI on show is not in the filtered list (the link names it)
    detail: KpiDetail | None = None


def view(store: Store, state: KpisState, scope: Scope, changed: Set[str] = frozenset()) -> KpisView:
    """``changed``: the filters the reader changed since the last run; when one did and the KPI on
    show leaves the list, the detail follows the list instead of keeping it."""
    words, as_of = scope.words, scope.as_of
    notices = unread(words, state)
    if not readmodels.kpi_table(store, as_of, limit=0).every:
        return KpisView(scope.shown(KpisState()), state.with_(), notices,
                        empty=nothing_yet(words, scope.urls, "kpis.empty_body"))
    options = {"team": readmodels.teams(store, as_of), "category": readmodels.kpi_categories(store, as_of),
               "type": [k.value for k in KpiType], "indicator": [i.value for i in Indicator], "status": STATUS_ORDER}
    chosen = {name: choose(words, notices, name, getattr(state, name), options[name], used=words.t("filter.all"))
              for name in FILTERS}
    row = readmodels.kpi_row(store, as_of, state.kpi) if state.kpi is not None else None
    listed = readmodels.kpi_table(store, as_of, chosen["team"], chosen["category"], chosen["type"],
                                  chosen["indicator"], chosen["status"], limit=KPI_ROWS,
                                  kpi_id=row["kpi_id"] if row else None)
    if state.kpi is not None and row is None:
        notices.append(link_notice(words, "kpi", state.kpi, listed.kpis["name"].iloc[0] if listed.listed else "–",
                                   message="kpis.unknown_kpi"))
    if row is not None and changed & set(FILTERS) and not listed.holds:
        row = None  # the reader narrowed the list past the KPI on show: follow the list
    linked = row["kpi_id"] if row is not None else None
    if row is None and listed.listed:
        row = readmodels.records(listed.kpis.head(1))[0]
    filtered = KpisState(**{name: chosen[name] for name in FILTERS}, kpi=linked)
    return KpisView(
        scope.shown(filtered.with_(kpi=row["kpi_id"] if row else None)), filtered, notices,
        filters=tuple(_filter(words, name, options[name], filtered) for name in FILTERS),
        caption=words.t("kpis.caption", as_of=words.date(as_of), shown=listed.listed, total=listed.every),
        no_match=None if listed.listed else Message(words.t("kpis.no_match"), "🔎"),
        table=_table(store, scope, chosen, listed) if listed.listed else None,
        filtering=words.t("kpis.filters", count=sum(chosen[name] is not None for name in FILTERS)),
        filters_open=any(chosen[name] is not None for name in FILTERS),
        picker=_picker(words, listed, row, filtered) if row is not None else None,
        outside_filter=words.t("kpis.outside_filter") if linked is not None and not listed.holds else None,
        detail=_detail(store, scope, row) if row is not None else None,
    )


def _filter(words: Words, name: str, options: list[str], filtered: KpisState) -> Filter:
    """A filter whose options are shown in the reader's language; the link keeps the option itself."""
    label_key = {"team": "filter.team", "category": "kpis.category", "type": "kpis.type",
                 "indicator": "kpis.indicator", "status": "common.status"}[name]
    shown_as = {"team": words.team, "category": words.category, "type": lambda v: words.t(f"kpis.type_{v}"),
                "indicator": lambda v: words.t(f"kpis.indicator_{v}"), "status": words.status_label}[name]
    return Filter(name, words.t(label_key), tuple(Option(value, shown_as(value)) for value in options),
                  getattr(filtered, name), filtered, placeholder=words.t("filter.all"))


def _picker(words: Words, listed: KpiTable, row: dict[str, Any], filtered: KpisState) -> Filter:
    """The KPIs the table shows (a filter narrows them), and the one on show."""
    rows = readmodels.records(listed.kpis, ["kpi_id", "team", "name"])
    if row["kpi_id"] not in {r["kpi_id"] for r in rows}:
        rows.insert(0, row)
    return Filter("kpi", words.t("kpis.picker"),
                  tuple(Option(r["kpi_id"], f"{words.team(r['team'])} · {r['name']}") for r in rows),
                  row["kpi_id"], filtered, key="kpi_picker")


def trend_change(kpi: Any) -> Any:
    """The change the trend reads: from the start to the end of the line through the recent readings
    (rules.sql's trend_from, trend_to), for a KPI's row or a table of them. Shown beside the trend
    and coloured by it, it never contradicts it, as the last step (value - previous) can."""
    return kpi["trend_to"] - kpi["trend_from"] if kpi["trend_from"] is not None else None


def _trend(words: Words, movement: float | None, trend: int | None) -> str:
    """Arrow: which way the trend line of the recent readings moves; word: whether that is good."""
    if movement is None or pd.isna(movement):
        return "–"
    arrow = "▶" if not trend else "▲" if movement > 0 else "▼"
    word = {1: "kpis.trend_better", -1: "kpis.trend_worse"}.get(int(trend or 0), "kpis.trend_flat")
    return f"{arrow} {words.t(word)}"


def _frame(words: Words, rows: pd.DataFrame) -> pd.DataFrame:
    """The table of ``rows``: labels translated once per distinct value, not per row."""
    def labels(column: str, prefix: str) -> pd.Series:
        return rows[column].map({v: words.t(f"{prefix}{v}") for v in set(rows[column])})

    t = words.t
    return pd.DataFrame({
        t("common.status"): status_labels(words, rows["status"]),
        t("common.flags"): stale_marks(words, rows["stale"], kpi=True),
        t("common.team"): rows["team"].map({n: words.team(n) for n in set(rows["team"])}),
        t("common.kpi"): rows["name"],
        t("kpis.latest"): rows["value"],
        t("common.target"): rows["target"],
        t("common.unit"): words.units(rows["unit"]),
        t("common.trend"): [_trend(words, m, tr) for m, tr in zip(rows["trend_to"] - rows["trend_from"], rows["trend"])],
        t("kpis.change"): trend_change(rows),
        t("kpis.recent"): rows["recent_values"],
        t("kpis.category"): rows["category"].map(words.category),
        t("kpis.type"): labels("kpi_type", "kpis.type_"),
        t("kpis.indicator"): labels("indicator", "kpis.indicator_"),
        t("kpis.frequency"): labels("frequency", "kpis.frequency_"),
        t("common.owner"): rows["owner"],
        t("kpis.last_date"): pd.to_datetime(rows["last_date"]).dt.date,
    })


def _table(store: Store, scope: Scope, chosen: dict[str, str | None], listed: KpiTable) -> Table:
    """The first rows for the browser (status, KPI, team, latest value and target first, the amounts
    with their unit, so they stay in view on a 1280 px desktop); every row, with numbers, for download."""
    words = scope.words
    first = _frame(words, listed.kpis)
    latest, target, status = words.t("kpis.latest"), words.t("common.target"), words.t("common.status")
    order = [words.t(key) for key in ("common.status", "common.kpi", "common.team", "kpis.latest", "common.target",
                                      "common.trend", "kpis.change", "kpis.recent", "kpis.category", "kpis.type",
                                      "kpis.indicator", "kpis.frequency", "common.owner", "kpis.last_date")]
    shown = first[order].assign(**{
        column: [words.amount(value, unit) for value, unit in zip(listed.kpis[key], listed.kpis["unit"])]
        for column, key in ((latest, "value"), (target, "target"))},
        **{status: with_stale(first[status], first[words.t("common.flags")])})

    def every() -> pd.DataFrame:  # built on a download's click
        rows = readmodels.kpi_table(store, scope.as_of, chosen["team"], chosen["category"], chosen["type"],
                                    chosen["indicator"], chosen["status"]).kpis
        return _frame(words, rows).drop(columns=[words.t("kpis.recent")])

    return table(words, every, f"kpis-{scope.as_of.isoformat()}.csv", "download_kpis", shown=shown,
                 limit=KPI_ROWS, total=listed.listed, first_rows="kpis.first_rows", right=(latest, target),
                 sparklines=(words.t("kpis.recent"),), helps={words.t("common.trend"): words.t("kpis.trend_help"),
                                                              words.t("kpis.change"): words.t("kpis.change_help")},
                 cards=RowsAsCards(words.t("common.kpi"), status_colors(list(listed.kpis["status"]))))


def _detail(store: Store, scope: Scope, kpi: dict[str, Any]) -> KpiDetail:
    words = scope.words
    unit, direction = kpi["unit"], kpi["direction"]
    # The At Risk band, as the rules compute it (kpi_scores in rules.sql).
    band = (kpi["band_low"], kpi["band_high"]) if kpi["band_low"] is not None and kpi["band_high"] is not None else None
    history = store.kpi_history(kpi["kpi_id"], as_of=scope.as_of)
    return KpiDetail(
        kpi=kpi, definition=MappingProxyType(store.kpi_definition(kpi["team"], kpi["name"])),
        heading=f"{plain(kpi['name'])} · {plain(words.team(kpi['team']))}", badge=badge(words, kpi["status"]),
        stale=f"{STALE_ICON} {words.t('common.stale_kpi')}" if kpi["stale"] else None,
        latest=_latest(words, kpi), goal=_goal(words, kpi), tolerance=Metric(
            words.t("kpis.tolerance"), plain(words.amount(kpi["tolerance"], unit)) if kpi["tolerance"] is not None
            else "–"),
        tolerance_note=_tolerance_note(words, kpi, store.config.kpi_tolerance_share),
        direction=_direction(words, kpi, band),
        chart=charts.kpi_history_chart(
            history, kpi["target"], band, words.t("kpis.chart_title", name=kpi["name"]),
            f"{words.t('common.value')} ({unit})" if unit else words.t("common.value"), words.t("common.date"),
            words.t("common.target")) if len(history) else None,
        band_note=(words.t("kpis.band_note_range" if direction == Direction.RANGE else "kpis.band_note")
                   if band is not None and len(history) else None),
        measurements=_measurements(words, kpi, history) if len(history) else None,
        no_measurements=None if len(history) else Message(words.t("kpis.no_measurements",
                                                                  as_of=words.date(scope.as_of)), "📭"),
    )


def _latest(words: Words, kpi: dict[str, Any]) -> Metric:
    change, trend = trend_change(kpi), kpi["trend"] or 0
    delta = None
    if change is not None and not pd.isna(change):
        sign = "+" if change > 0 else "-" if change < 0 else ""
        delta = f"{sign}{plain(words.amount(abs(change), kpi['unit']))}"
    return Metric(f"{words.t('kpis.latest')} ({words.date(kpi['last_date'])})",
                  plain(words.amount(kpi["value"], kpi["unit"])), delta=delta,
                  delta_color="green" if trend > 0 else "red" if trend < 0 else "gray",
                  delta_arrow="off" if not change else "auto",
                  delta_description=words.t("kpis.over_trend") if delta else None,
                  chart=kpi["recent_values"] or None)


def _goal(words: Words, kpi: dict[str, Any]) -> Metric:
    unit, low, high = kpi["unit"], kpi["min_value"], kpi["max_value"]
    if kpi["direction"] == Direction.RANGE:
        value = (words.t("kpis.range_value", low=words.number(low), high=words.number(high))
                 if low is not None and high is not None else words.t("kpis.no_target"))
        return Metric(words.t("kpis.target_range"), f"{value} {plain(unit or '')}".strip())
    return Metric(words.t("common.target"), plain(words.amount(kpi["target"], unit)) if kpi["target"] is not None
                  else words.t("kpis.no_target"))


def _tolerance_note(words: Words, kpi: dict[str, Any], default_share: float) -> str:
    ranged = kpi["direction"] == Direction.RANGE
    if kpi["stated_tolerance"] is None:
        return words.t("kpis.tolerance_default_range" if ranged else "kpis.tolerance_default",
                       share=words.percent(default_share))
    if kpi["tolerance_is_share"]:
        return words.t("kpis.tolerance_share_range" if ranged else "kpis.tolerance_share",
                       share=words.percent(kpi["stated_tolerance"]))
    return words.t("kpis.tolerance_absolute")


def _direction(words: Words, kpi: dict[str, Any], band: tuple[float, float] | None) -> Markdown:
    unit = kpi["unit"]

    def amount(value: object) -> str:
        return words.amount(value, unit)

    if band is None:
        return words.t("kpis.direction_no_target")
    if kpi["direction"] == Direction.HIGHER_IS_BETTER:
        return plain(words.t("kpis.direction_higher_is_better", target=amount(kpi["target"]), low=amount(band[0])))
    if kpi["direction"] == Direction.LOWER_IS_BETTER:
        return plain(words.t("kpis.direction_lower_is_better", target=amount(kpi["target"]), high=amount(band[1])))
    return plain(words.t("kpis.direction_range", min=amount(kpi["min_value"]), max=amount(kpi["max_value"]),
                         low=amount(band[0]), high=amount(band[1])))


def _measurements(words: Words, kpi: dict[str, Any], history: pd.DataFrame) -> Table:
    frame = pd.DataFrame({
        words.t("common.date"): pd.to_datetime(history["date"]).dt.date,
        words.t("common.value"): history["value"],
        words.t("kpis.period_target"): history["target"],
        words.t("common.unit"): words.unit(kpi["unit"]),
    })
    return table(words, frame, f"kpi-{kpi['kpi_id']}-measurements.csv", "download_measurements")
