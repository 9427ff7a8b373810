"""``okrdash serve`` on a database file another process holds: refused at start, with the holder named.

Before, a second server on the same file started, answered its health check and then showed every
visitor Streamlit's error page. Streamlit itself is not started: its entry point is replaced by one
that records the start (and, in one test, checks that the file is held while it "runs").
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli as streamlit_cli
from streamlit.web.server.starlette import starlette_app

from okrdash.cli import EXIT_STORE, main
from okrdash.store import open_store
from tests.test_reliability import Child, child_env


@pytest.fixture
def started(monkeypatch, tmp_path) -> list[object]:
    """What each Streamlit start saw: the status command of another process run meanwhile."""
    calls: list[object] = []

    def fake_main(standalone_mode: bool = True) -> int:
        calls.append(sys.argv[-1])
        return 0

    monkeypatch.setattr(streamlit_cli, "main", fake_main)
    for owner, name in ((PagesManager, "uses_pages_directory"), (AppSession, "_handle_clear_cache_request"),
                        (starlette_app, "create_streamlit_middleware"), (MemoryUploadedFileManager, "add_file")):
        monkeypatch.setattr(owner, name, getattr(owner, name))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("OKRDASH_DEMO_WHEN_EMPTY", "false")
    return calls


@pytest.fixture
def held_db(tmp_path):
    """A database file held open by another process (tests/helpers/hold_store.py); yields (db, pid)."""
    db = tmp_path / "okrdash.duckdb"
    open_store(db).close()
    holder = Child("hold_store.py", db)
    try:
        holder.wait_for("ready")
        yield db, holder.process.pid
    finally:
        holder.process.stdin.close()
        holder.process.wait(timeout=60)
        holder.stop()


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["is in use by another program", "okrdash serve will not start on it", "Stop that program"]),
    ("id", ["sedang dipakai program lain", "okrdash serve tidak dijalankan", "Hentikan program itu"]),
])
def test_serve_refuses_a_file_another_process_holds(started, held_db, capsys, monkeypatch, lang, words):
    db, pid = held_db
    monkeypatch.setenv("OKRDASH_DEFAULT_LANGUAGE", lang)
    assert main(["--db", str(db), "serve", "--port", "55517"]) == EXIT_STORE
    err = capsys.readouterr().err
    assert started == []  # Streamlit never started: no healthy server that fails every visitor
    assert f"PID {pid}" in err and "hold_store.py" in err and str(db) in err
    for word in words:
        assert word in err
    assert "Traceback" not in err


def test_serve_holds_the_file_from_start_to_stop(started, tmp_path, monkeypatch):
    db = tmp_path / "okrdash.duckdb"
    open_store(db).close()

    def fake_main(standalone_mode: bool = True) -> int:
        # While "Streamlit runs", another process cannot take the file: it is held from the start,
        # not from the first visit.
        other = subprocess.run([sys.executable, "-m", "okrdash", "--db", str(db), "status"], cwd=tmp_path,
                               env=child_env(), capture_output=True, text=True, timeout=300)
        started.append((other.returncode, other.stderr))
        return 0

    monkeypatch.setattr(streamlit_cli, "main", fake_main)
    assert main(["--db", str(db), "serve", "--port", "55518"]) == 0
    ((code, err),) = started
    assert code == EXIT_STORE and "in use by another program" in err and "okrdash" in err
    open_store(db).close()  # and let go when the server stops


def test_serve_loads_the_demo_into_an_empty_database_it_holds(started, tmp_path, monkeypatch):
    monkeypatch.setenv("OKRDASH_DEMO_WHEN_EMPTY", "true")
    db = tmp_path / "new.duckdb"
    assert main(["--db", str(db), "--create", "serve", "--port", "55519"]) == 0
    store = open_store(db)
    try:
        assert not store.is_empty()
    finally:
        store.close()


