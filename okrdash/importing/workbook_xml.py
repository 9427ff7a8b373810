"""Reading the XML parts of a workbook as bytes, in chunks, the way calamine's XML reader sees them.

Two readers: :func:`checked` passes chunks through after refusing what no workbook writes and what
would make calamine's reader hold too much at once (UTF-16, a DOCTYPE, a text run of megabytes);
:func:`tokens` cuts them into XML tokens (text, tags with their attributes, comments, CDATA) in
document order, carrying a token cut in two over to the next chunk, so that a scan placing cells
from it sees every element calamine's reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from okrdash.importing.workbook_bounds import UnreadableWorkbook

# calamine's XML reader holds one text run (the bytes between two tags) at a time: a run longer
# than this (the 4 GB of spaces of issue 22) is refused. A cell holds at most 32,767 characters.
MAX_TEXT_RUN = 4 << 20
# The longest tag, comment or cell element carried whole from one chunk to the next.
MAX_TOKEN_BYTES = 4 << 20

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)

TOKEN = re.compile(rb"""
    (?P<text>[^<]+)
  | <!--.*?-->
  | <!\[CDATA\[(?P<cdata>.*?)\]\]>
  | <\?.*?\?>
  | <(?P<end>/?)(?P<name>[^\s/>!?][^\s/>]*)(?P<attrs>(?:[^>"'/]|/(?!>)|"[^"]*"|'[^']*')*)(?P<empty>/?)>
""", re.S | re.X)
_ATTRIBUTE = re.compile(rb"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def checked(chunks: Iterable[bytes], name: str) -> Iterator[bytes]:
    """The chunks of one XML part, refusing UTF-16, a DOCTYPE and text runs past :data:`MAX_TEXT_RUN`."""
    run = 0  # bytes since the last "<"
    tail = b""  # the end of the previous chunk, where a "<!DOCTYPE" may begin
    for number, chunk in enumerate(chunks):
        if number == 0 and (chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or chunk[:2] in (b"<\x00", b"\x00<")):
            raise UnreadableWorkbook(f"part {name} is UTF-16")  # calamine would decode it; no workbook writes it
        first = chunk.find(b"<")
        if first < 0:
            run += len(chunk)
        elif run + first > MAX_TEXT_RUN:
            run += first
        else:
            run = len(chunk) - chunk.rfind(b"<") - 1
        if run > MAX_TEXT_RUN:
            raise UnreadableWorkbook(f"part {name} holds a text longer than {MAX_TEXT_RUN >> 20} MB")
        # calamine's reader expands no entities; a DOCTYPE has no place in a workbook part.
        if (b"<!" in chunk or b"<!" in tail + chunk[:2]) and (_DOCTYPE.search(tail + chunk[:16]) or _DOCTYPE.search(chunk)):
            raise UnreadableWorkbook(f"part {name} declares a DOCTYPE")
        tail = chunk[-16:]
        yield chunk


def tokens(chunks: Iterable[bytes], name: str) -> Iterator[re.Match[bytes]]:
    """The XML tokens of a part in document order (see :data:`TOKEN`); a text run may come in pieces."""
    carry = b""
    for chunk in chunks:
        buffer = carry + chunk if carry else chunk
        at = 0
        while at < len(buffer):
            match = TOKEN.match(buffer, at)
            if match is None:
                break
            yield match
            at = match.end()
        carry = buffer[at:]
        if len(carry) > MAX_TOKEN_BYTES:
            raise UnreadableWorkbook(f"part {name}: malformed XML or a tag longer than {MAX_TOKEN_BYTES >> 20} MB")
    if carry:
        raise UnreadableWorkbook(f"part {name}: malformed XML at its end")


def attributes(text: bytes) -> dict[bytes, bytes]:
    """The attributes of a start tag (its text after the name), raw as calamine reads them; a name
    given twice makes the part unreadable (calamine's reader refuses it too)."""
    found: dict[bytes, bytes] = {}
    for key, double, single in _ATTRIBUTE.findall(text):
        if key in found:
            raise UnreadableWorkbook(f"attribute {key.decode('ascii', 'replace')} given twice")
        found[key] = double if double or not single else single
    return found


def local_name(name: bytes) -> bytes:
    """``x:c`` -> ``c``: the name after the first colon, as calamine's reader compares names."""
    return name.split(b":", 1)[-1]


def unescape(text: str) -> str:
    """The five XML entities, as calamine decodes a name."""
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))
