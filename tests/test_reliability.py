"""Reliability of the store: crashes mid-import, undo, backup and restore, concurrent writers and
readers, a second process on the same file, and text that looks like SQL.

Every database lives in ``tmp_path``. Child processes run ``tests/helpers/*.py`` with this
interpreter; they are killed by their own PID only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from okrdash import demo
from okrdash.access import admin_writer
from okrdash.cli import main as cli_main
from okrdash.importing import Upload, import_files
from okrdash.importing.mapping import Mapping, save
from okrdash.people import PeopleRows, Person
from okrdash.problems import ImportFailed
from okrdash.store import DATA_TABLES, StoreError, open_store, restore

ROOT = Path(__file__).resolve().parent.parent
HELPERS = Path(__file__).resolve().parent / "helpers"
ANCHOR = demo.DEMO_ANCHOR
PRIOR_TABLES = tuple(t for t in DATA_TABLES if t.endswith("_prior"))
CONTENT_TABLES = tuple(t for t in DATA_TABLES if t != "batches" and t not in PRIOR_TABLES)

# Rows of the generated KPI file for the kill tests. Validation of a file this size takes several
# seconds and the write transaction several tenths of a second on a 2-core machine.
BULK_ROWS = 130_000
BULK_KPIS = 10


# -- shared helpers ---------------------------------------------------------------------------------


def _plain(value):
    """NaN -> a marker, so that two snapshots holding NaN still compare equal."""
    if isinstance(value, float) and math.isnan(value):
        return "<NaN>"
    return value


def snapshot(store, tables=DATA_TABLES) -> dict[str, list[tuple]]:
    """Every row of every table, ordered by all columns."""
    with store.cursor() as cur:
        return {
            table: [tuple(_plain(v) for v in row) for row in cur.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()]
            for table in tables
        }


def assert_same_tables(actual: dict, expected: dict, tables) -> None:
    for table in tables:
        missing = [r for r in expected[table] if r not in actual[table]]
        extra = [r for r in actual[table] if r not in expected[table]]
        assert actual[table] == expected[table], f"{table}: missing {missing[:5]}, extra {extra[:5]}"


def scores(store) -> tuple[pd.DataFrame, pd.DataFrame]:
    return store.kr_scores(ANCHOR), store.kpi_scores(ANCHOR)


def assert_same_scores(store, expected: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    kr, kpi = scores(store)
    assert kr["status"].value_counts().to_dict() == expected[0]["status"].value_counts().to_dict()
    pd.testing.assert_frame_equal(kr, expected[0])
    pd.testing.assert_frame_equal(kpi, expected[1])


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


class Child:
    """A helper script in a child process; its stdout lines are collected by a thread."""

    def __init__(self, script: str, *args: object):
        self.process = subprocess.Popen(
            [sys.executable, str(HELPERS / script), *map(str, args)],
            cwd=ROOT, env=child_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def wait_for(self, word: str, timeout: float = 180) -> str:
        """The first stdout line starting with ``word``; fails if the child ends or stays silent."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                pytest.fail(f"child never printed {word!r} (saw {self.seen})")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self.process.wait()
                pytest.fail(f"child ended (exit {self.process.returncode}) before printing {word!r}; "
                            f"saw {self.seen}; stderr:\n{self.process.stderr.read()}")
            self.seen.append(line)
            if line.startswith(word):
                return line

    def drain(self) -> list[str]:
        """Every line the child printed (call after it ended: waits for the end of its output)."""
        while True:
            try:
                line = self.lines.get(timeout=60)
            except queue.Empty:
                return self.seen
            if line is None:
                self.lines.put(None)
                return self.seen
            self.seen.append(line)

    def kill9(self) -> int:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        return self.process.wait(timeout=60)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=60)


def write_bulk_csv(path: Path, rows: int) -> Path:
    """A kpis file of ``rows`` measurements of BULK_KPIS new KPIs of the team "Bulk"."""
    per_kpi = rows // BULK_KPIS
    start = dt.date(1850, 1, 1)
    dates = [(start + dt.timedelta(days=d)).isoformat() for d in range(per_kpi)]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("team,kpi,date,value\n")
        for k in range(BULK_KPIS):
            handle.writelines(f"Bulk,Bulk KPI {k},{day},{i % 97}\n" for i, day in enumerate(dates))
    return path


