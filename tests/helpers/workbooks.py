"""Workbooks built inside the tests, so no binary fixture is needed.

- :func:`workbook`: an .xlsx as a spreadsheet program saves it, through openpyxl: plain values, or
  :class:`XCell` for a number format (``0%``, ``#,##0``, ``"Rp"#,##0``, ``dd/mm/yyyy``) or a
  formula. Excel and LibreOffice store a formula's last result beside it; openpyxl cannot compute
  one and saves the formula alone, so a cached result given here is written into the sheet's XML
  afterwards (``XCell(None, formula=...)`` keeps openpyxl's empty value: a file written by a script
  and never opened in a spreadsheet);
- :func:`ods_workbook`: the same sheets as an OpenDocument spreadsheet, merged ranges included;
- :func:`xlsx_parts`: an .xlsx from raw sheet XML (bytes, or an iterable of chunks for a part of
  gigabytes that is deflated as it is written), shared strings and styles;
- :func:`ods`: an .ods from content.xml tables (rows of cells given as XML);
- :func:`xls`: an .xls (BIFF8 records in an OLE2 compound file) with number and text cells, as
  calamine and Excel read it, and the pieces to build broken ones (the workbook bombs of issue 22).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

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


def xlsx_parts(sheets: dict[str, bytes | Iterable[bytes]], shared_strings: bytes | Iterable[bytes] | None = None,
               styles: bytes | None = None, workbook_extra: str = "", other_parts: dict[str, bytes] | None = None,
               level: int = 9) -> bytes:
    """An .xlsx whose sheets are the given worksheet XML (a part may be chunks, deflated as they come)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'))
        book.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{RELS}/officeDocument" '
            f'Target="xl/workbook.xml"/></Relationships>'))
        entries = "".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
                          for n, name in enumerate(sheets, start=1))
        book.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{entries}'
            f"</sheets>{workbook_extra}</workbook>"))
        targets = "".join(f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                          for n in range(1, len(sheets) + 1))
        book.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{targets}</Relationships>'))
        for n, part in enumerate(sheets.values(), start=1):
            _write(book, f"xl/worksheets/sheet{n}.xml", part)
        if shared_strings is not None:
            _write(book, "xl/sharedStrings.xml", shared_strings)
        if styles is not None:
            book.writestr("xl/styles.xml", styles)
        for name, data in (other_parts or {}).items():
            book.writestr(name, data)
    return out.getvalue()


def _write(book: zipfile.ZipFile, name: str, part: bytes | Iterable[bytes]) -> None:
    if isinstance(part, bytes):
        book.writestr(name, part)
        return
    with book.open(name, "w", force_zip64=True) as target:
        for chunk in part:
            target.write(chunk)


def worksheet(rows: str, before: str = "") -> bytes:
    """Worksheet XML around ``rows`` (the <row> elements)."""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{before}<sheetData>{rows}' \
           f"</sheetData></worksheet>".encode()


def shared_strings(strings: Iterable[str]) -> bytes:
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}</sst>'.encode()


def styles(number_formats: dict[int, str], cell_formats: list[int]) -> bytes:
    """styles.xml with custom number formats (id -> code) and cell styles using the given format ids."""
    codes = "".join(f'<numFmt numFmtId="{i}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
                    for i, code in number_formats.items())
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
                  for i in cell_formats)
    return (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}"><numFmts>{codes}</numFmts>'
            f"<cellXfs>{xfs}</cellXfs></styleSheet>").encode()


def repeated(piece: bytes, times: int, head: bytes = b"", tail: bytes = b"", batch: int = 1 << 16) -> Iterable[bytes]:
    """``head + piece * times + tail`` in chunks, for parts too large to hold."""
    yield head
    whole, rest = divmod(times, batch)
    block = piece * batch
    for _ in range(whole):
        yield block
    yield piece * rest
    yield tail


def with_declared_size(data: bytes, part: str, size: int) -> bytes:
    """The same zip, but its directory and local header declare ``size`` for ``part`` (a lying zip)."""
    out = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    struct.pack_into("<I", out, info.header_offset + 22, size)
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        (name_length,) = struct.unpack_from("<H", out, at + 28)
        if out[at + 46:at + 46 + name_length] == part.encode():
            struct.pack_into("<I", out, at + 24, size)
            break
        at += 4
    return bytes(out)


# -- .ods -----------------------------------------------------------------------------------------

_ODS_NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                   'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
                   'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"')


