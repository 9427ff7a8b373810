"""Step 2 of reading a file, text -> lines: the UTF-8 text (importing.decoding made it from the
bytes) with its line ends made plain and Excel's one-column wrapping undone, and its first lines.

The text stays bytes throughout: only the first lines are decoded in Python, every other look at it
is a search over the bytes, and DuckDB reads the rest (importing.load). (Decoded, a 127 MB file was
a second 127 MB, or four times that with one non-ASCII letter.)
"""

from __future__ import annotations

import re

from okrdash.importing.decoding import DELIMITERS
from okrdash.importing.notes import ReadingNote
from okrdash.problems import ImportFailed, Problem

# A byte that is not ASCII white space: a letter, or the first byte of one beyond ASCII.
_NOT_ASCII_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c\x1c-\x1f]")
_WRAPPED_LINE = re.compile(r'^"(?:[^"\n]|"")*"[ \t]*$', re.M)
_LEADING_LINE_BREAKS = re.compile(rb"\n*")


def plain_lines(file_name: str, data: bytes, start: int, notes: list[ReadingNote]) -> tuple[bytes, int]:
    """The text ``data[start:]`` with "\\n" line ends, unwrapped if Excel wrapped each line into one
    quoted cell; returns the bytes and where the text starts in them. Raises ImportFailed when blank."""
    if blank_from(data, start):
        raise ImportFailed([Problem(file_name, None, None, None, "file_empty", {})])
    if data.find(b"\r", start) >= 0:  # Windows (or old Mac) line ends: one copy, for these files only
        data = data.replace(b"\r\n", b"\n")
        if data.find(b"\r", start) >= 0:
            data = data.replace(b"\r", b"\n")
    unwrapped = unwrap_quoted_lines(data, start)
    if unwrapped is not None:
        notes.append(ReadingNote("unwrapped_lines"))
        return unwrapped, 0
    return data, start


def first_lines(data: bytes, count: int, start: int = 0) -> list[bytes]:
    """The first ``count`` lines of ``data[start:]``, without splitting (and so copying) the rest of a large file."""
    lines = []
    while len(lines) < count and start <= len(data):
        end = data.find(b"\n", start)
        if end < 0:
            lines.append(data[start:])
            break
        lines.append(data[start:end])
        start = end + 1
    return lines


def blank_from(data: bytes, start: int) -> bool:
    """Whether the UTF-8 text ``data[start:]`` is empty or white space only (``str.isspace``), without decoding it."""
    at = start
    while (found := _NOT_ASCII_SPACE.search(data, at)) is not None:
        at = found.start()
        if data[at] < 0x80:
            return False
        width = 2 if data[at] < 0xE0 else 3 if data[at] < 0xF0 else 4  # a letter beyond ASCII: a no-break space?
        if not data[at:at + width].decode("utf-8").isspace():
            return False
        at += width
    return True


def unwrap_quoted_lines(data: bytes, start: int = 0) -> bytes | None:
    """The UTF-8 file ``data[start:]`` as it was before Excel wrapped each line into one quoted
    cell, or None if it was not. Only the first line is looked at (and decoded) unless it is wrapped."""
    at = _LEADING_LINE_BREAKS.match(data, start).end()
    end = data.find(b"\n", at)
    first = data[at:end if end >= 0 else len(data)].decode("utf-8")
    if not _WRAPPED_LINE.fullmatch(first) or not any(d in first for d in DELIMITERS):
        return None
    text = str(memoryview(data)[start:], "utf-8")
    non_blank = sum(1 for _ in re.finditer(r"^.*\S.*$", text, re.M))
    if sum(1 for _ in _WRAPPED_LINE.finditer(text)) != non_blank:
        return None
    return re.sub(r'^"(.*)"[ \t]*$', r"\1", text, flags=re.M).replace('""', '"').encode("utf-8")
