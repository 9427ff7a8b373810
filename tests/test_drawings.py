"""The static drawings of okrdash/drawings.py (sparklines, progress bars, charts as SVG), without Streamlit."""

from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrdash import charts, drawings
from okrdash.models import MAX_ABS_NUMBER

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script> & "quoted" :smile: =1+1'


def parsed(svg: str) -> ET.Element:
    """The drawing as XML: an unescaped text would make it unreadable (or add an element)."""
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in parsed(svg).iter() if element.tag in (f"{SVG}text", f"{SVG}title")]


@pytest.mark.parametrize(("share", "width"), [(0, "0.0%"), (0.0, "0.0%"), (0.42, "42.0%"), (1.0, "100.0%"),
                                              (1.3, "100.0%"), (-0.2, "0.0%"), (None, "0.0%"), (float("nan"), "0.0%")])
def test_a_progress_bar_fills_to_its_share_clamped(share, width):
    bar = drawings.progress_bar(share, "#2e7d32")
    assert f"width:{width}" in bar
    assert 'aria-valuenow="' + width.removesuffix("%") + '"' in bar
    assert "title=" not in bar  # no expected progress: no tick


def test_a_progress_bar_marks_the_expected_progress_with_an_escaped_tooltip():
    bar = drawings.progress_bar(0.3, "#f59e0b", expected=1.5, expected_text=HOSTILE)
    assert "left:calc(100.0% - 1.5px)" in bar  # an expected share past the end sits at the end
    assert "<script>" not in bar and "&lt;script&gt;" in bar and "&quot;quoted&quot;" in bar


@pytest.mark.parametrize(("lang", "written"), [("en", "1,500.5 → 2,000"), ("id", "1.500,5 → 2.000")])
def test_a_sparkline_names_its_first_and_last_value_in_the_readers_convention(lang, written):
    svg = drawings.sparkline([1500.5, None, float("nan"), 1800, 2000], lang)
    root = parsed(svg)
    assert root.get("aria-label") == written
    points = root.find(f"{SVG}polyline").get("points").split()
    assert len(points) == 3  # the missing values are left out, not drawn as zero


@pytest.mark.parametrize("values", [None, [], [None], [float("nan"), "text"]])
def test_a_sparkline_without_values_draws_nothing(values):
    assert drawings.sparkline(values) == ""
    assert drawings.image("", "label") == ""


def test_a_sparkline_of_one_value_or_a_flat_line_stays_inside_its_box():
    for values in ([5], [3, 3, 3], [0, 0]):
        root = parsed(drawings.sparkline(values))
        for point in root.find(f"{SVG}polyline").get("points").split():
            x, y = (float(part) for part in point.split(","))
            assert 0 <= x <= 120 and 0 <= y <= 28


# Any value the store can hold (the importer refuses a magnitude past MAX_ABS_NUMBER), and the
# missing ones a reading can leave.
STORED = st.one_of(st.none(), st.just(float("nan")), st.just(float("inf")),
                   st.floats(min_value=-MAX_ABS_NUMBER, max_value=MAX_ABS_NUMBER))


@given(st.lists(STORED, max_size=30))
def test_any_values_make_a_readable_sparkline(values):
    svg = drawings.sparkline(values)
    if svg:
        parsed(svg)


