"""The OKR vs KPI page through AppTest, on the fixture company: it opens in both languages, its inputs
rescore the cases, its filters write the link, and an example loads as a draft (what it shows is
tested on its view model, tests/views/test_explainer.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from okrdash.i18n import translate
from okrdash.store import open_store
from tests.fixtures.company import AS_OF, CYCLE
from tests.helpers.html_tables import shown_tables

PAGE = "pages/explainer.py"
LOCALES = Path(__file__).resolve().parents[2] / "okrdash" / "locales"


def metric(app, label_key: str, lang: str = "en") -> str:
    label = translate(f"explainer.{label_key}", lang)
    found = [m.value for m in app.metric if m.label == label]
    assert len(found) == 1, (label, [m.label for m in app.metric])
    return found[0]


def counts(db: Path) -> dict[str, int]:
    store = open_store(db)
    try:
        return store.table_counts()
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_explainer_opens_in_both_languages(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=CYCLE, lang=lang)
    assert not app.exception and [w.icon for w in app.warning] == ["🔓"]  # the local mode banner
    assert app.title[0].value.endswith("OKR vs KPI")
    assert app.subheader[0].value == translate("explainer.subtitle", lang)
    assert translate("explainer.aspect_column", lang) in shown_tables(app)[0].columns
    text = " ".join(m.value for m in app.markdown)
    assert translate("explainer.analogy", lang) in text and "Drucker" in text and "1999" in text
    assert metric(app, "reply_kpi_status", lang).endswith(translate("status.Off Track", lang))
    assert "lang=" + lang in app.code[0].value


def test_the_inputs_rescore_the_cases(company_db, make_app):
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat())
    assert metric(app, "reply_kr_progress") == "44%" and metric(app, "nps_kr_progress") == "50%"
    app.number_input(key="ex_reply_kpi").set_value(25).run()
    assert not app.exception and metric(app, "reply_kpi_status") == "🟢 On Track"
    app.number_input(key="ex_reply_kr").set_value(30).run()
    assert metric(app, "reply_kr_status") == "🔵 Complete"
    app.number_input(key="ex_nps_kpi").set_value(10).run()
    assert not app.exception and metric(app, "nps_kpi_status") == "🟢 On Track"
    assert not [m for m in app.metric if m.label == translate("explainer.nps_kr_progress", "en")]
    assert app.success and app.success[0].value == translate("explainer.kpi_fine", "en")


def test_the_example_filters_write_the_link(company_db, make_app):
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), ex_type="bogus")
    assert any("ex_type" in w.value for w in app.warning) and "ex_type" not in app.query_params
    open_tab(app, "tab_kpis")
    app.selectbox(key="ex_category").set_value("sales").run()
    assert not app.exception and app.query_params["ex_category"] == "sales"
    assert "ex_category=sales" in app.code[0].value


def open_tab(app, label_key: str, lang: str = "en"):
    """Choose an examples tab, as a click on it does (the browser sends the tab's label), and run the page."""
    app.session_state["ex_tab"] = translate(f"explainer.{label_key}", lang)
    return app.run()


def filters_drawn(app) -> set[str]:
    return {box.key for box in app.selectbox if box.key and box.key.startswith("ex_") and "load" not in box.key}


def test_only_the_chosen_examples_tab_is_drawn_and_the_link_keeps_every_filter(company_db, make_app):
    """Issue 27: a hidden tab's elements cost the browser as much as a shown one's."""
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), lang="id", ex_category="sales")
    assert not app.exception and filters_drawn(app) == {"ex_team"}
    open_tab(app, "tab_roles", "id")
    assert filters_drawn(app) == {"ex_role"} and app.query_params["ex_category"] == "sales"
    open_tab(app, "tab_kpis", "id")
    assert filters_drawn(app) == {"ex_category", "ex_type", "ex_indicator"}
    assert app.selectbox(key="ex_category").value == "sales"


def test_load_an_example_into_a_team(company_db, make_app):
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=CYCLE)
    before = counts(company_db)
    app.radio(key="ex_load_kind").set_value("okr")
    app.selectbox(key="ex_load_team").set_value("Sales")
    app.run()
    app.selectbox(key="ex_load_okr").set_value("sales.outbound_engine")
    app.button(key="ex_load_button").click().run()
    assert not app.exception and not app.error
    assert app.success[-1].value == "Loaded into Sales: 4 rows added, 0 updated."
    assert [p.proto.page for p in app.page_link][-1] == "team"
    after = counts(company_db)
    assert after["objectives"] == before["objectives"] + 1
    assert after["key_results"] == before["key_results"] + 3

    # A KPI for a new team, in Indonesian.
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=CYCLE, lang="id")
    app.radio(key="ex_load_kind").set_value("kpi").run()
    app.selectbox(key="ex_load_kpi").set_value("service.nps")
    app.text_input(key="ex_load_new_team").input("Tim Baru")
    app.button(key="ex_load_button").click().run()
    assert not app.exception and not app.error
    assert app.success[-1].value.startswith("Dimuat ke Tim Baru")
    assert counts(company_db)["kpis"] == after["kpis"] + 1


def test_renders_on_an_empty_database(empty_db, make_app):
    for lang in ("en", "id"):
        app = make_app(empty_db, page=PAGE, lang=lang)
        assert not app.exception
        assert app.title[0].value.endswith("OKR vs KPI")
        assert app.button(key="ex_load_button") is not None  # loading works without teams too


def test_locale_keys_match():
    keys = {}
    for lang in ("en", "id"):
        with open(LOCALES / lang / "explainer.toml", "rb") as handle:
            keys[lang] = set(_flatten(tomllib.load(handle)["explainer"]))
    assert keys["en"] == keys["id"]


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat
