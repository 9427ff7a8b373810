"""A database server that cannot be reached (issue 22, finding 5): every page shows one clear page
in the reader's language (the database cannot be reached, nothing was changed, the time of the
next try) instead of Streamlit's error, and comes back by itself once the database answers.

The pages run through app.py as under ``okrdash serve`` (``through_app_py``). The outage is first
what PostgresStore raises before every read when its server is gone, on the demo file; then a
real PostgreSQL server of this module, stopped and started again. The retry's timer itself runs
in Chromium (tests/e2e/test_outage.py).
"""

from __future__ import annotations

import re

import pytest

from okrdash import demo, readmodels
from okrdash.i18n import translate
from okrdash.store import Store, StoreError, close_shared_store, open_store
from okrdash.store.file_store import DuckDBStore
from tests.pages.conftest import AS_OF, CYCLE, open_page
from tests.pages.test_forms import TEAM, submit, uptime_form
from tests.pages.test_upload import counts
from tests.helpers.html_tables import shown_tables

PAGES = [(None, {}), (TEAM, {"team": "Engineering"}), ("pages/objective.py", {"objective": "25"}),
         ("pages/my_key_results.py", {"owner": "Rizky"}), ("pages/kpis.py", {}), ("pages/review.py", {}),
         ("pages/upload.py", {}), ("pages/explainer.py", {})]
NOTHING_CHANGED = {"en": "Nothing was changed", "id": "Tidak ada yang diubah"}
# The time of the next try as the reader writes it (Babel's medium time): 2:05:09 PM / 14.05.09.
NEXT_TRY = {"en": r"Trying again at \d{1,2}:\d{2}:\d{2}\s[AP]M", "id": r"Mencoba lagi pukul \d{2}\.\d{2}\.\d{2}"}


def unreachable(self: Store, *args, **kwargs) -> None:
    """What PostgresStore raises before a read (or write) when its server is gone: here, from every cursor."""
    raise StoreError("store_unreachable", url="postgresql://okrdash@db.contoh.test/okrdash",
                     detail="connection refused")


def assert_outage_page(app, lang: str) -> None:
    assert not app.exception, [e.value for e in app.exception]
    assert [t.value for t in app.title] == [translate("store.outage_title", lang)]
    (error,) = app.error
    assert NOTHING_CHANGED[lang] in error.value and re.search(NEXT_TRY[lang], error.value), error.value
    # Nothing of the page it replaces, and no form's own message above it.
    assert not (shown_tables(app) or app.metric or app.expander or app.warning or app.success or app.info
                or app.get("form_submit_button") or app.get("vega_lite_chart")), app.main


def page_title(app) -> str:
    assert not app.exception, [e.value for e in app.exception]
    return app.title[0].value


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_page_shows_one_clear_page_while_the_database_cannot_be_reached(
        demo_db, make_app, through_app_py, monkeypatch, lang):
    for page, query in PAGES:
        app = open_page(make_app, demo_db, page, lang=lang, as_of=AS_OF, cycle=CYCLE, **query)
        shown, link = page_title(app), dict(app.query_params)
        with monkeypatch.context() as down:
            down.setattr(DuckDBStore, "cursor", unreachable)
            app.run()
            assert_outage_page(app, lang)
            assert dict(app.query_params) == link  # the link still asks for the same view
        app.run()  # the next try, the database back
        assert page_title(app) == shown, page


def test_a_page_that_loses_the_database_while_it_draws_shows_the_outage_page_only(
        demo_db, make_app, through_app_py, monkeypatch):
    for page, query in ((None, {}), (TEAM, {"team": "Engineering"})):
        app = open_page(make_app, demo_db, page, as_of=AS_OF, cycle=CYCLE, **query)
        shown = page_title(app)
        cycles = app.session_state["_okrdash_context"].cycles
        with monkeypatch.context() as down:
            # The sidebar still gets its cycles (read a moment before): the page's own reads fail.
            down.setattr(Store, "cycles", lambda self, known=cycles: known)
            down.setattr(readmodels, "pick_cycle", lambda store, name, as_of, known=cycles: known[-1])
            down.setattr(DuckDBStore, "cursor", unreachable)
            app.run()
            assert_outage_page(app, "en")
        assert page_title(app.run()) == shown


def test_a_check_in_saved_while_the_database_is_down_ends_on_the_outage_page(
        demo_db, make_app, through_app_py, monkeypatch):
    """The check-in form's own message was followed by Streamlit's error; now one page says it."""
    app = open_page(make_app, demo_db, TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering")
    key = uptime_form(app, demo_db)
    app.text_input(key=f"{key}_value").input("99.9")
    before = counts(demo_db)
    with monkeypatch.context() as down:
        down.setattr(DuckDBStore, "cursor", unreachable)
        submit(app, key)
        assert_outage_page(app, "en")
    assert counts(demo_db) == before
    app.run()  # back: the form says its check-in was not saved
    assert not app.exception and any("cannot be reached" in e.value for e in app.error)
    assert counts(demo_db) == before


def test_pages_come_back_when_postgresql_is_started_again(pg_server_to_stop, make_app, through_app_py, monkeypatch):
    url = pg_server_to_stop.new_database()
    store = open_store(url)
    demo.load_demo(store, anchor=demo.DEMO_ANCHOR)
    store.close()
    monkeypatch.setenv("OKRDASH_PG_POLL_SECONDS", "0")  # every read asks PostgreSQL
    try:
        apps = [open_page(make_app, url, page, as_of=AS_OF, cycle=CYCLE, **query) for page, query in PAGES]
        shown = [page_title(app) for app in apps]
        pg_server_to_stop.stop_serving()
        try:
            for app in apps:
                assert_outage_page(app.run(), "en")
            newcomer = open_page(make_app, url, TEAM, lang="id", as_of=AS_OF, cycle=CYCLE, team="Sales")
            assert_outage_page(newcomer, "id")
        finally:
            pg_server_to_stop.start_serving()
        assert [page_title(app.run()) for app in apps] == shown
        assert page_title(newcomer.run()) == f"👥 {translate('team.title', 'id')}"
    finally:
        close_shared_store(url)