def bulk_after(before: dict[str, int], rows: int) -> dict[str, int]:
    """table_counts() after the bulk file was imported whole."""
    return {**before, "batches": before["batches"] + 1, "kpis": before["kpis"] + BULK_KPIS,
            "kpi_measurements": before["kpi_measurements"] + rows // BULK_KPIS * BULK_KPIS}


@pytest.fixture(scope="module")
def demo_db(demo_db_file) -> Path:
    """A closed database file holding the demo company at DEMO_ANCHOR (the session's, copied by each test)."""
    assert demo.DEMO_ANCHOR == ANCHOR
    assert not Path(f"{demo_db_file}.wal").exists()
    return demo_db_file


@pytest.fixture(scope="module")
def demo_state(demo_db):
    """table_counts(), scores and full snapshot of the demo database."""
    store = open_store(demo_db)
    try:
        return store.table_counts(), scores(store), snapshot(store)
    finally:
        store.close()


def copy_db(source: Path, folder: Path, name: str = "okrdash.duckdb") -> Path:
    target = folder / name
    shutil.copyfile(source, target)
    return target


# -- kill -9 in the middle of an import --------------------------------------------------------------


@pytest.fixture(scope="module")
def bulk_csv(tmp_path_factory) -> Path:
    return write_bulk_csv(tmp_path_factory.mktemp("bulk") / "bulk-kpis.csv", BULK_ROWS)


def _assert_state_is_before(db: Path, demo_state) -> None:
    counts, expected_scores, expected_rows = demo_state
    store = open_store(db)  # opens (and recovers) the database the killed process left behind
    try:
        assert store.table_counts() == counts
        assert_same_scores(store, expected_scores)
        assert_same_tables(snapshot(store), expected_rows, DATA_TABLES)
        assert "Bulk" not in store.teams()
        # The database is usable: a small import lands.
        import_files(store, [Upload("after.csv", b"team,kpi,date,value\nOps,Uptime,2026-11-01,99.5\n")], today=ANCHOR)
        assert store.table_counts()["kpis"] == counts["kpis"] + 1
    finally:
        store.close()


def test_kill_9_inside_the_open_write_transaction_leaves_the_database_as_before(demo_db, demo_state, bulk_csv,
                                                                                 tmp_path):
    db = copy_db(demo_db, tmp_path)
    child = Child("slow_import.py", db, bulk_csv, "pause")
    try:
        child.wait_for("started")
        child.wait_for("applying")
        child.wait_for("written")  # every row is written inside the transaction, not committed
        assert child.kill9() == -signal.SIGKILL
    finally:
        child.stop()
    assert "done" not in child.drain()
    _assert_state_is_before(db, demo_state)


def test_kill_9_mid_import_leaves_the_database_as_before(demo_db, demo_state, bulk_csv, tmp_path):
    """SIGKILL a little after the write began; the file must hold exactly the state before the import.

    The child prints "started" before import_files and "applying" when the write transaction
    begins. Validating a file this size takes seconds, so a kill timed from "started" alone would
    always land before anything is written; the kill is timed from "applying". If the import
    still finished first, try again with a file twice as large.
    """
    counts, _, _ = demo_state
    rows, csv_path = BULK_ROWS, bulk_csv
    outcomes = []
    for attempt in range(3):
        db = copy_db(demo_db, tmp_path, f"attempt-{attempt}.duckdb")
        child = Child("slow_import.py", db, csv_path, "run")
        try:
            child.wait_for("started")
            child.wait_for("applying")
            time.sleep(0.1)
            returncode = child.kill9()
        finally:
            child.stop()
        finished = "done" in child.drain() or returncode == 0
        store = open_store(db)
        try:
            now = store.table_counts()
        finally:
            store.close()
        if finished or now == bulk_after(counts, rows):
            # The import committed before the signal arrived: not a test of a kill mid-import.
            assert now == bulk_after(counts, rows), "a finished import is not whole"
            outcomes.append((rows, returncode, "finished first"))
            rows *= 2
            csv_path = write_bulk_csv(tmp_path / f"bulk-{rows}.csv", rows)
            continue
        assert returncode == -signal.SIGKILL, f"the child was not killed (exit {returncode})"
        _assert_state_is_before(db, demo_state)
        print(f"killed mid-import on attempt {attempt + 1} ({rows} rows; earlier: {outcomes})")
        return
    pytest.fail(f"the import always finished before the kill, could not kill it mid-import: {outcomes}")


# -- undo ------------------------------------------------------------------------------------------

# Batch A (kpis): changes a measurement and the target of "Monthly sales growth", the target of
# "Calls and emails per month" (definition-only row), adds a measurement and a new KPI.
UNDO_KPIS = """team,kpi,date,value,target
Sales,Monthly sales growth,2026-10-31,4.4,6
Sales,Monthly sales growth,2026-11-30,5.1,6
Sales,Calls and emails per month,,,1500
Sales,Partner-sourced deals,2026-10-31,3,5
"""
# Batch B (okrs): changes a key result's target and its current value (an existing check-in date),
# adds a key result linked to batch A's new KPI, a new objective with a key result and a check-in.
UNDO_OKRS = """cycle,team,objective,objective_owner,objective_type,parent_objective,key_result,owner,baseline,target,unit,kpi,current,date,confidence
2026-Q4,Sales,Lift our sales performance this quarter,Andi,committed,Grow expansion revenue,Win three new clients from priority sectors,Andi,0,4,clients,,3,2026-11-20,9
2026-Q4,Sales,Lift our sales performance this quarter,Andi,committed,Grow expansion revenue,Sign 5 partner deals,Andi,0,5,deals,Partner-sourced deals,,,
2026-Q4,Sales,Open a partner channel,Bayu,aspirational,,Recruit 10 resellers,Bayu,0,10,resellers,,4,2026-11-21,6
"""


def _import(store, name: str, text: str, **kwargs):
    return import_files(store, [Upload(name, text.encode("utf-8"))], today=ANCHOR, **kwargs)


def _expect_store_error(code: str, action) -> StoreError:
    with pytest.raises(StoreError) as caught:
        action()
    assert caught.value.code == code
    for lang in ("en", "id"):
        message = caught.value.message(lang)
        assert message and not message.startswith("store."), message
    return caught.value


def test_undo_returns_every_row_to_its_state_before_the_batch(demo_db, demo_state, tmp_path):
    _, demo_scores, s0 = demo_state
    store = open_store(copy_db(demo_db, tmp_path))
    try:
        (kpi_batch,) = _import(store, "update-kpis.csv", UNDO_KPIS, imported_by="rina@contoh.co.id").written
        assert (kpi_batch.inserted, kpi_batch.updated) == (3, 3)  # KPI + 2 measurements new; 2 KPIs + 1 measurement changed
        s1 = snapshot(store)
        (okr_batch,) = _import(store, "update-okrs.csv", UNDO_OKRS, imported_by="rina@contoh.co.id").written
        assert okr_batch.updated >= 3 and okr_batch.inserted >= 4
        s2 = snapshot(store)
        with store.cursor() as cur:
            assert cur.execute("SELECT target FROM kpis WHERE name = 'Calls and emails per month'").fetchall() == [(1500.0,)]
            assert cur.execute(
                """SELECT c.value FROM checkins c JOIN key_results k ON k.id = c.key_result_id
                   WHERE k.title = 'Win three new clients from priority sectors' AND c.date = DATE '2026-11-20'"""
            ).fetchall() == [(3.0,)]

        # Batch A is built on by batch B (a key result linked to A's new KPI): refused, nothing changes.
        error = _expect_store_error("undo_blocked", lambda: store.undo(kpi_batch.batch_id, admin_writer("x")))
        assert str(okr_batch.batch_id) in error.message()
        assert_same_tables(snapshot(store), s2, DATA_TABLES)

        changed = store.undo(okr_batch.batch_id, admin_writer("hendra@contoh.co.id"))
        assert changed > 0
        after_b = snapshot(store)
        assert_same_tables(after_b, s1, CONTENT_TABLES)
        with store.cursor() as cur:
            for table in PRIOR_TABLES:
                assert cur.execute(f"SELECT count(*) FROM {table} WHERE replaced_by = ?",
                                   [okr_batch.batch_id]).fetchall() == [(0,)], table
        undone = store.batches()[0]
        assert undone.id == okr_batch.batch_id
        assert undone.undone_at is not None and undone.undone_by == "hendra@contoh.co.id"
        assert store.batches()[1].undone_at is None

        # Refusals change nothing.
        _expect_store_error("undo_already_done", lambda: store.undo(okr_batch.batch_id, admin_writer(None)))
        _expect_store_error("undo_unknown_batch", lambda: store.undo(9999, admin_writer(None)))
        assert_same_tables(snapshot(store), after_b, DATA_TABLES)

        store.undo(kpi_batch.batch_id, admin_writer("hendra@contoh.co.id"))
        assert_same_tables(snapshot(store), s0, CONTENT_TABLES)
        assert_same_scores(store, demo_scores)
        assert [b.undone_at is not None for b in store.batches()[:2]] == [True, True]

        # The same files import again after the undo (ids and keys are free again).
        _import(store, "update-kpis.csv", UNDO_KPIS)
        _import(store, "update-okrs.csv", UNDO_OKRS)
        with store.cursor() as cur:
            assert cur.execute("SELECT target FROM kpis WHERE name = 'Calls and emails per month'").fetchall() == [(1500.0,)]
    finally:
        store.close()


def test_undo_of_a_batch_a_later_batch_changed_is_refused(demo_db, tmp_path):
    store = open_store(copy_db(demo_db, tmp_path))
    try:
        (first,) = _import(store, "a.csv", "team,kpi,date,value,target\nOps,Uptime,2026-10-31,99,99.9\n").written
        (second,) = _import(store, "b.csv", "team,kpi,date,value,target\nOps,Uptime,2026-10-31,98,99.5\n").written
        before = snapshot(store)
        _expect_store_error("undo_blocked", lambda: store.undo(first.batch_id, admin_writer(None)))
        # The demo's check-ins batch builds on the key results of the demo's okrs batch.
        demo_batches = {b.file_name: b.id for b in store.batches() if b.imported_by == "demo"}
        _expect_store_error("undo_blocked", lambda: store.undo(demo_batches["okrs.csv"], admin_writer(None)))
        assert_same_tables(snapshot(store), before, DATA_TABLES)
        store.undo(second.batch_id, admin_writer(None))
        store.undo(first.batch_id, admin_writer(None))
        assert "Ops" not in store.teams()
    finally:
        store.close()


def test_cli_undo_exit_codes(demo_db, tmp_path, capsys):
    db = copy_db(demo_db, tmp_path)
    store = open_store(db)
    try:
        (batch,) = _import(store, "update-kpis.csv", UNDO_KPIS).written
        (later,) = _import(store, "update-okrs.csv", UNDO_OKRS).written
    finally:
        store.close()
    capsys.readouterr()
    assert cli_main(["--db", str(db), "undo", str(batch.batch_id)]) == 3
    assert f"undo batch {later.batch_id} first" in capsys.readouterr().err
    assert cli_main(["--db", str(db), "undo", str(later.batch_id), "--by", "cron"]) == 0
    assert f"Batch {later.batch_id} undone" in capsys.readouterr().out
    assert cli_main(["--db", str(db), "undo", str(later.batch_id)]) == 3
    assert "already been undone" in capsys.readouterr().err
    assert cli_main(["--db", str(db), "undo", "4242"]) == 3
    assert "4242" in capsys.readouterr().err
    assert cli_main(["--db", str(db), "undo", str(batch.batch_id)]) == 0
    store = open_store(db)
    try:
        batches = {b.id: b for b in store.batches()}
        assert batches[later.batch_id].undone_by == "cron"
        assert batches[batch.batch_id].undone_at is not None
    finally:
        store.close()


# -- backup and restore ------------------------------------------------------------------------------


def test_backup_and_restore_round_trip(demo_db, tmp_path):
    source = open_store(copy_db(demo_db, tmp_path))
    try:
        # Make every table non-trivial: prior versions of every kind of row, and an undone batch.
        _import(source, "update-kpis.csv", UNDO_KPIS, imported_by="rina@contoh.co.id")
        _import(source, "update-okrs.csv", UNDO_OKRS)
        (again,) = _import(source, "again.csv", "team,kpi,date,value\nSales,Monthly sales growth,2026-11-30,5.3\n").written
        source.undo(again.batch_id, admin_writer("rina@contoh.co.id"))
        # A planned path, and a later version of its point (kr_plans_prior).
        for planned in (6, 7):
            _import(source, "plan.csv", f"team,key_result,date,planned\nSales,Recruit 10 resellers,2026-11-30,{planned}\n")
        # People, a later version of one of them (people_prior), and a reminder sent.
        for name in ("Rizky", "Rizky Pratama"):
            people = PeopleRows(source="people.csv", people=(Person(name=name, email="rizky@contoh.co.id"),))
            source.apply([people.changes()], admin_writer("rina@contoh.co.id"))
        with source.sending_reminder("owner", "rizky@contoh.co.id", dt.date(2026, 11, 23)) as ours:
            assert ours
        # A saved mapping (the answers to a sheet's questions).
        save(source, "Cabang", Mapping(columns=(("Indikator KPI", "kpi"),), values=(("team", "Sales"),),
                                       headers=("Indikator KPI", "Tanggal", "Realisasi")),
             admin_writer("rina@contoh.co.id"))
        expected = snapshot(source)
        expected_counts = source.table_counts()
        folder = source.backup(tmp_path / "backup")
        assert (folder / "schema.sql").is_file()
    finally:
        source.close()
    assert all(expected[t] for t in DATA_TABLES), "some table is empty"

    restore(folder, tmp_path / "restored.duckdb")
    restored = open_store(tmp_path / "restored.duckdb")
    try:
        assert restored.table_counts() == expected_counts
        assert_same_tables(snapshot(restored), expected, DATA_TABLES)
        # New ids continue after the restored ones: a new import collides with nothing.
        (new,) = _import(restored, "new.csv", "team,kpi,date,value\nOps,Uptime,2026-11-01,99.5\n").written
        assert new.batch_id == max(b.id for b in restored.batches()[1:]) + 1
        with restored.cursor() as cur:
            assert cur.execute("SELECT count(*) = count(DISTINCT id) FROM kpis").fetchall() == [(True,)]
    finally:
        restored.close()


def test_restore_refuses_a_non_empty_database_and_a_folder_that_is_not_a_backup(demo_db, tmp_path):
    source = open_store(copy_db(demo_db, tmp_path))
    try:
        folder = source.backup(tmp_path / "backup")
        expected = snapshot(source)
    finally:
        source.close()

    target = copy_db(demo_db, tmp_path, "full.duckdb")
    _expect_store_error("restore_target_not_empty", lambda: restore(folder, target))
    check = open_store(target)
    try:
        assert_same_tables(snapshot(check), expected, DATA_TABLES)
    finally:
        check.close()

    not_a_backup = tmp_path / "just-parquet"
    not_a_backup.mkdir()
    shutil.copyfile(folder / "kpis.parquet", not_a_backup / "kpis.parquet")
    new_path = tmp_path / "new.duckdb"
    _expect_store_error("restore_not_a_backup", lambda: restore(not_a_backup, new_path))
    _expect_store_error("restore_not_a_backup", lambda: restore(tmp_path / "does-not-exist", new_path))
    assert not new_path.exists()

    # An existing but empty database may be restored into.
    empty = tmp_path / "empty.duckdb"
    open_store(empty).close()
    restore(folder, empty)
    check = open_store(empty)
    try:
        assert_same_tables(snapshot(check), expected, DATA_TABLES)
    finally:
        check.close()


def test_restore_into_a_new_folder_creates_it_as_open_store_does(demo_db, demo_state, tmp_path):
    source = open_store(copy_db(demo_db, tmp_path))
    try:
        folder = source.backup(tmp_path / "backup")
    finally:
        source.close()
    target = tmp_path / "srv" / "okrdash" / "okrdash.duckdb"
    restore(folder, target)
    store = open_store(target)
    try:
        assert_same_tables(snapshot(store), demo_state[2], DATA_TABLES)
    finally:
        store.close()


def test_cli_restore_of_a_damaged_backup_is_refused_with_a_message(demo_db, tmp_path, capsys):
    db = copy_db(demo_db, tmp_path)
    folder = tmp_path / "backup"
    assert cli_main(["--db", str(db), "backup", str(folder)]) == 0
    (folder / "kpi_measurements.parquet").write_bytes(b"not parquet")  # a truncated copy, say
    capsys.readouterr()
    target = tmp_path / "restored.duckdb"
    code = cli_main(["--db", str(target), "restore", str(folder)])  # an exception here is a traceback for the user
    assert code in (1, 3)
    err = capsys.readouterr().err
    assert "kpi_measurements" in err
    # Nothing half-restored blocks a second try with a good backup.
    good = tmp_path / "good-backup"
    assert cli_main(["--db", str(db), "backup", str(good)]) == 0
    assert cli_main(["--db", str(target), "restore", str(good)]) == 0


def test_backup_refuses_a_folder_that_is_not_empty(demo_db, tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    store = open_store(copy_db(demo_db, tmp_path))
    try:
        _expect_store_error("backup_folder_not_empty", lambda: store.backup(folder))
    finally:
        store.close()
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert (folder / "notes.txt").read_text() == "keep me"


def test_cli_backup_and_restore_exit_codes(demo_db, demo_state, tmp_path, capsys):
    db = copy_db(demo_db, tmp_path)
    folder = tmp_path / "nightly"
    assert cli_main(["--db", str(db), "backup", str(folder)]) == 0
    assert str(folder) in capsys.readouterr().out
    assert cli_main(["--db", str(db), "backup", str(folder)]) == 3
    assert "not empty" in capsys.readouterr().err

    new = tmp_path / "restored.duckdb"
    assert cli_main(["--db", str(new), "restore", str(folder)]) == 0
    capsys.readouterr()
    assert cli_main(["--db", str(new), "restore", str(folder)]) == 3
    assert "already holds data" in capsys.readouterr().err
    assert cli_main(["--db", str(tmp_path / "other.duckdb"), "restore", str(tmp_path)]) == 3
    assert "schema.sql" in capsys.readouterr().err

    store = open_store(new)
    try:
        assert_same_tables(snapshot(store), demo_state[2], DATA_TABLES)
    finally:
        store.close()


# -- two writers at the same moment ---------------------------------------------------------------


def _kpi_file(team: str, kpi: str, days: int, start: dt.date = dt.date(2026, 1, 1)) -> str:
    rows = [f"{team},{kpi},{(start + dt.timedelta(days=d)).isoformat()},{d % 50}" for d in range(days)]
    return "team,kpi,date,value\n" + "\n".join(rows) + "\n"


def _okr_file(team: str) -> str:
    return ("cycle,team,objective,key_result,baseline,target,current,date\n"
            f"2026-Q4,{team},Ship the {team} roadmap,Close 40 {team} tickets,0,40,12,2026-11-15\n"
            f"2026-Q4,{team},Ship the {team} roadmap,Publish 3 {team} guides,0,3,1,2026-11-15\n")


def _assert_no_duplicate_natural_keys(store) -> None:
    """Natural keys match whatever their case (docs/csv-format.md), so compare them case-folded."""
    checks = {
        "teams": "SELECT lower(trim(team)) FROM (SELECT team FROM objectives UNION SELECT team FROM kpis) "
                 "GROUP BY 1 HAVING count(*) > 1",
        "kpis": "SELECT lower(team), lower(name) FROM kpis GROUP BY ALL HAVING count(*) > 1",
        "objectives": "SELECT cycle, lower(team), lower(title) FROM objectives GROUP BY ALL HAVING count(*) > 1",
        "key_results": "SELECT objective_id, lower(title) FROM key_results GROUP BY ALL HAVING count(*) > 1",
        "kpi_measurements": "SELECT kpi_id, date FROM kpi_measurements GROUP BY ALL HAVING count(*) > 1",
        "checkins": "SELECT key_result_id, date FROM checkins GROUP BY ALL HAVING count(*) > 1",
    }
    with store.cursor() as cur:
        for name, sql in checks.items():
            assert cur.execute(sql).fetchall() == [], f"duplicate natural keys in {name}"


CONCURRENT_CASES = {
    "different teams": (("sales.csv", _kpi_file("Sales", "Partner leads", 400)),
                        ("engineering.csv", _kpi_file("Engineering", "Build minutes", 400))),
    "kpis and okrs of two teams": (("ops.csv", _kpi_file("Ops", "Uptime", 300)),
                                   ("finance.csv", _okr_file("Finance"))),
    "the same file twice": (("same.csv", _kpi_file("Sales", "Partner leads", 400)),
                            ("same.csv", _kpi_file("Sales", "Partner leads", 400))),
    # Two people add the same new KPI at once, spelled differently: one KPI, as in turn.
    "one new KPI spelled two ways": (("a.csv", _kpi_file("Ops", "Uptime", 200)),
                                     ("b.csv", _kpi_file("OPS", "uptime", 200, dt.date(2026, 8, 1)))),
}


@pytest.mark.parametrize("case", list(CONCURRENT_CASES))
def test_two_imports_at_the_same_moment_land_as_if_one_after_the_other(case, demo_db, tmp_path):
    files = CONCURRENT_CASES[case]
    store = open_store(copy_db(demo_db, tmp_path))
    barrier = threading.Barrier(len(files))
    outcomes: dict[int, object] = {}
    if case == "one new KPI spelled two ways":
        # Both uploads validated before either writes: the interleaving that lets two spellings of
        # one new name through, made certain. If the product serialises whole imports (validation
        # included), the second never gets here while the first holds the store: the wait times
        # out and each goes on alone.
        real_apply = store.apply
        both_validated = threading.Barrier(len(files), timeout=2)

        def apply_together(changes, writer):
            try:
                both_validated.wait()
            except threading.BrokenBarrierError:
                pass
            return real_apply(changes, writer)

        store.apply = apply_together

    def run(index: int, name: str, text: str) -> None:
        barrier.wait()
        try:
            outcomes[index] = import_files(store, [Upload(name, text.encode())], imported_by=f"user{index}",
                                           today=ANCHOR)
        except BaseException as error:  # judged below
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i, n, t)) for i, (n, t) in enumerate(files)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
        landed = []
        for index, outcome in sorted(outcomes.items()):
            if isinstance(outcome, (ImportFailed, StoreError)):
                text = "\n".join(p.describe() for p in outcome.problems) if isinstance(outcome, ImportFailed) \
                    else outcome.message()
                assert text.strip(), "a refused import without a message"
            else:
                assert not isinstance(outcome, BaseException), f"import {index} crashed: {outcome!r}"
                landed.append(files[index])
        assert len(outcomes) == len(files)
        counts = store.table_counts()
        _assert_no_duplicate_natural_keys(store)
    finally:
        store.close()

    # The same files imported one after the other, into a fresh copy.
    reference = open_store(copy_db(demo_db, tmp_path, "reference.duckdb"))
    try:
        for name, text in landed:
            import_files(reference, [Upload(name, text.encode())], today=ANCHOR)
        assert counts == reference.table_counts()
    finally:
        reference.close()
    assert landed, "neither import landed"


