"""A person's answers about a file that does not say everything: a :class:`Mapping`.

A file may leave out what its writer knew (which team, which cycle, the date of the values), name
its columns in words okrdash does not know (``KODE KPI``, ``NAMA UNIT``), keep one column per
metric, or hold its headers on a line the reader would not pick. The answers are data, applied
inside the reader (importing.table, header_row, layout, shapes), never after it:

- ``kind``: the file's kind when its headers do not tell;
- ``columns``: a header as written (case and spacing free) -> the column it is (a column name of
  docs/csv-format.md for the kind) or ``ignore``;
- ``values``: a value for every row that has none (``team = "Penjualan"``), put into the scratch
  table as a cell and read by the same cell reader as the file's cells; a row's own cell is never
  replaced;
- ``metrics``: columns of a wide sheet that are each one KPI named by its header, each cell a value
  dated by its row's date;
- ``sheets``: the only sheets of a workbook to read; ``header_row``: the line that holds the headers;
- ``headers``: the headers of the file the answers were saved for: a later upload with the same
  headers is read with them (:func:`saved_for`).

A mapping is a small TOML file (:meth:`Mapping.to_toml`, :meth:`Mapping.from_toml`); the CLI's
flags and the Upload page build the same object. What a mapping may say is checked by
:func:`check`, against the declared kinds (okrdash/kinds.py): nothing here restates a column.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from okrdash.importing.headers import normalise_header
from okrdash.kinds import KINDS
from okrdash.models import FileKind

if TYPE_CHECKING:
    from okrdash.access import Access
    from okrdash.store import Store

IGNORE = "ignore"
# The kind a sheet of one column per metric is: each column one KPI.
METRICS_KIND = FileKind.KPIS


class MappingError(Exception):
    """A mapping that cannot be used: a message code (``mapping.<code>`` in the cli locales) and
    its parameters, the accepted values among them."""

    def __init__(self, code: str, params: dict[str, str] | None = None):
        super().__init__(code)
        self.code, self.params = code, params or {}

    def message(self, lang: str = "en") -> str:
        from okrdash.i18n import translate

        return translate(f"mapping.{self.code}", lang, **self.params)


@dataclass(frozen=True)
class Mapping:
    kind: FileKind | None = None
    columns: tuple[tuple[str, str], ...] = ()  # (header as written, column name or "ignore")
    values: tuple[tuple[str, str], ...] = ()  # (column name, value as written)
    metrics: tuple[str, ...] = ()
    sheets: tuple[str, ...] = ()
    header_row: int | None = None  # 1-based line of the file (a workbook: row of the sheet)
    headers: tuple[str, ...] = ()

    @property
    def file_kind(self) -> FileKind | None:
        """The kind the answers say: the one given, else a sheet of metrics is a KPI sheet."""
        return self.kind or (METRICS_KIND if self.metrics else None)

    def column_for(self, header: str) -> str | None:
        """The column (or ``ignore``) the answers give the file's header ``header``, or None."""
        key = normalise_header(header)
        return next((meaning for written, meaning in self.columns if normalise_header(written) == key), None)

    def is_metric(self, header: str) -> bool:
        key = normalise_header(header)
        return any(normalise_header(metric) == key for metric in self.metrics)

    def named_headers(self) -> list[str]:
        """Every header the answers name (mapped columns and metrics), as written."""
        return [written for written, _ in self.columns] + list(self.metrics)

    def matches(self, headers: list[str]) -> bool:
        """Whether a file with ``headers`` is the one these answers were saved for (the same
        headers, case and spacing free, in any order)."""
        return bool(self.headers) and headers_signature(self.headers) == headers_signature(headers)

    def over(self, base: Mapping) -> Mapping:
        """These answers over ``base`` (flags over a mapping file): a header, column or value given
        here replaces base's, the rest of base stays."""
        mine = {normalise_header(h) for h, _ in self.columns}
        set_here = {name for name, _ in self.values}
        return Mapping(
            kind=self.kind or base.kind,
            columns=tuple((h, m) for h, m in base.columns if normalise_header(h) not in mine) + self.columns,
            values=tuple((n, v) for n, v in base.values if n not in set_here) + self.values,
            metrics=tuple(dict.fromkeys(base.metrics + self.metrics)),
            sheets=tuple(dict.fromkeys(base.sheets + self.sheets)),
            header_row=self.header_row or base.header_row, headers=self.headers or base.headers)

    def to_toml(self) -> str:
        """The mapping as a TOML file (strings written as TOML basic strings)."""
        lines = ["# okrdash mapping: what this file leaves out or names in its own words (docs/csv-format.md)"]
        if self.kind is not None:
            lines.append(f"kind = {_string(self.kind.value)}")
        if self.header_row is not None:
            lines.append(f"header_row = {self.header_row}")
        for key, items in (("sheets", self.sheets), ("metrics", self.metrics), ("headers", self.headers)):
            if items:
                lines.append(f"{key} = [{', '.join(_string(i) for i in items)}]")
        for table, pairs in (("columns", self.columns), ("values", self.values)):
            if pairs:
                lines += ["", f"[{table}]", *(f"{_string(k)} = {_string(v)}" for k, v in pairs)]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, text: str) -> Mapping:
        """A mapping from its TOML text; :class:`MappingError` when it is not one."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise MappingError("not_toml", {"error": str(error)}) from None
        known = {"kind", "header_row", "sheets", "metrics", "headers", "columns", "values"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise MappingError("unknown_key", {"key": unknown[0], "accepted": ", ".join(sorted(known))})

        def strings(key: str) -> tuple[str, ...]:
            items = data.get(key, [])
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise MappingError("not_strings", {"key": key})
            return tuple(items)

        def pairs(key: str) -> tuple[tuple[str, str], ...]:
            table = data.get(key, {})
            if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
                raise MappingError("not_strings", {"key": key})
            return tuple(table.items())

        header_row = data.get("header_row")
        if header_row is not None and (not isinstance(header_row, int) or isinstance(header_row, bool)):
            raise MappingError("header_row", {"value": str(header_row)})
        mapping = cls(kind=kind_named(data["kind"]) if "kind" in data else None, columns=pairs("columns"),
                      values=pairs("values"), metrics=strings("metrics"), sheets=strings("sheets"),
                      header_row=header_row, headers=strings("headers"))
        check(mapping)
        return mapping


NO_MAPPING = Mapping()


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters (TOML allows none) escaped."""
    return '"' + "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
                         for c in text) + '"'



