"""Bytes -> text: which encoding a file is in, and which delimiter separates its cells."""

from __future__ import annotations

import re

def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 (with or without BOM), else Windows-1252."""
    if b"\x00" in data[:4096]:
        raise ValueError("binary")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > max(3, len(text) // 100):
            raise ValueError("binary") from None
        return text, "windows-1252"


def sniff_delimiter(header_line: str) -> str:
    """Comma or semicolon: whichever splits the header into more fields outside quotes."""
    outside_quotes = re.sub(r'"[^"]*"', "", header_line)
    return ";" if outside_quotes.count(";") > outside_quotes.count(",") else ","