def ods(tables: dict[str, str | Iterable[bytes]]) -> bytes:
    """An .ods whose tables hold the given rows (``<table:table-row>`` XML, or chunks of it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'))

        def content() -> Iterable[bytes]:
            yield (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES}>'
                   f"<office:body><office:spreadsheet>").encode()
            for name, rows in tables.items():
                yield f'<table:table table:name="{escape(name)}">'.encode()
                if isinstance(rows, str):
                    yield rows.encode()
                else:
                    yield from rows
                yield b"</table:table>"
            yield b"</office:spreadsheet></office:body></office:document-content>"

        _write(book, "content.xml", content())
    return out.getvalue()


def ods_row(*cells: str, repeat: int = 1) -> str:
    repeated_rows = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated_rows}>{''.join(cells)}</table:table-row>"


def ods_text(text: str, repeat: int = 1) -> str:
    columns = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell office:value-type="string"{columns}><text:p>{escape(text)}</text:p>'
            f"</table:table-cell>")


def ods_number(value: float, value_type: str = "float", repeat: int = 1) -> str:
    columns = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell office:value-type="{value_type}" office:value="{value!r}"{columns}>'
            f"<text:p>{value}</text:p></table:table-cell>")


def ods_date(day: dt.date) -> str:
    return (f'<table:table-cell office:value-type="date" office:date-value="{day.isoformat()}">'
            f"<text:p>{day.isoformat()}</text:p></table:table-cell>")


def ods_workbook(sheets: dict[str, list[list[Value | XCell]]], merges: dict[str, list[Merge]] | None = None) -> bytes:
    """An .ods with one table per entry: typed cells (a ``%`` format makes a percentage cell),
    formulas with their result, merged ranges spanned and covered as LibreOffice saves them."""
    tables = {}
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
            xml_rows.append(ods_row(*cells))
        tables[name] = "".join(xml_rows)
    return ods(tables)


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


# -- .xls -----------------------------------------------------------------------------------------


def record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _biff_text(text: str) -> bytes:
    """XLUnicodeString: a character count, a flags byte (0: one byte a character), the characters."""
    raw = text.encode("latin-1")
    return struct.pack("<HB", len(raw), 0) + raw


def xls(sheets: dict[str, list[list[object]]], percent_cells: set[tuple[str, int, int]] = frozenset(),
        sheet_records: dict[str, list[bytes]] | None = None) -> bytes:
    """An .xls with number and text cells (text in the shared-string table); ``percent_cells`` (sheet,
    row, column) take a cell style of number format 10 (0.00%); ``sheet_records`` adds raw records."""
    strings: list[str] = []
    for rows in sheets.values():
        for row in rows:
            strings += [value for value in row if isinstance(value, str) and value not in strings]
    xfs = b"".join(record(0x00E0, struct.pack("<HHH", 0, 0, 0) + bytes(14)) for _ in range(16))
    percent_xf = record(0x00E0, struct.pack("<HHH", 0, 10, 0) + bytes(14))  # style 16: format 10
    sst_body = struct.pack("<II", len(strings), len(strings)) + b"".join(_biff_text(s) for s in strings)
    globals_head = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0)) + xfs + percent_xf
    names = list(sheets)

    def bound_sheet(position: int, name: str) -> bytes:
        raw = name.encode("latin-1")
        return record(0x0085, struct.pack("<IBB", position, 0, 0) + struct.pack("<BB", len(raw), 0) + raw)

    sizes = len(globals_head) + sum(len(bound_sheet(0, n)) for n in names) + len(record(0x00FC, sst_body)) + 4
    bodies, position, positions = [], sizes, []
    for name in names:
        body = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
        rows = sheets[name]
        width = max((len(row) for row in rows), default=0)
        body += record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                style = 16 if (name, r, c) in percent_cells else 15
                if isinstance(value, str):
                    body += record(0x00FD, struct.pack("<HHHI", r, c, style, strings.index(value)))
                elif isinstance(value, (int, float)):
                    body += record(0x0203, struct.pack("<HHHd", r, c, style, float(value)))
        body += b"".join((sheet_records or {}).get(name, []))
        body += record(0x000A, b"")
        positions.append(position)
        bodies.append(body)
        position += len(body)
    stream = (globals_head + b"".join(bound_sheet(p, n) for p, n in zip(positions, names))
              + record(0x00FC, sst_body) + record(0x000A, b"") + b"".join(bodies))
    return compound_file(stream)


_FREE, _END, _FAT = 0xFFFF_FFFF, 0xFFFF_FFFE, 0xFFFF_FFFD


def compound_file(stream: bytes, fat: list[int] | None = None, directory_chain: list[int] | None = None) -> bytes:
    """An OLE2 file of 512-byte sectors holding one stream named Workbook (at least 4096 bytes, so it
    lives in regular sectors). ``fat`` and ``directory_chain`` replace the sector table or the
    directory's chain, to build broken files."""
    assert len(stream) <= 125 * 512, "one sector of the sector table: streams up to 62.5 KB"
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\x00")
    stream_sectors = len(stream) // 512
    directory_sector = stream_sectors
    fat_sector = stream_sectors + 1
    table = list(range(1, stream_sectors)) + [_END, _END, _FAT]
    table += [_FREE] * (128 - len(table))
    table = fat if fat is not None else table
    if directory_chain is not None:
        for sector, following in zip(directory_chain, directory_chain[1:] + [_END]):
            table[sector] = following
    root = _directory_entry("Root Entry", 5, _END, 0)
    workbook = _directory_entry("Workbook", 2, 0, len(stream))
    directory = (root + workbook + _directory_entry("", 0, 0, 0) * 2)
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x003E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 40, 0, 1, directory_sector, 0)
    struct.pack_into("<IIIII", header, 56, 4096, _END, 0, _END, 0)
    difat = [fat_sector] + [_FREE] * 108
    struct.pack_into("<109I", header, 76, *difat)
    return bytes(header) + stream + directory + struct.pack(f"<{len(table[:128])}I", *table[:128])


