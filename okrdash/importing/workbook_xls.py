"""Scan an .xls (an OLE2 compound file holding BIFF records) before calamine reads it.

calamine reads every sheet of an .xls when the file is opened, and trusts the container: a chain of
sectors that loops back on itself is followed for ever, a sheet's DIMENSIONS record reserves its
declared rows x columns before a cell is read, a CONTINUE record is taken off the front of a list
(quadratic in their number), and a shared string is copied into every cell that uses it. This scan
follows calamine's reading (cfb.rs, xls.rs) over the same bytes, refuses what it would loop on, and
counts cells, reserved cells and text per sheet. It also finds the cells whose format is a percentage
(XF records and their FORMAT strings) and the cells holding a formula error.

What an .xls cannot tell: whether a formula's stored result is stale. Every FORMULA record carries a
result, so no formula reads as blank.
"""

from __future__ import annotations

import struct

from okrdash.importing.workbook_bounds import (
    STRING_OVERHEAD,
    Budget,
    SheetFacts,
    UnreadableWorkbook,
    WorkbookFacts,
    check_cells,
    check_sheets,
    check_text,
)
from okrdash.importing.workbook_xlsx import is_percent_format

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFF_FFFE
_RESERVED = 0xFFFF_FFFA
_DIFAT_SECTOR = 0xFFFF_FFFC
_STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")
# A legitimate shared-string table of 100 MB has ~13,000 CONTINUE records; calamine's handling of
# them is quadratic in their number (a list shifted at each one).
MAX_CONTINUES = 16_384
# calamine writes each formula back as text: a reference or function token comes back as at most
# ~8 characters per byte of it, a name token (5 bytes) as the name, a 3-D reference (7 bytes) as the
# sheet's name and the cell; a space token (4 bytes) as up to 255 spaces, each inserted at the front
# of the formula so far (quadratic): more than this many of them in one formula are refused.
_FORMULA_BYTES_PER_TOKEN_BYTE = 8
_FORMULA_SPACE_TOKENS = (b"\x19\x40", b"\x19\x41")
MAX_FORMULA_SPACE_TOKENS = 64
_FORMULA_TEXT_MORE = 128  # an unreadable formula's message
_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
           0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
_PERCENT_FORMAT_IDS = {9, 10}


def is_ole(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC)


def scan_xls(data: bytes, budget: Budget) -> WorkbookFacts:
    """The facts of every sheet by name; all sheets count together (calamine holds them all)."""
    stream = _Compound(data).stream()
    scan = _BiffScan(stream)
    scan.globals()
    check_sheets(sum(1 for _, _, worksheet in scan.sheets if worksheet), budget.limits)
    found = WorkbookFacts()
    cells = text = 0
    for position, name, _ in scan.sheets:
        facts = scan.sheet(position)
        found.sheets[name] = facts
        # The cells (their sparse list, the dense rectangle, the formulas' rectangle), the reservation
        # of the sheet's DIMENSIONS, and the copy python-calamine takes of the sheet it reads.
        cells += max(facts.cells, 2 * facts.area, scan.reserved)
        text += facts.text_bytes
        check_cells(cells, budget.limits)
        check_text(text + scan.strings_bytes, budget.limits)
    return found


