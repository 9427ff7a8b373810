"""Altair chart builders: data in, chart out. No Streamlit here.

One colour per status everywhere, always paired with the status label (never colour alone).
"""

from __future__ import annotations

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
# The colours of the grade bands of okr_grade_band (rules.sql); None: not graded.
GRADE_COLORS = {"green": STATUS_COLORS["On Track"], "yellow": STATUS_COLORS["At Risk"],
                "red": STATUS_COLORS["Off Track"], None: STATUS_COLORS["No Data"]}
# d3 formats for tooltips; the chart's locale (formatting.chart_locale) gives separators and month names.
DATE_FORMAT = "%-d %b %Y"
NUMBER_FORMAT = ",.4~f"
STATUS_ICONS = {
    "On Track": "🟢", "At Risk": "🟠", "Off Track": "🔴", "Complete": "🔵", "No Data": "⚪", "No Target": "⚪",
}


def status_scale(labels: dict[str, str] | None = None) -> alt.Scale:
    """The status colour scale; ``labels`` maps status -> translated label when the data carries labels."""
    statuses = list(STATUS_COLORS)
    domain = [labels.get(s, s) for s in statuses] if labels else statuses
    return alt.Scale(domain=domain, range=[STATUS_COLORS[s] for s in statuses])


def team_status_chart(counts: pd.DataFrame, title: str, x_title: str, y_title: str, legend_title: str) -> alt.Chart:
    """Stacked bars: key results per team by status. ``counts`` has team, status_label, count."""
    labels = dict(zip(counts.get("status", []), counts.get("status_label", [])))
    return (
        alt.Chart(counts, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("team:N", title=y_title, sort="ascending"),
            x=alt.X("count:Q", title=x_title, stack="zero"),
            color=alt.Color("status_label:N", title=legend_title, scale=status_scale(labels)),
            order=alt.Order("status_rank:Q"),
            tooltip=["team:N", "status_label:N", "count:Q"],
        )
    )


def burn_up_chart(history: pd.DataFrame, expected: pd.DataFrame, target: float | None, title: str,
                  value_title: str, date_title: str, labels: dict[str, str]) -> alt.LayerChart:
    """Actual check-ins against the expected line from cycle start to end, with the target as a rule.

    ``labels`` holds the translated legend names under the keys "actual", "expected", "target".
    """
    series = []
    if not history.empty:
        series.append(history.assign(series=labels["actual"])[["date", "value", "series"]])
    if not expected.empty:
        series.append(expected.assign(series=labels["expected"])[["date", "value", "series"]])
    data = pd.concat(series, ignore_index=True) if series else pd.DataFrame(columns=["date", "value", "series"])
    data["date"] = pd.to_datetime(data["date"])
    colour = alt.Color("series:N", title=None,
                       scale=alt.Scale(domain=[labels["actual"], labels["expected"]], range=["#1565c0", "#9e9e9e"]))
    lines = alt.Chart(data, title=title).mark_line(point=True).encode(
        x=alt.X("date:T", title=date_title),
        y=alt.Y("value:Q", title=value_title, scale=alt.Scale(zero=False)),
        color=colour,
        strokeDash=alt.StrokeDash("series:N", legend=None,
                                  scale=alt.Scale(domain=[labels["actual"], labels["expected"]], range=[[1, 0], [6, 4]])),
        tooltip=[alt.Tooltip("date:T", title=date_title, format=DATE_FORMAT),
                 alt.Tooltip("value:Q", title=value_title, format=NUMBER_FORMAT), alt.Tooltip("series:N", title=None)],
    )
    if target is None:
        return alt.layer(lines)
    rule = alt.Chart(pd.DataFrame({"value": [target], "label": [labels["target"]]})).mark_rule(
        color=STATUS_COLORS["Complete"], strokeDash=[2, 2]).encode(y="value:Q", tooltip=["label:N", "value:Q"])
    return alt.layer(lines, rule)


