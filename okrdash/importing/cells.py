"""The scratch DuckDB connection every read and validation works in, with the cell parsers of cells.sql."""

from __future__ import annotations

from pathlib import Path

import duckdb

from okrdash.names import name_key

CELL_MACROS = (Path(__file__).with_name("cells.sql")).read_text(encoding="utf-8")


def scratch_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the cell parsing macros."""
    con = duckdb.connect(":memory:")
    con.execute(CELL_MACROS)
    # Names are compared by one Python function everywhere (see okrdash/names.py), SQL included.
    con.create_function("okr_name_key", name_key, [duckdb.sqltypes.VARCHAR], duckdb.sqltypes.VARCHAR,
                        null_handling="special", side_effects=False)
    return con