class _Compound:
    """calamine's reading of the compound file (cfb.rs), every chain checked to end without a loop."""

    def __init__(self, data: bytes):
        if len(data) < 512 or not data.startswith(OLE_MAGIC):
            raise UnreadableWorkbook("not an OLE2 file")
        self.data = data
        version, shift, mini_shift = struct.unpack("<H", data[26:28])[0], *struct.unpack("<HH", data[30:34])
        if shift not in (9, 12) or mini_shift != 6:
            raise UnreadableWorkbook("OLE2 sector sizes")
        self.size = 1 << shift
        self.header = 512 if shift == 9 else 4096
        self.max_id = len(data) // self.size
        (directory_start,) = struct.unpack("<I", data[48:52])
        mini_fat_start, mini_fat_sectors, difat_start = struct.unpack("<III", data[60:72])
        difat = list(struct.unpack("<109I", data[76:512]))
        seen: set[int] = set()
        sector = difat_start
        while sector < _RESERVED:  # calamine: extend by the sector, then pop its last entry as the next one
            if sector in seen or len(seen) > self.max_id:
                raise UnreadableWorkbook("OLE2 sector list loops")
            seen.add(sector)
            difat += self._words(sector)
            sector = difat.pop()
        fat_sectors = [sector for sector in difat if sector < _DIFAT_SECTOR]
        if len(fat_sectors) > self.max_id + 1:
            raise UnreadableWorkbook("OLE2 sector table larger than the file")
        self.fat: list[int] = []
        for sector in fat_sectors:
            self.fat += self._words(sector)
        directory = self._chain(directory_start, self.fat, self._sector, None)
        self.entries = [(_name(directory[at:at + 64]),
                         *struct.unpack("<I", directory[at + 116:at + 120]),
                         _entry_length(directory[at + 120:at + 128], self.size))
                        for at in range(0, len(directory) - 127, 128)]
        if not self.entries or version != 3 and self.entries[0][1] == _END_OF_CHAIN:
            raise UnreadableWorkbook("OLE2 without a root")
        self.mini_stream = b""
        self.mini_fat: list[int] = []
        if mini_fat_sectors:
            _, root_start, root_length = self.entries[0]
            self.mini_stream = self._chain(root_start, self.fat, self._sector, root_length)
            mini_fat = self._chain(mini_fat_start, self.fat, self._sector, mini_fat_sectors * self.size)
            self.mini_fat = list(struct.unpack(f"<{len(mini_fat) // 4}I", mini_fat[:len(mini_fat) // 4 * 4]))

    def stream(self) -> bytes:
        for wanted in _STREAMS:
            for name, start, length in self.entries:
                if name == wanted:
                    if length < 4096:
                        return self._chain(start, self.mini_fat, self._mini_sector, length)
                    return self._chain(start, self.fat, self._sector, length)
        raise UnreadableWorkbook("no Workbook stream")

    def _sector(self, sector: int) -> bytes:
        if sector > self.max_id:
            raise UnreadableWorkbook("OLE2 sector past the end of the file")
        start = self.header + sector * self.size
        return self.data[start:start + self.size]

    def _mini_sector(self, sector: int) -> bytes:
        if sector > self.max_id * 8:
            raise UnreadableWorkbook("OLE2 mini sector past the end of the file")
        return self.mini_stream[sector * 64:sector * 64 + 64]

    def _words(self, sector: int) -> list[int]:
        block = self._sector(sector)
        return list(struct.unpack(f"<{len(block) // 4}I", block[:len(block) // 4 * 4]))

    def _chain(self, sector: int, table: list[int], read, length: int | None) -> bytes:
        """A chain of sectors up to ``length`` bytes (None: to its end), as calamine follows it."""
        out = bytearray()
        seen: set[int] = set()
        while sector != _END_OF_CHAIN:
            if sector in seen:
                raise UnreadableWorkbook("OLE2 chain loops")
            seen.add(sector)
            block = read(sector)
            out += block if length is None else block[:length - len(out)]
            if length is not None and len(out) >= length:
                break
            if sector >= len(table):
                raise UnreadableWorkbook("OLE2 chain leaves its table")
            sector = table[sector]
        return bytes(out)


def _name(raw: bytes) -> str:
    return raw.decode("utf-16-le", "replace").split("\x00", 1)[0]


def _entry_length(raw: bytes, sector_size: int) -> int:
    return struct.unpack("<I", raw[:4])[0] if sector_size == 512 else struct.unpack("<Q", raw[:8])[0]


class _Record:
    __slots__ = ("kind", "data", "more")

    def __init__(self, kind: int, data: bytes, more: list[bytes]):
        self.kind, self.data, self.more = kind, data, more


def _records(stream: bytes, start: int = 0):
    """calamine's RecordIter: a record with the CONTINUE records (0x003C) after it."""
    at = start
    while at < len(stream):
        if len(stream) - at < 4:
            raise UnreadableWorkbook("BIFF record cut short")
        kind, length = struct.unpack_from("<HH", stream, at)
        if at + 4 + length > len(stream):
            raise UnreadableWorkbook("BIFF record cut short")
        data = stream[at + 4:at + 4 + length]
        at += 4 + length
        more = []
        while len(stream) - at > 4 and struct.unpack_from("<H", stream, at)[0] == 0x003C:
            (length,) = struct.unpack_from("<H", stream, at + 2)
            if at + 4 + length > len(stream):
                raise UnreadableWorkbook("BIFF record cut short")
            more.append(stream[at + 4:at + 4 + length])
            at += 4 + length
            if len(more) > MAX_CONTINUES:
                raise UnreadableWorkbook("a BIFF record continued too often")
        yield _Record(kind, data, more)


class _BiffScan:
    def __init__(self, stream: bytes):
        self.stream = stream
        self.biff8 = True
        self.sheets: list[tuple[int, str, bool]] = []  # (position, name, is a worksheet)
        self.string_lengths: list[int] = []  # an upper bound of each shared string's UTF-8 bytes
        self.strings_bytes = 0
        self.formats: dict[int, str] = {}
        self.percent_styles: set[int] = set()
        self.longest_name = 0
        self.reserved = 0  # the cells the last sheet's DIMENSIONS record reserves

    def globals(self) -> None:
        styles: list[int] = []
        for record in _records(self.stream):
            kind, data = record.kind, record.data
            if kind == 0x002F and data[:2] != b"\x00\x00":
                raise UnreadableWorkbook("a password-protected workbook")
            if kind == 0x0809 and len(data) >= 2:
                version = struct.unpack_from("<H", data)[0]
                kind_of_stream = struct.unpack_from("<H", data, 2)[0] if len(data) >= 4 else 0
                self.biff8 = version == 0x0600 or version not in (0x0200, 0x0002, 0x0007, 0x0300, 0x0400, 0x0500) \
                    and not (version == 0 and kind_of_stream == 0x1000)
            elif kind == 0x00E0 and len(data) >= 4:
                styles.append(struct.unpack_from("<H", data, 2)[0])
            elif kind == 0x041E and len(data) >= 2:
                self.formats[struct.unpack_from("<H", data)[0]] = _format_text(data[2:], self.biff8)
            elif kind == 0x0085 and len(data) >= 6:
                (position,) = struct.unpack_from("<I", data)
                if position > len(self.stream):
                    raise UnreadableWorkbook("a sheet past the end of the workbook stream")
                self.sheets.append((position, _short_text(data[6:], self.biff8), data[5] == 0))
            elif kind == 0x0018 and len(data) >= 4:
                self.longest_name = max(self.longest_name, data[3])
            elif kind == 0x00FC:
                self._shared_strings(record)
            elif kind == 0x000A:
                break
        for index, format_id in enumerate(styles):
            if format_id in self.formats:
                if is_percent_format(self.formats[format_id]):
                    self.percent_styles.add(index)
            elif format_id in _PERCENT_FORMAT_IDS:
                self.percent_styles.add(index)

    def _shared_strings(self, record: _Record) -> None:
        """Each string's character count (its UTF-8 bytes are at most three per character), walking
        the strings as calamine does: a string's characters may go on in the next CONTINUE record,
        behind a new flags byte."""
        pieces = [record.data[8:], *record.more]
        piece, at = 0, 0

        def take(count: int) -> bytes:
            nonlocal piece, at
            out = b""
            while count > 0:
                if at >= len(pieces[piece]):
                    if piece + 1 >= len(pieces):
                        raise UnreadableWorkbook("shared strings cut short")
                    piece, at = piece + 1, 0
                    continue
                chunk = pieces[piece][at:at + count]
                out += chunk
                at += len(chunk)
                count -= len(chunk)
            return out

        while at < len(pieces[piece]) or piece + 1 < len(pieces):
            if at >= len(pieces[piece]):
                piece, at = piece + 1, 0
                continue
            characters, flags = struct.unpack("<HB", take(3))
            runs = struct.unpack("<H", take(2))[0] if flags & 0x8 else 0
            extra = struct.unpack("<i", take(4))[0] if flags & 0x4 else 0
            wide, left = bool(flags & 0x1), characters
            while left > 0:
                available = (len(pieces[piece]) - at) // (2 if wide else 1)
                if available <= 0:
                    if piece + 1 >= len(pieces):
                        raise UnreadableWorkbook("shared strings cut short")
                    piece, at = piece + 1, 0
                    wide = bool(take(1)[0] & 0x1)
                    continue
                used = min(available, left)
                at += used * (2 if wide else 1)
                left -= used
            if extra < 0:
                raise UnreadableWorkbook("shared string extension of negative length")
            take(runs * 4 + extra)
            self.string_lengths.append(3 * characters)
            self.strings_bytes += 3 * characters + STRING_OVERHEAD + 24

    def _formula_text(self, tokens: bytes) -> int:
        """An upper bound of a formula's text as calamine writes it back."""
        spaces = sum(tokens.count(token) for token in _FORMULA_SPACE_TOKENS)
        if spaces > MAX_FORMULA_SPACE_TOKENS:
            raise UnreadableWorkbook("a formula with too many space tokens")
        longest_sheet = max((len(name) for _, name, _ in self.sheets), default=0)
        per_byte = max(_FORMULA_BYTES_PER_TOKEN_BYTE, 3 * self.longest_name // 5 + 1, (3 * longest_sheet + 26) // 7)
        return per_byte * len(tokens) + 255 * spaces + _FORMULA_TEXT_MORE + STRING_OVERHEAD

    def sheet(self, position: int) -> SheetFacts:
        """One sheet's records from its BOF to its EOF (embedded charts' records skipped, as calamine does)."""
        facts = SheetFacts()
        self.reserved = 0
        seen_bof, depth = False, 0
        formula_at = (0, 0)
        strings = self.string_lengths
        for record in _records(self.stream, position):
            kind, data = record.kind, record.data
            if depth:
                depth += 1 if kind == 0x0809 else -1 if kind == 0x000A else 0
                continue
            if kind == 0x0809:
                if seen_bof:
                    depth = 1
                seen_bof = True
            elif kind == 0x000A:
                break
            elif kind == 0x0200:
                self.reserved = max(self.reserved, _dimensions(data))
            elif kind in (0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006) and len(data) >= 6:
                row, column, style = struct.unpack_from("<HHH", data)
                facts.place(row, column)
                facts.cells += 1
                if style in self.percent_styles and kind in (0x0203, 0x027E, 0x0006):
                    facts.percent.add(row, column)
                if kind in (0x0204, 0x00D6) and len(data) >= 8:
                    facts.text_bytes += 3 * struct.unpack_from("<H", data, 6)[0] + STRING_OVERHEAD
                elif kind == 0x00FD and len(data) >= 10:
                    index = struct.unpack_from("<I", data, 6)[0]
                    facts.text_bytes += (strings[index] if index < len(strings) else 0) + STRING_OVERHEAD
                elif kind == 0x0205 and len(data) >= 8 and data[7] == 1:
                    facts.errors[(row, column)] = _ERRORS.get(data[6], "#ERROR")
                elif kind == 0x0006:
                    formula_at = (row, column)
                    facts.text_bytes += self._formula_text(data[20:])
                    if len(data) >= 14 and data[6] == 0x02 and data[12:14] == b"\xff\xff":
                        facts.errors[(row, column)] = _ERRORS.get(data[8], "#ERROR")
            elif kind == 0x0207 and len(data) >= 2:
                facts.place(*formula_at)
                facts.cells += 1
                facts.text_bytes += 3 * struct.unpack_from("<H", data)[0] + STRING_OVERHEAD
            elif kind == 0x00BD and len(data) >= 6:
                row, first = struct.unpack_from("<HH", data)
                (last,) = struct.unpack_from("<H", data, len(data) - 2)
                count = (last - first + 1) & 0xFFFF
                if len(data) != 6 + 6 * count:
                    raise UnreadableWorkbook("MULRK record of the wrong length")
                if count:
                    facts.place(row, first + count - 1)
                    facts.cells += count
                for at in range(count) if self.percent_styles else ():
                    if struct.unpack_from("<H", data, 4 + 6 * at)[0] in self.percent_styles:
                        facts.percent.add(row, first + at)
        return facts


def _dimensions(data: bytes) -> int:
    """The cells calamine reserves for a DIMENSIONS record (its u32 arithmetic wraps, as in Rust)."""
    if len(data) == 10:
        first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", data)
    elif len(data) == 14:
        first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", data)
    else:
        raise UnreadableWorkbook("DIMENSIONS record of the wrong length")
    if first_column > 0xFF or last_column < first_column:
        first_column = 0
    if last_row >= 1 and last_column >= 1:
        rows = ((last_row - 1 - first_row) + 1) & 0xFFFF_FFFF
        columns = ((last_column - 1 - first_column) + 1) & 0xFFFF_FFFF
    else:
        rows = columns = 1
    return rows * columns


def _format_text(data: bytes, biff8: bool) -> str:
    """A FORMAT record's string (XLUnicodeString in BIFF8, a byte string before)."""
    if biff8:
        if len(data) < 3:
            return ""
        characters, flags = struct.unpack_from("<HB", data)
        raw = data[3:3 + characters * (2 if flags & 0x1 else 1)]
        return raw.decode("utf-16-le" if flags & 0x1 else "latin-1", "replace")
    if len(data) < 1:
        return ""
    return data[1:1 + data[0]].decode("cp1252", "replace")


def _short_text(data: bytes, biff8: bool) -> str:
    """A sheet's name (ShortXLUnicodeString), without NULs as calamine keeps it."""
    if not data:
        return ""
    characters = data[0]
    if biff8 and len(data) >= 2:
        wide = data[1] & 0x1
        raw = data[2:2 + characters * (2 if wide else 1)]
        text = raw.decode("utf-16-le" if wide else "latin-1", "replace")
    else:
        text = data[1:1 + characters].decode("cp1252", "replace")
    return text.replace("\x00", "")