def kpi_history_chart(history: pd.DataFrame, target: float | None, band: tuple[float, float] | None,
                      title: str, value_title: str, date_title: str, target_label: str) -> alt.LayerChart:
    """A KPI's measurements, its target line, and the tolerance band around the target."""
    data = history.copy()
    data["date"] = pd.to_datetime(data["date"])
    layers = []
    if band is not None:
        layers.append(alt.Chart(pd.DataFrame({"low": [band[0]], "high": [band[1]]})).mark_rect(
            color=STATUS_COLORS["At Risk"], opacity=0.15).encode(y="low:Q", y2="high:Q"))
    layers.append(alt.Chart(data).mark_line(point=True, color="#1565c0").encode(
        x=alt.X("date:T", title=date_title),
        y=alt.Y("value:Q", title=value_title, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("date:T", title=date_title, format=DATE_FORMAT),
                 alt.Tooltip("value:Q", title=value_title, format=NUMBER_FORMAT)],
    ))
    if target is not None:
        layers.append(alt.Chart(pd.DataFrame({"value": [target], "label": [target_label]})).mark_rule(
            color=STATUS_COLORS["On Track"], strokeDash=[4, 3]).encode(y="value:Q", tooltip=["label:N", "value:Q"]))
    return alt.layer(*layers, title=title)


def status_donut(counts: dict[str, int], labels: dict[str, str], title: str) -> alt.Chart:
    """Share of each status, labelled."""
    data = pd.DataFrame([{"status": s, "label": labels.get(s, s), "count": c} for s, c in counts.items() if c])
    return alt.Chart(data, title=title).mark_arc(innerRadius=45).encode(
        theta="count:Q",
        color=alt.Color("label:N", scale=status_scale(labels), title=None),
        tooltip=["label:N", "count:Q"],
    )


def grade_distribution_chart(counts: pd.DataFrame, title: str, x_title: str, y_title: str) -> alt.Chart:
    """Bars of how many grades fall in each band. ``counts`` has band (green/yellow/red/None), label
    (the translated band with its range, shown beside the colour) and count, best band first."""
    labels = list(counts["label"])
    colours = [GRADE_COLORS[None if pd.isna(band) else band] for band in counts["band"]]
    return alt.Chart(counts, title=title).mark_bar().encode(
        y=alt.Y("label:N", title=y_title, sort=labels, axis=alt.Axis(labelLimit=260)),
        x=alt.X("count:Q", title=x_title, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("label:N", scale=alt.Scale(domain=labels, range=colours), legend=None),
        tooltip=[alt.Tooltip("label:N", title=y_title), alt.Tooltip("count:Q", title=x_title)],
    )


def progress_chart(rows: pd.DataFrame, expected_title: str) -> alt.LayerChart:
    """Progress bars in their status colour, the expected progress as a dark tick on the same bar, and
    the title and status in words above each bar (never colour alone): one card per row, readable at
    phone width. ``rows`` comes from presentation.progress_rows: row, text (lines split by "\\n"),
    lines, bar (0..1), expected, status."""
    lines = int(rows["lines"].max()) if len(rows) else 1
    step = 17 * lines + 30  # every row as tall as the one with the most lines of text
    bar_offset = step / 2 - 12  # the bar at the bottom of its row, the text from the top down
    y = alt.Y("row:O", axis=None, scale=alt.Scale(paddingInner=0, paddingOuter=0))
    base = alt.Chart(rows).encode(y=y)
    scale = alt.Scale(domain=[0, 1], nice=False)
    track = base.mark_bar(color="#e8e8e8", size=12, yOffset=bar_offset).encode(
        x=alt.X("one:Q", scale=scale, axis=None)).transform_calculate(one="1")
    bar = base.mark_bar(size=12, yOffset=bar_offset).encode(
        x=alt.X("bar:Q", scale=scale, axis=None),
        color=alt.Color("status:N", scale=status_scale(), legend=None),
        tooltip=[alt.Tooltip("text:N", title=None)],
    )
    tick = base.mark_tick(color="#212121", thickness=3, size=20, yOffset=bar_offset).encode(
        x=alt.X("expected:Q", scale=scale), tooltip=[alt.Tooltip("expected:Q", title=expected_title, format=".0%")],
    )
    text = base.mark_text(align="left", baseline="top", dy=4 - step / 2, x=0, fontSize=13,
                          lineBreak="\n").encode(text="text:N")
    # Streamlit fits the chart into its height, padding included.
    return alt.layer(track, bar, tick, text).properties(height=step * len(rows) + 8,
                                                          padding={"top": 4, "bottom": 4})
