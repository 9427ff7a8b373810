"""The app's store and its write lock survive a ``clear_cache`` message from any browser.

Streamlit clears ``st.cache_resource`` and ``st.cache_data`` for everyone when any websocket
client asks; the store lives in a process-wide registry instead, and imports are serialised by
a lock per database file that no cache holds.
"""

from __future__ import annotations

import threading

import streamlit as st

from okrdash.importing import Upload, import_files
from okrdash.store import open_store
from okrdash.store.file_store import DuckDBStore
from okrdash.ui import context

OKRS = "cycle,team,objective,key_result,baseline,target,current,date\n2026-Q4,Sales,Grow,{title},0,10,{current},2026-11-01\n"


def test_clearing_the_caches_keeps_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("OKRDASH_DB", str(tmp_path / "app.duckdb"))
    monkeypatch.setenv("OKRDASH_DEMO_WHEN_EMPTY", "false")
    first = context.get_store()
    st.cache_resource.clear()
    st.cache_data.clear()
    assert context.get_store() is first


def test_a_second_store_of_the_same_file_shares_the_write_lock(tmp_path):
    one, two = open_store(tmp_path / "db.duckdb"), open_store(tmp_path / "db.duckdb")
    try:
        assert one.write_lock is two.write_lock
    finally:
        one.close()
        two.close()


def test_imports_stay_in_turn_when_the_caches_are_cleared_between_them(tmp_path, monkeypatch):
    monkeypatch.setenv("OKRDASH_DB", str(tmp_path / "app.duckdb"))
    monkeypatch.setenv("OKRDASH_DEMO_WHEN_EMPTY", "false")
    first_applying, second_done = threading.Event(), threading.Event()
    finished_while_first_held_the_lock: list[bool] = []
    original_apply = DuckDBStore.apply

    def pausing_apply(self, files, writer):
        if writer.who == "first":
            first_applying.set()
            # The second import must still be waiting for the lock after a generous pause.
            finished_while_first_held_the_lock.append(second_done.wait(timeout=2))
        return original_apply(self, files, writer)

    monkeypatch.setattr(DuckDBStore, "apply", pausing_apply)
    errors: list[BaseException] = []

    def run(who: str, current: int) -> None:
        try:
            import_files(context.get_store(), [Upload("okrs.csv", OKRS.format(title="Ten deals", current=current).encode())],
                         imported_by=who)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            if who == "second":
                second_done.set()

    first = threading.Thread(target=run, args=("first", 3))
    first.start()
    assert first_applying.wait(timeout=60)
    st.cache_resource.clear()  # what one clear_cache message from any browser does
    st.cache_data.clear()
    second = threading.Thread(target=run, args=("second", 7))
    second.start()
    first.join(timeout=60)
    second.join(timeout=60)
    assert errors == []
    assert finished_while_first_held_the_lock == [False]
    store = context.get_store()
    batches = sorted((b.imported_by, b.inserted, b.updated) for b in store.batches())
    # The second import validated against the first one's result: it updates the key result.
    assert batches == [("first", 3, 0), ("second", 0, 3)]
