"""CSV downloads that are safe to open in a spreadsheet."""

from __future__ import annotations

import re

import pandas as pd

# A cell a spreadsheet would run as a formula. Plain numbers ("-3", "+4.5", "-1e3") are data.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)*|\.\d+)([eE][+-]?\d+)?%?$")


def neutralise(value: object) -> object:
    """Prefix a text cell that starts like a formula with an apostrophe; leave numbers alone."""
    if isinstance(value, str) and _FORMULA_START.match(value) and not _NUMBER.match(value.strip()):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 (with BOM, so Excel reads it right) CSV of exactly the frame's rows and columns."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    # CRLF rows, as spreadsheets expect; a cell holding a line break of either kind gets quoted.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
