"""The file kinds declared once (okrdash/kinds.py): the reader, the templates, the downloads and
docs/csv-format.md all follow the declarations."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from okrdash import kinds, okrfiles
from okrdash.importing.headers import canonical_header, detect_kind, header_meanings, normalise_header
from okrdash.kinds import AMBIGUOUS, COLUMNS, KINDS, generated_docs
from okrdash.models import FileKind

ROOT = Path(__file__).resolve().parents[1]


def test_the_format_document_is_the_declarations():
    """docs/csv-format.md's column and word tables are generated (python -m okrdash.kinds writes them)."""
    text = (ROOT / "docs" / "csv-format.md").read_text(encoding="utf-8")
    assert text.count("<!-- generated: ") == len(KINDS) + 1
    assert generated_docs(text) == text


def test_every_spelling_names_one_column():
    seen: dict[str, str] = {}
    for name, column in COLUMNS.items():
        for spelling in (name, *column.en, *column.id):
            key = normalise_header(spelling)
            if key in AMBIGUOUS:
                continue
            assert seen.setdefault(key, name) == name, (spelling, seen[key], name)
            assert canonical_header(spelling) == name, spelling


def test_each_kind_uses_declared_columns_and_tells_itself():
    for kind in KINDS.values():
        assert set(kind.names) <= set(COLUMNS), kind.kind
        assert set(kind.required) <= set(kind.names)
        assert set(kind.read_as.values()) <= set(kind.names)
        assert detect_kind(set(kind.names)) is kind.kind
        assert detect_kind(set(kind.required)) is kind.kind


@pytest.mark.parametrize("kind", list(FileKind))
def test_templates_are_headed_with_the_kinds_columns_in_order(kind):
    with open(ROOT / "data" / "templates" / f"{kind.value}.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    declared = KINDS[kind].names
    assert set(header) <= set(declared) and set(KINDS[kind].required) <= set(header)
    assert header == [c for c in declared if c in header]


def test_indonesian_headers_written_read_back_as_their_column():
    for name, written in okrfiles.HEADERS["id"].items():
        meanings = header_meanings(written)
        assert name in meanings, (name, written)
        assert kinds.header(name, "en") == name


@pytest.mark.parametrize(("header", "column"), [
    ("Polaritas", "direction"), ("Polarity", "direction"), ("Pencapaian", "achievement"),
    ("% Pencapaian", "achievement"), ("Last Update", "last_checkin"), ("Update Terakhir", "last_checkin"),
    ("Tgl Update", "last_checkin"), ("Nilai\nAwal", "baseline"), ("Status", "status"), ("IKU", "kpi"),
    ("Perspektif", "category"), ("Assignee", "owner"),
])
def test_headers_of_the_files_people_keep(header, column):
    assert canonical_header(header) == column
