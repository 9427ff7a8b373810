"""PostgreSQL as the store's database: the same data as a DuckDB file after any sequence of writes,
other processes' writes seen on the next read, writers serialised by the database, backup and
restore between the two, and a plain message when the server cannot be reached.

The server is the session's throwaway one (tests/conftest.py ``pg_server``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import psycopg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from okrdash import checkins, demo, editing, postgres_copy
from okrdash.access import admin_writer
from okrdash.importing import import_files
from okrdash.postgres_store import LOCK_KEY, PostgresStore
from okrdash.problems import ImportFailed
from okrdash.settings import Settings
from okrdash.store import DATA_TABLES, Store, StoreError, open_store, restore
from okrdash.store.schema import UNBATCHED_TABLES
from tests.conftest import END, START, day, uploads

ROOT = Path(__file__).resolve().parent.parent
TEAMS = ("Sales", "Ops")
OBJECTIVES = ("Grow", "Keep")
KEY_RESULTS = ("Sign customers", "Cut incidents", "Ship it")
LABELS = {"value": "New value", "date": "Date", "confidence": "Confidence", "note": "Note"}
# Timestamps are the moment of the write: the only columns two stores fed the same writes differ in.
MOMENTS = {"batches": ("imported_at", "undone_at")}


def contents(store: Store) -> dict[str, list[tuple]]:
    """Every data table's rows, sorted, without the write timestamps (undone or not stays)."""
    out = {}
    with store.cursor() as cur:
        for table in DATA_TABLES:
            moments = MOMENTS.get(table, ())
            select = (", ".join([f"{m} IS NULL" for m in moments] + [f"* EXCLUDE ({', '.join(moments)})"])
                      if moments else "*")
            out[table] = sorted(map(repr, cur.execute(f"SELECT {select} FROM {table}").fetchall()))
    return out


def okrs_file(rows: list[tuple[int, int, int, float]]) -> str:
    lines = ["cycle,start_date,end_date,team,objective,key_result,baseline,target,kind"]
    for team, objective, key_result, target in rows:
        lines.append(f"Q,{START},{END},{TEAMS[team]},{OBJECTIVES[objective]},{KEY_RESULTS[key_result]},0,"
                     f"{target},increase")
    return "\n".join(lines) + "\n"


def run_step(store: Store, step: tuple) -> object:
    """One write as a person makes it; its outcome (the refusal's code, or what was written)."""
    kind, *args = step
    writer = admin_writer("tester")
    try:
        if kind == "okrs":
            result = import_files(store, uploads((("okrs.csv", okrs_file(args[0])),)), writer=writer)
        elif kind == "checkin":
            team, objective, key_result, value, offset = args
            ref = checkins.KeyResultRef("Q", TEAMS[team], OBJECTIVES[objective], KEY_RESULTS[key_result])
            result = checkins.record_checkin(store, ref, value, day(offset), None, "n", writer, LABELS, today=day(90))
        elif kind == "checkin_file":
            team, objective, key_result, value, offset = args
            text = ("team,objective,key_result,date,value\n"
                    f"{TEAMS[team]},{OBJECTIVES[objective]},{KEY_RESULTS[key_result]},{day(offset)},{value}\n")
            result = import_files(store, uploads((("checkins.csv", text),)), writer=writer, today=day(90))
        elif kind == "kpis":
            team, value, offset = args
            text = f"team,kpi,date,value,target,direction\n{TEAMS[team]},Uptime,{day(offset)},{value},99,higher_is_better\n"
            result = import_files(store, uploads((("kpis.csv", text),)), writer=writer, today=day(90))
        elif kind == "edit":
            team, drop, rename = args
            objectives, key_results = store.team_okrs("Q", TEAMS[team])
            if not len(key_results):
                return "nothing to edit"
            after = key_results.copy()
            if rename:
                after.loc[0, "title"] = after.loc[0, "title"] + " more"
            if drop and len(after) > 1:
                after = after.iloc[1:].reset_index(drop=True)
            plan = editing.plan_okr_edit("Q", TEAMS[team], objectives, objectives.copy(), key_results, after,
                                         day(60), START, END)
            result = editing.save_okr_edit(store, plan, "Q", TEAMS[team], store.okr_version("Q", TEAMS[team]),
                                           writer, {}, today=day(60))
        elif kind == "undo":
            batches = store.batches()
            if not batches:
                return "no batch"
            result = store.undo(batches[min(args[0], len(batches) - 1)].id, writer)
        else:
            raise AssertionError(kind)
    except ImportFailed as failed:
        return ("refused", sorted(p.code for p in failed.problems))
    except (StoreError, editing.Conflict) as error:
        return ("refused", getattr(error, "code", type(error).__name__))
    return repr(result)


indexes = st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 2))
steps = st.one_of(
    st.tuples(st.just("okrs"), st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 2),
                                                  st.sampled_from([10.0, 50.0, 100.0])), min_size=1, max_size=4)),
    indexes.flatmap(lambda i: st.tuples(st.just("checkin"), *map(st.just, i), st.integers(0, 100),
                                        st.integers(0, 60))),
    indexes.flatmap(lambda i: st.tuples(st.just("checkin_file"), *map(st.just, i), st.integers(0, 100),
                                        st.integers(0, 60))),
    st.tuples(st.just("kpis"), st.integers(0, 1), st.integers(90, 100), st.integers(0, 60)),
    st.tuples(st.just("edit"), st.integers(0, 1), st.booleans(), st.booleans()),
    st.tuples(st.just("undo"), st.integers(0, 3)),
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(sequence=st.lists(steps, min_size=1, max_size=6))
# Found by this test: new key results got their ids in the order the mirror's objectives were stored.
@example(sequence=[("okrs", [(1, 1, 2, 50.0), (0, 1, 1, 100.0), (1, 1, 0, 10.0)]), ("undo", 0),
                   ("okrs", [(0, 1, 2, 100.0), (0, 0, 0, 50.0)])])
# Found by this test: a key result the OKR editor dropped stayed in another process's mirror.
@example(sequence=[("okrs", [(1, 1, 0, 10.0), (0, 0, 0, 10.0), (0, 0, 2, 10.0), (1, 0, 0, 10.0)]),
                   ("okrs", [(0, 0, 0, 10.0)]), ("kpis", 0, 90, 0), ("checkin", 0, 0, 0, 0, 0),
                   ("edit", 0, True, False)])
def test_any_sequence_of_writes_leaves_postgresql_as_a_duckdb_file(pg_server, tmp_path_factory, sequence):
    url = pg_server.new_database()
    file_store = open_store(tmp_path_factory.mktemp("db") / "okrdash.duckdb")
    pg_store = open_store(url)
    # Another process's view: a second connection that polls on every read.
    reader = PostgresStore(url, Settings(pg_poll_seconds=0))
    try:
        for step in sequence:
            outcome = run_step(file_store, step)
            assert run_step(pg_store, step) == outcome, step
            expected = contents(file_store)
            assert contents(pg_store) == expected, step
            assert contents(reader) == expected, step
            pd.testing.assert_frame_equal(reader.kr_scores(day(70)), file_store.kr_scores(day(70)))
            pd.testing.assert_frame_equal(reader.kpi_scores(day(70)), file_store.kpi_scores(day(70)))
    finally:
        for store in (reader, pg_store, file_store):
            store.close()


def test_a_second_store_writes_after_the_first_and_ids_continue(pg_server):
    url = pg_server.new_database()
    first, second = open_store(url), open_store(url)
    try:
        run_step(first, ("okrs", [(0, 0, 0, 100.0)]))
        run_step(second, ("okrs", [(1, 1, 1, 50.0)]))  # its mirror was opened before the first write
        run_step(first, ("undo", 0))                   # undoes the second's batch
        run_step(second, ("okrs", [(1, 0, 2, 10.0)]))
        assert [b.id for b in second.batches()] == [3, 2, 1]
        with second.cursor() as cur:
            ids = cur.execute("SELECT id FROM key_results UNION ALL SELECT id FROM key_results_prior").fetchall()
        assert sorted(ids) == [(1,), (3,)]  # 2 was the undone batch's: never given out again
        first.refresh()
        assert contents(first) == contents(second)
    finally:
        first.close()
        second.close()


