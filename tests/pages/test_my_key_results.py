"""My key results through AppTest, on the fixture company: it opens in both languages and its picker
writes the link (what it shows is tested on its view model, tests/views/test_my_key_results.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash import readmodels
from okrdash.access import Access, Role
from okrdash.i18n import translate
from tests.fixtures.company import AS_OF, CYCLE
from tests.helpers.html_tables import shown_tables

PAGE = "pages/my_key_results.py"
PINNED = {"as_of": AS_OF.isoformat(), "cycle": CYCLE}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_my_key_results_open_in_both_languages(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, owner="Dewi", lang=lang, **PINNED)
    assert not app.exception and not app.warning
    assert app.title[0].value.endswith(translate("my.title", lang))
    assert app.selectbox(key="owner").value == "Dewi"
    assert len(shown_tables(app)[0]) == 3
    assert any(translate("forms.checkin_title", lang) in e.label for e in app.expander)  # local mode may check in
    assert "owner=Dewi" in app.code[0].value


def test_picking_an_owner_writes_the_link(company_db, make_app):
    app = make_app(company_db, page=PAGE, **PINNED)
    assert any(i.value.startswith("Pick whose key results") for i in app.info)
    app.selectbox(key="owner").set_value("Sari").run()
    assert not app.exception and app.query_params["owner"] == "Sari"
    assert len(shown_tables(app)[0]) == 3


def test_signed_in_person_opens_on_their_own(company_db, make_app, as_person):
    as_person(Access(role=Role.EDITOR, who="sari@contoh.co.id", teams=frozenset({"Support"}), mode="oidc"))
    app = make_app(company_db, page=PAGE, **PINNED)
    assert not app.exception
    assert app.selectbox(key="owner").value == "Sari"


def test_unknown_owner_in_the_link_is_reported(company_db, make_app):
    app = make_app(company_db, page=PAGE, owner="Ghost", lang="id", **PINNED)
    assert not app.exception
    assert any("Ghost" in w.value for w in app.warning) and "owner" not in app.query_params


def test_owner_of_matches_the_address_or_its_local_part():
    owners = ["Rizky", "maya@contoh.co.id", "Dewi"]
    assert readmodels.owner_of("Maya@Contoh.co.id", owners) == "maya@contoh.co.id"
    assert readmodels.owner_of("rizky@contoh.co.id", owners) == "Rizky"
    assert readmodels.owner_of("someone@contoh.co.id", owners) is None
    assert readmodels.owner_of(None, owners) is None
    assert readmodels.week_start(dt.date(2026, 11, 22)) == dt.date(2026, 11, 16)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_stale_key_result_is_marked_beside_its_status(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, owner="Dewi", lang=lang, **PINNED)
    assert not app.exception
    statuses = list(shown_tables(app)[0][translate("common.status", lang)])
    assert [cell.endswith(f"🕒 {translate('common.stale', lang)}") for cell in statuses] == [True, False, False]
