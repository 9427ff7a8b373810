"""The OKR vs KPI page through AppTest: the comparison, the two worked cases on the real rules,
the examples filtered from the link and loaded as drafts, in both languages."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from okrdash import examples
from okrdash.coach import CHECKS
from okrdash.i18n import translate
from okrdash.store import open_store
from tests.pages.conftest import AS_OF, CYCLE

PAGE = "pages/explainer.py"
LOCALES = Path(__file__).resolve().parents[2] / "okrdash" / "locales"
ASPECTS = ("purpose", "nature", "structure", "approach", "time", "flexibility", "fit", "judged", "bonus")


def metric(app, label_key: str, lang: str = "en") -> str:
    label = translate(f"explainer.{label_key}", lang)
    found = [m.value for m in app.metric if m.label == label]
    assert len(found) == 1, (label, [m.label for m in app.metric])
    return found[0]


def kpi_examples_table(app):
    tables = [d.value for d in app.dataframe if "Target from the guide" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def counts(db: Path) -> dict[str, int]:
    store = open_store(db)
    try:
        return store.table_counts()
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_renders_with_the_comparison_in_both_languages(demo_db, make_app, lang):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, lang=lang)
    assert not app.exception
    assert app.title[0].value.endswith("OKR vs KPI")
    assert app.subheader[0].value == translate("explainer.subtitle", lang)
    table = app.table[0].value
    aspect_column = translate("explainer.aspect_column", lang)
    assert {translate(f"explainer.aspect.{a}", lang) for a in ASPECTS} <= set(table[aspect_column])
    assert list(table.columns)[1:] == [translate("explainer.kpi_column", lang), translate("explainer.okr_column", lang)]
    text = " ".join(m.value for m in app.markdown)
    # The car picture, the good practice tied to every coach check, and the history.
    assert translate("explainer.analogy", lang) in text
    # Each check by its translated name: an internal code such as objective_has_number never shows.
    assert all(f"**{translate(f'coach.{check}.name', lang)}**" in text for check in CHECKS)
    assert not any(check in text for check in CHECKS)
    assert "Drucker" in text and "Grove" in text and "1999" in text
    assert metric(app, "reply_kpi_status", lang).endswith(translate("status.Off Track", lang))
    if lang == "id":
        assert "Dua alat yang menjawab pertanyaan berbeda" in app.subheader[0].value
        assert "pom bensin" in text and "Tujuan" in set(table[aspect_column])
        assert metric(app, "reply_kr_progress", lang) == "44%"
    assert "lang=" + lang in app.code[-1].value


def test_renders_on_an_empty_database(empty_db, make_app):
    for lang in ("en", "id"):
        app = make_app(empty_db, page=PAGE, lang=lang)
        assert not app.exception
        assert app.title[0].value.endswith("OKR vs KPI")
        assert len(app.table) == 1
        assert app.button(key="ex_load_button") is not None  # loading works without teams too


def test_reply_time_kpi_and_its_key_result(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    assert metric(app, "reply_kpi_status") == "🔴 Off Track"           # 48 against 30 or less
    assert any("48 minutes against a target of 30 minutes" in m.value for m in app.markdown)
    assert metric(app, "reply_kr_progress") == "44%"                   # 48 -> 30, now 40
    assert metric(app, "reply_kr_status") == "🟢 On Track"

    app.number_input(key="ex_reply_kpi").set_value(25).run()
    assert not app.exception
    assert metric(app, "reply_kpi_status") == "🟢 On Track"
    app.number_input(key="ex_reply_kr").set_value(30).run()
    assert metric(app, "reply_kr_progress") == "100%"
    assert metric(app, "reply_kr_status") == "🔵 Complete"
    app.number_input(key="ex_reply_kpi").set_value(48).run()
    assert metric(app, "reply_kpi_status") == "🔴 Off Track"


def test_nps_kpi_becomes_an_okr_below_target(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    assert metric(app, "nps_kpi_status") == "🔴 Off Track"             # 4 against 10 or more
    text = " ".join(m.value for m in app.markdown)
    assert "Improve the customer experience" in text
    assert "Raise Net Promoter Score \\(NPS\\) from 4 to 10 points" in text
    assert metric(app, "nps_kr_progress") == "50%"                     # 4 -> 10, now 7

    app.number_input(key="ex_nps_kr").set_value(10).run()
    assert metric(app, "nps_kr_status") == "🔵 Complete"
    app.number_input(key="ex_nps_kpi").set_value(10).run()
    assert not app.exception
    assert metric(app, "nps_kpi_status") == "🟢 On Track"
    assert not [m for m in app.metric if m.label == translate("explainer.nps_kr_progress", "en")]
    assert app.success and app.success[0].value == translate("explainer.kpi_fine", "en")


def test_example_filters_come_from_the_link(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, ex_category="sales", ex_team="marketing",
                   ex_role="hr_officer", ex_type="bogus")
    assert not app.exception
    assert app.selectbox(key="ex_category").value == "sales"
    table = kpi_examples_table(app)
    assert set(table["Category"]) == {"Sales"}
    assert len(table) == len(examples.kpi_examples(category="sales"))
    text = " ".join(m.value for m in app.markdown)
    assert "Strengthen brand visibility and organic growth" in text         # a marketing OKR
    assert "Sell more efficiently" not in text                              # not a sales one
    assert "Improve how we hire and keep our people" in text                # the HR officer's OKR
    assert "Grow our sales performance" not in text                         # not the sales executive's
    assert any("ex_type" in w.value for w in app.warning)                   # the unknown type is reported
    share = app.code[-1].value
    assert "ex_category=sales" in share and "ex_team=marketing" in share and "ex_type" not in share


def test_load_an_example_into_a_team(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE)
    before = counts(demo_db)
    app.radio(key="ex_load_kind").set_value("okr")
    app.selectbox(key="ex_load_team").set_value("Sales")
    app.run()
    app.selectbox(key="ex_load_okr").set_value("sales.outbound_engine")
    app.button(key="ex_load_button").click().run()
    assert not app.exception and not app.error
    assert app.success[-1].value == "Loaded into Sales: 4 rows added, 0 updated."
    after = counts(demo_db)
    assert after["objectives"] == before["objectives"] + 1
    assert after["key_results"] == before["key_results"] + 3

    # A KPI for a new team, in Indonesian.
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, lang="id")
    app.radio(key="ex_load_kind").set_value("kpi").run()
    app.selectbox(key="ex_load_kpi").set_value("service.nps")
    app.text_input(key="ex_load_new_team").input("Tim Baru")
    app.button(key="ex_load_button").click().run()
    assert not app.exception and not app.error
    assert app.success[-1].value.startswith("Dimuat ke Tim Baru")
    assert counts(demo_db)["kpis"] == after["kpis"] + 1


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
