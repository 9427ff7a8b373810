"""The scratch DuckDB connection every read and validation works in, with the cell parsers of cells.sql."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from okrdash.names import name_key
from okrdash.settings import Settings, settings as default_settings
from okrdash.vocabulary import sql_macros

CELL_MACROS = (Path(__file__).with_name("cells.sql")).read_text(encoding="utf-8")
# Where DuckDB spills what one validation holds beyond its memory limit (settings.import_memory_limit:
# unbounded, the 1.8 M-row KPI file's scratch tables took ~600 MB beside the server's own memory
# and the uploaded bytes; bench/upload.py).
SCRATCH_SPILL_DIR = Path(tempfile.gettempdir()) / "okrdash-scratch"


def scratch_connection(config: Settings | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the cell parsing macros, within the import's memory (and the process's threads)."""
    config = config or default_settings()
    options = {"memory_limit": config.import_memory_limit, "temp_directory": str(SCRATCH_SPILL_DIR)}
    if config.duckdb_threads:
        options["threads"] = config.duckdb_threads
    con = duckdb.connect(":memory:", config=options)
    con.execute(sql_macros())  # the words (month names, confidence, milestone) of okrdash/vocabulary.py
    con.execute(CELL_MACROS)
    # Names are compared by one Python function everywhere (see okrdash/names.py), SQL included.
    con.create_function("okr_name_key", name_key, [duckdb.sqltypes.VARCHAR], duckdb.sqltypes.VARCHAR,
                        null_handling="special", side_effects=False)
    return con