def _okrdash(url: str, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "OKRDASH_DB": url}
    return subprocess.Popen([sys.executable, "-m", "okrdash", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def test_a_write_in_another_process_shows_in_the_next_read(pg_server, tmp_path):
    url = pg_server.new_database()
    store = PostgresStore(url, Settings(pg_poll_seconds=0))
    try:
        assert store.is_empty()
        version = store.write_version
        okrs = tmp_path / "okrs.csv"
        okrs.write_text(okrs_file([(0, 0, 0, 100.0)]))
        process = _okrdash(url, "import", str(okrs))
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert not store.is_empty()  # no restart, no reopening
        assert store.write_version > version
        assert [k for k in store.kr_scores(day(10))["title"]] == ["Sign customers"]
        checkin = tmp_path / "checkins.csv"
        checkin.write_text(f"team,objective,key_result,date,value\nSales,Grow,Sign customers,{day(5)},40\n")
        process = _okrdash(url, "import", str(checkin))
        assert process.communicate(timeout=300)[0] is not None and process.returncode == 0
        assert store.kr_scores(day(10))["current"].tolist() == [40.0]
    finally:
        store.close()


def test_the_command_line_records_its_os_account_on_postgresql_too(pg_server, tmp_path):
    import pwd

    account = pwd.getpwuid(os.getuid()).pw_name
    url = pg_server.new_database()
    open_store(url).close()
    with psycopg.connect(url, autocommit=True) as con:  # as the okrdash before schema version 4 left it
        con.execute("ALTER TABLE batches DROP COLUMN imported_os_user, DROP COLUMN undone_os_user")
    okrs = tmp_path / "okrs.csv"
    okrs.write_text(okrs_file([(0, 0, 0, 100.0)]))
    process = _okrdash(url, "import", str(okrs), "--by", "rina@contoh.co.id")
    assert process.communicate(timeout=300) and process.returncode == 0
    process = _okrdash(url, "undo", "1", "--by", "maya")
    assert process.communicate(timeout=300) and process.returncode == 0
    store = open_store(url)
    try:
        batch = store.batches()[0]
        assert (batch.imported_by, batch.imported_os_user, batch.undone_by, batch.undone_os_user) == (
            "rina@contoh.co.id", account, "maya", account)
    finally:
        store.close()


def test_a_read_only_store_refuses_writes_on_postgresql_too(pg_server):
    url = pg_server.new_database()
    writer = open_store(url)
    reader = open_store(url, read_only=True)
    try:
        run_step(writer, ("okrs", [(0, 0, 0, 100.0)]))
        before = contents(writer)
        reader.refresh()  # the writer's batch now: reads ask PostgreSQL at most every pg_poll_seconds
        assert reader.read_only and contents(reader) == before
        for write in (lambda: reader.reset(admin_writer(None)), lambda: reader.undo(1, admin_writer(None)),
                      lambda: import_files(reader, uploads((("okrs.csv", okrs_file([(1, 1, 1, 5.0)])),)))):
            with pytest.raises(StoreError) as refused:
                write()
            assert refused.value.code == "store_read_only"
        writer.refresh()
        assert contents(writer) == before
    finally:
        reader.close()
        writer.close()


def _waiting_for_the_lock(admin: psycopg.Connection) -> int:
    return admin.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s",
        [LOCK_KEY]).fetchone()[0]


def test_two_imports_from_two_processes_take_turns_and_both_land_whole(pg_server, tmp_path):
    url = pg_server.new_database()
    store = PostgresStore(url, Settings(pg_poll_seconds=0))
    files = []
    for name, team in (("a.csv", 0), ("b.csv", 1)):
        path = tmp_path / name
        path.write_text(okrs_file([(team, o, k, 10.0 * (k + 1)) for o in range(2) for k in range(3)]))
        files.append(path)
    holder = psycopg.connect(url, autocommit=True)
    try:
        # Hold the writers' lock, as a long import of a third process would, and start both imports.
        holder.execute("BEGIN")
        holder.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        processes = [_okrdash(url, "import", str(path)) for path in files]
        while _waiting_for_the_lock(holder) < 2:  # both have validated and wait at the write
            assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
            time.sleep(0.05)
        assert store.is_empty()  # nothing of either is visible while they wait
        holder.execute("COMMIT")
        for process in processes:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
        batches = sorted(store.batches(), key=lambda b: b.id)
        assert [(b.inserted, b.updated) for b in batches] == [(8, 0), (8, 0)]  # 2 objectives, 6 key results each
        with store.cursor() as cur:
            per_batch = cur.execute(
                """SELECT k.batch_id, min(o.team), count(DISTINCT o.team), count(*) FROM key_results k
                   JOIN objectives o ON o.id = k.objective_id GROUP BY k.batch_id ORDER BY k.batch_id""").fetchall()
        assert [(count, teams) for _, _, teams, count in per_batch] == [(6, 1), (6, 1)]  # never mixed
        store.undo(batches[1].id, admin_writer(None))
        assert store.table_counts()["key_results"] == 6
    finally:
        holder.close()
        store.close()


def test_backup_of_a_file_restores_into_postgresql_and_back(pg_server, tmp_path):
    source = open_store(tmp_path / "source.duckdb")
    demo.load_demo(source)
    run_step(source, ("undo", 0))
    source.backup(tmp_path / "from-file")
    url = pg_server.new_database()
    restore(tmp_path / "from-file", url)
    moved = open_store(url)
    try:
        assert contents(moved) == contents(source)
        run_step(source, ("okrs", [(0, 0, 0, 100.0)]))
        run_step(moved, ("okrs", [(0, 0, 0, 100.0)]))  # ids go on from the backup's
        assert contents(moved) == contents(source)
        moved.backup(tmp_path / "from-postgresql")
        restore(tmp_path / "from-postgresql", tmp_path / "back.duckdb")
        back = open_store(tmp_path / "back.duckdb")
        assert contents(back) == contents(source)
        back.close()
        with pytest.raises(StoreError) as refused:
            restore(tmp_path / "from-file", url)
        assert refused.value.code == "restore_target_not_empty"
    finally:
        moved.close()
        source.close()


def test_an_unreachable_server_is_a_plain_message_in_both_languages(tmp_path):
    url = f"postgresql://okrdash:secret@/okrdash?host={tmp_path}&port=1"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert caught.value.code == "store_unreachable"
    english, indonesian = caught.value.message("en"), caught.value.message("id")
    assert "cannot be reached" in english and "tidak dapat dihubungi" in indonesian
    assert "secret" not in english + indonesian and "Traceback" not in english


def test_the_cli_takes_a_url_without_create(pg_server):
    url = pg_server.new_database()
    process = subprocess.run([sys.executable, "-m", "okrdash", "--db", url, "status", "--json",
                              "--as-of", str(day(10))], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stderr


def test_a_new_column_of_a_later_migration_is_added_to_an_older_postgresql(pg_server):
    url = pg_server.new_database()
    open_store(url).close()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("ALTER TABLE key_results DROP COLUMN start_date")
    store = open_store(url)
    try:
        with psycopg.connect(url) as con:
            columns = {r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'key_results' "
                "AND table_schema = current_schema()").fetchall()}
        assert "start_date" in columns
        run_step(store, ("okrs", [(0, 0, 0, 100.0)]))
        assert store.table_counts()["key_results"] == 1
    finally:
        store.close()


def test_reads_do_not_ask_postgresql_more_often_than_the_poll_setting(pg_server):
    url = pg_server.new_database()
    writer, reader = open_store(url), PostgresStore(url, Settings(pg_poll_seconds=3600))
    try:
        run_step(writer, ("okrs", [(0, 0, 0, 100.0)]))
        assert reader.is_empty()  # throttled: the mirror as opened, for the next hour
        assert reader.refresh() and not reader.is_empty()
        # Up to date: nothing to reload, for the reader and for the writer of its own change.
        assert not reader.refresh() and not writer.refresh()
    finally:
        writer.close()
        reader.close()


def test_a_failed_push_leaves_both_postgresql_and_the_mirror_as_before(pg_server, monkeypatch):
    url = pg_server.new_database()
    store = open_store(url)
    try:
        run_step(store, ("okrs", [(0, 0, 0, 100.0)]))
        before = contents(store)

        def broken(*args, **kwargs):
            raise psycopg.errors.DiskFull("could not extend file: No space left on device")

        monkeypatch.setattr(postgres_copy, "copy_in", broken)
        with pytest.raises(StoreError) as caught:
            import_files(store, uploads((("okrs.csv", okrs_file([(1, 1, 1, 5.0)])),)), writer=admin_writer(None))
        assert caught.value.code == "write_failed"
        assert contents(store) == before
        monkeypatch.undo()
        other = open_store(url)
        assert contents(other) == before
        other.close()
        assert run_step(store, ("okrs", [(1, 1, 1, 5.0)])).startswith("ImportResult")
    finally:
        store.close()



def test_the_change_log_keeps_a_week_and_a_mirror_behind_pruned_rows_reloads_everything(pg_server):
    url = pg_server.new_database()
    writer, reader = open_store(url), PostgresStore(url, Settings(pg_poll_seconds=3600))
    admin = psycopg.connect(url, autocommit=True)
    try:
        run_step(writer, ("okrs", [(0, 0, 0, 100.0)]))
        run_step(writer, ("okrs", [(1, 1, 1, 50.0)]))
        assert admin.execute("SELECT count(*) FROM okrdash_changes").fetchone()[0] == 2  # a week is kept
        admin.execute("UPDATE okrdash_changes SET changed_at = changed_at - interval '8 days'")
        older = admin.execute("SELECT max(version) FROM okrdash_changes").fetchone()[0]
        run_step(writer, ("okrs", [(0, 1, 2, 10.0)]))
        assert admin.execute("SELECT count(*) FROM okrdash_changes").fetchone()[0] == 1
        assert admin.execute("SELECT up_to FROM okrdash_pruned").fetchone()[0] == older
        # The reader's mirror predates all three writes and the log names only the last one now.
        assert reader.refresh()
        assert contents(reader) == contents(writer)
        assert not reader.refresh()
    finally:
        admin.close()
        writer.close()
        reader.close()


def test_what_a_poll_reloads_is_found_through_indexes(pg_server):
    url = pg_server.new_database()
    open_store(url).close()
    with psycopg.connect(url) as con:
        indexed = {(table, column) for table, column in con.execute(
            "SELECT t.relname, a.attname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0] "
            "WHERE t.relnamespace = current_schema()::regnamespace").fetchall()}
    for table in DATA_TABLES:
        if table.endswith("_prior"):
            assert (table, "replaced_by") in indexed
        elif table not in ("batches", "cycles", *UNBATCHED_TABLES):  # read by their keys, no batch
            assert (table, "batch_id") in indexed


def test_after_a_poll_that_found_postgresql_down_every_read_says_so_until_it_answers(pg_server_to_stop):
    """The warmer polls PostgreSQL every second on its own thread; a page's read right after that poll
    found the server down must not be served the mirror's old rows as if current (issue 22's outage
    page), and reads work again once a poll reaches it."""
    store = open_store(pg_server_to_stop.new_database(), Settings(pg_poll_seconds=3600))
    try:
        demo.load_demo(store, anchor=demo.DEMO_ANCHOR)
        store._last_poll = 0.0  # the next read polls
        pg_server_to_stop.stop_serving()
        try:
            polled: list[StoreError] = []

            def warmer_polls() -> None:
                try:
                    _ = store.write_version  # what the warmer reads each second
                except StoreError as error:
                    polled.append(error)

            poller = threading.Thread(target=warmer_polls)
            poller.start()
            poller.join()
            assert [e.code for e in polled] == ["store_unreachable"]
            with pytest.raises(StoreError) as caught:  # within the poll interval, on another thread
                store.cycles()
            assert caught.value.code == "store_unreachable"
        finally:
            pg_server_to_stop.start_serving()
        store._last_poll = 0.0
        assert [c.name for c in store.cycles()]
    finally:
        store.close()
