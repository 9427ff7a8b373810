"""Rows between PostgreSQL and the DuckDB mirror, as CSV through COPY (the PostgreSQL store's freight).

psycopg 3 streams COPY to and from Python; Arrow reads and writes the CSV. Every value travels
as text, quoted, with NULL left empty and '' quoted, so neither is mistaken for the other.
"""

from __future__ import annotations

import io

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg import sql

# Rows per CSV chunk pushed to PostgreSQL (bounds the memory a large import's push takes).
PUSH_CHUNK_ROWS = 200_000


def copy_out(pg: psycopg.Connection, table: str, names: list[str], where: sql.Composable | None = None,
             params: dict | None = None) -> pa.Table:
    """Columns ``names`` of a PostgreSQL table's rows (all, or those ``where`` selects) as text
    columns (NULL stays NULL, '' stays '')."""
    buffer = io.BytesIO()
    query = sql.SQL("COPY (SELECT {} FROM {} WHERE {}) TO STDOUT (FORMAT csv)").format(
        sql.SQL(", ").join(map(sql.Identifier, names)), sql.Identifier(table), where or sql.SQL("true"))
    with pg.cursor() as pcur, pcur.copy(query, params) as copy:
        for chunk in copy:
            buffer.write(chunk)
    if not buffer.tell():
        return pa.table({name: pa.array([], pa.string()) for name in names})
    return pa_csv.read_csv(
        pa.py_buffer(buffer.getvalue()),
        read_options=pa_csv.ReadOptions(column_names=names),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(column_types={name: pa.string() for name in names},
                                              strings_can_be_null=True, quoted_strings_can_be_null=False,
                                              null_values=[""]))


def copy_in(pg: psycopg.Connection, table: str, rows: pa.Table, names: list[str]) -> None:
    """COPY columns ``names`` of Arrow rows into a PostgreSQL table as CSV: every value quoted, NULL left empty."""
    if not rows.num_rows:
        return
    query = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names)))
    options = pa_csv.WriteOptions(include_header=False, quoting_style="all_valid")
    with pg.cursor() as pcur, pcur.copy(query) as copy:
        for start in range(0, rows.num_rows, PUSH_CHUNK_ROWS):
            buffer = io.BytesIO()
            pa_csv.write_csv(rows.slice(start, PUSH_CHUNK_ROWS).select(names), buffer, options)
            copy.write(buffer.getvalue())


def delete_keys(pg: psycopg.Connection, table: str, key: list[str], keys: pa.Table) -> None:
    """Delete the rows of a PostgreSQL table whose ``key`` columns are in ``keys`` (copied into a
    temporary table first: one statement, whatever the number of keys)."""
    names = sql.SQL(", ").join(map(sql.Identifier, key))
    pg.execute(sql.SQL("CREATE TEMP TABLE okrdash_keys ON COMMIT DROP AS SELECT {} FROM {} LIMIT 0").format(
        names, sql.Identifier(table)))
    copy_in(pg, "okrdash_keys", keys, key)
    pg.execute(sql.SQL("DELETE FROM {} t USING okrdash_keys k WHERE {}").format(
        sql.Identifier(table),
        sql.SQL(" AND ").join(sql.SQL("t.{0} = k.{0}").format(sql.Identifier(c)) for c in key)))
    pg.execute("DROP TABLE okrdash_keys")


def insert_text_rows(cur: duckdb.DuckDBPyConnection, table: str, rows: pa.Table,
                     columns: list[tuple[str, str, bool]]) -> None:
    """Insert rows copied out of PostgreSQL (text columns) into a mirror table, each cast to its
    DuckDB type (``columns``: name, type, nullable, as the mirror's schema has them)."""
    if not rows.num_rows:
        return
    casts = ", ".join(f'CAST("{name}" AS {kind}) AS "{name}"' for name, kind, _ in columns)
    cur.register("pg_rows", rows)
    try:
        cur.execute(f"INSERT INTO {table} BY NAME SELECT {casts} FROM pg_rows")
    finally:
        cur.unregister("pg_rows")
