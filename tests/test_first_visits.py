"""Several sessions opening the app at once right after the server started (issue 14).

Streamlit runs every session's script in a thread of its own, and the first thing each does is
ask for the process's shared store. When the first visits come together, the store must be opened
once: two opens of one database file in one process are two connections to one DuckDB instance,
and each installs the schema and the rules macros (``CREATE OR REPLACE MACRO``), so the second
fails with "Catalog write-write conflict" and its visitor gets "the database cannot be read".

``test_concurrent_first_visits_through_the_websocket`` does what browsers do: eight sessions
open eight different deep links of a fresh ``okrdash serve`` at the same moment, over Streamlit's
``/_stcore/stream`` (bench/serving.py), and every one must reach its page without an exception,
an error box or a dropped connection.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from okrdash import demo
from okrdash.store import Store, close_shared_store, open_store, shared_store

SESSIONS = 8


@pytest.fixture
def demo_file(demo_db_file: Path, tmp_path: Path) -> Path:
    """A copy of the session's demo company file (tests/conftest.py)."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db_file, path)
    return path


def test_threads_asking_for_the_shared_store_at_once_share_one_store(demo_file: Path) -> None:
    barrier = threading.Barrier(SESSIONS)
    stores: list[Store | None] = [None] * SESSIONS
    errors: list[BaseException] = []

    def first_visit(index: int) -> None:
        barrier.wait()
        try:
            stores[index] = shared_store(demo_file)[0]
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=first_visit, args=(i,)) for i in range(SESSIONS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len({id(store) for store in stores}) == 1
        assert stores[0] is not None and not stores[0].is_empty()
    finally:
        close_shared_store(demo_file)


def test_a_second_store_of_an_open_file_in_the_same_process_opens(demo_file: Path) -> None:
    """Not only the shared registry: any two Stores of one file opened at once in one process."""
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []
    opened: list[Store] = []

    def open_one() -> None:
        barrier.wait()
        try:
            opened.append(open_store(demo_file))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in opened:
        store.close()
    assert errors == []


def test_concurrent_first_visits_through_the_websocket(demo_file: Path, tmp_path: Path) -> None:
    from bench.serving import Server, Session, free_port

    db = tmp_path / "served.duckdb"
    shutil.copyfile(demo_file, db)
    query = {"as_of": demo.DEMO_ANCHOR.isoformat(), "cycle": "2026-Q4", "team": "Sales"}
    pages = ["", "team", "objective", "kpis", "review", "explainer", "upload", "my"]
    with Server(free_port(), tmp_path / "logs", db=db) as server:
        server.wait_healthy()
        sessions = [Session(server.url) for _ in range(SESSIONS)]
        barrier = threading.Barrier(SESSIONS)
        views: list = [None] * SESSIONS

        def visit(index: int) -> None:
            barrier.wait()
            views[index] = sessions[index].view(pages[index % len(pages)], query)

        threads = [threading.Thread(target=visit, args=(i,)) for i in range(SESSIONS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for session in sessions:
            session.close()
        problems = [f"{v.page or 'overview'}: {v.error}" for v in views if v.error]
        assert problems == [], server.output(6_000)
        assert server.uncaught() == 0, server.output(6_000)
        # Each page drew more than the sidebar: its own heading at least.
        assert all("heading" in v.kinds for v in views), [(v.page, v.kinds[:8]) for v in views]
