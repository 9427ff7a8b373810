"""Scan an .xlsx/.xlsm before calamine reads it: cells, text, percent formats, formulas.

Every part is inflated (``workbook_zip``) and every part that may be XML is scanned for cells, so no
part calamine might read as a sheet escapes the bounds, whatever the relationships say. A part is
scanned in chunks of about 1 MB. The common spelling of a cell (``<c r="B7" s="3" t="s">``, what
Excel, LibreOffice, Google Sheets and openpyxl write) is read with one regex per chunk; at the first
other spelling (no ``r``, another attribute order, a namespace prefix) the part is scanned again by
a tokenizer that places each cell exactly as calamine's reader does.

The text calamine will hold is bounded too: a shared string is copied into every cell that uses it,
so a one-megabyte string used by a million cells is a terabyte. A sheet's text is bounded by its
size plus (string cells x the longest shared string), or, when that passes the limit, summed
exactly over its cells.
"""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from okrdash.importing.workbook_bounds import (
    STRING_OVERHEAD,
    Budget,
    SheetFacts,
    UnreadableWorkbook,
    WorkbookFacts,
    WorkbookLimits,
    WorkbookTooLarge,
    check_cells,
    check_sheets,
    column_index,
    column_letters,
)
from okrdash.importing.workbook_xml import MAX_TOKEN_BYTES, attributes, checked, local_name, tokens, unescape
from okrdash.importing.workbook_zip import ZipParts

# calamine keeps styles.xml's number formats in memory; 64,000 cell styles (Excel's most) take
# ~10 MB. The workbook and relationship parts are a few KB.
MAX_SMALL_PART_BYTES = 32 << 20
# Parts calamine reads as pictures or binaries, never as XML (unless a relationship points a sheet at them).
_BINARY_SUFFIXES = (".png", ".jpeg", ".jpg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".wdp", ".bin")

# The common spelling of a cell's start tag, or the start of any other element named c (then every
# group is empty). Group 5 is "/" for an empty cell written <c r="A1" s="2"/>.
_CELL = re.compile(
    rb'<c(?: r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,9})")?[ \t\r\n]*(/?)>|[\s/>])')
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_FORMULA = re.compile(rb"<f[\s/>]")
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="[0-9]{1,9}")? t="e">(?:<f[^>]*(?:/>|>[^<]*</f>))?<v>([^<]*)</v>')
_SHARED_VALUE = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]{1,9}")? t="s"><v>([0-9]{1,10})</v>')

_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\s([^>]*)>")
_SHEET_ENTRY = re.compile(rb"<(?:[\w.-]+:)?sheet\s([^>]*)>")
_FULL_CALC = re.compile(rb'<(?:[\w.-]+:)?calcPr\s[^>]*\bfullCalcOnLoad\s*=\s*["\'](?:1|true)["\']')
_NUMBER_FORMAT = re.compile(rb"<(?:[\w.-]+:)?numFmt\s([^>]*)>")
_CELL_STYLES = re.compile(rb"<(?:[\w.-]+:)?cellXfs\b[^>]*>(.*?)</(?:[\w.-]+:)?cellXfs>", re.S)
_STYLE = re.compile(rb"<(?:[\w.-]+:)?xf\b([^>]*)>")
# Built-in number formats 9 (0%) and 10 (0.00%).
_PERCENT_FORMAT_IDS = {b"9", b"10"}
# What a number format writes literally: "text", \x, _x (a space as wide as x), *x (fill with x),
# [Red] / [$-421] / [>=100].
_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')

# A <si> start or end tag ("/" for an end), and what keeps the strings from being told apart by
# their tags: a comment, CDATA, a processing instruction, an angle bracket inside an attribute.
_SHARED_STRING_TAG = re.compile(rb"<(/?)(?:[\w.-]{1,32}:)?si(?=[\s/>])")
_SHARED_STRINGS_UNCLEAR = re.compile(rb"""<!|<\?(?!xml )|="[^"]*[<>]|='[^']*[<>]""")