# -- readers during an import ---------------------------------------------------------------------


def test_readers_see_the_data_before_or_after_an_import_never_half(demo_db, tmp_path):
    store = open_store(copy_db(demo_db, tmp_path))
    text = "team,kpi,date,value\n" + "".join(
        f"Sales,Sales load {k},{(dt.date(1950, 1, 1) + dt.timedelta(days=d)).isoformat()},{d % 10}\n"
        for k in range(8) for d in range(5000)
    )
    query = """SELECT (SELECT count(*) FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id WHERE k.team = ?),
                      (SELECT count(*) FROM kpis WHERE team = ?),
                      (SELECT count(*) FROM batches)"""

    def observe() -> tuple:
        with store.cursor() as cur:
            return cur.execute(query, ["Sales", "Sales"]).fetchall()[0]

    seen: list[tuple] = []
    errors: list[BaseException] = []
    writing = threading.Event()
    done = threading.Event()

    def reader() -> None:
        try:
            writing.wait()
            while not done.is_set():
                seen.append(observe())
            seen.append(observe())
        except BaseException as error:
            errors.append(error)

    try:
        before = observe()
        thread = threading.Thread(target=reader)
        thread.start()
        writing.set()
        try:
            import_files(store, [Upload("sales-load.csv", text.encode())], today=ANCHOR)
        finally:
            done.set()
            thread.join(timeout=120)
        after = observe()
    finally:
        store.close()
    assert not errors, errors
    assert after == (before[0] + 40_000, before[1] + 8, before[2] + 1)
    assert len(seen) > 1
    half = [s for s in seen if s not in (before, after)]
    assert not half, f"readers saw a half-written import: {half[:5]} (before {before}, after {after})"
    assert seen[-1] == after


