"""The KPIs page through AppTest: filters and the selected KPI come from the link."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from okrdash.store import open_store
from tests.pages.conftest import AS_OF, CYCLE

PAGE = "pages/kpis.py"
LOCALES = Path(__file__).resolve().parents[2] / "okrdash" / "locales"


@pytest.fixture
def demo_kpis(demo_db):
    """The demo KPIs as scored on AS_OF (read before the app opens the database)."""
    store = open_store(demo_db)
    try:
        return store.kpi_scores(dt.date.fromisoformat(AS_OF))
    finally:
        store.close()


def kpi_table(app):
    return app.dataframe[0].value


def test_every_kpi_listed_with_detail_of_the_first(demo_db, demo_kpis, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE)
    assert not app.exception
    assert app.title[0].value.endswith("KPIs")
    table = kpi_table(app)
    assert len(table) == len(demo_kpis)
    assert {"Status", "Team", "KPI", "Latest value", "Target", "Trend", "Recent values", "Last measurement"} <= set(table.columns)
    assert all(label[0] in "🟢🟠🔴🔵⚪" for label in table["Status"])
    assert set(table["Trend"]) <= {"▲ better", "▼ better", "▲ worse", "▼ worse", "▶ no change", "–"}
    assert any(s.value == "KPI detail" for s in app.subheader)
    first = demo_kpis.iloc[0]
    assert app.selectbox(key="kpi_picker").value == first["kpi_id"]
    assert any(first["name"] in m.value for m in app.markdown)
    assert {b.key for b in app.download_button} >= {"download_kpis", "download_measurements"}
    assert f"kpi={first['kpi_id']}" in app.code[-1].value


def test_team_from_the_link(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, team="Customer Support")
    assert not app.exception and not app.warning
    assert app.selectbox(key="team").value == "Customer Support"
    table = kpi_table(app)
    assert set(table["Team"]) == {"Customer Support"}
    assert "Average reply time" in set(table["KPI"])
    assert "team=Customer+Support" in app.code[-1].value


def test_category_type_and_indicator_from_the_link(demo_db, demo_kpis, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, category="sales")
    assert not app.exception
    table = kpi_table(app)
    assert set(table["Category"]) == {"sales"}
    assert len(table) == (demo_kpis["category"] == "sales").sum()

    app = make_app(demo_db, page=PAGE, as_of=AS_OF, type="functional", indicator="leading")
    assert not app.exception
    table = kpi_table(app)
    wanted = demo_kpis[(demo_kpis["kpi_type"] == "functional") & (demo_kpis["indicator"] == "leading")]
    assert sorted(table["KPI"]) == sorted(wanted["name"])
    assert set(table["Type"]) == {"Functional"} and set(table["Indicator"]) == {"Leading"}


def test_status_filter_and_a_kpi_outside_it(demo_db, demo_kpis, make_app):
    on_track = demo_kpis[demo_kpis["status"] == "On Track"].iloc[0]
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, status="Off Track", kpi=str(on_track["kpi_id"]))
    assert not app.exception
    assert set(kpi_table(app)["Status"]) == {"🔴 Off Track"}
    # A KPI named by the link stays on show, with a note that the filters leave it out.
    assert app.selectbox(key="kpi_picker").value == on_track["kpi_id"]
    assert any("does not match the filters" in c.value for c in app.caption)


def test_kpi_from_the_link_shows_its_detail(demo_db, demo_kpis, make_app):
    reply_time = demo_kpis[demo_kpis["name"] == "Average reply time"].iloc[0]
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, kpi=str(reply_time["kpi_id"]))
    assert not app.exception and not app.warning
    assert app.selectbox(key="kpi_picker").value == reply_time["kpi_id"]
    assert any("Average reply time" in m.value and "Customer Support" in m.value for m in app.markdown)
    assert any(m.label == "Target" and m.value == "30 minutes" for m in app.metric)
    assert any("Lower is better" in m.value for m in app.markdown)
    measurements = app.dataframe[1].value
    assert len(measurements) == reply_time["measurement_count"]

    # Picking another KPI puts it in the link.
    other = demo_kpis[demo_kpis["name"] == "Employee overtime hours per week"].iloc[0]
    app.selectbox(key="kpi_picker").set_value(int(other["kpi_id"])).run()
    assert not app.exception
    assert app.query_params["kpi"] == str(other["kpi_id"])
    assert any(m.label == "Target range" for m in app.metric)

    # Narrowing the list past the KPI on show moves the detail to the first KPI of the list.
    app.selectbox(key="team").set_value("Sales").run()
    assert not app.exception
    assert set(kpi_table(app)["Team"]) == {"Sales"}
    assert "kpi" not in app.query_params
    first_sales = demo_kpis[demo_kpis["team"] == "Sales"].iloc[0]
    assert app.selectbox(key="kpi_picker").value == first_sales["kpi_id"]


@pytest.mark.parametrize("query", [{"kpi": "abc", "team": "No such team"},
                                   {"kpi": "99999", "category": "nothing", "type": "big"}])
def test_bad_link_warns_and_shows_everything(demo_db, demo_kpis, make_app, query):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, **query)
    assert not app.exception
    for value in query.values():
        assert any(f'"{value}"' in w.value for w in app.warning), value
    assert len(kpi_table(app)) == len(demo_kpis)
    assert app.selectbox(key="kpi_picker").value == demo_kpis.iloc[0]["kpi_id"]


def test_kpis_in_indonesian(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, lang="id", team="Customer Support")
    assert not app.exception
    assert app.title[0].value.endswith("KPI")
    table = kpi_table(app)
    assert {"Tim", "Nilai terakhir", "Tren", "Kategori"} <= set(table.columns)
    assert "🔴 Keluar Jalur" in set(table["Status"])
    assert any(s.value == "Rincian KPI" for s in app.subheader)
    assert any("Lebih rendah lebih baik" in m.value for m in app.markdown)


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


def test_more_kpis_than_the_table_sends_lists_the_first_and_says_so(demo_db, demo_kpis, make_app, monkeypatch):
    from okrdash import readmodels

    monkeypatch.setattr(readmodels, "KPI_ROWS", 3)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, lang="id")
    assert not app.exception
    assert len(kpi_table(app)) == 3 < len(demo_kpis)
    assert [c.value for c in app.caption if c.value.startswith(f"3 KPI pertama dari {len(demo_kpis)}")]
    assert len(app.selectbox(key="kpi_picker").options) == 3
    assert "download_kpis" in {b.key for b in app.download_button}


def test_filters_show_indonesian_options_and_keep_neutral_values_in_the_link(demo_db, demo_kpis, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, lang="id", team="Company")
    assert not app.exception
    team = app.selectbox(key="team")
    assert team.value == "Company" and "Perusahaan" in team.options and "Company" not in team.options
    assert set(kpi_table(app)["Tim"]) == {"Perusahaan"}
    kind = app.selectbox(key="type")
    assert "strategic" not in kind.options  # the option in Indonesian, not the stored key
    kind.set_value("strategic").run()
    assert not app.exception
    assert app.query_params["type"] == "strategic" and app.query_params["team"] == "Company"
    company = demo_kpis[(demo_kpis["team"] == "Company") & (demo_kpis["kpi_type"] == "strategic")]
    assert len(kpi_table(app)) == len(company) > 0
    # The same link in English picks the same filters.
    english = make_app(demo_db, page=PAGE, as_of=AS_OF, lang="en", team="Company", type="strategic")
    assert len(kpi_table(english)) == len(company) and english.selectbox(key="team").value == "Company"