def scan_xlsx(parts: ZipParts, budget: Budget) -> WorkbookFacts:
    """The facts of every worksheet by name; raises WorkbookTooLarge or UnreadableWorkbook."""
    names = {name.replace("\\", "/").lower(): name for name in parts.names()}

    def part(path: str) -> str | None:  # calamine finds parts case-insensitively
        return names.get(path.lower())

    root = _workbook_folder(_small(parts, part("_rels/.rels"), "_rels/.rels"))
    relationships = _relationships(_small(parts, part(f"{root}_rels/workbook.xml.rels"), "workbook relationships"))
    workbook_name = part(f"{root}workbook.xml")
    workbook = _small(parts, workbook_name, "workbook.xml")
    sheets = _sheets(workbook, relationships, root)
    check_sheets(sum(1 for sheet in sheets if sheet.worksheet), budget.limits)
    styles_name = part(f"{root}styles.xml")
    percent_styles = _percent_styles(_small(parts, styles_name, "")) if styles_name else frozenset()
    strings_name = part(f"{root}sharedStrings.xml")
    strings = _shared_strings(checked(parts.chunks(strings_name), strings_name)) if strings_name else SharedStrings()
    # calamine holds the shared strings while the workbook is open: their text, and a string each.
    budget.hold_text(sum(strings.lengths) + (STRING_OVERHEAD + 24) * len(strings.lengths))
    context = _Context(strings, percent_styles, bool(_FULL_CALC.search(workbook)), budget.text_left(),
                       budget.limits)

    scanned: dict[str, SheetFacts] = {}
    for name in parts.names():
        if name in (workbook_name, styles_name, strings_name) or name.lower().endswith(_BINARY_SUFFIXES):
            continue
        scanned[name] = facts = _scan_part(parts, name, context)
        budget.check_sheet(facts)
    sheet_parts = {part(sheet.path) for sheet in sheets}
    for name in parts.names():  # a picture a sheet relationship points at is read as XML by calamine
        if name in sheet_parts and name not in scanned:
            scanned[name] = facts = _scan_part(parts, name, context)
            budget.check_sheet(facts)
    parts.check_rest()
    return WorkbookFacts({sheet.name: scanned[name] for sheet in sheets
                          if (name := part(sheet.path)) is not None and name in scanned})


@dataclass(frozen=True)
class _SheetEntry:
    name: str
    path: str
    worksheet: bool


def _small(parts: ZipParts, name: str | None, what: str) -> bytes:
    if name is None:
        raise UnreadableWorkbook(f"no {what}")
    data = bytearray()
    for chunk in checked(parts.chunks(name), name):
        data += chunk
        if len(data) > MAX_SMALL_PART_BYTES:
            raise UnreadableWorkbook(f"part {name} is larger than {MAX_SMALL_PART_BYTES >> 20} MB")
    return bytes(data)


def _workbook_folder(package_relationships: bytes) -> str:
    """The folder of the workbook part, from the package's officeDocument relationship (as calamine finds it)."""
    for tag in _RELATIONSHIP.findall(package_relationships):
        found = attributes(tag)
        if found.get(b"Type", b"").endswith(b"/relationships/officeDocument") and b"Target" in found:
            target = found[b"Target"].decode("utf-8", "replace")
            return target[:target.rfind("/") + 1].removeprefix("/")
    raise UnreadableWorkbook("no workbook part")


def _relationships(workbook_relationships: bytes) -> dict[bytes, tuple[str, bytes]]:
    """Relationship id -> (target, type), raw as calamine reads them."""
    found = {}
    for tag in _RELATIONSHIP.findall(workbook_relationships):
        relationship = attributes(tag)
        if b"Id" in relationship:
            found[relationship[b"Id"]] = (relationship.get(b"Target", b"").decode("utf-8", "replace"),
                                          relationship.get(b"Type", b""))
    return found


def _sheets(workbook: bytes, relationships: dict[bytes, tuple[str, bytes]], root: str) -> list[_SheetEntry]:
    sheets = []
    for tag in _SHEET_ENTRY.findall(workbook):
        entry = attributes(tag)
        rel_id = next((value for key, value in entry.items() if key == b"id" or key.endswith(b":id")), b"")
        target, kind = relationships.get(rel_id, ("", b""))
        path = target[1:] if target.startswith("/") else f"{root}{target}"
        sheets.append(_SheetEntry(unescape(entry.get(b"name", b"").decode("utf-8", "replace")), path,
                                  kind.endswith(b"/worksheet")))
    return sheets


