"""Very wide files (issue 22, finding 3): the work grows with the cells, not with columns times cells.

A 12 KB CSV of one row and 1,004 columns ran past 500 s and 1.2 GB; a KPI sheet with a column per
day for years ran DuckDB's reader out of memory. Timings are measured in the report (not asserted
here): these tests hold the reader to what makes it linear, on files of those shapes.
"""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash.importing import load as load_module
from okrdash.importing.cells import scratch_connection
from okrdash.importing.table import read_upload
from tests.conftest import stored_measurements

TODAY = dt.date(2026, 11, 20)


def wide_unknown(columns: int) -> bytes:
    headers = ["team", "kpi", "date", "value"] + [f"kolom tambahan {i}" for i in range(columns - 4)]
    row = ["Sales", "Leads", "2026-10-31", "5"] + [f"catatan {i}" for i in range(columns - 4)]
    return (",".join(headers) + "\n" + ",".join(row) + "\n").encode()


def test_unknown_columns_are_split_but_never_kept(store, load):
    con = scratch_connection()
    try:
        [table] = read_upload(con, "wide.csv", wide_unknown(1004), "t", 100)
        kept = [name for name, *_ in con.execute('DESCRIBE "t"').fetchall()]
    finally:
        con.close()
    assert kept == ["line", "team", "kpi", "date", "value"]
    assert len(table.ignored_headers) == 1000
    result = load(("wide.csv", wide_unknown(1004)), today=TODAY)
    assert stored_measurements(store) == {("Leads", dt.date(2026, 10, 31)): 5.0}
    assert len(result.files[0].ignored_headers) == 1000


def test_numbers_only_in_unknown_columns_are_still_refused(store, reject):
    data = "team,kpi,Angka Jan,Angka Feb\nSales,Leads,4,5\n"
    problems = reject(("k.csv", data), today=TODAY)
    assert sorted((p.column, p.code) for p in problems) == [("Angka Feb", "numbers_only_in_ignored"),
                                                            ("Angka Jan", "numbers_only_in_ignored")]


def days_sheet(days: int, kpis: int = 3) -> bytes:
    start = dt.date(2020, 1, 1)
    headers = ["Tim", "KPI"] + [(start + dt.timedelta(days=i)).isoformat() for i in range(days)]
    rows = [["Sales", f"KPI {k}"] + [str((i * 7 + k) % 97) for i in range(days)] for k in range(kpis)]
    return "\n".join(",".join(r) for r in [headers, *rows]).encode() + b"\n"


def test_a_column_per_day_for_years_is_read(store, load):
    """3,000 day columns: DuckDB's reader ran out of the import's memory ("the file could not be read")."""
    load(("harian.csv", days_sheet(3000)), today=dt.date(2028, 4, 1))
    stored = stored_measurements(store)
    assert len(stored) == 9000
    assert stored[("KPI 2", dt.date(2028, 3, 18))] == float((2999 * 7 + 2) % 97)


@pytest.mark.parametrize("days", [70, 200])
def test_a_sheet_of_some_months_of_day_columns_is_read(store, load, days):
    """From 65 to 256 kept columns the reader's row check was written with DuckDB's old lambda
    arrow, which DuckDB 2.0 refuses: the file was "unreadable"."""
    load(("harian.csv", days_sheet(days)), today=dt.date(2026, 12, 1))
    stored = stored_measurements(store)
    assert len(stored) == 3 * days
    last = dt.date(2020, 1, 1) + dt.timedelta(days=days - 1)
    assert stored[("KPI 1", last)] == float(((days - 1) * 7 + 1) % 97)


@pytest.mark.parametrize("data", [
    b"team,kpi,2026-10-05,2026-10-12,Catatan\n\nSales,Leads,4,5,\"dua\nbaris\"\nSales,Calls,6,,ok\n",
    b"Laporan\n\nteam,kpi,2026-10-05,2026-10-12\nSales,Leads,4,5\n\n\nSales,Calls,6,7\n",
])
def test_the_wide_reader_reads_as_duckdb_does(monkeypatch, data):
    """The same rows, cells and line numbers from either reader."""
    def read() -> list[tuple]:
        con = scratch_connection()
        try:
            [table] = read_upload(con, "k.csv", data, "t", 100)
            return con.execute(f'SELECT * FROM "{table.table}" ORDER BY ALL').fetchall()
        finally:
            con.close()

    by_duckdb = read()
    monkeypatch.setattr(load_module, "WIDE_COLUMNS", 0)
    assert read() == by_duckdb


def test_the_wide_reader_names_a_short_row(monkeypatch, store, reject):
    monkeypatch.setattr(load_module, "WIDE_COLUMNS", 0)
    problems = reject(("k.csv", "team,kpi,date,value\nSales,Leads,2026-10-31,5\nSales,Calls\n"), today=TODAY)
    assert [(p.line, p.code) for p in problems] == [(3, "row_too_few_fields")]
