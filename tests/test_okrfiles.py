"""Files people edit in Excel and upload back (okrdash/okrfiles.py): a team's OKRs and the templates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from okrdash import demo, okrfiles
from okrdash.export import to_csv_bytes
from okrdash.importing import Upload, import_files
from okrdash.importing.headers import canonical_header, header_meanings, resolve_ambiguous
from okrdash.models import Cycle, FileKind

BOM = b"\xef\xbb\xbf"


def test_every_indonesian_header_is_one_the_importer_reads():
    taken = set(okrfiles.HEADERS["id"])
    for canonical, header in okrfiles.HEADERS["id"].items():
        meanings = header_meanings(header)
        if len(meanings) == 2:  # a word with two meanings ("Indikator"): the file's other headers decide
            assert resolve_ambiguous(header, meanings, taken - {canonical}, [])[0] == canonical, header
        else:
            assert canonical_header(header) == canonical, header


def _stored(store) -> dict[str, list[tuple]]:
    """Every objective and key result as stored, without the batch that wrote it."""
    with store.cursor() as cur:
        objectives = cur.execute(
            "SELECT cycle, team, title, owner, type, parent_title FROM objectives ORDER BY ALL").fetchall()
        key_results = cur.execute(
            """SELECT o.title, k.title, k.owner, k.kind, k.baseline, k.target, k.unit, k.weight, k.kpi_id
               FROM key_results k JOIN objectives o ON o.id = k.objective_id ORDER BY ALL""").fetchall()
        checkins = cur.execute("SELECT key_result_id, date, value, confidence, note FROM checkins ORDER BY ALL").fetchall()
    return {"objectives": objectives, "key_results": key_results, "checkins": checkins}


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("team", ["Engineering", "Sales"])
def test_a_downloaded_team_table_uploads_back_unchanged(store, lang, team):
    demo.load_demo(store, anchor=demo.DEMO_ANCHOR)
    cycle = next(c for c in store.cycles() if c.name == "2026-Q4")
    before = _stored(store)
    frame = okrfiles.localise(okrfiles.team_okrs(store, team, cycle, demo.DEMO_ANCHOR), lang)
    assert len(frame) == len(store.kr_scores(demo.DEMO_ANCHOR, cycle=cycle.name, team=team)) > 0
    data = to_csv_bytes(frame, lang)
    header = data[len(BOM):].split(b"\r\n", 1)[0].decode("utf-8")
    if lang == "id":
        assert header.startswith("Siklus;Tanggal mulai;Tanggal selesai;Tim;Tujuan;")
        assert b";01/10/2026;31/12/2026;" in data
    result = import_files(store, [Upload(f"okrs-{team}.csv", data)])
    assert result.files[0].kind == FileKind.OKRS
    assert _stored(store) == before


def test_templates_in_indonesian_are_in_the_current_cycle_and_import_like_the_english_ones(store, file_store):
    cycle = Cycle.parse("2026-Q4")
    english = [Upload(f"{k.value}.csv", to_csv_bytes(okrfiles.template(k, "en", cycle), "en")) for k in FileKind]
    indonesian = {k: to_csv_bytes(okrfiles.template(k, "id", cycle), "id") for k in FileKind}
    okrs = indonesian[FileKind.OKRS][len(BOM):].decode("utf-8")
    assert okrs.startswith("Siklus;Tanggal mulai;Tanggal selesai;Tim;Tujuan;Pemilik tujuan;Jenis tujuan;")
    assert "2026-Q4;01/10/2026;31/12/2026;" in okrs and "2026-Q2" not in okrs
    assert ";aspirasional;" in okrs and ";106,5;" in okrs  # the word the pages show (issue 21)
    kpis = indonesian[FileKind.KPIS][len(BOM):].decode("utf-8")
    assert kpis.startswith("Tim;KPI;Tanggal;Nilai;Target;") and ";7,5;" in kpis

    import_files(store, english)
    import_files(file_store, [Upload(f"{k.value}.csv", data) for k, data in indonesian.items()])
    as_of = dt.date(2026, 12, 31)
    columns = ["team", "objective", "title", "kind", "baseline", "target", "current", "last_checkin", "status"]
    pd.testing.assert_frame_equal(store.kr_scores(as_of)[columns], file_store.kr_scores(as_of)[columns])
    pd.testing.assert_frame_equal(store.kpi_scores(as_of), file_store.kpi_scores(as_of))
    assert [c.name for c in file_store.cycles()] == ["2026-Q4"]
