"""Bytes -> text: which encoding a file is in, and which delimiter separates its cells.

The encoding is decided from evidence, never by falling back silently: UTF-16 when the file
starts with its byte order mark (Excel's "Unicode Text"), UTF-8 when every byte sequence is valid
UTF-8, Windows-1252 when the file holds no UTF-8 multibyte sequence at all. A file that mixes
valid UTF-8 letters with bytes that are not UTF-8 was damaged (or pasted together) and is refused
naming the first bad line, since reading it either way would store some letters wrong.
"""

from __future__ import annotations

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
    text: str
    encoding: str  # "utf-8", "utf-16" or "windows-1252"
    extra_boms: int = 0  # byte order marks repeated at the start (a file saved twice with a BOM)


class UndecodableFile(ValueError):
    """The bytes are not text in an encoding okrdash can tell; ``code`` names the problem."""

    def __init__(self, code: str, line: int | None = None, value: str | None = None):
        super().__init__(code)
        self.code, self.line, self.value = code, line, value


def decode(data: bytes) -> Decoded:
    """The file's text and the encoding it was read in; raises :class:`UndecodableFile`."""
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UndecodableFile("file_encoding_invalid", _line_at(data, error.start, 2)) from None
        if "\x00" in text:
            raise UndecodableFile("file_binary")
        stripped = text.lstrip("\ufeff")
        return Decoded(stripped, "utf-16", len(text) - len(stripped))
    if b"\x00" in data:
        raise UndecodableFile("file_binary")
    boms = 0
    while data.startswith(_UTF8_BOM, boms * 3):
        boms += 1
    try:
        text = (data[boms * 3:] if boms else data).decode("utf-8")  # (slicing would copy a large file)
    except UnicodeDecodeError as error:
        bad_at = error.start + boms * 3
    else:
        stripped = text.lstrip("\ufeff")
        return Decoded(stripped, "utf-8", max(0, boms - 1) + len(text) - len(stripped))
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
    return Decoded(text, "windows-1252")


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