def _percent_styles(styles: bytes) -> frozenset[int]:
    """The indices of the cell styles (cellXfs) whose number format shows a percentage."""
    custom = {}
    for tag in _NUMBER_FORMAT.findall(styles):
        found = attributes(tag)
        if b"numFmtId" in found:
            custom[found[b"numFmtId"]] = unescape(found.get(b"formatCode", b"").decode("utf-8", "replace"))
    section = _CELL_STYLES.search(styles)
    if section is None:
        return frozenset()
    percent = set()
    for index, tag in enumerate(_STYLE.findall(section.group(1))):
        format_id = attributes(tag).get(b"numFmtId")
        if format_id in custom:
            if is_percent_format(custom[format_id]):
                percent.add(index)
        elif format_id in _PERCENT_FORMAT_IDS:
            percent.add(index)
    return frozenset(percent)


def is_percent_format(code: str) -> bool:
    """Whether a number format shows its number x 100 with a % sign: its first section (the one for
    positive numbers) holds a % outside quotes, escapes and brackets. ``0%``, ``0.0%;[Red]-0.0%``
    are; ``0"%"``, ``0\\%`` and ``[$%-421]0`` are not."""
    return "%" in _FORMAT_LITERAL.sub("", code).split(";")[0]


@dataclass
class SharedStrings:
    """An upper bound of each shared string's bytes (the length of its element), and the longest."""

    lengths: array = field(default_factory=lambda: array("Q"))
    longest: int = 0
    # False when the strings cannot be told apart by their <si> tags (nested or self-closing ones,
    # comments, brackets inside attributes): then only the longest bounds a cell's text.
    exact: bool = True


def _shared_strings(chunks: Iterable[bytes]) -> SharedStrings:
    strings = SharedStrings()
    inside = False  # between a start tag and its end tag
    length = 0  # bytes of the string being read
    for buffer in _cut_between_tags(chunks):
        if _SHARED_STRINGS_UNCLEAR.search(buffer):
            strings.exact = False
        pieces = _SHARED_STRING_TAG.split(buffer)  # [text, marker, text, marker, ...]
        if inside:
            length += len(pieces[0])
        for at in range(1, len(pieces), 2):
            is_end = pieces[at] == b"/"
            if is_end != inside:
                strings.exact = False
            if is_end:
                strings.lengths.append(length)
                strings.longest = max(strings.longest, length)
            length = len(pieces[at + 1])
            inside = not is_end
    if inside:
        strings.exact = False
        strings.longest = max(strings.longest, length)
    return strings


