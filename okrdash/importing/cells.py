"""The scratch DuckDB connection every read and validation works in, with the cell parsers of cells.sql."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from okrdash.names import name_key

CELL_MACROS = (Path(__file__).with_name("cells.sql")).read_text(encoding="utf-8")
# What DuckDB may hold of one validation before it spills to disk. Unbounded, the 1.8 M-row KPI
# file's scratch tables took ~600 MB beside the server's own memory and the uploaded bytes
# (bench/upload.py); spilling above this costs a few seconds on that file and nothing below it.
SCRATCH_MEMORY_LIMIT = "400MB"
SCRATCH_SPILL_DIR = Path(tempfile.gettempdir()) / "okrdash-scratch"


def scratch_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the cell parsing macros."""
    con = duckdb.connect(":memory:", config={"memory_limit": SCRATCH_MEMORY_LIMIT,
                                             "temp_directory": str(SCRATCH_SPILL_DIR)})
    con.execute(CELL_MACROS)
    # Names are compared by one Python function everywhere (see okrdash/names.py), SQL included.
    con.create_function("okr_name_key", name_key, [duckdb.sqltypes.VARCHAR], duckdb.sqltypes.VARCHAR,
                        null_handling="special", side_effects=False)
    return con
