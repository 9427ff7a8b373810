"""Local mode (no sign-in configured) through AppTest: changing data needs the token of the link
``okrdash serve`` prints; any other visitor views, is told how to get editing, and the store
refuses its writes whatever the page does (issue 22, finding 2). The cookie that keeps the token
between page loads is ``okrdash serve``'s, tested in Chromium (tests/e2e/test_local_token.py).
"""

from __future__ import annotations

import pytest

from okrdash import checkins
from okrdash.access import LOCAL_VIEWER, local_token
from okrdash.i18n import translate
from okrdash.problems import ImportFailed
from okrdash.store import StoreError, open_store
from tests.pages.conftest import AS_OF, CYCLE, open_page
from tests.pages.test_forms import OBJECTIVE, TEAM, UPTIME
from tests.pages.test_upload import counts

UPLOAD = "pages/upload.py"
# Each page that offers a way to change data, with the link that shows it.
EDITING_PAGES = [(TEAM, {"team": "Engineering"}), (OBJECTIVE, {"objective": "25"}), ("pages/kpis.py", {}),
                 ("pages/my_key_results.py", {"owner": "Rizky"}), ("pages/checkin.py", {"owner": "Rizky"}), (UPLOAD, {})]


def _texts(app) -> list[str]:
    """Every string the page shows (and the share box's link)."""
    texts = [str(e.value) for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                                       "error", "success", "code") for e in getattr(app, kind)]
    return texts + [str(e.label) for e in app.expander]


def _editing_controls(app) -> list[str]:
    return ([e.label for e in app.expander if "Check in" in e.label or "Check-in" in e.label]
            + [b.label for b in app.get("form_submit_button")] + [str(u) for u in app.get("file_uploader")]
            + [b.key for b in app.button if b.key and ("import" in b.key or "undo" in b.key or "save" in b.key)]
            + [t.key for t in app.text_input if t.key and t.key.startswith("weekly_")])


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_visitor_without_the_token_views_and_is_told_how_to_get_editing(demo_db, make_app, through_app_py, lang):
    told = translate("auth.local_view_only_short", lang)
    for page, query in EDITING_PAGES:
        app = open_page(make_app, demo_db, page, editing_link=False, lang=lang, as_of=AS_OF, cycle=CYCLE, **query)
        assert not app.exception, page
        assert _editing_controls(app) == [], page
        # Once: app.py's sidebar asks who is here after the page has asked too.
        assert sum(told in c.value for c in app.sidebar.caption) == 1, page
    # The Upload page says it in full: where the link is, and that it changes at every start.
    assert any(translate("auth.local_view_only", lang) in i.value for i in app.info)
    assert ("open the link it printed" if lang == "en" else "buka tautan yang dicetaknya") in \
        translate("auth.local_view_only", lang)


def test_the_store_refuses_a_local_visitor_without_the_token(demo_db):
    before = counts(demo_db)
    store = open_store(demo_db)
    try:
        ref = checkins.KeyResultRef(CYCLE, "Engineering", "Keep the platform fast and reliable", UPTIME)
        with pytest.raises(ImportFailed) as failed:
            checkins.record_checkin(store, ref, 99.9, None, None, "forged", LOCAL_VIEWER, {})
        assert [p.code for p in failed.value.problems] == ["team_not_allowed"]
        with pytest.raises(StoreError) as refused:
            store.reset(LOCAL_VIEWER)
        assert refused.value.code == "reset_not_allowed"
        with pytest.raises(StoreError) as refused:
            store.undo(1, LOCAL_VIEWER)
        assert refused.value.code == "undo_not_allowed"
    finally:
        store.close()
    assert counts(demo_db) == before


def test_the_link_with_the_token_unlocks_editing_and_leaves_the_address(demo_db, make_app, through_app_py):
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering")
    assert not app.exception
    assert "token" not in app.query_params  # taken out of the address bar at once
    assert app.query_params["team"] == "Engineering"  # the rest of the link stays
    assert _editing_controls(app)
    assert sum(translate("auth.local_mode", "en") in c.value for c in app.sidebar.caption) == 1
    assert not any(local_token().value in text for text in _texts(app))  # nor in the share box


def test_behind_a_passphrase_each_page_offers_the_unlock_form_once(demo_db, make_app, through_app_py):
    """The page asks who is here, and so does app.py's sidebar after it: the unlock form (a keyed
    form) was drawn twice, which Streamlit refuses."""
    from okrdash.access import hash_passphrase

    for page, query in EDITING_PAGES:
        app = make_app(demo_db, editing_link=False, as_of=AS_OF, cycle=CYCLE, **query)
        app.secrets["okrdash"] = {"editor_passphrase": hash_passphrase("correct horse")}
        app = app.switch_page(page).run()
        assert not app.exception, (page, app.exception)
        assert [e.label for e in app.sidebar.expander].count(f"🔒 {translate('auth.unlock_title', 'en')}") == 1, page
    app.run()  # the next run of the session, with the token gone from its address: still editing
    assert _editing_controls(app)
    app.switch_page("pages/overview.py").run()  # a page without editing: the token goes all the same
    assert "token" not in app.query_params
    app = make_app(demo_db, page=OBJECTIVE, objective="25", as_of=AS_OF, cycle=CYCLE)
    assert _editing_controls(app)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_token_of_an_earlier_start_is_named_and_unlocks_nothing(demo_db, make_app, through_app_py, lang):
    old = "x" * 43
    app = make_app(demo_db, page=UPLOAD, editing_link=False, lang=lang, token=old)
    assert not app.exception
    assert "token" not in app.query_params
    assert any(translate("auth.wrong_token", lang) in w.value for w in app.warning)
    assert _editing_controls(app) == []
    assert not any(old in text for text in _texts(app))
