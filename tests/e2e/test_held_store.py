"""The app started with plain ``streamlit run`` on a database file another process holds (``okrdash
serve`` refuses to start on one): the browser gets a page naming the holder and what to do, in the
chosen language, not Streamlit's error page; once the holder is gone, a reload shows the app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, screenshot, wait_idle
from tests.e2e.test_proxy import LOADED_MACHINE_MS, _free_port, _stop, _wait_for
from tests.test_reliability import Child


def test_a_server_on_a_held_file_names_the_holder(page, demo_db_file: Path, tmp_path: Path,
                                                   request: pytest.FixtureRequest) -> None:
    db = tmp_path / "okrdash.duckdb"
    shutil.copyfile(demo_db_file, db)
    holder = Child("hold_store.py", db)
    holder.wait_for("ready")
    port = _free_port(set())
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "OKRDASH_DB": str(db), "OKRDASH_DEMO_WHEN_EMPTY": "false",
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                   "--server.address", "127.0.0.1"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/_stcore/health", [server], [log])  # healthy: Streamlit cannot tell
        page.goto(f"{base}/?lang=id", wait_until="domcontentloaded")
        wait_idle(page, timeout_ms=LOADED_MACHINE_MS, after_action=False)
        alert = page.locator('[data-testid="stAlertContentError"]')
        expect(alert).to_contain_text(f"PID {holder.process.pid}")
        expect(alert).to_contain_text("hold_store.py")
        expect(alert).to_contain_text("sedang dipegang proses lain")
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        screenshot(page, request)

        holder.process.stdin.close()
        assert holder.process.wait(timeout=60) == 0
        page.goto(f"{base}/?lang=en", wait_until="domcontentloaded")
        wait_idle(page, timeout_ms=LOADED_MACHINE_MS, after_action=False)
        expect(page.locator('[data-testid="stMain"] h1').filter(has_text="Company overview")).to_be_visible()
        expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    finally:
        _stop(server)
        holder.stop()
