"""Starting the app as a newcomer does (issue 24, item 9): ``make run PORT=...`` chooses the port, and
``okrdash serve`` logs no warning from its start to a first view (Streamlit's "No runtime found,
using MemoryCacheStorageManager", once per cached function imported outside a script run, looked
like an error at every start and in the tests' output).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from okrdash import demo

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("assignments", "port"), [([], "8501"), (["PORT=8601"], "8601")])
def test_make_run_serves_on_the_port_given(assignments, port):
    planned = subprocess.run(["make", "--dry-run", "run", *assignments], cwd=ROOT, capture_output=True, text=True,
                             timeout=60)
    assert planned.returncode == 0, planned.stderr
    assert f"okrdash --create serve --port {port}\n" in planned.stdout


def test_okrdash_serve_logs_no_warning_from_start_to_a_first_view(demo_db_file: Path, tmp_path: Path):
    from bench.serving import Server, Session, free_port

    db = tmp_path / "okrdash.duckdb"
    shutil.copyfile(demo_db_file, db)
    with Server(free_port(), tmp_path / "logs", db=db) as server:
        server.wait_healthy()
        session = Session(server.url)
        try:
            view = session.view("", {"as_of": demo.DEMO_ANCHOR.isoformat(), "cycle": "2026-Q4"})
        finally:
            session.close()
        log = server.output(10**9)
    assert not view.error, log
    assert "heading" in view.kinds, view.kinds[:8]  # the overview drew (its modules were loaded)
    assert [line for line in log.splitlines() if " WARNING " in line or " ERROR " in line] == [], log


def test_importing_every_module_the_pages_use_prints_nothing():
    from okrdash.ui.server import PAGE_MODULES

    imported = subprocess.run([sys.executable, "-c", f"import {', '.join(PAGE_MODULES)}"], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0, imported.stderr
    assert (imported.stdout, imported.stderr) == ("", "")
