"""The People page in a real browser, in Indonesian (issue 25): an admin corrects a person's name in
the table, saves once, and the owner who was no known person leaves the list of unknown owners."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from okrdash.access import admin_writer
from okrdash.people import PeopleRows, Person, stored_people
from okrdash.store import open_store
from tests.e2e.conftest import AS_OF, CYCLE, open_app, screenshot, settled_box, type_over_cell, wait_idle

OWNER = "Wulan"  # owns key results of Customer Success in the demo company
ROW_PX = 35


@pytest.fixture
def server(start_server, demo_db_file: Path, tmp_path: Path):
    db = tmp_path / "okrdash.duckdb"
    shutil.copyfile(demo_db_file, db)
    store = open_store(db)
    try:  # Wulan's row spells her name wrong, so her key results match no person
        store.apply([PeopleRows(source="karyawan.xlsx", people=(
            Person(name="Wulann", email="wulan@contoh.co.id", language="id"),)).changes()],
            admin_writer("admin@contoh.co.id"))
    finally:
        store.close()
    started = start_server(db)
    yield started
    started.stop()


def unknown_owners(page: Page):
    """The unknown owners as the phone's cards (HTML; the wide screen's grid is a canvas)."""
    return page.locator('[class*="st-key-"][class*="people_unknown"] .okr-card')


def test_an_admin_corrects_a_name_and_the_owner_is_known(page: Page, server, request: pytest.FixtureRequest) -> None:
    open_app(page, server.url, f"/people?lang=id&as_of={AS_OF}&cycle={CYCLE}")
    expect(page.locator('[data-testid="stMain"] h1').filter(has_text="Orang")).to_be_visible()
    expect(page.get_by_text("Pemilik yang belum terdaftar sebagai orang")).to_be_visible()
    expect(unknown_owners(page).filter(has_text=OWNER)).not_to_have_count(0)
    grid = page.locator('.st-key-people_editor_table [data-testid="stDataFrame"]')
    canvas = grid.locator('canvas[data-testid="data-grid-canvas"]')
    box = settled_box(canvas)
    type_over_cell(page, box["x"] + 60, box["y"] + ROW_PX + ROW_PX / 2, OWNER)  # the first row's name
    page.get_by_role("button", name="Simpan daftar orang").click()
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Tersimpan sebagai batch")) \
        .to_be_visible()
    expect(unknown_owners(page).filter(has_text=OWNER)).to_have_count(0)
    page.set_viewport_size({"width": 390, "height": 844})
    wait_idle(page)
    expect(page.locator(".okr-card:visible").filter(has_text="wulan@contoh.co.id")).to_have_count(1)
    screenshot(page, request)
    server.stop()
    store = open_store(server.db)
    try:
        assert [(p.name, p.email) for p in stored_people(store)] == [(OWNER, "wulan@contoh.co.id")]
        assert store.batches()[0].file_name == "people editor"
    finally:
        store.close()
