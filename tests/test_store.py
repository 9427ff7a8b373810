"""The DuckDB store: schema and migrations, persistence, and values that look like SQL."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from okrdash.access import admin_writer
from okrdash.store import DATA_TABLES, SCHEMA_VERSION, open_store
from okrdash.store.file_store import DuckDBStore
from okrdash.store.schema import MIGRATIONS
from tests.conftest import kr_row, objective_row

# Each test using the store fixture runs on DuckDB and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

AS_OF = dt.date(2026, 5, 31)
OKRS = ("cycle,team,objective,key_result,baseline,target,current,date\n"
        "2026-Q2,Sales,Grow revenue,Sign 10 new customers,0,10,4,2026-05-15\n")
INJECTION = "x'); DROP TABLE objectives; --"


def test_schema_version_after_open(store):
    assert SCHEMA_VERSION >= 1
    assert SCHEMA_VERSION == max(MIGRATIONS)
    assert store.schema_version() == SCHEMA_VERSION


def test_each_backend_offers_the_whole_store_interface(store):
    from okrdash.store import Store

    assert isinstance(store, Store)  # every member of the Protocol, methods and attributes
    assert not store.read_only and store.write_version >= 0


def test_new_store_is_empty(store):
    assert store.is_empty()
    counts = store.table_counts()
    assert set(counts) == set(DATA_TABLES)
    assert set(counts.values()) == {0}
    assert {"batches", "cycles", "objectives", "key_results", "checkins", "kpis", "kpi_measurements"} <= set(counts)


def test_reopening_a_file_database_keeps_data_and_schema(tmp_path, load):
    path = tmp_path / "nested" / "dir" / "okrdash.duckdb"  # parent folders are created
    first = open_store(path)
    load(("okrs.csv", OKRS), into=first)
    counts = first.table_counts()
    first.close()

    second = open_store(path)
    try:
        assert second.table_counts() == counts
        assert second.schema_version() == SCHEMA_VERSION
        with second.cursor() as cur:
            # Migrations ran once: reopening does not apply them again.
            assert cur.execute("SELECT count(*) FROM schema_version").fetchall()[0][0] == len(MIGRATIONS)
        row = kr_row(second, "Sign 10 new customers", AS_OF)
        assert (row["current"], row["progress"]) == (4.0, pytest.approx(0.4))
        assert not second.is_empty()
    finally:
        second.close()


def test_store_constructor_and_open_store_agree(tmp_path, load):
    path = tmp_path / "okrdash.duckdb"
    direct = DuckDBStore(path)
    load(("okrs.csv", OKRS), into=direct)
    direct.close()
    reopened = open_store(str(path))
    try:
        assert reopened.table_counts()["key_results"] == 1
    finally:
        reopened.close()


def test_open_store_defaults_to_okrdash_db(tmp_path, monkeypatch, load):
    from okrdash import settings as settings_module

    path = tmp_path / "from-env.duckdb"
    monkeypatch.setenv("OKRDASH_DB", str(path))
    settings_module.settings.cache_clear()
    store = open_store()
    try:
        assert str(store.path) == str(path)
        load(("okrs.csv", OKRS), into=store)
    finally:
        store.close()
    assert path.exists()


def test_upgrade_from_schema_version_1_keeps_data(tmp_path):
    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    con.execute(MIGRATIONS[1])
    con.execute("INSERT INTO schema_version VALUES (1, now())")
    con.execute("INSERT INTO cycles (name, start_date, end_date) VALUES ('2026-Q2', DATE '2026-04-01', DATE '2026-06-30')")
    con.execute("INSERT INTO objectives (cycle, team, title, type) VALUES ('2026-Q2', 'Sales', 'Grow', 'committed')")
    con.close()
    store = open_store(path)
    try:
        assert store.schema_version() == SCHEMA_VERSION
        assert objective_row(store, "Grow", AS_OF)["status"] == "No Data"
    finally:
        store.close()


def test_sql_injection_text_is_stored_as_text(store, load):
    data = ("cycle,team,objective,key_result,baseline,target,current,date,owner\n"
            f"2026-Q2,\"Robert'); DROP TABLE kpis;--\",\"{INJECTION}\",\"' OR 1=1 --\",0,10,5,2026-05-01,\"Bobby \"\"Tables\"\"\"\n")
    load(("okrs'; DROP TABLE batches;--.csv", data))
    row = kr_row(store, "' OR 1=1 --", AS_OF)
    assert (row["objective"], row["team"], row["owner"]) == (INJECTION, "Robert'); DROP TABLE kpis;--", 'Bobby "Tables"')
    counts = store.table_counts()  # every table still exists
    assert counts["objectives"] == 1 and counts["kpis"] == 0
    assert store.batches()[0].file_name == "okrs'; DROP TABLE batches;--.csv"
    # Filters take the text as a parameter too.
    assert len(store.kr_scores(AS_OF, team="Robert'); DROP TABLE kpis;--")) == 1
    assert len(store.kr_scores(AS_OF, team="x' OR '1'='1")) == 0
    assert len(store.objective_scores(AS_OF, cycle="2026-Q2' --")) == 0


def test_sql_injection_in_kpi_and_checkin_files(store, load):
    load(("k.csv", f"team,kpi,date,value,target\nOps,\"{INJECTION}\",2026-05-01,1,2\n"))
    load(("o.csv", OKRS),
         ("c.csv", f"team,key_result,date,value,note\nSales,Sign 10 new customers,2026-05-20,6,\"{INJECTION}\"\n"))
    assert list(store.kpi_scores(AS_OF)["name"]) == [INJECTION]
    kr_id = int(kr_row(store, "Sign 10 new customers", AS_OF)["key_result_id"])
    history = store.checkin_histories([kr_id])[kr_id]
    assert INJECTION in list(history["note"])
    assert store.table_counts()["objectives"] == 1


def test_filters_of_the_bulk_queries(store, load):
    load(("o.csv", OKRS + "2026-Q3,Sales,Grow revenue,Sign 20 new customers,0,20,,\n"
                          "2026-Q2,Ops,Stay up,Raise uptime,99,99.9,,\n"))
    assert set(store.kr_scores(AS_OF)["title"]) == {"Sign 10 new customers", "Sign 20 new customers", "Raise uptime"}
    assert set(store.kr_scores(AS_OF, cycle="2026-Q2")["title"]) == {"Sign 10 new customers", "Raise uptime"}
    assert set(store.kr_scores(AS_OF, team="Ops")["title"]) == {"Raise uptime"}
    objective_id = int(objective_row(store, "Stay up", AS_OF)["objective_id"])
    assert set(store.kr_scores(AS_OF, objective_id=objective_id)["title"]) == {"Raise uptime"}
    assert len(store.objective_scores(AS_OF, cycle="2026-Q3")) == 1
    assert store.teams() == ["Ops", "Sales"]
    assert [c.name for c in store.cycles()] == ["2026-Q2", "2026-Q3"]


def test_reset_deletes_rows_and_keeps_schema(store, load):
    load(("o.csv", OKRS))
    store.reset(admin_writer(None))
    assert set(store.table_counts().values()) == {0}
    assert store.schema_version() == SCHEMA_VERSION
    load(("o.csv", OKRS))
    assert store.table_counts()["key_results"] == 1


def test_latest_data_date(store, load):
    assert store.latest_data_date() is None
    load(("o.csv", OKRS), ("k.csv", "team,kpi,date,value\nOps,Uptime,2026-05-20,99.9\n"))
    assert store.latest_data_date() == dt.date(2026, 5, 20)


def test_duckdb_threads_and_memory_come_from_settings(tmp_path):
    from okrdash.settings import Settings

    config = Settings(db_path=tmp_path / "okrdash.duckdb", duckdb_threads=1, duckdb_memory_limit="256MB")
    store = DuckDBStore(config.db_path, config)
    try:
        with store.cursor() as cur:
            threads, memory = cur.execute(
                "SELECT current_setting('threads'), current_setting('memory_limit')").fetchall()[0]
        assert threads == 1
        assert memory in ("256.0 MiB", "244.1 MiB")  # DuckDB prints MB as MiB
    finally:
        store.close()


def test_a_memory_limit_that_is_not_a_size_is_refused():
    from pydantic import ValidationError

    from okrdash.settings import Settings

    with pytest.raises(ValidationError):
        Settings(duckdb_memory_limit="lots")
