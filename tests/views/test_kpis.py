"""The KPIs page's view model (okrdash/views/kpis.py) and its read model's filters on the fixture company."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from okrdash import readmodels
from okrdash.store import open_store
from okrdash.viewstate import KpisState
from okrdash.views import kpis
from tests.fixtures import company as fixture
from tests.views.conftest import scope_of


def names(view) -> list[str]:
    return list(view.table.shown["KPI"])


def test_every_kpi_listed_with_status_trend_and_the_detail_of_the_first(company):
    view = kpis.view(company, KpisState(), scope_of(company))
    assert view.notices == [] and view.caption == "As of 20 Nov 2026: 4 of 4 KPIs shown"
    table = view.table.shown
    assert list(table.columns) == ["Status", "KPI", "Team", "Latest value", "Target", "Trend", "Change",
                                   "Recent values", "Category", "Type", "Indicator", "Frequency", "Owner",
                                   "Last measurement"]
    assert list(table.iloc[2][:7]) == ["🔴 Off Track", "Average reply time", "Support", "48 minutes", "30 minutes",
                                       "▼ better", "-4"]
    assert list(table["Recent values"])[2] == [52.0, 48.0] and view.table.sparklines == ("Recent values",)
    # The download: every KPI, numbers and words, without the sparkline.
    rows = view.table.rows()
    assert list(rows.columns[:4]) == ["Status", "Flags", "Team", "KPI"] and "Recent values" not in rows
    assert rows["Latest value"].tolist() == [5.0, 21.0, 48.0, 75.0] and rows["Status"].iloc[2] == "Off Track"
    first = fixture.kpi_id(company, "Overtime hours per week")
    assert view.picker.selected == first and view.detail.heading == "Overtime hours per week · Company"
    assert view.shown == KpisState(lang="en", cycle="2026-Q4", as_of=fixture.AS_OF, kpi=first)
    assert view.link == KpisState()  # the first KPI is shown, not put into the address


def test_a_kpi_not_measured_within_its_frequency_is_marked_stale_in_both_languages(company):
    # Measured on 14 and 15 Nov: fresh on the 20th; by the 30th the weekly ones are overdue, the
    # monthly Closed deals is not.
    assert view_detail_stale(company, "en", fixture.AS_OF) == (None, ["", "", "", ""])
    for lang, marker in (("en", "no recent measurement"), ("id", "belum ada pengukuran baru")):
        detail, flags = view_detail_stale(company, lang, dt.date(2026, 11, 30))
        assert detail == f"🕒 {marker}"  # the first KPI, Overtime hours per week, is weekly
        assert flags == [marker, "", marker, marker]  # Overtime, Closed deals, Average reply, First contact
        shown = kpis.view(company, KpisState(), scope_of(company, lang, as_of=dt.date(2026, 11, 30))).table.shown
        assert shown.iloc[:, 0].tolist()[:2] == [f"🟢 {'On Track' if lang == 'en' else 'Sesuai Jalur'} · 🕒 {marker}",
                                                 f"🟢 {'On Track' if lang == 'en' else 'Sesuai Jalur'}"]


def view_detail_stale(company, lang, as_of):
    view = kpis.view(company, KpisState(), scope_of(company, lang, as_of=as_of))
    return view.detail.stale, view.table.rows().iloc[:, 1].tolist()


@pytest.mark.parametrize(("state", "expected"), [
    (KpisState(team="Support"), ["Average reply time", "First contact resolution"]),
    (KpisState(category="service", status="At Risk"), ["First contact resolution"]),
    (KpisState(type="operational", indicator="leading"), ["Average reply time"]),
    (KpisState(indicator="leading"), ["Overtime hours per week", "Average reply time"]),
    (KpisState(type="strategic"), ["Closed deals"]),
])
def test_the_filters_from_the_link(company, state, expected):
    view = kpis.view(company, state, scope_of(company))
    assert names(view) == expected and view.notices == []
    assert view.caption.endswith(f"{len(expected)} of 4 KPIs shown")
    assert view.link == state


def test_options_in_the_readers_language_and_neutral_values_in_the_link(company):
    view = kpis.view(company, KpisState(team="Company", type="functional"), scope_of(company, "id"))
    team, category, kind, indicator, status = view.filters
    assert team.label_of("Company") == "Perusahaan" and team.selected == "Company"
    assert kind.label_of("strategic") == "Strategis" and kind.selected == "functional"
    assert status.label_of("Off Track") == "🔴 Keluar Jalur" and category.values == ["hr", "sales", "service"]
    assert list(view.table.shown["Tim"]) == ["Perusahaan"] and list(view.table.shown["Jenis"]) == ["Fungsional"]
    assert kind.chosen("strategic") == KpisState(team="Company", type="strategic")
    assert indicator.chosen(None) == KpisState(team="Company", type="functional")


def test_a_kpi_named_by_the_link_stays_on_show_outside_the_filters_until_the_reader_narrows_the_list(company):
    reply = fixture.kpi_id(company, "Average reply time")
    view = kpis.view(company, KpisState(kpi=reply, status="On Track"), scope_of(company))
    assert names(view) == ["Overtime hours per week", "Closed deals"]
    assert view.detail.heading == "Average reply time · Support" and view.picker.values[0] == reply
    assert view.outside_filter == ("This KPI does not match the filters above; it is shown because the link "
                                   "names it.")
    narrowed = kpis.view(company, KpisState(kpi=reply, team="Sales"), scope_of(company), changed=frozenset({"team"}))
    assert narrowed.detail.heading == "Closed deals · Sales" and narrowed.link == KpisState(team="Sales")
    kept = kpis.view(company, KpisState(kpi=reply, team="Support"), scope_of(company), changed=frozenset({"team"}))
    assert kept.detail.heading == "Average reply time · Support" and kept.link.kpi == reply
    # Picking another KPI keeps the filters.
    assert view.picker.chosen(fixture.kpi_id(company, "Closed deals")) == KpisState(
        status="On Track", kpi=fixture.kpi_id(company, "Closed deals"))


def test_the_detail_of_a_kpi_says_what_its_status_means(company):
    reply = fixture.kpi_id(company, "Average reply time")
    detail = kpis.view(company, KpisState(kpi=reply), scope_of(company)).detail
    assert (detail.latest.label, detail.latest.value, detail.latest.delta) == (
        "Latest value (14 Nov 2026)", "48 minutes", "-4 minutes")
    assert detail.latest.delta_color == "green" and detail.latest.chart == [52.0, 48.0]
    assert (detail.goal.label, detail.goal.value) == ("Target", "30 minutes")
    assert detail.tolerance.value == "3 minutes" and detail.tolerance_note == "10% of the target, as set for this KPI."
    assert detail.direction == ("Lower is better\\. On Track at 30 minutes or less; At Risk above 30 minutes up to "
                                "33 minutes; Off Track above 33 minutes\\.")
    assert list(detail.measurements.shown["Value"]) == ["52", "48"]
    assert detail.chart["datasets"]["band"] is not None and detail.band_note.startswith("The shaded band")
    overtime = kpis.view(company, KpisState(kpi=fixture.kpi_id(company, "Overtime hours per week")),
                         scope_of(company, "id")).detail
    assert (overtime.goal.label, overtime.goal.value) == ("Rentang target", "2 sampai 8 hours")
    assert overtime.tolerance_note.startswith("Tidak diatur untuk KPI ini") and "10%" in overtime.tolerance_note
    early = kpis.view(company, KpisState(kpi=reply), scope_of(company, as_of=fixture.AS_OF.replace(month=10, day=1)))
    assert early.detail.no_measurements.text == "No measurements up to 1 Oct 2026." and early.detail.chart is None


def test_unknown_values_are_reported_and_everything_shown(company):
    view = kpis.view(company, KpisState(kpi=99999, category="nothing", type="big"), scope_of(company))
    assert [n.name for n in view.notices] == ["category", "type", "kpi"]
    assert '"big"' in view.notices[1].text and "99999" in view.notices[2].text
    assert len(names(view)) == 4 and view.link == KpisState()
    unread = kpis.view(company, KpisState(unread=(("kpi", "abc"),)), scope_of(company))
    assert [n.name for n in unread.notices] == ["kpi"]


def test_more_kpis_than_the_table_sends_lists_the_first_and_says_so(company, monkeypatch):
    monkeypatch.setattr(kpis, "KPI_ROWS", 3)
    view = kpis.view(company, KpisState(), scope_of(company, "id"))
    assert len(view.table.shown) == 3 and len(view.table.rows()) == 4
    assert view.table.first_rows.startswith("3 KPI pertama dari 4")
    assert len(view.picker.options) == 3


def test_no_match_and_no_kpi_at_all(company):
    view = kpis.view(company, KpisState(team="Sales", status="Off Track"), scope_of(company))
    assert view.table is None and view.detail is None and view.no_match.text.startswith("No KPI matches")
    store = open_store(":memory:")
    try:
        message, upload = kpis.view(store, KpisState(), scope_of(store, cycle=None)).empty
    finally:
        store.close()
    assert "no KPIs yet" in message.text and upload.link.page == "upload"


def test_the_kpi_filters_run_in_sql_and_pick_the_rows_filtering_the_scores_does(company):
    scores = company.kpi_scores(fixture.AS_OF)
    for column in ("team", "category", "kpi_type", "indicator", "status"):
        for value in sorted(set(scores[column].dropna())):
            shown = readmodels.kpi_table(company, fixture.AS_OF, **{column: value})
            assert list(shown.kpis["kpi_id"]) == list(scores[scores[column] == value]["kpi_id"]), (column, value)
            assert shown.listed == len(shown.kpis) and shown.every == len(scores)
    hostile = readmodels.kpi_table(company, fixture.AS_OF, team="x'); DROP TABLE kpis; --")
    assert hostile.kpis.empty and hostile.listed == 0  # a value, never SQL
    first = readmodels.kpi_table(company, fixture.AS_OF, limit=1, kpi_id=fixture.kpi_id(company, "Closed deals"))
    assert len(first.kpis) == 1 and first.listed == 4 and first.holds
    assert all(isinstance(values, list) for values in readmodels.kpi_table(company, fixture.AS_OF).kpis["recent_values"])


@pytest.mark.parametrize("which", ["company", "demo"])
def test_the_change_shown_never_contradicts_the_trend_lower_is_better_included(company, demo_db_file, which):
    """Issue 24.8: "Change" is the move the trend reads, so a KPI whose trend is worse never shows a
    change in its good direction (the demo's average reply time, lower is better, fell by a minute in
    its last step while its trend rose)."""
    from okrdash import demo

    store = company if which == "company" else open_store(demo_db_file)
    as_of = fixture.AS_OF if which == "company" else demo.DEMO_ANCHOR
    try:
        listed = readmodels.kpi_table(store, as_of).kpis
        view = kpis.view(store, KpisState(), scope_of(store) if which == "company" else _demo_scope(store, as_of))
        changes = view.table.rows()["Change"]
    finally:
        if which == "demo":
            store.close()
    good = {"higher_is_better": 1, "lower_is_better": -1}
    checked = 0
    for direction, trend, change in zip(listed["direction"], listed["trend"], changes):
        if direction in good and trend and not pd.isna(change):
            assert (change > 0) == (trend * good[direction] > 0), (direction, trend, change)
            checked += 1
    assert checked >= 3
    lower = listed[(listed["direction"] == "lower_is_better") & listed["trend_from"].notna()]
    assert len(lower)  # a lower-is-better KPI with a trend


def _demo_scope(store, as_of):
    from okrdash.views.common import Scope

    return Scope("en", readmodels.pick_cycle(store, None, as_of), as_of)