def _directory_entry(name: str, kind: int, start: int, size: int) -> bytes:
    entry = bytearray(128)
    raw = (name + "\x00").encode("utf-16-le") if name else b""
    entry[0:len(raw)] = raw
    struct.pack_into("<HBB", entry, 64, len(raw), kind, 1)
    struct.pack_into("<III", entry, 68, _FREE, _FREE, 1 if kind == 5 else _FREE)
    struct.pack_into("<II", entry, 116, start, size)
    return bytes(entry)


def deflated(data: bytes) -> bytes:
    """Raw deflate of ``data`` (what a zip part holds)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


# -- bombs: parts of gigabytes in a few kilobytes ---------------------------------------------------


class Deflated:
    """A zip part of ``head + piece * times + tail``, deflated without ever holding it: after a full
    flush a deflate stream starts afresh, so one deflated block of pieces is repeated as is."""

    def __init__(self, head: bytes, piece: bytes, times: int, tail: bytes, block: int = 1 << 20):
        per_block = max(1, block // len(piece))
        blocks, rest = divmod(times, per_block)
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        self.data = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
        block_bytes = piece * per_block
        one = packer.compress(block_bytes) + packer.flush(zlib.Z_FULL_FLUSH)
        self.data += one * blocks
        self.data += packer.compress(piece * rest + tail) + packer.flush()
        crc = zlib.crc32(head)
        block_crc = [crc]
        for _ in range(blocks):
            crc = zlib.crc32(block_bytes, crc)
        self.crc = zlib.crc32(piece * rest + tail, crc)
        del block_crc
        self.size = len(head) + len(piece) * times + len(tail)


def raw_zip(parts: dict[str, bytes | Deflated]) -> bytes:
    """A zip of stored (bytes) and deflated (:class:`Deflated`) parts, sizes up to 4 GB."""
    out, directory = bytearray(), bytearray()
    for name, part in parts.items():
        raw_name = name.encode()
        if isinstance(part, Deflated):
            method, data, crc, size = 8, part.data, part.crc, part.size
        else:
            method, data, crc, size = 0, part, zlib.crc32(part), len(part)
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size,
                           len(raw_name), 0) + raw_name + data
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data),
                                 size, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(out), 0)
    return bytes(out + directory + end)


def xlsx_raw(sheets: dict[str, bytes | Deflated], shared: bytes | Deflated | None = None,
             style_part: bytes | Deflated | None = None) -> bytes:
    """An .xlsx like :func:`xlsx_parts`, its parts given ready (a :class:`Deflated` bomb among them)."""
    entries = "".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, name in enumerate(sheets, start=1))
    targets = "".join(f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                      for n in range(1, len(sheets) + 1))
    parts: dict[str, bytes | Deflated] = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                               b'package/2006/content-types"/>',
        "_rels/.rels": (f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                        f'2006/relationships"><Relationship Id="rId1" Type="{RELS}/officeDocument" '
                        f'Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{entries}'
                            f"</sheets></workbook>").encode(),
        "xl/_rels/workbook.xml.rels": (f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
                                       f'.org/package/2006/relationships">{targets}</Relationships>').encode(),
    }
    for n, part in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = part
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    if style_part is not None:
        parts["xl/styles.xml"] = style_part
    return raw_zip(parts)
