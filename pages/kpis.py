"""KPIs: every KPI with its status and trend, filtered from the link, and one KPI in detail."""

import pandas as pd
import streamlit as st

from okrdash import charts, readmodels
from okrdash.formatting import amount
from okrdash.i18n import format_number, format_percent
from okrdash.models import Direction, Indicator, KpiType
from okrdash.readmodels import STATUS_ORDER
from okrdash.ui import auth, context, editors, forms, panels, widgets

ctx = context.current()
t = ctx.t
FILTERS = ("team", "category", "type", "indicator", "status")
_FILTER_TOUCHED = "_kpis_filter_touched"
_PICKER = "kpi_picker"

st.title(f"📈 {t('kpis.title')}")
all_kpis = context.kpi_table(ctx.store, ctx.as_of)
if all_kpis.empty:
    st.info(f"**{t('common.empty_title')}**  \n{t('kpis.empty_body')}", icon="📭")
    st.page_link("pages/upload.py", label=t("common.go_upload"), icon="⬆️")
    st.stop()


def _filter_touched() -> None:
    st.session_state[_FILTER_TOUCHED] = True


def _picked() -> None:
    st.query_params["kpi"] = str(st.session_state[_PICKER])


def _number(value: object) -> str:
    return format_number(value, ctx.lang)  # type: ignore[arg-type]


def _with_unit(value: object, unit: str | None, markdown: bool = False) -> str:
    """45%, Rp1.500.000, 48 minutes: the unit where a reader expects it (escaped for Markdown if asked)."""
    text = amount(value, unit, ctx.lang)  # type: ignore[arg-type]
    return widgets.plain(text) if markdown else text


# -- filters: the typed view of the URL (okrdash/viewstate.py), applied by the read model ----------
page = context.page_view(ctx, "kpis")
categories = sorted(c for c in all_kpis["category"].dropna().unique())
teams = context.teams(ctx.store)
types = [k.value for k in KpiType]
indicators = [i.value for i in Indicator]
all_label = t("filter.all")
options = {"team": teams, "category": categories, "type": types, "indicator": indicators, "status": STATUS_ORDER}
requested = {name: context.choose(ctx, page, name, values, used=all_label) for name, values in options.items()}
columns = st.columns(5)
# Each option is shown in the reader's language; the URL keeps the option itself (language-neutral).
shown_as = {"team": ctx.team, "category": str, "type": lambda v: t(f"kpis.type_{v}"),
            "indicator": lambda v: t(f"kpis.indicator_{v}"), "status": lambda s: widgets.status_label(ctx, s)}
labels = {"team": t("filter.team"), "category": t("kpis.category"), "type": t("kpis.type"),
          "indicator": t("kpis.indicator"), "status": t("common.status")}
chosen = {}
for place, name in zip(columns, FILTERS):
    chosen[name] = widgets.url_choice(ctx, labels[name], options[name], key=name, value=requested[name],
                                      format_func=shown_as[name], placeholder=all_label, place=place,
                                      on_change_too=_filter_touched)
team, category, kpi_type, indicator, status = (chosen[name] for name in FILTERS)

kpis = context.kpi_table(ctx.store, ctx.as_of, team=team, category=category, kpi_type=kpi_type, indicator=indicator,
                         status=status)
st.caption(t("kpis.caption", as_of=ctx.date(ctx.as_of), shown=len(kpis), total=len(all_kpis)))


# -- the table --------------------------------------------------------------------------------------
def _trend(movement: float | None, trend: int | None) -> str:
    """Arrow: which way the trend line of the recent readings moves; word: whether that is good."""
    if movement is None or pd.isna(movement):
        return "–"
    arrow = "▶" if not trend else "▲" if movement > 0 else "▼"
    word = {1: "kpis.trend_better", -1: "kpis.trend_worse"}.get(int(trend or 0), "kpis.trend_flat")
    return f"{arrow} {t(word)}"


if kpis.empty:
    st.info(t("kpis.no_match"), icon="🔎")
