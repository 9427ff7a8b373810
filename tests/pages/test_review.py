"""The quarter review page through AppTest, on the fixture company: it opens in both languages and its
picker writes the link (what it shows is tested on its view model, tests/views/test_review.py)."""

import pytest

from okrdash.i18n import translate
from okrdash.store import open_store
from tests.fixtures.company import AS_OF, CYCLE, PREVIOUS, load_graded

PAGE = "pages/review.py"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_review_opens_in_both_languages(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=CYCLE, lang=lang)
    assert not app.exception and not app.warning
    assert app.title[0].value.endswith(translate("review.title", lang))
    assert {m.label: m.value for m in app.metric}[translate("review.key_results", lang)] == "10"
    assert len(app.get("vega_lite_chart")) == 2
    assert len(app.get("download_button")) == 2 * len(app.dataframe)
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
        assert not app.dataframe


@pytest.mark.parametrize("lang", ["en", "id"])
def test_grades_read_by_type_and_the_teams_to_raise_their_ambition(company_db, make_app, lang):
    store = open_store(company_db)
    try:
        load_graded(store)
    finally:
        store.close()
    app = make_app(company_db, page=PAGE, as_of=AS_OF.isoformat(), cycle=PREVIOUS, lang=lang)
    assert not app.exception and not app.warning
    tables = [frame.value for frame in app.dataframe]
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
