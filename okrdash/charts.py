"""Chart builders: data in, Vega-Lite spec out. No Streamlit here.

Each chart is declared with Altair over *named* data (``alt.NamedData``), so its declaration does not
depend on the rows. The declaration is turned into a Vega-Lite (v6) dict once per distinct
set of its non-data arguments (translated axis and legend titles, label domains, target or band
present) and kept (``functools.lru_cache``; building through Altair costs 0.1-0.2 CPU s a chart,
a kept one nothing). Each call returns a shallow copy of that dict with this view's rows in
``datasets`` as DataFrames (Streamlit sends those as Arrow) and the values that differ per view set
on the copy: the chart title (a KPI's carries its name) and the progress chart's height. Values
drawn from a view that are not rows (a target rule, a tolerance band) are one-row datasets.

The kept dicts are shared between calls: a caller may replace the copy's top-level keys, and the
top-level ``encoding`` and its ``color`` channel are copied as well (Streamlit rewrites a null
colour title there); nothing else inside a spec may be changed in place. tests/test_charts.py
validates every builder's output against the Vega-Lite schema Altair ships.

One colour per status everywhere, always paired with the status label (never colour alone).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import altair as alt
import pandas as pd

STATUS_COLORS = {
    "On Track": "#2e7d32",
    "At Risk": "#f59e0b",
    "Off Track": "#d32f2f",
    "Complete": "#1565c0",
    "No Data": "#9e9e9e",
    "No Target": "#bdbdbd",
}
# The colours of the bands of okr_band (rules.sql): a committed objective met or missed, an aspirational
# one green, yellow or red; None: not graded.
GRADE_COLORS = {"met": STATUS_COLORS["Complete"], "missed": STATUS_COLORS["Off Track"],
                "green": STATUS_COLORS["On Track"], "yellow": STATUS_COLORS["At Risk"],
                "red": STATUS_COLORS["Off Track"], None: STATUS_COLORS["No Data"]}
# d3 formats for tooltips and date axes; the chart's locale (formatting.chart_locale) gives separators and
# month names. The axis names day then month in both languages (Vega's default writes "Aug 02" and
# a lone full month name where a month starts).
DATE_FORMAT = "%-d %b %Y"
AXIS_DATE_FORMAT = "%-d %b"
NUMBER_FORMAT = ",.4~f"
STATUS_ICONS = {
    "On Track": "🟢", "At Risk": "🟠", "Off Track": "🔴", "Complete": "🔵", "No Data": "⚪", "No Target": "⚪",
}

Spec = dict[str, Any]
# Distinct declarations kept per builder: the translated titles of two languages, the units of the
# key results and KPIs, the line counts of a progress chart.
KEPT = 128


def _data(name: str) -> alt.NamedData:
    """Rows bound at render time from the spec's ``datasets[name]``."""
    return alt.NamedData(name=name)


def _declared(chart: alt.TopLevelMixin) -> Spec:
    """The chart as a Vega-Lite dict, without what Altair adds for a standalone chart (``$schema``
    and its default theme's ``config``): the specs stay those the dict builders wrote. Altair's own
    check of the whole chart against the schema is left out: it was two thirds of a declaration's
    cost (an objective page's first view declares a burn-up per unit), and tests/test_charts.py
    checks every builder's output against the same schema."""
    spec = chart.to_dict(validate=False)  # tests/test_charts.py checks every builder's output instead
    spec.pop("$schema", None)
    spec.pop("config", None)
    return spec


def _view(declared: Spec, datasets: dict[str, pd.DataFrame], **top: Any) -> Spec:
    """A copy of a kept declaration with this view's rows and top-level values (title, height).

    Streamlit (``_prepare_vega_lite_spec``) rewrites a null title of the top-level colour channel and
    of its legend in place, so those are copied too; the rest is shared with the kept dict."""
    spec = {**declared, **top, "datasets": datasets}
    if "encoding" in spec:
        encoding = dict(spec["encoding"])
        if isinstance(encoding.get("color"), dict):
            color = encoding["color"] = dict(encoding["color"])
            if isinstance(color.get("legend"), dict):
                color["legend"] = dict(color["legend"])
        spec["encoding"] = encoding
    return spec