def test_an_image_carries_the_drawing_as_a_data_uri_and_escapes_its_text():
    svg = drawings.sparkline([1, 2])
    img = drawings.image(svg, HOSTILE)
    assert img.startswith('<img src="data:image/svg+xml;base64,')
    data = img.split("base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(data).decode() == svg
    assert "<script>" not in img and 'alt="&lt;script&gt;' in img


def _burn_up(lang_labels: dict[str, str], title: str = "Revenue") -> dict:
    history = pd.DataFrame({"date": [dt.date(2026, 10, 1), dt.date(2026, 10, 8)], "value": [1000.0, 2500.5]})
    expected = pd.DataFrame({"date": [dt.date(2026, 10, 1), dt.date(2026, 12, 31)], "value": [0.0, 10000.0]})
    return charts.burn_up_chart(history, expected, 10000.0, title, "Value", "Date", lang_labels)


@pytest.mark.parametrize(("lang", "value", "day"), [("en", "2,500.5", "8 Oct 2026"), ("id", "2.500,5", "8 Okt 2026")])
def test_the_burn_up_is_drawn_from_its_rows_in_the_readers_language(lang, value, day):
    labels = {"actual": "Actual", "expected": "Expected", "target": "Target"}
    svg = drawings.chart(_burn_up(labels), lang)
    written = texts(svg)
    assert f"Actual: {day}, {value}" in written   # each check-in's tooltip
    assert "Target: 10,000" in written if lang == "en" else "Target: 10.000" in written
    assert "Revenue" in written and "Expected" in written
    lines = parsed(svg).findall(f"{SVG}polyline")
    assert len(lines) == 2 and lines[1].get("stroke-dasharray")  # the expected line is dashed


def test_a_spec_is_drawn_once_per_language_and_another_spec_anew(monkeypatch):
    # A spec of a shared view model is drawn in every session's view of it: the drawing is kept by
    # the spec, so the second view does not draw its rows again; another spec, even an equal one, or
    # another language is drawn from its own rows.
    drawn: list[str] = []
    line_chart = drawings.line_chart
    monkeypatch.setattr(drawings, "line_chart", lambda *args, **kwargs: drawn.append(args[4]) or line_chart(*args, **kwargs))
    labels = {"actual": "Actual", "expected": "Expected", "target": "Target"}
    spec = _burn_up(labels)
    first = drawings.chart(spec, "en")
    assert drawings.chart(spec, "en") is first and drawn == ["en"]
    assert drawings.chart(spec, "id") != first and drawn == ["en", "id"]
    other = _burn_up(labels, title="Margin")
    assert "Margin" in texts(drawings.chart(other, "en")) and drawn == ["en", "id", "en"]
    assert drawings.chart(_burn_up(labels), "en") == first and len(drawn) == 4


def test_user_text_in_a_chart_is_text():
    labels = {"actual": HOSTILE, "expected": "Expected", "target": HOSTILE}
    svg = drawings.chart(_burn_up(labels, title=HOSTILE))
    assert "<script>" not in svg
    assert HOSTILE in texts(svg)  # read back as the same text, never as markup


def test_a_kpi_history_with_band_and_target_and_one_without_rows():
    history = pd.DataFrame({"date": [dt.date(2026, 11, 1), dt.date(2026, 11, 2)], "value": [90.0, 95.0]})
    svg = drawings.chart(charts.kpi_history_chart(history, 100.0, (95.0, 105.0), "Uptime", "%", "Date", "Target"))
    root = parsed(svg)
    assert root.find(f"{SVG}rect") is not None and "Target: 100" in texts(svg)
    empty = history.iloc[0:0]
    assert texts(drawings.chart(charts.kpi_history_chart(empty, None, None, "Uptime", "%", "Date", "Target"))) == ["Uptime"]


def test_bar_charts_count_each_row_with_its_colour():
    counts = pd.DataFrame({"band": ["met", "missed", None], "label": ["Met", "Missed", "Not graded"],
                           "count": [3, 1, 0]})
    svg = drawings.chart(charts.grade_distribution_chart(counts, "Grades", "Objectives", "Band"), "id")
    root = parsed(svg)
    bars = root.findall(f"{SVG}rect")
    assert [bar.get("fill") for bar in bars] == [charts.GRADE_COLORS["met"], charts.GRADE_COLORS["missed"]]  # 0: no bar
    assert {"Met: 3", "Missed: 1", "3", "1", "0"} <= set(texts(svg))

    teams = pd.DataFrame({"team": ["Sales", "Sales", "Ops"], "status": ["On Track", "Off Track", "On Track"],
                          "status_label": ["🟢 On Track", "🔴 Off Track", "🟢 On Track"], "count": [1200, 3, 4],
                          "status_rank": [1, 3, 1]})
    svg = drawings.chart(charts.team_status_chart(teams, "By team", "Key results", "Team", "Status"), "id")
    written = texts(svg)
    assert "Sales · 🟢 On Track: 1.200" in written and "1.203" in written  # the row's total, Indonesian digits
    assert written.index("Ops") < written.index("Sales")
