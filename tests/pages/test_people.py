"""The People page through AppTest (issue 25): it opens for an admin in both languages on the fixture
company, tells anyone else it is for admins, and says how to add people when there are none (what it
shows is tested on its view model, tests/views/test_people.py)."""

from __future__ import annotations

import pytest

from okrdash.access import Access, Role
from okrdash.i18n import translate
from tests.fixtures.company import AS_OF, CYCLE

PAGE = "pages/people.py"
PINNED = {"as_of": AS_OF.isoformat(), "cycle": CYCLE}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_people_page_opens_for_an_admin_in_both_languages(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, lang=lang, **PINNED)  # local mode with the link's key: an admin
    assert not app.exception
    assert app.title[0].value.endswith(translate("people.title", lang))
    assert translate("people.empty", lang) in [i.value for i in app.info]
    assert [s.value for s in app.subheader] == [translate(f"people.{k}", lang)
                                                for k in ("people_list", "unknown_title", "ambiguous_title")]
    assert any(b.key == "people_editor_save" for b in app.button)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_anyone_else_is_told_it_is_for_admins(company_db, make_app, as_person, role):
    as_person(Access(role=role, who="andi@contoh.co.id"))
    app = make_app(company_db, page=PAGE, lang="id", **PINNED)
    assert not app.exception
    assert [i.value for i in app.info] == [translate("people.admins_only", "id")]
    assert not app.get("arrow_data_frame") and not any(b.key == "people_editor_save" for b in app.button)
