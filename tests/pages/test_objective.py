"""The objective page through AppTest, on the fixture company: it opens in both languages and its pickers
write the link (what it shows is tested on its view model, tests/views/test_objective.py)."""

import pytest

from okrdash.i18n import translate
from okrdash.store import open_store
from tests.fixtures import company as fixture
from tests.fixtures.company import AS_OF, CYCLE
from tests.helpers.html_tables import drawn_images
from tests.pages.conftest import tables

PAGE = "pages/objective.py"
PINNED = {"as_of": AS_OF.isoformat(), "cycle": CYCLE}


def objective_ids(db) -> dict[str, int]:
    store = open_store(db)
    try:
        return {title: fixture.objective_id(store, team, title) for team, title in (
            ("Sales", "Win new accounts"), ("Sales", "Keep our customers"), ("Support", "Delight customers"))}
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_objective_page_opens_in_both_languages(company_db, make_app, lang):
    objective_id = objective_ids(company_db)["Win new accounts"]
    app = make_app(company_db, page=PAGE, objective=str(objective_id), lang=lang, **PINNED)
    assert not app.exception and not app.warning
    assert app.title[0].value.endswith(translate("objective.title", lang))
    assert app.header[0].value == "Win new accounts"
    assert app.selectbox(key="objective_picker").value == objective_id
    assert app.selectbox(key="objective_team").value == "Sales"
    # A burn-up chart per key result, drawn as an image (Vega only when switched on); the progress of
    # the objective and of its key results is static HTML.
    assert len(drawn_images(app)) == 3 and not app.get("vega_lite_chart")
    bars = [element.proto.body for element in app.get("html") if "okr-progress" in element.proto.body]
    assert [bar.count('role="progressbar"') for bar in bars] == [1, 3]
    assert len(app.get("download_button")) == 2 * tables(app)  # CSV and Excel of every table
    assert f"objective={objective_id}" in app.code[0].value


def test_picking_another_objective_or_team_writes_the_link(company_db, make_app):
    ids = objective_ids(company_db)
    app = make_app(company_db, page=PAGE, objective=str(ids["Win new accounts"]), **PINNED)
    app.selectbox(key="objective_picker").set_value(ids["Keep our customers"]).run()
    assert not app.exception
    assert app.query_params["objective"] == str(ids["Keep our customers"])
    assert app.header[0].value == "Keep our customers"
    app.selectbox(key="objective_team").set_value("Support").run()
    assert not app.exception
    assert app.query_params["team"] == "Support" and "objective" not in app.query_params
    assert app.selectbox(key="objective_picker").options == ["Delight customers", "Cut reply time"]
    assert not app.header and "team=Support" in app.code[0].value


def test_key_result_linked_to_a_kpi_points_to_the_kpi_page(company_db, make_app):
    store = open_store(company_db)
    try:
        objective_id = fixture.objective_id(store, "Support", "Cut reply time")
    finally:
        store.close()
    app = make_app(company_db, page=PAGE, objective=str(objective_id), **PINNED)
    kpi_links = [p for p in app.page_link if p.proto.page == "kpis"]
    assert [link.label for link in kpi_links] == ["The values come from KPI Average reply time"]
    assert "kpi=" in kpi_links[0].proto.query_string


@pytest.mark.parametrize("value", ["abc", "99999"])
def test_bad_or_removed_objective_id_warns_and_offers_the_picker(company_db, make_app, value):
    app = make_app(company_db, page=PAGE, objective=value, lang="id", **PINNED)
    assert not app.exception
    assert any(value in w.value for w in app.warning) and "objective" not in app.query_params
    assert app.selectbox(key="objective_picker").value is None
    assert app.selectbox(key="objective_picker").options == ["Grow revenue"] and not app.header


def test_objective_page_on_empty_database_explains_what_to_do(empty_db, make_app):
    app = make_app(empty_db, page=PAGE, objective="1")
    assert not app.exception
    assert any("Nothing here yet" in i.value for i in app.info)


def test_a_key_result_cards_title_status_and_figures_are_one_markdown_element(company_db, make_app):
    """Issue 27: every element is a delta and a React subtree a fresh tab draws before its content;
    a key result card's static texts are one Markdown element (its status still a badge)."""
    objective_id = objective_ids(company_db)["Win new accounts"]
    app = make_app(company_db, page=PAGE, objective=str(objective_id), **PINNED)
    headed = [m.value for m in app.markdown if m.value.startswith("#### ")]
    assert len(headed) == 3
    for value in headed:
        title, badge, meta = value.split("\n\n")
        assert "-badge[" in badge and "-badge[" not in title + meta and meta