# -- a second process on the same file ------------------------------------------------------------


def test_a_second_process_is_refused_with_the_holder_named(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    holder = Child("hold_store.py", db)
    try:
        ready = holder.wait_for("ready")
        assert ready == f"ready {holder.process.pid}"
        for argv in (["status"], ["import", str(ROOT / "data" / "demo" / "kpis.csv")]):
            result = subprocess.run([sys.executable, "-m", "okrdash", "--db", str(db), *argv], cwd=tmp_path,
                                    env=child_env(), capture_output=True, text=True, timeout=300)
            assert result.returncode == 3, (argv, result.stdout, result.stderr)
            assert f"PID {holder.process.pid}" in result.stderr
            assert "stop that program" in result.stderr and "Upload page" in result.stderr
            assert "Traceback" not in result.stderr
        with pytest.raises(StoreError) as caught:
            open_store(db)
        assert caught.value.code == "store_locked"
        assert caught.value.params["pid"] == str(holder.process.pid)
        assert "hold_store.py" in caught.value.params["program"]
    finally:
        holder.process.stdin.close()  # the holder closes the store and exits
        holder.process.wait(timeout=60)
        holder.stop()
    assert holder.process.returncode == 0
    store = open_store(db)  # free again
    store.close()


# -- text that looks like SQL -----------------------------------------------------------------------

DROP = "x'); DROP TABLE objectives; --"
DELETE = "Robert'); DELETE FROM kpis; --"


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_sql_injection_text_is_stored_verbatim_everywhere(store):
    kpis = ("team,kpi,date,value,target,unit,category,owner\n"
            f"{_q(DROP)},{_q(DELETE)},2026-10-31,5,10,{_q(DELETE)},{_q(DROP)},{_q(DELETE)}\n"
            f"{_q(DELETE)},{_q(DROP)},2026-10-31,7,10,,,\n")
    okrs = ("cycle,team,objective,key_result,owner,baseline,target,unit,current,date\n"
            f"2026-Q4,{_q(DELETE)},{_q(DROP)},{_q(DELETE)},{_q(DROP)},0,10,{_q(DROP)},4,2026-11-01\n"
            f"2026-Q4,{_q(DROP)},{_q(DELETE)},{_q(DROP)},,0,10,,,\n")
    checkins = ("team,key_result,date,value,note\n"
                f"{_q(DELETE)},{_q(DELETE)},2026-11-10,6,{_q(DROP)}\n"
                f"{_q(DROP)},{_q(DROP)},2026-11-10,2,{_q(DELETE)}\n")
    import_files(store, [Upload(f"{DROP}.csv", kpis.encode()), Upload(f"{DELETE}.csv", okrs.encode()),
                         Upload("c.csv", checkins.encode())], imported_by=DELETE, today=ANCHOR)
    with store.cursor() as cur:
        tables = {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert set(DATA_TABLES) <= tables
        assert sorted(cur.execute("SELECT team, name, unit, category, owner FROM kpis").fetchall(), key=str) == sorted(
            [(DROP, DELETE, DELETE, DROP, DELETE), (DELETE, DROP, None, None, None)], key=str)
        assert sorted(cur.execute("SELECT team, title, owner FROM objectives").fetchall(), key=str) == sorted(
            [(DELETE, DROP, DROP), (DROP, DELETE, None)], key=str)
        assert sorted(cur.execute(
            "SELECT o.team, k.title, k.owner, k.unit FROM key_results k JOIN objectives o ON o.id = k.objective_id"
        ).fetchall(), key=str) == sorted([(DELETE, DELETE, DROP, DROP), (DROP, DROP, None, None)], key=str)
        assert sorted(cur.execute(
            """SELECT k.title, c.value, c.note FROM checkins c JOIN key_results k ON k.id = c.key_result_id
               WHERE c.date = DATE '2026-11-10'"""
        ).fetchall(), key=str) == sorted([(DELETE, 6.0, DROP), (DROP, 2.0, DELETE)], key=str)
    assert store.table_counts() == {**{t: 0 for t in DATA_TABLES}, "batches": 3, "cycles": 1, "objectives": 2,
                                    "key_results": 2, "checkins": 3, "kpis": 2, "kpi_measurements": 2}
    assert {b.file_name for b in store.batches()} == {f"{DROP}.csv", f"{DELETE}.csv", "c.csv"}
    assert {b.imported_by for b in store.batches()} == {DELETE}
    # The text works as a filter value too.
    assert len(store.kr_scores(ANCHOR, team=DELETE)) == 1
    assert len(store.kpi_scores(ANCHOR, team=DROP)) == 1
    assert store.teams() == sorted([DELETE, DROP])


# -- restore runs only what okrdash wrote -------------------------------------------------------------------


def test_restore_refuses_sql_appended_to_a_backup(demo_db, tmp_path, capsys):
    db = copy_db(demo_db, tmp_path)
    folder = tmp_path / "backup"
    assert cli_main(["--db", str(db), "backup", str(folder)]) == 0
    written = tmp_path / "written-by-restore.csv"
    with open(folder / "load.sql", "a", encoding="utf-8") as load:
        load.write(f"\nCOPY (SELECT 42) TO '{written}';\n")
    capsys.readouterr()
    target = tmp_path / "restored.duckdb"
    assert cli_main(["--db", str(target), "restore", str(folder)]) == 3
    assert "load.sql is new, missing or different" in capsys.readouterr().err
    assert not written.exists() and not target.exists()


def test_restore_refuses_an_extra_file_and_a_folder_without_manifest(demo_db, tmp_path):
    source = open_store(copy_db(demo_db, tmp_path))
    try:
        folder = source.backup(tmp_path / "backup")
    finally:
        source.close()
    manifest = json.loads((folder / "okrdash-manifest.json").read_text())
    assert set(manifest["files"]) == {p.name for p in folder.iterdir()} - {"okrdash-manifest.json"}
    assert manifest["files"]["schema.sql"] == hashlib.sha256((folder / "schema.sql").read_bytes()).hexdigest()
    (folder / "extra.parquet").write_bytes(b"PAR1")
    _expect_store_error("restore_changed", lambda: restore(folder, tmp_path / "a.duckdb"))
    (folder / "extra.parquet").unlink()
    (folder / "okrdash-manifest.json").unlink()
    _expect_store_error("restore_no_manifest", lambda: restore(folder, tmp_path / "b.duckdb"))
    assert not (tmp_path / "a.duckdb").exists() and not (tmp_path / "b.duckdb").exists()