def kind_named(name: object) -> FileKind:
    try:
        return FileKind(str(name).strip().lower())
    except ValueError:
        raise MappingError("kind", {"value": str(name), "accepted": ", ".join(k.value for k in KINDS)}) from None


def accepted_columns(kind: FileKind | None) -> tuple[str, ...]:
    """The column names a header may be mapped to: the kind's, or every kind's when it is not known."""
    kinds = [KINDS[kind]] if kind is not None else list(KINDS.values())
    return tuple(dict.fromkeys(name for k in kinds for name in k.names))


def check(mapping: Mapping) -> None:
    """Raise :class:`MappingError` naming what would be accepted when an answer cannot be used."""
    kind = mapping.file_kind
    if mapping.metrics and kind is not METRICS_KIND:
        raise MappingError("metrics_kind", {"kind": kind.value if kind else "", "accepted": METRICS_KIND.value})
    names = accepted_columns(kind)
    kind_text = kind.value if kind else "/".join(k.value for k in KINDS)
    for header, meaning in mapping.columns:
        if not header.strip():
            raise MappingError("header_blank", {"meaning": meaning})
        if meaning != IGNORE and meaning not in names:
            raise MappingError("column_meaning", {"header": header, "meaning": meaning,
                                                  "kind": kind_text, "accepted": ", ".join(names)})
    for column, value in mapping.values:
        if column not in names:
            raise MappingError("value_meaning", {"meaning": column, "kind": kind.value if kind else "",
                                                 "accepted": ", ".join(names)})
        if not value.strip():
            raise MappingError("value_blank", {"meaning": column})
    if mapping.header_row is not None and mapping.header_row < 1:
        raise MappingError("header_row", {"value": str(mapping.header_row)})
    for metric in mapping.metrics:
        if mapping.column_for(metric) is not None:
            raise MappingError("metric_and_column", {"header": metric})



# Saved mappings are kept in the store (table saved_mappings, on both backends), one per name, found
# by the signature of the headers they were saved for. A ``mappings/`` folder an earlier okrdash
# wrote beside a database file is still read, after the store, and never written.
def headers_signature(headers: list[str] | tuple[str, ...]) -> str:
    """The headers as a saved mapping is found by: case and spacing free, in any order."""
    return "\n".join(sorted({normalise_header(h) for h in headers if h.strip()}))


def save(store: Store, name: str, mapping: Mapping, writer: Access) -> str:
    """Keep ``mapping`` (which names the headers it is for) in ``store`` as ``name`` (blank: "mapping");
    the name it was saved as. Its TOML is read back first, so only a mapping that reads is kept;
    the store checks ``writer`` may (StoreError)."""
    clean = " ".join(name.split()) or "mapping"
    if not mapping.headers:
        raise MappingError("no_headers", {"name": clean})
    text = mapping.to_toml()
    Mapping.from_toml(text)  # the text as it will be read back: a MappingError now, not at the next upload
    store.save_mapping(clean, headers_signature(mapping.headers), text, writer)
    return clean


def saved_for(store: Store, headers: list[str]) -> tuple[str, Mapping] | None:
    """The saved mapping (its name and answers) whose headers are these, if one is: the store's
    first, then an earlier okrdash's ``mappings/`` folder beside a database file. One that no longer
    reads as a mapping is passed over."""
    kept = [(name, text) for name, text in store.saved_mappings(headers_signature(headers))]
    folder = _legacy_folder(store.path)
    if folder is not None and folder.is_dir():
        kept += [(path.stem, path) for path in sorted(folder.glob("*.toml"))]
    for name, source in kept:
        try:
            mapping = Mapping.from_toml(source if isinstance(source, str) else source.read_text(encoding="utf-8"))
        except (MappingError, OSError, UnicodeDecodeError):
            continue
        if mapping.matches(headers):
            return name, mapping
    return None


def _legacy_folder(database: Path | str) -> Path | None:
    """Where an earlier okrdash saved mappings: a ``mappings`` folder beside a database file."""
    if not isinstance(database, Path):
        return None
    return database.parent / "mappings"
