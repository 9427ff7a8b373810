"""Downloads people open in Excel: a workbook with real numbers and dates, and a CSV in the reader's
convention. Both are safe from formula injection."""

from __future__ import annotations

import datetime as dt
import io
import math
import re

from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from okrdash import formatting

# A cell a spreadsheet would run as a formula. Plain numbers ("-3", "+4.5", "-1e3") are data.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)*|\.\d+)([eE][+-]?\d+)?%?$")
# Floats in a CSV: enough decimals for any figure okrdash shows, none of a float's noise.
_CSV_DECIMALS = 6
# Column widths of a workbook, in characters.
_MIN_WIDTH, _MAX_WIDTH = 8, 60


class CsvConvention:
    """How a reader's spreadsheet expects a CSV: Indonesian Excel reads ``;`` and decimal commas."""

    def __init__(self, separator: str, decimal: str, date_pattern: str):
        self.separator, self.decimal, self.date_pattern = separator, decimal, date_pattern


CONVENTIONS = {
    "en": CsvConvention(",", ".", "%Y-%m-%d"),
    "id": CsvConvention(";", ",", "%d/%m/%Y"),
}


def neutralise(value: object) -> object:
    """Prefix a text cell that starts like a formula with an apostrophe; leave numbers alone."""
    if isinstance(value, str) and _FORMULA_START.match(value) and not _NUMBER.match(value.strip()):
        return "'" + value
    return value


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column) or isinstance(
        column.dtype, pd.CategoricalDtype)


def as_page_shows(frame: pd.DataFrame, shares: Sequence[str] = ()) -> pd.DataFrame:
    """``frame``'s numbers as a page shows them: rounded as formatting.number rounds (no float noise,
    no -0), the ``shares`` (0..1) as the whole percent formatting.percent shows."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if column in shares:
            out[column] = pd.to_numeric(values, errors="coerce").map(formatting.rounded_share).astype("float64")
        elif pd.api.types.is_float_dtype(values):
            out[column] = values.map(formatting.rounded).astype("float64")
    return out


def to_csv_bytes(frame: pd.DataFrame, lang: str = "en", shares: Sequence[str] = ()) -> bytes:
    """UTF-8 (with BOM, so Excel reads it right) CSV of exactly the frame's rows and columns, in the
    convention of ``lang``: separator, decimal mark and date order; the ``shares`` (0..1) as percents
    ("74%", which a spreadsheet reads as the number 0.74)."""
    convention = CONVENTIONS.get(lang, CONVENTIONS["en"])
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if column in shares:
            safe[column] = [None if _missing(v) else formatting.percent(v, lang) for v in values]
        elif pd.api.types.is_float_dtype(values):
            safe[column] = values.round(_CSV_DECIMALS)
        elif _is_text(values):
            safe[column] = values.map(lambda v: _csv_cell(v, convention))
    # CRLF rows, as spreadsheets expect; a cell holding a line break of either kind gets quoted.
    return safe.to_csv(index=False, lineterminator="\r\n", sep=convention.separator, decimal=convention.decimal,
                       date_format=convention.date_pattern).encode("utf-8-sig")


def _csv_cell(value: object, convention: CsvConvention) -> object:
    if isinstance(value, dt.date):  # a date column of Python dates (object dtype)
        return value.strftime(convention.date_pattern)
    if isinstance(value, float) and math.isfinite(value):  # a number in a mixed column
        return f"{round(value, _CSV_DECIMALS)!r}".replace(".", convention.decimal)
    return neutralise(value)


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "okrdash", shares: Sequence[str] = ()) -> bytes:
    """An Excel workbook of exactly the frame: numbers stay numbers, dates are date cells, columns are
    as wide as their content, every text is stored as text (Excel never runs it as a formula), and the
    ``shares`` (0..1) are numbers in Excel's percent format (0.74 shows 74%)."""
    book = Workbook(write_only=True)
    page = book.create_sheet(_sheet_title(sheet))
    columns = [str(c) for c in frame.columns]
    for index, column in enumerate(frame.columns, start=1):
        texts = [columns[index - 1]] + [_display_width_text(v) for v in frame[column].head(500)]
        width = max(len(t) for t in texts) + 2
        page.column_dimensions[get_column_letter(index)].width = max(_MIN_WIDTH, min(_MAX_WIDTH, width))
    page.freeze_panes = "A2"
    page.append([_text_cell(page, name) for name in columns])
    percent = [column in shares for column in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        page.append([_percent_cell(page, value) if is_share else _cell(page, value)
                     for value, is_share in zip(row, percent)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "okrdash"


def _display_width_text(value: object) -> str:
    if isinstance(value, (dt.date, pd.Timestamp)):
        return "31/12/2026"
    return "" if _missing(value) else str(value)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _text_cell(page, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(page, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    return cell


def _percent_cell(page, value: object) -> object:
    number = _cell(page, value)
    if not isinstance(number, (int, float)) or isinstance(number, bool):
        return number
    cell = WriteOnlyCell(page, value=number)
    cell.number_format = "0%"
    return cell


def _cell(page, value: object) -> object:
    if _missing(value):
        return None
    if isinstance(value, str):
        return _text_cell(page, value)
    if isinstance(value, bool):
        return value
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, (dt.date, dt.datetime)):
        cell = WriteOnlyCell(page, value=value)
        # Excel's built-in short date (format 14) shows in the reader's own order: 31/05/2026 in Indonesia.
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, dt.datetime) and (
            value.hour or value.minute) else "mm-dd-yy"
        return cell
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    return _text_cell(page, str(value))
