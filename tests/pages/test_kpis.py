"""The KPIs page through AppTest, on the fixture company: it opens in both languages and its pickers
write the link (what it shows is tested on its view model, tests/views/test_kpis.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from okrdash.i18n import translate
from okrdash.store import open_store
from tests.fixtures import company as fixture
from tests.fixtures.company import AS_OF
from tests.helpers.html_tables import shown_tables

PAGE = "pages/kpis.py"
LOCALES = Path(__file__).resolve().parents[2] / "okrdash" / "locales"
DAY = {"as_of": AS_OF.isoformat()}


def kpi_ids(db) -> dict[str, int]:
    store = open_store(db)
    try:
        return {name: fixture.kpi_id(store, name) for name in ("Average reply time", "Closed deals",
                                                               "Overtime hours per week")}
    finally:
        store.close()


def kpi_table(app):
    return shown_tables(app)[0]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_kpis_page_opens_in_both_languages(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, lang=lang, **DAY)
    assert not app.exception and not app.warning
    assert app.title[0].value.endswith(translate("kpis.title", lang))
    assert len(kpi_table(app)) == 4 and translate("kpis.latest", lang) in kpi_table(app).columns
    assert any(s.value == translate("kpis.detail", lang) for s in app.subheader)
    assert app.selectbox(key="kpi_picker").value == kpi_ids(company_db)["Overtime hours per week"]
    assert {b.key for b in app.download_button} >= {"download_kpis", "download_measurements"}
    assert f"kpi={kpi_ids(company_db)['Overtime hours per week']}" in app.code[0].value


def test_filters_write_the_link_and_the_detail_follows_a_narrowed_list(company_db, make_app):
    ids = kpi_ids(company_db)
    app = make_app(company_db, page=PAGE, lang="id", kpi=str(ids["Average reply time"]), **DAY)
    assert not app.exception
    assert any("Average reply time" in m.value for m in app.markdown)
    # Folded away while no filter is set, and drawn only once opened.
    assert not [box for box in app.selectbox if box.key in ("team", "type")]
    app.session_state["kpi_filters"] = True
    app.run()
    assert "strategic" not in app.selectbox(key="type").options  # the options in Indonesian
    app.selectbox(key="type").set_value("operational").run()
    # Still in the list: the KPI on show stays.
    assert app.query_params["type"] == "operational" and app.query_params["kpi"] == str(ids["Average reply time"])
    app.selectbox(key="type").set_value(None).run()  # the last filter cleared: the filters stay open
    app.selectbox(key="team").set_value("Sales").run()
    assert not app.exception
    # Narrowed past the KPI on show: the detail follows the list and the link drops the KPI.
    assert "kpi" not in app.query_params and "type" not in app.query_params and app.query_params["team"] == "Sales"
    assert app.selectbox(key="kpi_picker").value == ids["Closed deals"]
    assert list(kpi_table(app)["KPI"]) == ["Closed deals"]


def test_picking_a_kpi_writes_it_to_the_link(company_db, make_app):
    ids = kpi_ids(company_db)
    app = make_app(company_db, page=PAGE, **DAY)
    app.selectbox(key="kpi_picker").set_value(ids["Closed deals"]).run()
    assert not app.exception
    assert app.query_params["kpi"] == str(ids["Closed deals"])
    assert any(m.label == "Target" and m.value == "20" for m in app.metric)


@pytest.mark.parametrize("query", [{"kpi": "abc", "team": "No such team"},
                                   {"kpi": "99999", "category": "nothing", "type": "big"}])
def test_bad_link_warns_shows_everything_and_leaves_the_link(company_db, make_app, query):
    app = make_app(company_db, page=PAGE, **DAY, **query)
    assert not app.exception
    for value in query.values():
        assert any(f'"{value}"' in w.value for w in app.warning), value
        assert value not in app.query_params.values()
    assert len(kpi_table(app)) == 4


def test_kpis_on_empty_database(empty_db, make_app):
    app = make_app(empty_db, page=PAGE)
    assert not app.exception
    assert any("Nothing here yet" in i.value for i in app.info)


def test_locale_keys_match():
    keys = {}
    for lang in ("en", "id"):
        with open(LOCALES / lang / "kpis.toml", "rb") as handle:
            keys[lang] = set(tomllib.load(handle)["kpis"])
    assert keys["en"] == keys["id"]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_kpi_not_measured_within_its_frequency_is_marked_stale(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, lang=lang, as_of="2026-11-30")
    assert not app.exception
    marker = f"🕒 {translate('common.stale_kpi', lang)}"
    assert kpi_table(app).iloc[0, 0].endswith(marker)  # Overtime hours per week, measured weekly, last on 14 Nov
    assert any(c.value == marker for c in app.caption)  # and its detail


def test_a_long_table_opens_in_the_grid_only_on_request_with_the_same_rows(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, **DAY)
    assert not app.exception
    drawn = kpi_table(app)
    assert len(drawn) > 12 and not app.dataframe  # HTML: the browser loads no grid for it
    app.toggle(key="download_kpis_explore").set_value(True).run()
    assert not app.exception
    grid = app.dataframe[0].value
    assert list(grid["KPI"]) == list(drawn["KPI"]) and list(grid.columns) == list(drawn.columns)
