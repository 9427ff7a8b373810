"""Bytes -> text: which encoding a file is in, and which delimiter separates its cells.

The encoding is decided from evidence, never by falling back silently: UTF-16 when the file
starts with its byte order mark (Excel's "Unicode Text"), UTF-8 when every byte sequence is valid
UTF-8, Windows-1252 when the file holds no UTF-8 multibyte sequence at all. A file that mixes
valid UTF-8 letters with bytes that are not UTF-8 was damaged (or pasted together) and is refused
naming the first bad line, since reading it either way would store some letters wrong.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A well-formed UTF-8 sequence of two to four bytes (what a letter like "é" or "ü" becomes).
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Mac Roman writes common accented letters in 0x80-0x9f, where Windows-1252 has rare letters and
# signs (ƒ ‡ ˆ Š Œ Ž š œ ž Ÿ); one of those right after a letter, inside or at the end of a word, is
# Mac Roman's é, á, ü or ö, not text. (Quotes and dashes, which Windows-1252 files do hold between
# letters, are left out.)
_MAC_ROMAN_LETTER = re.compile(rb'[A-Za-z][\x83\x87\x88\x8a\x8c\x8e\x9a\x9c\x9e\x9f](?:[a-z]|[\s,;"]|$)')
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Decoded:
    """The file as UTF-8 bytes: ``data[start:]``, never sliced off (a copy of a large file).

    A UTF-8 file keeps its own bytes (its byte order marks skipped by ``start``); only a UTF-16 or
    Windows-1252 file is transcoded. DuckDB reads UTF-8 bytes, so a large upload is never held as
    a Python string too (up to four bytes a letter once one letter is not ASCII).
    """

    data: bytes
    encoding: str  # "utf-8", "utf-16" or "windows-1252"
    extra_boms: int = 0  # byte order marks repeated at the start (a file saved twice with a BOM)
    start: int = 0

    @property
    def text(self) -> str:
        """The whole text (a copy: for small files and tests)."""
        return str(memoryview(self.data)[self.start:], "utf-8")


class UndecodableFile(ValueError):
    """The bytes are not text in an encoding okrdash can tell; ``code`` names the problem."""

    def __init__(self, code: str, line: int | None = None, value: str | None = None):
        super().__init__(code)
        self.code, self.line, self.value = code, line, value


def decode(data: bytes) -> Decoded:
    """The file as UTF-8 bytes and the encoding it was read in; raises :class:`UndecodableFile`."""
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UndecodableFile("file_encoding_invalid", _line_at(data, error.start, 2)) from None
        if "\x00" in text:
            raise UndecodableFile("file_binary")
        stripped = text.lstrip("\ufeff")
        return Decoded(stripped.encode("utf-8"), "utf-16", len(text) - len(stripped))
    if b"\x00" in data:
        raise UndecodableFile("file_binary")
    boms = 0
    while data.startswith(_UTF8_BOM, boms * 3):
        boms += 1
    bad_at = utf8_error_at(data, boms * 3)
    if bad_at is None:
        return Decoded(data, "utf-8", max(0, boms - 1), boms * 3)
    if boms or _UTF8_MULTIBYTE.search(data):
        raise UndecodableFile("file_encoding_mixed", _line_at(data, bad_at), _line_text(data, bad_at))
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d mean nothing in Windows-1252
        raise UndecodableFile("file_encoding_unknown", _line_at(data, error.start), _line_text(data, error.start)) \
            from None
    mac_roman = _MAC_ROMAN_LETTER.search(data)
    if mac_roman:
        at = mac_roman.start() + 1
        raise UndecodableFile("file_encoding_unknown", _line_at(data, at), _line_text(data, at))
    return Decoded(text.encode("utf-8"), "windows-1252")


_CHECK_CHUNK = 1 << 22  # bytes decoded at a time to check that a file is UTF-8


def utf8_error_at(data: bytes, start: int = 0) -> int | None:
    """The offset of the first byte of ``data[start:]`` that is not UTF-8, or None when it all is.

    An ASCII file is known at once (no string is made); otherwise it is decoded a few MB at a
    time and each piece dropped, instead of holding the whole file as a string.
    """
    if data.isascii():
        return None
    view = memoryview(data)
    at = start
    while at < len(data):
        end = min(at + _CHECK_CHUNK, len(data))
        final = end == len(data)
        try:
            _, used = codecs.utf_8_decode(view[at:end], "strict", final)
        except UnicodeDecodeError as error:
            return at + error.start
        if not used and not final:  # (cannot happen: a chunk holds a whole sequence)
            return at
        at += used
    return None


def _line_at(data: bytes, offset: int, width: int = 1) -> int:
    """The 1-based line of byte ``offset`` (``width`` 2 for UTF-16, whose line break is two bytes)."""
    if width == 1:
        newline = b"\n"
    else:
        newline = "\n".encode("utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be")
    return data.count(newline, 0, offset) + 1


def _line_text(data: bytes, offset: int) -> str:
    """The line holding byte ``offset``, with the bytes that cannot be read shown as �."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return data[start:end if end >= 0 else len(data)][:200].decode("utf-8", errors="replace").rstrip("\r")


def sniff_delimiter(header_line: str) -> str:
    """Comma, semicolon or tab: whichever splits the header into more fields outside quotes (comma on a tie)."""
    outside_quotes = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: outside_quotes.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","
