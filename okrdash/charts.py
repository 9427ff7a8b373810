"""Chart builders: data in, Vega-Lite spec out. No Streamlit here.

Each builder returns a Vega-Lite (v6) specification as a plain dict whose data sits in ``datasets``
as DataFrames (Streamlit sends those as Arrow). The specs are written directly rather than through
Altair: Altair's channel wrappers and schema validation cost 0.1-0.2 CPU s per chart (the objective
page of a large company spent 2.5 s of its 3.8 s there), for the same spec. tests/test_charts.py
validates every builder's output against the Vega-Lite schema that Altair ships.

One colour per status everywhere, always paired with the status label (never colour alone).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

STATUS_COLORS = {
    "On Track": "#2e7d32",
    "At Risk": "#f59e0b",
    "Off Track": "#d32f2f",
    "Complete": "#1565c0",
    "No Data": "#9e9e9e",
    "No Target": "#bdbdbd",
}
# The colours of the grade bands of okr_grade_band (rules.sql); None: not graded.
GRADE_COLORS = {"green": STATUS_COLORS["On Track"], "yellow": STATUS_COLORS["At Risk"],
                "red": STATUS_COLORS["Off Track"], None: STATUS_COLORS["No Data"]}
# d3 formats for tooltips; the chart's locale (formatting.chart_locale) gives separators and month names.
DATE_FORMAT = "%-d %b %Y"
NUMBER_FORMAT = ",.4~f"
STATUS_ICONS = {
    "On Track": "🟢", "At Risk": "🟠", "Off Track": "🔴", "Complete": "🔵", "No Data": "⚪", "No Target": "⚪",
}

Spec = dict[str, Any]


def _field(name: str, kind: str, **more: Any) -> dict[str, Any]:
    """An encoding channel on a column: ``kind`` is nominal, ordinal, quantitative or temporal."""
    return {"field": name, "type": kind, **more}


def _named(name: str) -> dict[str, str]:
    return {"name": name}


def status_scale(labels: dict[str, str] | None = None) -> dict[str, list]:
    """The status colour scale; ``labels`` maps status -> translated label when the data carries labels."""
    statuses = list(STATUS_COLORS)
    domain = [labels.get(s, s) for s in statuses] if labels else statuses
    return {"domain": domain, "range": [STATUS_COLORS[s] for s in statuses]}


def team_status_chart(counts: pd.DataFrame, title: str, x_title: str, y_title: str, legend_title: str) -> Spec:
    """Stacked bars: key results per team by status. ``counts`` has team, status_label, count."""
    labels = dict(zip(counts.get("status", []), counts.get("status_label", [])))
    columns = [c for c in ("team", "status_label", "count", "status_rank") if c in counts.columns]
    return {
        "title": title,
        "data": _named("counts"),
        "datasets": {"counts": counts[columns].reset_index(drop=True)},
        "mark": {"type": "bar"},
        "encoding": {
            "y": _field("team", "nominal", title=y_title, sort="ascending"),
            "x": _field("count", "quantitative", title=x_title, stack="zero"),
            "color": _field("status_label", "nominal", title=legend_title, scale=status_scale(labels)),
            "order": _field("status_rank", "quantitative"),
            "tooltip": [_field("team", "nominal"), _field("status_label", "nominal"),
                        _field("count", "quantitative")],
        },
    }


def _target_rule(color: str, dash: list[int]) -> Spec:
    """The target as a horizontal rule, over the one-row dataset ``target`` (value, label)."""
    return {
        "data": _named("target"),
        "mark": {"type": "rule", "color": color, "strokeDash": dash},
        "encoding": {"y": _field("value", "quantitative"),
                     "tooltip": [_field("label", "nominal"), _field("value", "quantitative")]},
    }


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
    names = [labels["actual"], labels["expected"]]
    lines = {
        "data": _named("series"),
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": _field("date", "temporal", title=date_title),
            "y": _field("value", "quantitative", title=value_title, scale={"zero": False}),
            "color": _field("series", "nominal", title=None, scale={"domain": names, "range": ["#1565c0", "#9e9e9e"]}),
            "strokeDash": _field("series", "nominal", legend=None, scale={"domain": names, "range": [[1, 0], [6, 4]]}),
            "tooltip": [_field("date", "temporal", title=date_title, format=DATE_FORMAT),
                        _field("value", "quantitative", title=value_title, format=NUMBER_FORMAT),
                        _field("series", "nominal", title=None)],
        },
    }
    spec: Spec = {"title": title, "layer": [lines], "datasets": {"series": data}}
    if target is not None:
        spec["layer"].append(_target_rule(STATUS_COLORS["Complete"], [2, 2]))
        spec["datasets"]["target"] = pd.DataFrame({"value": [target], "label": [labels["target"]]})
    return spec


def kpi_history_chart(history: pd.DataFrame, target: float | None, band: tuple[float, float] | None,
                      title: str, value_title: str, date_title: str, target_label: str) -> Spec:
    """A KPI's measurements, its target line, and the tolerance band around the target."""
    data = history[["date", "value"]].copy()
    data["date"] = pd.to_datetime(data["date"])
    layers: list[Spec] = []
    datasets: dict[str, pd.DataFrame] = {"history": data}
    if band is not None:
        datasets["band"] = pd.DataFrame({"low": [band[0]], "high": [band[1]]})
        layers.append({"data": _named("band"),
                       "mark": {"type": "rect", "color": STATUS_COLORS["At Risk"], "opacity": 0.15},
                       "encoding": {"y": _field("low", "quantitative"), "y2": {"field": "high"}}})
    layers.append({
        "data": _named("history"),
        "mark": {"type": "line", "point": True, "color": "#1565c0"},
        "encoding": {
            "x": _field("date", "temporal", title=date_title),
            "y": _field("value", "quantitative", title=value_title, scale={"zero": False}),
            "tooltip": [_field("date", "temporal", title=date_title, format=DATE_FORMAT),
                        _field("value", "quantitative", title=value_title, format=NUMBER_FORMAT)],
        },
    })
    if target is not None:
        datasets["target"] = pd.DataFrame({"value": [target], "label": [target_label]})
        layers.append(_target_rule(STATUS_COLORS["On Track"], [4, 3]))
    return {"title": title, "layer": layers, "datasets": datasets}


