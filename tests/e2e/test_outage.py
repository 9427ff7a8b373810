"""PostgreSQL stops under a running ``okrdash serve`` (issue 22, finding 5), in Chromium: a page
loaded meanwhile is the outage page in the reader's language (nothing was changed, the time of the
next try), not Streamlit's error; once PostgreSQL is started again the same tab shows its page by
itself, with no reload and no click (the outage page's retry timer)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from okrdash import demo
from okrdash.i18n import translate
from okrdash.store import open_store
from tests.e2e.conftest import AS_OF, CYCLE, StreamlitServer, screenshot
from tests.e2e.test_proxy import LOADED_MACHINE_MS
from tests.e2e.test_local_token import _open

# The retry runs every few seconds; a reconnect and the page's first draw on a loaded machine take longer.
COMES_BACK_MS = 120_000


def test_a_tab_shows_the_outage_page_then_its_page_again_by_itself(
        pg_server_to_stop, start_server: Callable[..., StreamlitServer], page, request: pytest.FixtureRequest) -> None:
    lang = "id"
    url = pg_server_to_stop.new_database()
    store = open_store(url)
    demo.load_demo(store, anchor=demo.DEMO_ANCHOR)
    store.close()
    server = start_server(url, warm=False)
    link = f"{server.url}/team?team=Engineering&lang={lang}&as_of={AS_OF}&cycle={CYCLE}"
    title = page.locator('[data-testid="stMain"] h1')
    _open(page, link)
    expect(title).to_contain_text(translate("team.title", lang))

    pg_server_to_stop.stop_serving()
    try:
        _open(page, link)
        expect(title).to_have_text(translate("store.outage_title", lang), timeout=LOADED_MACHINE_MS)
        alert = page.locator('[data-testid="stAlertContentError"]')
        expect(alert).to_contain_text("Tidak ada yang diubah")
        expect(alert).to_contain_text("Mencoba lagi pukul")
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        screenshot(page, request)
    finally:
        pg_server_to_stop.start_serving()
    # While the page's first run after the outage draws, Streamlit keeps the outage page's elements
    # until the run ends: the team's heading comes, then the outage's goes.
    expect(title.filter(has_text=translate("team.title", lang))).to_be_visible(timeout=COMES_BACK_MS)
    expect(title.filter(has_text=translate("store.outage_title", lang))).to_have_count(0, timeout=LOADED_MACHINE_MS)
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("Keep the platform fast and reliable")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert "team=Engineering" in page.url  # the same view the link asked for