else:
    names = {
        "status": t("common.status"), "team": t("common.team"), "name": t("common.kpi"),
        "value": t("kpis.latest"), "target": t("common.target"), "unit": t("common.unit"),
        "trend": t("common.trend"), "change": t("kpis.change"), "recent": t("kpis.recent"),
        "category": t("kpis.category"), "type": t("kpis.type"), "indicator": t("kpis.indicator"),
        "frequency": t("kpis.frequency"), "owner": t("common.owner"), "last_date": t("kpis.last_date"),
    }

    def _table(rows: pd.DataFrame) -> pd.DataFrame:
        """The table of ``rows``; labels translated once per distinct value, not per row."""
        def labels(column: str, prefix: str) -> pd.Series:
            return rows[column].map({v: t(f"{prefix}{v}") for v in set(rows[column])})

        return pd.DataFrame({
            names["status"]: rows["status"].map({s: widgets.status_label(ctx, s) for s in set(rows["status"])}),
            names["team"]: rows["team"].map({n: ctx.team(n) for n in set(rows["team"])}),
            names["name"]: rows["name"],
            names["value"]: rows["value"],
            names["target"]: rows["target"],
            names["unit"]: rows["unit"],
            names["trend"]: [_trend(m, tr) for m, tr in zip(rows["trend_to"] - rows["trend_from"], rows["trend"])],
            names["change"]: rows["change"],
            names["recent"]: rows["recent_values"],
            names["category"]: rows["category"],
            names["type"]: labels("kpi_type", "kpis.type_"),
            names["indicator"]: labels("indicator", "kpis.indicator_"),
            names["frequency"]: labels("frequency", "kpis.frequency_"),
            names["owner"]: rows["owner"],
            names["last_date"]: pd.to_datetime(rows["last_date"]).dt.date,
        })

    # A large company has thousands of KPIs: the browser gets the first rows, the download all of them.
    if len(kpis) > readmodels.KPI_ROWS:
        st.caption(t("kpis.first_rows", shown=format_number(readmodels.KPI_ROWS, ctx.lang),
                     total=format_number(len(kpis), ctx.lang)))
    first = kpis.head(readmodels.KPI_ROWS)
    # On screen: status, KPI, team, latest value and target first, the amounts with their unit
    # (Rp2.400.000.000), so they stay in view on a 1280 px desktop; the download keeps the numbers.
    shown = _table(first)[[names[key] for key in ("status", "name", "team", "value", "target", "trend", "change",
                                                  "recent", "category", "type", "indicator", "frequency", "owner",
                                                  "last_date")]]
    for key in ("value", "target"):
        shown[names[key]] = [widgets.amount_text(ctx, value, unit) for value, unit in zip(first[key], first["unit"])]
    widgets.show_table(
        ctx, shown, hide_index=True, width="stretch",
        column_config={
            names["value"]: st.column_config.TextColumn(alignment="right"),
            names["target"]: st.column_config.TextColumn(alignment="right"),
            names["trend"]: st.column_config.TextColumn(help=t("kpis.trend_help")),
            names["recent"]: st.column_config.LineChartColumn(width="small"),
        },
    )
    every = kpis
    widgets.download_csv(ctx, lambda: _table(every).drop(columns=[names["recent"]]),
                         f"kpis-{ctx.as_of.isoformat()}.csv", key="download_kpis")  # built on click


# -- one KPI in detail ------------------------------------------------------------------------------
st.subheader(t("kpis.detail"))
known_ids = [int(k) for k in all_kpis["kpi_id"]]
shown_ids = [int(k) for k in kpis["kpi_id"]]
selected = context.choose(ctx, page, "kpi", known_ids, used=kpis.iloc[0]["name"] if len(kpis) else "–",
                          message="kpis.unknown_kpi")
if page.filter("kpi") is not None and selected is None:
    del st.query_params["kpi"]
if st.session_state.pop(_FILTER_TOUCHED, False) and selected is not None and selected not in shown_ids:
    # The user narrowed the list past the KPI on show: follow the list instead of keeping it.
    del st.query_params["kpi"]
    selected = None
if selected is None and shown_ids:
    selected = shown_ids[0]

if selected is None:
    widgets.share_link(ctx, "kpis", **chosen)
    st.stop()

# The picker offers the KPIs the table shows (a filter narrows them), and the one on show.
listed = shown_ids[:readmodels.KPI_ROWS]
options = listed if selected in listed else [selected, *listed]
picked = all_kpis[all_kpis["kpi_id"].isin(options)]
labels = {int(k): f"{ctx.team(team_name)} · {name}" for k, team_name, name in zip(picked["kpi_id"], picked["team"],
                                                                                picked["name"])}
st.session_state[_PICKER] = selected
st.selectbox(t("kpis.picker"), options, format_func=labels.get, key=_PICKER, on_change=_picked)
if selected not in shown_ids:
    st.caption(t("kpis.outside_filter"))

kpi = readmodels.records(all_kpis[all_kpis["kpi_id"] == selected])[0]
unit = kpi["unit"]
direction = kpi["direction"]
target, tolerance = kpi["target"], kpi["tolerance"]
low_bound, high_bound = kpi["min_value"], kpi["max_value"]