def status_donut(counts: dict[str, int], labels: dict[str, str], title: str) -> Spec:
    """Share of each status, labelled."""
    data = pd.DataFrame([{"status": s, "label": labels.get(s, s), "count": c} for s, c in counts.items() if c],
                        columns=["status", "label", "count"])
    return {
        "title": title,
        "data": _named("counts"),
        "datasets": {"counts": data},
        "mark": {"type": "arc", "innerRadius": 45},
        "encoding": {
            "theta": _field("count", "quantitative"),
            "color": _field("label", "nominal", scale=status_scale(labels), title=None),
            "tooltip": [_field("label", "nominal"), _field("count", "quantitative")],
        },
    }


def grade_distribution_chart(counts: pd.DataFrame, title: str, x_title: str, y_title: str) -> Spec:
    """Bars of how many grades fall in each band. ``counts`` has band (green/yellow/red/None), label
    (the translated band with its range, shown beside the colour) and count, best band first."""
    labels = list(counts["label"])
    colours = [GRADE_COLORS[None if pd.isna(band) else band] for band in counts["band"]]
    return {
        "title": title,
        "data": _named("counts"),
        "datasets": {"counts": counts[["label", "count"]].reset_index(drop=True)},
        "mark": {"type": "bar"},
        "encoding": {
            "y": _field("label", "nominal", title=y_title, sort=labels, axis={"labelLimit": 260}),
            "x": _field("count", "quantitative", title=x_title, axis={"tickMinStep": 1}),
            "color": _field("label", "nominal", scale={"domain": labels, "range": colours}, legend=None),
            "tooltip": [_field("label", "nominal", title=y_title), _field("count", "quantitative", title=x_title)],
        },
    }


def progress_chart(rows: pd.DataFrame, expected_title: str) -> Spec:
    """Progress bars in their status colour, the expected progress as a dark tick on the same bar, and
    the title and status in words above each bar (never colour alone): one card per row, readable at
    phone width. ``rows`` comes from presentation.progress_rows: row, text (lines split by "\\n"),
    lines, bar (0..1), expected, status."""
    lines = int(rows["lines"].max()) if len(rows) else 1
    step = 17 * lines + 30  # every row as tall as the one with the most lines of text
    bar_offset = step / 2 - 12  # the bar at the bottom of its row, the text from the top down
    y = _field("row", "ordinal", axis=None, scale={"paddingInner": 0, "paddingOuter": 0})
    scale = {"domain": [0, 1], "nice": False}
    track = {"mark": {"type": "bar", "color": "#e8e8e8", "size": 12, "yOffset": bar_offset},
             "transform": [{"calculate": "1", "as": "one"}],
             "encoding": {"y": y, "x": _field("one", "quantitative", scale=scale, axis=None)}}
    bar = {"mark": {"type": "bar", "size": 12, "yOffset": bar_offset},
           "encoding": {"y": y, "x": _field("bar", "quantitative", scale=scale, axis=None),
                        "color": _field("status", "nominal", scale=status_scale(), legend=None),
                        "tooltip": [_field("text", "nominal", title=None)]}}
    tick = {"mark": {"type": "tick", "color": "#212121", "thickness": 3, "size": 20, "yOffset": bar_offset},
            "encoding": {"y": y, "x": _field("expected", "quantitative", scale=scale),
                         "tooltip": [_field("expected", "quantitative", title=expected_title, format=".0%")]}}
    text = {"mark": {"type": "text", "align": "left", "baseline": "top", "dy": 4 - step / 2, "x": 0, "fontSize": 13,
                     "lineBreak": "\n"},
            "encoding": {"y": y, "text": _field("text", "nominal")}}
    return {
        "data": _named("rows"),
        "datasets": {"rows": rows.reset_index(drop=True)},
        "layer": [track, bar, tick, text],
        # Streamlit fits the chart into its height, padding included.
        "height": step * len(rows) + 8,
        "padding": {"top": 4, "bottom": 4},
    }
