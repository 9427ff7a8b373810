"""The scratch DuckDB connection every read and validation works in, with the cell parsers of cells.sql,
and those parsers on one typed cell (what a form shows back before it saves)."""

from __future__ import annotations

import math
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from okrdash.importing.reading import NumberFormat
from okrdash.models import MAX_ABS_NUMBER
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
    _add_cell_macros(con)
    # Names are compared by one Python function everywhere (see okrdash/names.py), SQL included.
    con.create_function("okr_name_key", name_key, [duckdb.sqltypes.VARCHAR], duckdb.sqltypes.VARCHAR,
                        null_handling="special", side_effects=False)
    return con


# What one column of a scratch table takes while a query scans it (a vector of text cells, ~64 KB),
# with room to spare: a sheet with a column per day for years needs this much per column whatever
# its rows (3,000 columns were refused as unreadable at 192MB, read at 256MB).
COLUMN_MEMORY = 128 << 10


def make_room_for_columns(con: duckdb.DuckDBPyConnection, columns: int, config: Settings | None = None) -> None:
    """Raise the scratch connection's memory limit to what scanning a table of ``columns`` columns
    takes, when that is more than the import's limit: a narrow file, however long, stays within
    ``import_memory_limit``."""
    config = config or default_settings()
    needed = columns * COLUMN_MEMORY
    if needed > max(size_in_bytes(config.import_memory_limit), current_limit(con)):
        con.execute(f"SET memory_limit = '{needed}B'")


def current_limit(con: duckdb.DuckDBPyConnection) -> int:
    """The connection's memory limit in bytes."""
    return size_in_bytes(con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])


_UNITS = {"B": 1, "BYTES": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4,
          "KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40}


def size_in_bytes(size: str) -> int:
    """A memory size as settings and DuckDB write it ("128MB", "117.3 MiB", "40%" of the host) in bytes."""
    number, unit = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%|[KMGT]?i?B|bytes)\s*", size, re.IGNORECASE).groups()
    if unit == "%":
        return int(float(number) / 100 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    return int(float(number) * _UNITS[unit.upper()])


def _add_cell_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql_macros())  # the words (month names, confidence, milestone) of okrdash/vocabulary.py
    con.execute(CELL_MACROS)  # which reads them


@dataclass(frozen=True)
class CellReading:
    """What the file reader makes of one typed number: the value, or the problem code the import would give."""

    text: str
    value: float | None
    problem: str | None


_TYPED_CELLS: duckdb.DuckDBPyConnection | None = None
_TYPED_CELLS_LOCK = threading.Lock()


def _typed_cells() -> duckdb.DuckDBPyConnection:
    """One small in-memory DuckDB with the cell macros for the process (making one costs ~0.2 s);
    each reading takes its own cursor, as Streamlit's session threads call it at once."""
    global _TYPED_CELLS
    with _TYPED_CELLS_LOCK:
        if _TYPED_CELLS is None:
            con = duckdb.connect(":memory:", config={"memory_limit": "64MB", "threads": 1})
            _add_cell_macros(con)
            _TYPED_CELLS = con
        return _TYPED_CELLS


def read_number(text: str, numbers: NumberFormat) -> CellReading | None:
    """``text`` read by cells.sql's number reader in ``numbers``' convention, with the problem the
    Validator would report for it (``_cell_problems``: unreadable, or beyond ``MAX_ABS_NUMBER``);
    None for a blank. The save reads the cell again, in the import: this only shows it first."""
    cell = text.strip()  # as importing.rows loads a form's cell
    if not cell:
        return None
    with _typed_cells().cursor() as cur:
        value, problem = cur.execute("SELECT okr_number($1, $2), okr_number_problem($1)",
                                     [cell, numbers.decimal_comma]).fetchone()
    if value is None:
        return CellReading(text, None, problem)
    if not math.isfinite(value) or abs(value) > MAX_ABS_NUMBER:
        return CellReading(text, None, "number_out_of_range")
    return CellReading(text, float(value), None)