st.markdown(f"#### {widgets.plain(kpi['name'])} · {widgets.plain(ctx.team(kpi['team']))}")
widgets.status_badge(ctx, kpi["status"])

# The At Risk band, as the rules compute it (kpi_scores in rules.sql).
band = (kpi["band_low"], kpi["band_high"]) if kpi["band_low"] is not None and kpi["band_high"] is not None else None

latest, goal, margin = st.columns(3)
change, trend = kpi["change"], kpi["trend"] or 0
delta = None
if change is not None:
    delta = f"{'+' if change > 0 else '-' if change < 0 else ''}{_with_unit(abs(change), unit, markdown=True)}"
latest.metric(
    f"{t('kpis.latest')} ({ctx.date(kpi['last_date'])})", _with_unit(kpi["value"], unit, markdown=True),
    delta=delta, delta_color="green" if trend > 0 else "red" if trend < 0 else "gray",
    delta_arrow="off" if not change else "auto", delta_description=t("kpis.since_previous") if delta else None,
    chart_data=kpi["recent_values"] or None, border=True,
)
if direction == Direction.RANGE:
    range_text = (t("kpis.range_value", low=_number(low_bound), high=_number(high_bound))
                  if low_bound is not None and high_bound is not None else t("kpis.no_target"))
    goal.metric(t("kpis.target_range"), f"{range_text} {widgets.plain(unit or '')}".strip(), border=True)
else:
    goal.metric(t("common.target"), _with_unit(target, unit, markdown=True) if target is not None
                else t("kpis.no_target"), border=True)

share_key = "kpis.tolerance_share_range" if direction == Direction.RANGE else "kpis.tolerance_share"
default_key = "kpis.tolerance_default_range" if direction == Direction.RANGE else "kpis.tolerance_default"
if kpi["stated_tolerance"] is None:
    tolerance_note = t(default_key, share=format_percent(ctx.store.config.kpi_tolerance_share, ctx.lang))
elif kpi["tolerance_is_share"]:
    tolerance_note = t(share_key, share=format_percent(kpi["stated_tolerance"], ctx.lang))
else:
    tolerance_note = t("kpis.tolerance_absolute")
margin.metric(t("kpis.tolerance"), _with_unit(tolerance, unit, markdown=True) if tolerance is not None else "–",
              border=True)
st.caption(tolerance_note)

if band is None:
    st.markdown(t("kpis.direction_no_target"))
elif direction == Direction.HIGHER_IS_BETTER:
    st.markdown(widgets.plain(t("kpis.direction_higher_is_better", target=_with_unit(target, unit),
                                low=_with_unit(band[0], unit))))
elif direction == Direction.LOWER_IS_BETTER:
    st.markdown(widgets.plain(t("kpis.direction_lower_is_better", target=_with_unit(target, unit),
                                high=_with_unit(band[1], unit))))
else:
    st.markdown(widgets.plain(t("kpis.direction_range", min=_with_unit(low_bound, unit),
                                max=_with_unit(high_bound, unit), low=_with_unit(band[0], unit),
                                high=_with_unit(band[1], unit))))

access = auth.current_access(ctx)
forms.measurement_form(ctx, access, kpi, key=f"measure_{selected}")
editors.kpi_editor(ctx, access, kpi)
history = ctx.store.kpi_history(selected, as_of=ctx.as_of)
if history.empty:
    st.info(t("kpis.no_measurements", as_of=ctx.date(ctx.as_of)), icon="📭")
else:
    value_title = f"{t('common.value')} ({unit})" if unit else t("common.value")
    widgets.chart(
        ctx,
        charts.kpi_history_chart(history, target, band, t("kpis.chart_title", name=kpi["name"]), value_title,
                                 t("common.date"), t("common.target")),
        width="stretch",
    )
    if band is not None:
        st.caption(t("kpis.band_note_range" if direction == Direction.RANGE else "kpis.band_note"))
    st.markdown(f"##### {t('kpis.measurements')}")
    measurements = pd.DataFrame({
        t("common.date"): pd.to_datetime(history["date"]).dt.date,
        t("common.value"): history["value"],
        t("kpis.period_target"): history["target"],
        t("common.unit"): unit,
    })
    widgets.show_table(ctx, measurements, hide_index=True, width="stretch")
    widgets.download_csv(ctx, measurements, f"kpi-{selected}-measurements.csv", key="download_measurements")

panels.bridge_panel(ctx, access, team=kpi["team"], kpi_id=selected, key="kpi_bridge")

widgets.share_link(ctx, "kpis", **chosen, kpi=selected)
