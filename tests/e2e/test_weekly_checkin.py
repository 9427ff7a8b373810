"""The weekly check-in in a real browser on a phone (390 px): the link a reminder sends opens one
screen with every key result the owner has; two new values typed in Indonesian are read as typed,
saved with one click as one batch, and stored as meant. The page never scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from okrdash.store import open_store
from tests.e2e.conftest import AS_OF, CYCLE, open_app, screenshot, wait_idle

OWNER = "Wulan"  # five open key results of Customer Success and a complete milestone in the demo company
COMPLAINTS = "Cut customer complaints by 15% from last quarter"
RESPONSE_TIME = "Cut average response time to customer questions by 25%"



def latest(db: Path, title: str) -> tuple[float, str | None, str]:
    """The key result's latest check-in: value, note and the name of its batch."""
    store = open_store(db)
    try:
        with store.cursor() as cur:
            return cur.execute(
                """SELECT c.value, c.note, b.file_name FROM checkins c JOIN key_results k ON k.id = c.key_result_id
                   JOIN batches b ON b.id = c.batch_id WHERE k.title = ? ORDER BY c.date DESC, c.seq DESC LIMIT 1""",
                [title]).fetchone()
    finally:
        store.close()


def card(page: Page, title: str):
    """The bordered card of one key result (ui/weekly.py keys each ``weekly_card_<id>``)."""
    return page.locator('[data-testid="stMain"] [class*="st-key-weekly_card_"]').filter(has_text=title)


def test_a_weekly_check_in_on_a_phone_in_indonesian(page: Page, server, request: pytest.FixtureRequest) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, server.url, f"/checkin?lang=id&owner={OWNER}&as_of={AS_OF}&cycle={CYCLE}")
    expect(page.locator('[data-testid="stMain"] h1').filter(has_text="Check-in mingguan")).to_be_visible()
    width = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert width <= 390, width
    for title, text in ((COMPLAINTS, "12,5"), (RESPONSE_TIME, "1.250")):
        field = card(page, title).get_by_label("Nilai baru", exact=False)
        field.click()
        field.press_sequentially(text, delay=30)
        field.press("Tab")
        wait_idle(page)
        expect(card(page, title).locator('[data-testid="stCaptionContainer"]')
               .filter(has_text=f"Dibaca sebagai {text}")).to_be_visible()
    card(page, COMPLAINTS).get_by_label("Catatan").fill("Dua keluhan <b>lebih sedikit</b>")
    card(page, COMPLAINTS).get_by_label("Catatan").press("Tab")
    wait_idle(page)
    page.get_by_role("button", name="Simpan check-in").click()
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="2 check-in tersimpan")) \
        .to_be_visible()
    # The new value is beside the key result at once, the note as text.
    expect(card(page, COMPLAINTS)).to_contain_text("12,5 complaints")
    expect(card(page, COMPLAINTS)).to_contain_text("«Dua keluhan <b>lebih sedikit</b>»")
    width = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert width <= 390, width
    screenshot(page, request)
    server.stop()
    assert latest(server.db, COMPLAINTS) == (12.5, "Dua keluhan <b>lebih sedikit</b>", "weekly check-in")
    assert latest(server.db, RESPONSE_TIME)[0] == 1250.0
