"""Workbooks as spreadsheet programs save them, for tests that upload .xlsx and .ods files.

``workbook`` writes an .xlsx with openpyxl: plain values, or :class:`XCell` for a number format
(``0%``, ``#,##0``, ``"Rp"#,##0``, ``dd/mm/yyyy``) or a formula. Excel and LibreOffice store a
formula's last result beside it; openpyxl cannot compute one and saves the formula alone, so a
cached result given here is written into the sheet's XML afterwards (``cached=None`` keeps
openpyxl's empty value: a file written by a script and never opened in a spreadsheet).
``ods_workbook`` builds the same sheets as an OpenDocument spreadsheet from its XML.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

Value = str | int | float | dt.date | None
# A merged range of one sheet: (first row, first column, last row, last column), 0-based.
Merge = tuple[int, int, int, int]


@dataclass(frozen=True)
class XCell:
    """A cell with its display format, or a formula (``formula`` without "=") and its cached result."""

    value: Value
    number_format: str | None = None
    formula: str | None = None


def workbook(sheets: dict[str, list[list[Value | XCell]]], merges: dict[str, list[Merge]] | None = None) -> bytes:
    """An .xlsx with one worksheet per entry, in order."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    book.remove(book.active)
    cached: dict[int, dict[str, Value]] = {}  # sheet position -> cell reference -> formula result
    for position, (name, rows) in enumerate(sheets.items()):
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, item in enumerate(row, start=1):
                cell = item if isinstance(item, XCell) else XCell(item)
                if cell.formula is None and cell.value is None:
                    continue
                target = sheet.cell(r, c)
                if cell.formula is not None:
                    target.value = "=" + cell.formula
                    if cell.value is not None:
                        cached.setdefault(position, {})[f"{get_column_letter(c)}{r}"] = cell.value
                else:
                    target.value = cell.value
                if cell.number_format:
                    target.number_format = cell.number_format
        for first_row, first_col, last_row, last_col in (merges or {}).get(name, []):
            sheet.merge_cells(start_row=first_row + 1, start_column=first_col + 1, end_row=last_row + 1,
                              end_column=last_col + 1)
    out = io.BytesIO()
    book.save(out)
    return _with_cached_results(out.getvalue(), cached) if cached else out.getvalue()


def _excel_serial(day: dt.date) -> float:
    return float((day - dt.date(1899, 12, 30)).days)


def _with_cached_results(data: bytes, cached: dict[int, dict[str, Value]]) -> bytes:
    """Write each formula's result into its ``<v>``, as a spreadsheet program saves it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            found = re.fullmatch(r"xl/worksheets/sheet([0-9]+)\.xml", item.filename)
            if found and int(found[1]) - 1 in cached:
                xml = content.decode("utf-8")
                for ref, value in cached[int(found[1]) - 1].items():
                    if isinstance(value, str):
                        kind, text = ' t="str"', escape(value)
                    else:
                        number = _excel_serial(value) if isinstance(value, dt.date) else value
                        kind, text = "", repr(float(number)) if not float(number).is_integer() else str(int(number))
                    xml, count = re.subn(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>',
                        lambda m, r=ref, k=kind, t=text: f'<c r="{r}"{m[1]}{k}><f>{m[2]}</f><v>{t}</v>', xml)
                    assert count == 1, f"formula cell {ref} not found in {item.filename}"
                content = xml.encode("utf-8")
            elif item.filename == "xl/workbook.xml":
                # A spreadsheet program that saves the results drops openpyxl's "recalculate on open"
                # (fullCalcOnLoad), which tells a reader the stored results are placeholders.
                content = re.sub(rb'\s+fullCalcOnLoad="(?:1|true)"', b"", content)
            target.writestr(item, content)
    return out.getvalue()


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"')


def ods_workbook(sheets: dict[str, list[list[Value | XCell]]], merges: dict[str, list[Merge]] | None = None) -> bytes:
    """An .ods with one table per entry: typed cells (a ``%`` format makes a percentage cell),
    formulas with their result, merged ranges spanned and covered as LibreOffice saves them."""
    tables = []
    for name, rows in sheets.items():
        spans = {(m[0], m[1]): m for m in (merges or {}).get(name, [])}
        covered = {(r, c) for (r0, c0, r1, c1) in spans.values() for r in range(r0, r1 + 1)
                   for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
        width = max((len(row) for row in rows), default=0)
        xml_rows = []
        for r, row in enumerate(rows):
            cells = []
            for c in range(width):
                if (r, c) in covered:
                    cells.append("<table:covered-table-cell/>")
                    continue
                item = row[c] if c < len(row) else None
                cell = item if isinstance(item, XCell) else XCell(item)
                span = ""
                if (r, c) in spans:
                    r0, c0, r1, c1 = spans[(r, c)]
                    span = f' table:number-rows-spanned="{r1 - r0 + 1}" table:number-columns-spanned="{c1 - c0 + 1}"'
                cells.append(_ods_cell(cell, span))
            xml_rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        tables.append(f"<table:table table:name={quoteattr(name)}>" + "".join(xml_rows) + "</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}><office:body>'
               f'<office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return out.getvalue()


def _ods_cell(cell: XCell, span: str) -> str:
    formula = f" table:formula={quoteattr('of:=' + cell.formula)}" if cell.formula else ""
    value = cell.value
    if value is None:
        return f"<table:table-cell{span}{formula}/>"
    if isinstance(value, str):
        return (f'<table:table-cell office:value-type="string"{span}{formula}>'
                f"<text:p>{escape(value)}</text:p></table:table-cell>")
    if isinstance(value, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"{span}{formula}>'
                f"<text:p>{value.isoformat()}</text:p></table:table-cell>")
    kind = "percentage" if cell.number_format and cell.number_format.endswith("%") else "float"
    return (f'<table:table-cell office:value-type="{kind}" office:value="{value!r}"{span}{formula}>'
            f"<text:p>{value}</text:p></table:table-cell>")