def _cut_between_tags(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks re-cut so that no tag is split between two (a regex then sees every tag whole)."""
    carry = b""
    for chunk in chunks:
        buffer = carry + chunk if carry else chunk
        last = buffer.rfind(b"<")
        cut = last if last >= 0 and buffer.find(b">", last) < 0 else len(buffer)
        if len(buffer) - cut > MAX_TOKEN_BYTES:
            raise UnreadableWorkbook(f"a tag longer than {MAX_TOKEN_BYTES >> 20} MB")
        carry = buffer[cut:]
        if cut:
            yield buffer[:cut]
    if carry:
        yield carry


def _cut_between_cells(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks re-cut so that no cell element (``<c `` to ``</c>``) and no tag is split between two."""
    carry = b""
    for buffer in _cut_between_tags(chunks):
        if carry:
            buffer = carry + buffer
        cut = len(buffer)
        cell = buffer.rfind(b"<c ")
        if cell >= 0:
            tag_end = buffer.find(b">", cell)
            if tag_end >= 0 and buffer[tag_end - 1] != ord("/") and buffer.find(b"</c>", tag_end) < 0:
                cut = cell
        if len(buffer) - cut > MAX_TOKEN_BYTES:
            raise UnreadableWorkbook(f"a cell longer than {MAX_TOKEN_BYTES >> 20} MB")
        carry = buffer[cut:]
        if cut:
            yield buffer[:cut]
    if carry:
        yield carry


@dataclass(frozen=True)
class _Context:
    strings: SharedStrings
    percent_styles: frozenset[int]
    # The workbook asks to be recalculated when it is opened (fullCalcOnLoad, as xlsxwriter and
    # openpyxl write it): the results it stores are placeholders.
    recalculate: bool
    text_limit: int  # the text one sheet may hold (the limit less the shared strings)
    limits: WorkbookLimits


def _scan_part(parts: ZipParts, name: str, context: _Context) -> SheetFacts:
    """One part's cells: the common spelling by regex, else the tokenizer from the start."""
    facts = _CommonScan(context, count_text=False).scan(checked(parts.chunks(name), name))
    if facts is not None and facts.text_bytes > context.text_limit:
        # The bound (the part's bytes, each string cell at the longest shared string) is too loose
        # here: the text is summed exactly, in a second pass.
        facts = _CommonScan(context, count_text=True).scan(checked(parts.chunks(name), name))
    if facts is None:
        # The tokenizer takes ~1 µs a tag: cells with content past the limit are refused first, by count.
        with_content = sum(len(_CELL_START.findall(chunk)) - len(_EMPTY_CELL.findall(chunk))
                           for chunk in _cut_between_tags(parts.chunks(name)))
        check_cells(with_content, context.limits)
        facts = _TokenScan(context).scan(tokens(checked(parts.chunks(name), name), name))
    return facts


# Any element named c, and one written empty (<c .../>): calamine keeps no empty cell.
_CELL_START = re.compile(rb"<(?:[^\s<>/!?:]+:)?c[\s/>]")
_EMPTY_CELL = re.compile(rb"""<(?:[^\s<>/!?:]+:)?c(?:\s(?:[^>"'/]|"[^"]*"|'[^']*')*)?/>""")


class _CommonScan:
    """Cells written the common way; ``None`` at the first other spelling.

    Nothing is done per cell in Python: per chunk, the cells are counted, and one regex search looks
    for a cell that is either not written the common way or lies beyond the rows and columns seen so
    far (the rows grow chunk by chunk, so the bound starts at the chunk's last row). Only a cell found
    there is looked at, and the bound moves to it.

    ``count_text``: sum the text exactly (the text between tags, each string cell's own shared
    string) instead of bounding it by the part's size and the longest shared string."""

    def __init__(self, context: _Context, count_text: bool):
        self.context, self.count_text = context, count_text
        self.facts = SheetFacts()
        self.string_cells = 0
        self.text_cells = 0  # cells holding text: shared, inline or a formula's
        self.text_bytes = 0

    def scan(self, chunks: Iterable[bytes]) -> SheetFacts | None:
        for buffer in _cut_between_cells(chunks):
            if _PREFIXED.search(buffer) or not self._cells(buffer):
                return None
        if not self.count_text:
            self.text_bytes += self.string_cells * self.context.strings.longest
        self.facts.text_bytes = self.text_bytes + self.text_cells * STRING_OVERHEAD
        return self.facts

    def _cells(self, buffer: bytes) -> bool:
        facts = self.facts
        facts.rows = max(facts.rows, _last_filled_row(buffer))
        at, moves = 0, 0
        while (found := _outside(facts.rows, facts.columns).search(buffer, at)) is not None:
            cell = _CELL.match(buffer, found.start())
            if cell is None or not cell.group(1):
                return False
            moves += 1
            if moves > _MAX_MOVES:  # rows out of order: this chunk's cells one by one
                self._place_all(buffer)
                break
            facts.place(int(cell.group(2)) - 1, column_index(cell.group(1)))
            at = found.start()
        facts.cells += buffer.count(b'<c r="')
        string_cells = buffer.count(b' t="s"')
        self.string_cells += string_cells
        self.text_cells += string_cells + buffer.count(b' t="inlineStr"') + buffer.count(b' t="str"')
        self._text(buffer)
        percent = self.context.percent_styles
        if percent:
            for column, row in _percent_cells(percent).findall(buffer):
                facts.percent.add(int(row) - 1, column_index(column))
        if b' t="e"' in buffer:
            for column, row, text in _ERROR_CELL.findall(buffer):
                facts.errors[(int(row) - 1, column_index(column))] = text.decode("utf-8", "replace")
        if _FORMULA.search(buffer):
            self._formulas(buffer)
        # Refused as soon as the sheet alone passes a limit, not at its end.
        check_cells(max(facts.area, facts.cells), self.context.limits)
        if self.count_text and self.text_bytes > self.context.text_limit:
            raise WorkbookTooLarge("text", self.text_bytes + self.context.limits.text_bytes - self.context.text_limit,
                                   self.context.limits.text_bytes)
        return True

    def _place_all(self, buffer: bytes) -> None:
        for column, row, _style, _type, empty in _CELL.findall(buffer):
            if column and not empty:
                self.facts.place(int(row) - 1, column_index(column))

    def _formulas(self, buffer: bytes) -> None:
        for match in _FORMULA.finditer(buffer):
            start = buffer.rfind(b"<c ", 0, match.start())
            cell = _CELL.match(buffer, start) if start >= 0 else None
            if cell is None or not cell.group(1):
                continue
            end = buffer.find(b"</c>", match.end())
            body = buffer[match.start():end if end >= 0 else len(buffer)]
            if self.context.recalculate or not any(_VALUE.findall(body)):
                self.facts.uncached.append((int(cell.group(2)) - 1, column_index(cell.group(1))))

    def _text(self, buffer: bytes) -> None:
        if not self.count_text:
            self.text_bytes += len(buffer)
            return
        self.text_bytes += sum(map(len, _TEXT.findall(buffer)))
        string_cells = buffer.count(b' t="s"')
        if not string_cells:
            return
        strings = self.context.strings
        indices = _SHARED_VALUE.findall(buffer) if strings.exact else []
        lengths, count = strings.lengths, len(strings.lengths)
        self.text_bytes += sum(lengths[i] if i < count else 0 for i in map(int, indices))
        self.text_bytes += max(0, string_cells - len(indices)) * strings.longest


# A chunk whose cells come out of row order more often than this is placed cell by cell.
_MAX_MOVES = 16


def _last_filled_row(buffer: bytes) -> int:
    """The row of the chunk's last cell with content (a first guess of its rows: rows come in order),
    or 0 when its last cells are all empty ones."""
    end = len(buffer)
    for _ in range(_MAX_MOVES):
        start = buffer.rfind(b'<c r="', 0, end)
        if start < 0:
            return 0
        cell = _CELL.match(buffer, start)
        if cell is not None and cell.group(1) and not cell.group(5):
            return int(cell.group(2))
        end = start
    return 0
_TEXT = re.compile(rb">([^<]+)<")
_COMMON_TAIL = rb'(?: s="[0-9]{1,9}")?(?: t="[a-zA-Z]{1,9}")?[ \t\r\n]*'


@functools.lru_cache(maxsize=64)
def _outside(rows: int, columns: int) -> re.Pattern[bytes]:
    """A cell start that is not a common one inside ``rows`` x ``columns`` (an empty cell, <c .../>,
    may be anywhere: calamine keeps no empty cell)."""
    inside = rb'r="' + _at_most_letters(columns) + _at_most_digits(rows) + rb'"' + _COMMON_TAIL + rb"/?>"
    empty = rb'r="[A-Z]{1,3}[1-9][0-9]{0,6}"' + _COMMON_TAIL + rb"/>"
    return re.compile(rb"<c(?! " + inside + rb"| " + empty + rb")[\s/>]")


def _at_most_digits(limit: int) -> bytes:
    """A regex for the numbers 1..limit written without leading zeros (none when limit is 0)."""
    if limit < 1:
        return rb"(?!)"
    text = str(limit)
    options = [text]
    if len(text) > 1:
        options.append(f"[1-9][0-9]{{0,{len(text) - 2}}}")
    for at, digit in enumerate(text):
        low = "1" if at == 0 else "0"
        if digit > low:
            options.append(f"{text[:at]}[{low}-{chr(ord(digit) - 1)}][0-9]{{{len(text) - at - 1}}}")
    return ("(?:" + "|".join(options) + ")").encode()


def _at_most_letters(limit: int) -> bytes:
    """A regex for the column letters A..the ``limit``-th column (none when limit is 0)."""
    if limit < 1:
        return rb"(?!)"
    text = column_letters(limit - 1)
    options = [text]
    if len(text) > 1:
        options.append(f"[A-Z]{{1,{len(text) - 1}}}")
    for at, letter in enumerate(text):
        if letter > "A":
            options.append(f"{text[:at]}[A-{chr(ord(letter) - 1)}][A-Z]{{{len(text) - at - 1}}}")
    return ("(?:" + "|".join(options) + ")").encode()


@functools.lru_cache(maxsize=8)
def _percent_cells(styles: frozenset[int]) -> re.Pattern[bytes]:
    """A non-empty common cell whose style is one of ``styles``."""
    listed = b"|".join(str(style).encode() for style in sorted(styles))
    return re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})" s="(?:' + listed + rb')"(?: t="[a-zA-Z]{1,9}")?[ \t\r\n]*>')