def status_scale(labels: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The status colour scale of the statuses ``labels`` holds (status -> the label the data carries),
    in the statuses' order: the legend names only what the chart draws, in the reader's words."""
    statuses = [s for s in STATUS_COLORS if s in labels]
    return tuple(labels[s] for s in statuses), tuple(STATUS_COLORS[s] for s in statuses)


@lru_cache(maxsize=KEPT)
def _team_status(x_title: str, y_title: str, legend_title: str, domain: tuple[str, ...],
                 colours: tuple[str, ...]) -> Spec:
    return _declared(alt.Chart(_data("counts")).mark_bar().encode(
        y=alt.Y("team:N", title=y_title, sort="ascending"),
        x=alt.X("count:Q", title=x_title, stack="zero"),
        color=alt.Color("status_label:N", title=legend_title,
                        scale=alt.Scale(domain=list(domain), range=list(colours))),
        order=alt.Order("status_rank:Q"),
        tooltip=[alt.Tooltip("team:N"), alt.Tooltip("status_label:N"), alt.Tooltip("count:Q")],
    ))


def team_status_chart(counts: pd.DataFrame, title: str, x_title: str, y_title: str, legend_title: str) -> Spec:
    """Stacked bars: key results per team by status. ``counts`` has team, status_label, count."""
    labels = dict(zip(counts.get("status", []), counts.get("status_label", [])))
    columns = [c for c in ("team", "status_label", "count", "status_rank") if c in counts.columns]
    declared = _team_status(x_title, y_title, legend_title, *status_scale(labels))
    return _view(declared, {"counts": counts[columns].reset_index(drop=True)}, title=title)


def _target_rule(color: str, dash: list[int]) -> alt.Chart:
    """The target as a horizontal rule, over the one-row dataset ``target`` (value, label)."""
    return alt.Chart(_data("target")).mark_rule(color=color, strokeDash=dash).encode(
        y=alt.Y("value:Q"), tooltip=[alt.Tooltip("label:N"), alt.Tooltip("value:Q")])


def _date_and_value(date_title: str, value_title: str) -> dict[str, Any]:
    """The x and y channels and tooltips of a line over time."""
    return {
        "x": alt.X("date:T", title=date_title, axis=alt.Axis(format=AXIS_DATE_FORMAT)),
        "y": alt.Y("value:Q", title=value_title, scale=alt.Scale(zero=False)),
        "tooltip": [alt.Tooltip("date:T", title=date_title, format=DATE_FORMAT),
                    alt.Tooltip("value:Q", title=value_title, format=NUMBER_FORMAT)],
    }


@lru_cache(maxsize=KEPT)
def _burn_up(value_title: str, date_title: str, actual: str, expected: str, with_target: bool) -> Spec:
    names = [actual, expected]
    axes = _date_and_value(date_title, value_title)
    lines = alt.Chart(_data("series")).mark_line(point=True).encode(
        x=axes["x"], y=axes["y"],
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=names, range=["#1565c0", "#9e9e9e"])),
        strokeDash=alt.StrokeDash("series:N", legend=None, scale=alt.Scale(domain=names, range=[[1, 0], [6, 4]])),
        tooltip=[*axes["tooltip"], alt.Tooltip("series:N", title=None)],
    )
    layers = [lines, _target_rule(STATUS_COLORS["Complete"], [2, 2])] if with_target else [lines]
    return _declared(alt.layer(*layers))


def burn_up_chart(history: pd.DataFrame, expected: pd.DataFrame, target: float | None, title: str,
                  value_title: str, date_title: str, labels: dict[str, str]) -> Spec:
    """Actual check-ins against the expected line from cycle start to end, with the target as a rule.

    ``labels`` holds the translated legend names under the keys "actual", "expected", "target".
    """
    # One frame built from the two columns of each part (a pandas operation per part costs more than the chart).
    parts = [(frame, labels[name]) for frame, name in ((history, "actual"), (expected, "expected")) if len(frame)]
    data = pd.DataFrame({
        "date": pd.to_datetime(pd.Series([day for frame, _ in parts for day in frame["date"]], dtype=object)),
        "value": pd.to_numeric(pd.Series([v for frame, _ in parts for v in frame["value"]], dtype=object),
                               errors="coerce"),
        "series": [name for frame, name in parts for _ in range(len(frame))],
    })
    datasets = {"series": data}
    if target is not None:
        datasets["target"] = pd.DataFrame({"value": [target], "label": [labels["target"]]})
    declared = _burn_up(value_title, date_title, labels["actual"], labels["expected"], target is not None)
    return _view(declared, datasets, title=title)


@lru_cache(maxsize=KEPT)
def _kpi_history(value_title: str, date_title: str, with_band: bool, with_target: bool) -> Spec:
    layers: list[alt.Chart] = []
    if with_band:
        layers.append(alt.Chart(_data("band")).mark_rect(color=STATUS_COLORS["At Risk"], opacity=0.15)
                      .encode(y=alt.Y("low:Q"), y2=alt.Y2("high")))
    layers.append(alt.Chart(_data("history")).mark_line(point=True, color="#1565c0")
                  .encode(**_date_and_value(date_title, value_title)))
    if with_target:
        layers.append(_target_rule(STATUS_COLORS["On Track"], [4, 3]))
    return _declared(alt.layer(*layers))


def kpi_history_chart(history: pd.DataFrame, target: float | None, band: tuple[float, float] | None,
                      title: str, value_title: str, date_title: str, target_label: str) -> Spec:
    """A KPI's measurements, its target line, and the tolerance band around the target.

    The title (it names the KPI) is set per call; the declaration is kept per value and date title."""
    data = history[["date", "value"]].copy()
    data["date"] = pd.to_datetime(data["date"])
    datasets: dict[str, pd.DataFrame] = {"history": data}
    if band is not None:
        datasets["band"] = pd.DataFrame({"low": [band[0]], "high": [band[1]]})
    if target is not None:
        datasets["target"] = pd.DataFrame({"value": [target], "label": [target_label]})
    declared = _kpi_history(value_title, date_title, band is not None, target is not None)
    return _view(declared, datasets, title=title)


@lru_cache(maxsize=KEPT)
def _grade_distribution(x_title: str, y_title: str, labels: tuple[str, ...], colours: tuple[str, ...]) -> Spec:
    return _declared(alt.Chart(_data("counts")).mark_bar().encode(
        y=alt.Y("label:N", title=y_title, sort=list(labels), axis=alt.Axis(labelLimit=260)),
        x=alt.X("count:Q", title=x_title, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("label:N", scale=alt.Scale(domain=list(labels), range=list(colours)), legend=None),
        tooltip=[alt.Tooltip("label:N", title=y_title), alt.Tooltip("count:Q", title=x_title)],
    ))


def grade_distribution_chart(counts: pd.DataFrame, title: str, x_title: str, y_title: str) -> Spec:
    """Bars of how many grades fall in each band. ``counts`` has band (review.GRADE_BANDS), label
    (the translated band with its range, shown beside the colour) and count, best band first."""
    labels = tuple(counts["label"])
    colours = tuple(GRADE_COLORS[None if pd.isna(band) else band] for band in counts["band"])
    declared = _grade_distribution(x_title, y_title, labels, colours)
    return _view(declared, {"counts": counts[["label", "count"]].reset_index(drop=True)}, title=title)
