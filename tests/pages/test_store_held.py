"""The app on a database file another process holds (started with ``streamlit run``, or the lock was
taken before the first visit): every page says which process holds it and what to do, in the chosen
language, instead of Streamlit's error page; once the file is free, a reload shows the app."""

from __future__ import annotations

import pytest

from okrdash.store import close_shared_store, open_store
from okrdash.markdown import plain
from tests.pages.test_upload import PAGE
from tests.test_reliability import Child


@pytest.fixture
def holder(demo_db):
    child = Child("hold_store.py", demo_db)
    child.wait_for("ready")
    yield child
    if child.process.poll() is None:
        child.process.stdin.close()
        child.process.wait(timeout=60)
    child.stop()


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["is held by another process", "stop that process", "reload this page"]),
    ("id", ["sedang dipegang proses lain", "hentikan proses itu", "muat ulang halaman ini"]),
])
def test_every_page_names_the_process_holding_the_database(demo_db, make_app, holder, lang, words):
    for page in (None, PAGE, "pages/team.py"):
        app = make_app(demo_db, page=page, lang=lang)
        assert not app.exception
        (error,) = app.error
        assert f"PID {holder.process.pid}" in error.value
        assert plain("hold_store.py") in error.value  # the holder's command line, inert for Markdown
        for word in words:
            assert word in error.value
        assert not app.sidebar.selectbox  # nothing of the app is drawn on a database it cannot open
    close_shared_store(demo_db)


def test_a_reload_after_the_holder_stops_shows_the_app(demo_db, make_app, holder):
    assert make_app(demo_db).error
    holder.process.stdin.close()
    assert holder.process.wait(timeout=60) == 0
    app = make_app(demo_db)
    assert not app.exception and not app.error
    assert app.sidebar.selectbox  # the cycle picker: the app is back
    close_shared_store(demo_db)
    open_store(demo_db).close()