class _TokenScan:
    """Cells of any spelling, placed as calamine's reader places them: a ``row`` sets the row (its
    ``r``, else one past the previous row) and resets the column; a ``c`` is at its ``r``, else one
    column past the previous cell."""

    def __init__(self, context: _Context):
        self.context = context
        self.facts = SheetFacts()
        self.row = self.column = 0
        self.cell: _Cell | None = None

    def scan(self, stream: Iterable[re.Match[bytes]]) -> SheetFacts:
        for token in stream:
            name = token.group("name")
            if name is None:
                if self.cell is not None:
                    self.cell.text(token.group("text") or token.group("cdata") or b"")
                continue
            local = local_name(name)
            if token.group("end"):
                self._end(local)
            else:
                self._start(local, token.group("attrs"))
                if token.group("empty"):
                    self._end(local)
        return self.facts

    def _start(self, local: bytes, text: bytes) -> None:
        if self.cell is not None:
            self.cell.child(local)
        elif local == b"row":
            reference = attributes(text).get(b"r")
            if reference is not None:
                self.row = _reference(reference)[0]
        elif local == b"c":
            found = attributes(text)
            row = self.row
            if b"r" in found:
                row, self.column = _reference(found[b"r"])
                if self.column < 0:
                    raise UnreadableWorkbook("a cell reference without a column")
            self.cell = _Cell(row, self.column, found.get(b"s"), found.get(b"t"))

    def _end(self, local: bytes) -> None:
        cell = self.cell
        if cell is not None:
            if local == b"c":
                self._finish(cell)
                self.cell = None
                self.column += 1
            else:
                cell.end_child(local)
        elif local == b"row":
            self.row += 1
            self.column = 0

    def _finish(self, cell: _Cell) -> None:
        facts, context = self.facts, self.context
        if cell.filled:
            facts.place(cell.row, cell.column)
            facts.cells += 1
            if not facts.cells % 4096:  # refused as soon as the sheet alone passes a limit
                check_cells(max(facts.area, facts.cells), context.limits)
                if facts.text_bytes > context.text_limit:
                    raise WorkbookTooLarge("text", facts.text_bytes + context.limits.text_bytes - context.text_limit,
                                           context.limits.text_bytes)
            if cell.style is not None and cell.style.isdigit() and int(cell.style) in context.percent_styles:
                facts.percent.add(cell.row, cell.column)
        if cell.type == b"e" and cell.value:
            facts.errors[(cell.row, cell.column)] = cell.value.decode("utf-8", "replace")
        if cell.formula and (context.recalculate or not cell.value):
            facts.uncached.append((cell.row, cell.column))
        strings = context.strings
        if cell.type == b"s":
            index = int(cell.value) if cell.value.isdigit() else -1
            exact = strings.exact and 0 <= index < len(strings.lengths)
            facts.text_bytes += (strings.lengths[index] if exact else strings.longest) + STRING_OVERHEAD
        else:
            facts.text_bytes += cell.text_bytes + (STRING_OVERHEAD if cell.text_bytes else 0)


