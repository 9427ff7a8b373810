"""Numbers, dates and chart axes in the chosen language on every page that draws them (AppTest)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from okrdash.formatting import amount, date
from okrdash.store import open_store
from tests.pages.conftest import AS_OF, CYCLE
from tests.helpers.html_tables import drawn_images, shown_tables

# The pages that draw charts, with the query that shows at least one.
CHARTED = [("pages/overview.py", {}), ("pages/kpis.py", {}), ("pages/objective.py", {"objective": "1"}),
           ("pages/review.py", {})]


@pytest.mark.parametrize(("page", "query"), CHARTED)
@pytest.mark.parametrize(("lang", "decimal", "may"), [("id", ",", "Mei"), ("en", ".", "May")])
def test_every_chart_speaks_the_chosen_language(demo_db, make_app, page, query, lang, decimal, may):
    app = make_app(demo_db, page=page, as_of=AS_OF, cycle=CYCLE, lang=lang, **query)
    assert not app.exception
    assert drawn_images(app), f"{page} drew no chart"
    assert not app.get("vega_lite_chart")  # Vega loads only when a reader switches a chart to it
    for toggle in app.toggle:
        if toggle.key.endswith("_interactive"):
            toggle.set_value(True)
    app.run()
    specs = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    assert specs, f"{page} drew no interactive chart"
    for spec in specs:
        locale = spec["config"]["locale"]
        assert locale["number"]["decimal"] == decimal
        assert locale["time"]["shortMonths"][4] == may


def test_kpi_tables_write_numbers_and_dates_in_indonesian(demo_db, make_app):
    store = open_store(demo_db)
    try:
        kpis = store.kpi_scores(dt.date.fromisoformat(AS_OF))
    finally:
        store.close()
    app = make_app(demo_db, page="pages/kpis.py", as_of=AS_OF, cycle=CYCLE, lang="id")
    assert not app.exception
    table = shown_tables(app)[0]
    latest = dict(zip(table["KPI"], table["Nilai terakhir"]))
    for name, value, unit in zip(kpis["name"], kpis["value"], kpis["unit"]):
        assert latest[name] == amount(value, unit, "id")
    shown_dates = set(table["Pengukuran terakhir"])
    assert shown_dates == {date(d.date(), "id") for d in kpis["last_date"]}


@pytest.mark.parametrize(("lang", "words"), [("en", ("At Risk", "expected by now", 'title="Expected: ')),
                                             ("id", ("Berisiko", "seharusnya saat ini", 'title="Seharusnya: '))])
def test_progress_bars_speak_the_chosen_language(demo_db, make_app, lang, words):
    """The team page's progress bars are HTML, not charts: their status line and the expected tick's
    title are in the reader's language."""
    app = make_app(demo_db, page="pages/team.py", as_of=AS_OF, cycle=CYCLE, lang=lang, team="Engineering")
    assert not app.exception
    assert not app.get("vega_lite_chart")  # no chart script for bars
    bars = "".join(element.proto.body for element in app.get("html") if "okr-progress" in element.proto.body)
    for word in words:
        assert word in bars, (lang, word)
