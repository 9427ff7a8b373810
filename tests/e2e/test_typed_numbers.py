"""Numbers typed in a real browser are stored as the person meant them, in either language.

Issue 21: in Bahasa Indonesia, "6,5" typed into the check-in form's "Nilai baru" was stored as 65,
because Streamlit's number input turned the text into a number in the browser. Here Chromium types
"6,5" on an Indonesian page (and "6.5" on an English one) into the check-in form, the KPI measurement
form and the OKR editor's grid, sees the reading shown before it saves, saves, and the store (read
after the server stops) holds 6.5 each time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from okrdash.store import open_store
from okrdash.ui.editors import okr_editor_key
from tests.e2e.conftest import AS_OF, CYCLE, open_app, screenshot, settled_box, wait_idle

TEAM = "Engineering"
OBJECTIVE = "Keep the platform fast and reliable"
# A decrease key result in seconds and a KPI in hours: 6.5 and 65 both read as valid values.
LOAD_TIME = "Cut p95 page load time from 3.2 to 2.0 seconds"
MTTR_KPI_ID, MTTR_KPI = 17, "Mean time to resolution"
WORDS = {
    "id": {"check_in": "Check-in", "value": "Nilai baru", "save_check_in": "Simpan check-in",
           "measure": "Catat pengukuran", "save_measurement": "Simpan pengukuran", "edit": "Sunting OKR tim ini",
           "save_edit": "Simpan perubahan", "read_as": "Dibaca sebagai", "saved": "tersimpan",
           "seconds": "detik", "hours": "jam"},
    "en": {"check_in": "Check in", "value": "New value", "save_check_in": "Save check-in",
           "measure": "Record a measurement", "save_measurement": "Save measurement",
           "edit": "Edit this team's OKRs", "save_edit": "Save changes", "read_as": "Read as", "saved": "saved",
           "seconds": "seconds", "hours": "hours"},
}
# The OKR editor's key results grid: header and rows are 35 px; the load time key result is the
# team's eighth row (in the order they were stored), its baseline the fifth column.
ROW_PX, LOAD_TIME_ROW, BASELINE_COLUMN = 35, 7, 4



def stored(db: Path) -> dict[str, float]:
    """The load time key result's latest check-in and its baseline, and the MTTR KPI's latest measurement."""
    store = open_store(db)
    try:
        with store.cursor() as cur:
            (checkin,) = cur.execute(
                """SELECT c.value FROM checkins c JOIN key_results k ON k.id = c.key_result_id
                   WHERE k.title = ? ORDER BY c.date DESC, c.seq DESC LIMIT 1""", [LOAD_TIME]).fetchone()
            (baseline,) = cur.execute("SELECT baseline FROM key_results WHERE title = ?", [LOAD_TIME]).fetchone()
            (measurement,) = cur.execute(
                """SELECT m.value FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id
                   WHERE k.name = ? ORDER BY m.date DESC LIMIT 1""", [MTTR_KPI]).fetchone()
    finally:
        store.close()
    return {"check-in": checkin, "baseline": baseline, "measurement": measurement}


def expander(page: Page, title: str):
    """The main area's expanders whose title (after its icon) is ``title``."""
    return page.locator('[data-testid="stMain"] [data-testid="stExpander"]').filter(
        has=page.locator("summary").filter(has_text=re.compile(rf"{re.escape(title)}$")))


def type_number(page: Page, field, text: str, words: dict[str, str]) -> None:
    """Type ``text`` key by key into ``field``, as a person does, and wait for the reading under it."""
    field.click()
    field.press_sequentially(text, delay=50)
    field.press("Tab")  # the field commits (it also does after a pause in typing)
    wait_idle(page)
    expect(page.locator('[data-testid="stCaptionContainer"]').filter(has_text=f"{words['read_as']} {text}")) \
        .to_be_visible()


def check_in(page: Page, base: str, lang: str, text: str, words: dict[str, str]) -> None:
    open_app(page, base, f"/team?team={TEAM}&lang={lang}&as_of={AS_OF}&cycle={CYCLE}")
    headings = page.locator('[data-testid="stMain"] h4').all_inner_texts()
    index = next(i for i, heading in enumerate(headings) if OBJECTIVE in heading)
    form = expander(page, words["check_in"]).nth(index)
    form.locator("summary").click()
    wait_idle(page)  # opening it reruns the page, which draws the form
    form.locator('[data-testid="stSelectbox"]').click()
    page.get_by_role("option", name=LOAD_TIME).click()
    wait_idle(page)
    type_number(page, form.get_by_label(f"{words['value']} ({words['seconds']})"), text, words)
    form.get_by_role("button", name=words["save_check_in"]).click()
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=words["saved"])).to_be_visible()


def measure(page: Page, base: str, lang: str, text: str, words: dict[str, str]) -> None:
    open_app(page, base, f"/kpis?kpi={MTTR_KPI_ID}&lang={lang}&as_of={AS_OF}&cycle={CYCLE}")
    form = expander(page, words["measure"])
    form.locator("summary").click()
    wait_idle(page)  # opening it reruns the page, which draws the form
    type_number(page, form.get_by_label(f"{words['value']} ({words['hours']})"), text, words)
    form.get_by_role("button", name=words["save_measurement"]).click()
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=words["saved"])).to_be_visible()


def edit_baseline(page: Page, base: str, lang: str, text: str, words: dict[str, str]) -> None:
    open_app(page, base, f"/team?team={TEAM}&lang={lang}&as_of={AS_OF}&cycle={CYCLE}")
    page.get_by_text(words["edit"]).click()
    wait_idle(page)
    key = okr_editor_key(CYCLE, TEAM)
    grid = page.locator(f'.st-key-{key}_key_results [data-testid="stDataFrame"]')
    canvas = grid.locator('canvas[data-testid="data-grid-canvas"]')
    box = settled_box(canvas)
    # Select the load time row's first cell (its objective), move to its baseline, type over it, commit.
    page.mouse.click(box["x"] + 120, box["y"] + ROW_PX * (LOAD_TIME_ROW + 1) + ROW_PX / 2)
    for _ in range(BASELINE_COLUMN):
        page.keyboard.press("ArrowRight")
    page.keyboard.type(text, delay=50)
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.locator('[data-testid="stCaptionContainer"]').filter(has_text=f"«{text}»: {words['read_as']} {text}")) \
        .to_be_visible()
    page.get_by_role("button", name=words["save_edit"]).click()
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="batch")).to_be_visible()


@pytest.mark.parametrize(("lang", "typed"), [("id", "6,5"), ("en", "6.5")])
def test_six_and_a_half_typed_in_each_language_is_stored_as_six_and_a_half(page: Page, server, lang: str,
                                                                          typed: str,
                                                                          request: pytest.FixtureRequest) -> None:
    words = WORDS[lang]
    check_in(page, server.url, lang, typed, words)
    screenshot(page, request, suffix="check-in")
    measure(page, server.url, lang, typed, words)
    edit_baseline(page, server.url, lang, typed, words)
    screenshot(page, request)
    server.stop()
    assert stored(server.db) == {"check-in": 6.5, "baseline": 6.5, "measurement": 6.5}
