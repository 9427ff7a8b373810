"""The Upload page's mapping step in a real browser on a phone (390 px), issue 29: a KPI sheet with
no team column (in Indonesian) and a sheet with one column per metric (in English) are each
answered, previewed as the rows will be stored, and imported as one batch; the answers are saved,
and the same sheet uploaded again is read with them without asking. The page never scrolls sideways."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from okrdash.store import open_store
from tests.e2e.conftest import open_app, screenshot, wait_idle



def measurements(db: Path, team: str) -> list[tuple]:
    store = open_store(db)
    try:
        with store.cursor() as cur:
            return sorted(cur.execute(
                """SELECT k.name, m.date, m.value, b.file_name FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id
                   JOIN batches b ON b.id = m.batch_id WHERE k.team = ?""", [team]).fetchall())
    finally:
        store.close()


def upload(page: Page, path: Path) -> None:
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    if not uploader.count():
        uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploader.set_input_files(str(path))
    wait_idle(page)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert width <= 390, width


def answer(page: Page, label: str, text: str) -> None:
    field = page.locator(".st-key-mapping_step").get_by_label(label, exact=False)
    field.fill(text)
    field.press("Enter")
    wait_idle(page)


def import_it(page: Page, valid: str, imported: str) -> None:
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=valid)).to_be_visible()
    page.locator(".st-key-import_button button").click()
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=imported)).to_be_visible()


def test_a_kpi_sheet_without_a_team_column_in_indonesian(page: Page, server, tmp_path: Path,
                                                         request: pytest.FixtureRequest) -> None:
    sheet = tmp_path / "kpi-cabang.csv"
    sheet.write_text("KPI;Tanggal;Realisasi;Target\nOmzet cabang;31/10/2026;1.250;1.500\n", encoding="utf-8")
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, server.url, "/upload?lang=id")
    upload(page, sheet)
    step = page.locator(".st-key-mapping_step")
    expect(step).to_contain_text("Jawab untuk berkas ini")
    expect(step).to_contain_text("Realisasi (mis. 1.250)")
    answer(page, "Tim, untuk baris", "Cabang Bogor")
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("team: 1 baris yang tidak punya team sendiri")
    no_sideways_scroll(page)
    screenshot(page, request, suffix="answered")
    step.get_by_label("Simpan jawaban ini dengan nama").fill("Cabang Bogor")
    step.get_by_label("Simpan jawaban ini dengan nama").press("Enter")
    wait_idle(page)
    step.get_by_role("button", name="Simpan jawaban").click()
    wait_idle(page)
    expect(step).to_contain_text("Tersimpan sebagai Cabang Bogor")
    import_it(page, "Semua 1 berkas valid", "Berhasil diimpor")
    no_sideways_scroll(page)
    # The same sheet again, a month later: read with the saved answers, nothing asked.
    sheet.write_text("KPI;Tanggal;Realisasi;Target\nOmzet cabang;30/11/2026;1.400;1.500\n", encoding="utf-8")
    upload(page, sheet)
    expect(page.locator(".st-key-mapping_step")).to_contain_text("Dibaca dengan jawaban tersimpan Cabang Bogor")
    import_it(page, "Semua 1 berkas valid", "Berhasil diimpor")
    server.stop()
    assert measurements(server.db, "Cabang Bogor") == [("Omzet cabang", dt.date(2026, 10, 31), 1250.0, sheet.name),
                                                       ("Omzet cabang", dt.date(2026, 11, 30), 1400.0, sheet.name)]


def test_a_sheet_with_one_column_per_metric_in_english(page: Page, server, tmp_path: Path,
                                                      request: pytest.FixtureRequest) -> None:
    sheet = tmp_path / "store-dashboard.csv"
    sheet.write_text("Date,Sales,Visits\n2026-10-31,120,45\n2026-11-30,130,\n", encoding="utf-8")
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, server.url, "/upload?lang=en")
    upload(page, sheet)
    step = page.locator(".st-key-mapping_step")
    expect(step).to_contain_text("Answer for the file")
    for key in ("mapping_col_0_1", "mapping_col_0_2"):  # Sales, Visits
        page.locator(f".st-key-{key} [data-testid='stSelectbox']").click()
        page.keyboard.type("one KPI per column")  # the select box's search: one option left
        page.keyboard.press("Enter")
        wait_idle(page)
    answer(page, "Team, for rows", "Store 7")
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("are one KPI each")
    no_sideways_scroll(page)
    expect(step.get_by_role("button", name="Download these answers", exact=False)).to_be_visible()
    screenshot(page, request, suffix="answered")
    import_it(page, "All 1 file(s) are valid", "Imported")
    server.stop()
    assert measurements(server.db, "Store 7") == [
        ("Sales", dt.date(2026, 10, 31), 120.0, sheet.name), ("Sales", dt.date(2026, 11, 30), 130.0, sheet.name),
        ("Visits", dt.date(2026, 10, 31), 45.0, sheet.name)]
