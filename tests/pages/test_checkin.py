"""The weekly check-in page through AppTest, on the fixture company: it opens in both languages,
saves what was typed as one batch, names a problem's key result and writes nothing then (what it
shows is tested on its view model, tests/views/test_checkin.py)."""

from __future__ import annotations

import re

import pytest

from okrdash.access import Access, Role
from okrdash.i18n import translate
from okrdash.store import open_store
from tests.fixtures.company import AS_OF, CYCLE
from tests.pages.conftest import open_page

PAGE = "pages/checkin.py"
PINNED = {"as_of": AS_OF.isoformat(), "cycle": CYCLE}


def key_result_ids(db) -> dict[str, int]:
    store = open_store(db)
    try:
        frame = store.kr_scores(AS_OF, cycle=CYCLE)
        return {str(title): int(i) for title, i in zip(frame["title"], frame["key_result_id"])}
    finally:
        store.close()


def batches(db) -> list[str]:
    store = open_store(db)
    try:
        return [batch.file_name for batch in store.batches()]
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_weekly_check_in_opens_in_both_languages(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, owner="Sari", lang=lang, **PINNED)
    assert not app.exception and not app.warning
    assert app.title[0].value.endswith(translate("checkin.title", lang))
    assert app.selectbox(key="owner").value == "Sari"
    assert [b.label for b in app.button if b.key == "weekly_save"] == [f"💾 {translate('checkin.save', lang)}"]
    assert any(translate("checkin.complete", lang, count=1) in e.label for e in app.expander)
    assert "owner=Sari" in app.code[0].value


def test_typed_values_are_read_live_and_saved_as_one_batch(company_db, make_app):
    ids = key_result_ids(company_db)
    app = make_app(company_db, page=PAGE, owner="Dewi", lang="id", **PINNED)
    cut, answer = ids["Cut the sales cycle from 60 to 40 days"], ids["Answer at least 95% of tickets in a day"]
    app.text_input(key=f"weekly_{cut}_value").input("55,5").run()
    assert any(c.value == "Dibaca sebagai 55,5" for c in app.caption)
    app.text_input(key=f"weekly_{cut}_note").input("Dua akun lagi")
    app.text_input(key=f"weekly_{answer}_value").input("97")
    app.button(key="weekly_save").click().run()
    assert not app.exception and not app.error
    assert any("2 check-in tersimpan sebagai satu batch" in s.value for s in app.success)
    assert batches(company_db).count("weekly check-in") == 1
    # The fields are empty again, and the new values are beside them.
    assert app.text_input(key=f"weekly_{cut}_value").value in (None, "")
    assert any("Check-in terakhir: 55,5 hari pada 20 Nov 2026 · «Dua akun lagi»" in c.value for c in app.caption)


def test_a_problem_names_its_key_result_and_nothing_is_written(company_db, make_app):
    ids = key_result_ids(company_db)
    app = make_app(company_db, page=PAGE, owner="Dewi", **PINNED)
    before = batches(company_db)
    app.text_input(key=f"weekly_{ids['Cut the sales cycle from 60 to 40 days']}_value").input("50")
    app.text_input(key=f"weekly_{ids['Keep monthly churn at most 2%']}_confidence").input("very sure")
    app.button(key="weekly_save").click().run()
    assert not app.exception
    (error,) = app.error
    assert "Nothing was saved" in error.value and "**Keep monthly churn at most 2%** · Confidence «very sure»" \
        in error.value
    assert batches(company_db) == before


def test_an_editor_of_another_team_sees_that_key_result_without_fields(company_db, make_app, as_person):
    as_person(Access(role=Role.EDITOR, who="budi@contoh.co.id", teams=frozenset({"Sales"}), mode="oidc"))
    ids = key_result_ids(company_db)
    app = make_app(company_db, page=PAGE, owner="Dewi", **PINNED)
    assert not app.exception
    keys = {t.key for t in app.text_input}
    assert f"weekly_{ids['Cut the sales cycle from 60 to 40 days']}_value" in keys
    assert f"weekly_{ids['Answer at least 95% of tickets in a day']}_value" not in keys


def sidebar_links(app) -> list[tuple[str, str]]:
    return [(link.proto.label, link.proto.page) for link in app.sidebar.get("page_link")]


def test_the_sidebar_says_how_many_check_ins_the_owner_chosen_owes_and_links_to_them(company_db, make_app,
                                                                                     through_app_py):
    # In local mode, the owner picked on My key results (app.py draws the sidebar after the page).
    app = open_page(make_app, company_db, "pages/my_key_results.py", **PINNED)
    assert not [link for link in sidebar_links(app) if "owed" in link[0]]
    app.selectbox(key="owner").set_value("Dewi").run()
    assert not app.exception
    (label, page), = [link for link in sidebar_links(app) if "owed" in link[0]]
    assert label == "1 check-in(s) owed this week" and page.startswith("checkin")


def test_signed_in_the_sidebar_counts_my_own_and_the_overview_shows_the_week_s_rate(company_db, make_app, as_person):
    as_person(Access(role=Role.EDITOR, who="rina@contoh.co.id", teams=frozenset({"Company"}), mode="oidc"))
    app = make_app(company_db, lang="id", **PINNED)
    assert not app.exception
    assert [label for label, _ in sidebar_links(app) if "minggu ini" in label] == [
        "2 check-in belum dilakukan minggu ini"]
    assert "Check-in minggu ini" in [s.value for s in app.subheader]
    # A row per team: drawn as an HTML table (widgets.small_table).
    rates = next(html.proto.body for html in app.get("html") if "Tingkat check-in" in html.proto.body)
    assert re.findall(r'<td class="num">(\d+%)</td>', rates) == ["0%", "50%", "50%"]
