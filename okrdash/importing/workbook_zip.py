"""The parts of a zip workbook (.xlsx, .xlsm, .ods), each decompressed with its real size counted.

A zip declares each part's size, and a hostile one lies. Here every part is inflated from its
compressed bytes in chunks, the bytes counted against the workbook's budget as they come (a bomb
stops at the limit, not at its end), and a part whose real size differs from the declared one is
refused: then calamine, which reads the same central directory, reads exactly the bytes counted
here. The archive itself must be plain: its directory at the very end, no prepended or appended
bytes, no duplicate names, stored or deflated parts only, no encryption.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator

from okrdash.importing.workbook_bounds import Budget, UnreadableWorkbook, WorkbookTooLarge

# A workbook of 1,000 sheets is about 3,000 parts (sheet, its relationships, drawings, printer
# settings); Python's zipfile holds ~0.5 KB per part it lists, so 20,000 parts is 10 MB.
MAX_PARTS = 20_000
MAX_DIRECTORY_BYTES = 16 << 20
# Inflated in chunks of at most this many bytes, fed this many compressed bytes at a time.
CHUNK_BYTES = 1 << 20
_INPUT_BYTES = 64 << 10

_END = b"PK\x05\x06"
_END_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
_LOCAL_HEADER = b"PK\x03\x04"


def is_zip(data: bytes) -> bool:
    return data.startswith(_LOCAL_HEADER)


class ZipParts:
    """Bounded access to the parts of one zip workbook; every byte inflated counts on ``budget``."""

    def __init__(self, data: bytes, budget: Budget):
        self._data, self._budget = data, budget
        _check_directory(data)
        try:
            infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error) as error:
            raise UnreadableWorkbook(f"not a zip workbook: {error}") from None
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise UnreadableWorkbook("a part name appears twice")
        for info in infos:
            if info.flag_bits & 0x1:
                raise UnreadableWorkbook("an encrypted part")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise UnreadableWorkbook(f"part {info.filename}: compression {info.compress_type}")
        declared = sum(info.file_size for info in infos)
        if declared > budget.unpacked_left():
            raise WorkbookTooLarge("unpacked", declared, budget.limits.unpacked_bytes)
        self._infos = {info.filename: info for info in infos}
        self._counted: dict[str, int] = {}  # part -> bytes of it counted on the budget so far
        self._verified: set[str] = set()  # parts read to their end, their real size the declared one

    def names(self) -> list[str]:
        return list(self._infos)

    def size(self, name: str) -> int:
        """The part's size; a part streamed to its end is refused unless its real size is this one."""
        return self._infos[name].file_size

    def chunks(self, name: str) -> Iterator[bytes]:
        """The part's bytes in chunks of at most :data:`CHUNK_BYTES`, each byte counted once on the
        budget however often the part is read.

        Raises :class:`UnreadableWorkbook` when the part is damaged or not the size it declares,
        :class:`WorkbookTooLarge` when the workbook's unpacked bytes pass the limit."""
        info = self._infos[name]
        raw = self._compressed(info)
        if info.compress_type == zipfile.ZIP_STORED:
            pieces: Iterator[bytes] = (bytes(raw[at:at + CHUNK_BYTES]) for at in range(0, len(raw), CHUNK_BYTES))
        else:
            pieces = _inflate(raw, name)
        total = 0
        for piece in pieces:
            total += len(piece)
            if total > info.file_size:
                raise UnreadableWorkbook(f"part {name} is larger than it says")
            counted = self._counted.get(name, 0)
            if total > counted:
                self._budget.add_unpacked(total - counted)
                self._counted[name] = total
            yield piece
        if total != info.file_size:
            raise UnreadableWorkbook(f"part {name} is smaller than it says")
        self._verified.add(name)

    def check_rest(self) -> None:
        """Inflate every part not read to its end yet, so that no part calamine might open is unmeasured."""
        for name in self._infos:
            if name not in self._verified:
                for _ in self.chunks(name):
                    pass

    def _compressed(self, info: zipfile.ZipInfo) -> memoryview:
        start = info.header_offset
        header = self._data[start:start + 30]
        if len(header) < 30 or not header.startswith(_LOCAL_HEADER):
            raise UnreadableWorkbook(f"part {info.filename}: no local header")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        if self._data[start + 30:start + 30 + name_length] != info.orig_filename.encode(
                "utf-8" if info.flag_bits & 0x800 else "cp437"):
            raise UnreadableWorkbook(f"part {info.filename}: the local header names another part")
        begin = start + 30 + name_length + extra_length
        end = begin + info.compress_size
        if end > len(self._data):
            raise UnreadableWorkbook(f"part {info.filename} runs past the end of the file")
        return memoryview(self._data)[begin:end]


def _inflate(raw: memoryview, name: str) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    at = 0
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                piece = inflater.decompress(inflater.unconsumed_tail, CHUNK_BYTES)
            elif at < len(raw):
                piece = inflater.decompress(raw[at:at + _INPUT_BYTES], CHUNK_BYTES)
                at += _INPUT_BYTES
            else:
                raise UnreadableWorkbook(f"part {name} is cut short")
            if piece:
                yield piece
    except zlib.error as error:
        raise UnreadableWorkbook(f"part {name}: {error}") from None


def _check_directory(data: bytes) -> None:
    """The central directory is where it says, ends the file, and is small enough to list."""
    end = data.rfind(_END, max(0, len(data) - _END_SIZE - 0xFFFF))
    if end < 0 or len(data) - end < _END_SIZE:
        raise UnreadableWorkbook("no zip directory")
    entries, size, offset, comment_length = struct.unpack("<HIIH", data[end + 10:end + _END_SIZE])
    if end + _END_SIZE + comment_length != len(data):
        raise UnreadableWorkbook("bytes after the zip directory")
    directory_end = end
    if entries == 0xFFFF or 0xFFFFFFFF in (size, offset):
        locator = end - 20
        if locator < 0 or data[locator:locator + 4] != _ZIP64_LOCATOR:
            raise UnreadableWorkbook("a zip64 directory without its locator")
        (record,) = struct.unpack("<Q", data[locator + 8:locator + 16])
        if data[record:record + 4] != _ZIP64_END or record > locator:
            raise UnreadableWorkbook("a zip64 directory not where it says")
        entries, size, offset = struct.unpack("<QQQ", data[record + 32:record + 56])
        directory_end = record
    if entries > MAX_PARTS:
        raise WorkbookTooLarge("parts", entries, MAX_PARTS)
    if size > MAX_DIRECTORY_BYTES or offset + size != directory_end:
        raise UnreadableWorkbook("the zip directory is not where it says")