class _Cell:
    """One cell element being read: its value's text (kept only while short) and whether it has a formula."""

    def __init__(self, row: int, column: int, style: bytes | None, kind: bytes | None):
        self.row, self.column, self.style, self.type = row, column, style, kind
        self.formula = self.filled = False
        self.value = b""
        self.text_bytes = 0
        self._in: bytes | None = None  # the child whose text is read: v or is

    def child(self, local: bytes) -> None:
        if local == b"f":
            self.formula = True
        elif local in (b"v", b"is") and self._in is None:
            self._in = local

    def end_child(self, local: bytes) -> None:
        if local == self._in:
            self._in = None

    def text(self, text: bytes) -> None:
        if self._in is None:
            return
        self.text_bytes += len(text)
        if text.strip():
            self.filled = True
        if self._in == b"v" and len(self.value) < 256:
            self.value += text.strip()


_REFERENCE = re.compile(rb"([A-Za-z]{0,3})([0-9]{1,7})")


def _reference(text: bytes) -> tuple[int, int]:
    """``B7`` -> (6, 1), a row's ``7`` -> (6, -1): calamine's reading of a reference."""
    match = _REFERENCE.fullmatch(text)
    if match is None or int(match.group(2)) == 0:
        raise UnreadableWorkbook(f"cell reference {text[:20].decode('ascii', 'replace')}")
    return int(match.group(2)) - 1, column_index(match.group(1)) if match.group(1) else -1
