"""The quarter review page through AppTest, on the fixture company: it opens in both languages and its
picker writes the link (what it shows is tested on its view model, tests/views/test_review.py)."""

import pytest

from okrdash.i18n import translate
from okrdash.store import open_store
from tests.fixtures.company import AS_OF, CYCLE, PREVIOUS, load_graded
from tests.pages.conftest import tables
from tests.helpers.html_tables import drawn_images, shown_tables

PAGE = "pages/review.py"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_review_opens_in_both_languages(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=CYCLE, lang=lang)
    assert not app.exception and not app.warning
    assert app.title[0].value.endswith(translate("review.title", lang))
    assert {m.label: m.value for m in app.metric}[translate("review.key_results", lang)] == "10"
    assert len(drawn_images(app)) == 2 and not app.get("vega_lite_chart")
    assert len(app.get("download_button")) == 2 * tables(app)
    assert any(s.value == translate("review.raise_ambition_none", lang) for s in app.success)
    assert "team=" not in app.code[0].value


def test_picking_a_team_writes_the_link(company_db, make_app):
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=PREVIOUS, lang="id")
    app.selectbox(key="team").set_value("Sales").run()
    assert not app.exception
    assert app.query_params["team"] == "Sales" and "team=Sales" in app.code[0].value
    assert any("nilai akhir" in c.value for c in app.caption)


def test_unknown_team_in_the_link_is_reported_escaped(company_db, make_app):
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=CYCLE, team="[click](http://evil.example)")
    assert not app.exception
    assert any("\\[click\\]\\(http" in w.value for w in app.warning)
    assert app.selectbox(key="team").value is None and "team" not in app.query_params


def test_review_on_an_empty_database_explains_what_to_do(empty_db, make_app):
    for lang in ("en", "id"):
        app = make_app(empty_db, page=PAGE, lang=lang)
        assert not app.exception
        assert any(translate("common.empty_title", lang) in i.value for i in app.info)
        assert not shown_tables(app)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_grades_read_by_type_and_the_teams_to_raise_their_ambition(company_db, make_app, lang):
    store = open_store(company_db)
    try:
        load_graded(store)
    finally:
        store.close()
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=PREVIOUS, lang=lang)
    assert not app.exception and not app.warning
    tables = [frame for frame in shown_tables(app)]
    band, flags = translate("review.band", lang), translate("review.flags", lang)
    objectives = next(t for t in tables if flags in t and band in t)
    rows = objectives.set_index(translate("common.objective", lang))
    assert rows.loc["Open the new warehouse", [band, flags]].tolist() == [
        translate("review.band_missed", lang), translate("review.flag_postmortem", lang)]
    assert rows.loc["Halve returns", band] == translate("review.band_green", lang, grade_green_from=0.7)
    # The raise-ambition section lists Support (its aspirational objectives average 1.0), not Ops (0.85).
    ambition = next(t for t in tables if translate("review.aspirational_mean_grade", lang) in t and flags not in t)
    assert list(ambition[translate("common.team", lang)]) == ["Support"]
    assert all(translate("common.owner", lang) not in t for t in tables)  # grades are never per person


@pytest.mark.parametrize(("lang", "carried"), [("en", "carried into 2026-Q4"), ("id", "dilanjutkan ke 2026-Q4")])
def test_an_editor_carries_an_unfinished_aspirational_objective_from_the_review(company_db, make_app, lang, carried):
    store = open_store(company_db)
    try:
        load_graded(store)
    finally:
        store.close()
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=PREVIOUS, team="Ops", lang=lang)
    assert not app.exception
    chosen = app.multiselect(key="carry_chosen")
    assert [o.replace("\\", "") for o in chosen.options] == ["Ops · Halve returns (0" + (",7)" if lang == "id" else ".7)")]
    assert app.button(key="carry_button").disabled  # nothing chosen yet
    store = open_store(company_db)
    try:
        with store.cursor() as cur:
            (halve,) = cur.execute("SELECT id FROM objectives WHERE title = 'Halve returns'").fetchone()
    finally:
        store.close()
    chosen.set_value([halve]).run()
    app.button(key="carry_button").click().run()
    assert not app.exception and not app.error
    assert any(carried in s.value.replace("\\", "") for s in app.success)
    store = open_store(company_db)
    try:
        objectives, key_results = store.team_okrs(CYCLE, "Ops")
        assert list(objectives["title"]) == ["Halve returns"] and list(objectives["type"]) == ["aspirational"]
        assert (key_results.iloc[0]["title"], key_results.iloc[0]["baseline"]) == ("Fix 10 packaging faults", 7.0)
        assert store.batches()[0].file_name == "carry-forward"
    finally:
        store.close()


def test_a_viewer_is_offered_nothing_to_carry(company_db, make_app, as_person):
    from okrdash.access import Access, Role

    store = open_store(company_db)
    try:
        load_graded(store)
    finally:
        store.close()
    as_person(Access(role=Role.VIEWER, who="tamu@contoh.co.id", mode="oidc"))
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=PREVIOUS, team="Ops")
    assert not app.exception and not [m for m in app.multiselect if m.key == "carry_chosen"]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_each_tables_downloads_sit_in_one_popover(company_db, make_app, lang):
    """Issue 27: a browser draws a popover's contents only once it is opened, so a table's two
    downloads cost the page's first draw one element, not three."""
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=CYCLE, lang=lang)
    popovers = [block for block in app.get("popover") if block.proto.popover.label.endswith(
        translate("common.download", lang))]
    assert len(popovers) == tables(app) > 1
    words = [f"⬇️ {translate(f'common.download_{kind}', lang)}" for kind in ("csv", "xlsx")]
    assert all([button.label for button in popover.get("download_button")] == words for popover in popovers)
    assert len(app.get("download_button")) == 2 * len(popovers)
