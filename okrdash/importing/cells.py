"""The scratch DuckDB connection every read and validation works in, with the cell parsers of cells.sql."""

from __future__ import annotations

from pathlib import Path

import duckdb

CELL_MACROS = (Path(__file__).with_name("cells.sql")).read_text(encoding="utf-8")


def scratch_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the cell parsing macros."""
    con = duckdb.connect(":memory:")
    con.execute(CELL_MACROS)
    return con
