"""The Upload page's view model (okrdash/views/upload.py): templates, history and the right to undo,
and what a check of real files shows (summaries, problems, questions) and an import's outcome."""

from __future__ import annotations

import pytest

from okrdash import importing
from okrdash.access import LOCAL_ACCESS, LOCAL_VIEWER, Access, Role
from okrdash.problems import ImportFailed
from okrdash.viewstate import UploadState
from okrdash.views import upload
from tests.fixtures import company as fixture
from tests.views.conftest import scope_of

AMBIGUOUS = b"team,kpi,date,value,target\nSales,Closed deals,2026-11-23,1.500,2.000\n"
INDONESIAN = ("tim;nama_kpi;tanggal;nilai;target;catatan_lain\n"
              "Sales;Closed deals;23/11/2026;21;20;first\nSales;Closed deals;24/11/2026;22,5;20;second\n").encode()


def problems_of(store, data: bytes) -> list:
    with pytest.raises(ImportFailed) as failed:
        importing.prepare(store, [importing.Upload("deals.csv", data)], today=fixture.AS_OF)
    return failed.value.problems


def test_templates_in_the_readers_language_and_the_cycle_on_show(company):
    view = upload.view(company, UploadState(), scope_of(company, "id"), LOCAL_ACCESS)
    assert view.templates_caption.startswith("**Templat** · ") and "2026\\-Q4" in view.templates_caption
    assert [(t.label, t.file_name) for t in view.templates] == [
        ("⬇️ Templat OKR", "okrs.csv"), ("⬇️ Templat check-in", "checkins.csv"), ("⬇️ Templat KPI", "kpis.csv"),
        ("⬇️ Templat daftar orang (admin)", "people.csv")]  # the people template for an admin only
    people = view.templates[3].rows()
    assert list(people.columns) == ["Nama", "Email", "Email atasan", "Bahasa", "Tim", "No WA"]
    assert list(people["Bahasa"]) == ["Indonesia", "Inggris"]
    editor = upload.view(company, UploadState(), scope_of(company, "id"), Access(role=Role.EDITOR, who="x"))
    assert [t.file_name for t in editor.templates] == ["okrs.csv", "checkins.csv", "kpis.csv"]
    okrs = view.templates[0].rows()
    assert list(okrs.columns[:4]) == ["Siklus", "Tanggal mulai", "Tanggal selesai", "Tim"]
    assert set(okrs["Siklus"]) == {"2026-Q4"}
    assert view.reference.startswith("# Files okrdash reads") and view.max_mb == 200


def test_the_import_history_and_who_may_undo_what(company):
    admin = upload.view(company, UploadState(), scope_of(company), LOCAL_ACCESS)
    assert list(admin.history.shown["File"]) == ["checkins.csv", "okrs.csv", "kpis.csv"]  # newest first
    assert list(admin.history.shown["New rows"]) == [6, 28, 11] and admin.history.file_name == "import-history.csv"
    assert [u.batch for u in admin.undoable] == [3, 2, 1] and admin.undoable[0].label.startswith("3 · checkins.csv · ")
    assert admin.backup
    # An editor of named teams undoes only the batches they imported; a viewer none.
    sari = Access(role=Role.EDITOR, who="sari@contoh.co.id", teams=frozenset({"Support"}), mode="oidc")
    assert upload.view(company, UploadState(), scope_of(company), sari).undoable == ()
    viewer = upload.view(company, UploadState(), scope_of(company), LOCAL_VIEWER)
    assert viewer.undoable == () and not viewer.backup


def test_the_readers_answers_come_from_the_link_and_a_value_it_cannot_use_is_reported(company):
    view = upload.view(company, UploadState(numbers="id", dates="mdy"), scope_of(company), LOCAL_ACCESS)
    assert (view.choices.numbers.value, view.choices.dates.value) == ("id", "mdy") and view.notices == []
    bad = upload.view(company, UploadState(numbers="thousands"), scope_of(company), LOCAL_ACCESS)
    assert [n.name for n in bad.notices] == ["numbers"] and bad.link == UploadState()
    assert bad.choices.numbers is None


def test_a_number_no_evidence_decides_is_asked_with_its_two_readings(company):
    problems = problems_of(company, AMBIGUOUS)
    (numbers,) = upload.questions(scope_of(company).words, problems, UploadState())
    assert numbers.name == "numbers" and numbers.style == "radio" and numbers.selected is None
    assert [o.label for o in numbers.options] == ["2.000 is 2000 (Indonesian style: a dot between thousands)",
                                                  "2.000 is 2.0 (English style: a decimal point)"]
    assert numbers.label == "How should 2\\.000 in column target be read?"
    assert numbers.chosen("id") == UploadState(numbers="id")
    # Answered, the question stays so the answer can be changed; a date question once a date order is chosen.
    answered = upload.questions(scope_of(company).words, None, UploadState(numbers="id", dates="dmy"))
    assert [(q.name, q.selected) for q in answered] == [("numbers", "id"), ("dates", "dmy")]


def test_the_problems_of_each_file_with_line_header_value_and_message(company):
    failed, (report,) = upload.reports(scope_of(company, "id").words, problems_of(company, AMBIGUOUS))
    assert failed.kind == "error" and failed.text.startswith("Tidak ada yang ditulis: ditemukan 2 masalah")
    assert report.heading == "**Masalah di deals\\.csv**"
    assert report.table.shown[["Baris", "Kolom", "Nilai"]].values.tolist() == [[2, "target", "2.000"],
                                                                              [2, "value", "1.500"]]
    assert report.table.file_name == "deals-problems.csv" and report.table.key == "download_report_0"


def test_a_valid_file_is_summarised_with_how_it_was_read(company):
    prepared = importing.prepare(company, [importing.Upload("deals.csv", INDONESIAN)], today=fixture.AS_OF)
    (summary,) = upload.summaries(scope_of(company, "id").words, company, prepared)
    assert summary.heading == "**deals\\.csv: berkas KPI**"
    assert dict(summary.metrics) == {"Baris": "2", "Pengodean": "utf-8", "Pemisah": "titik koma ( ; )",
                                     "Desimal": "koma (4,5)", "Tanggal": "hari dulu (31/05/2026)"}
    assert summary.readings[0].startswith("nilai\\: 1\\.500,5")
    assert "nilai → value" in summary.used and "catatan\\_lain" in summary.ignored
    assert list(summary.preview["value"]) == ["21", "22,5"] and list(summary.preview["date"])[0] == "23 Nov 2026"
    assert summary.coach is None and summary.warnings is None


def test_what_an_import_ended_with(company):
    words = scope_of(company).words
    store = fixture.new_store()  # this test writes
    try:
        result = importing.import_files(store, [importing.Upload("deals.csv", INDONESIAN)], today=fixture.AS_OF)
    finally:
        store.close()
    done = upload.outcome(words, result.written, None, forgotten=False)
    assert done.imported.text == ("**Imported. Every page now shows the new data.**  \n"
                                  "deals\\.csv (KPI): 2 new row(s), 1 updated")
    assert done.already is not None and done.choose_again is None
    refused = upload.outcome(words, None, "The store refused it", forgotten=True)
    assert refused.refused == "The store refused it" and refused.choose_again is not None
    late = upload.outcome(words, None, problems_of(company, AMBIGUOUS), forgotten=False)
    assert late.late.kind == "warning" and late.imported is None


def test_undo_offers_each_batch_with_its_size_and_asks_with_what_changes_and_who_wrote_it(company):
    from okrdash import checkins

    view = upload.view(company, UploadState(), scope_of(company, "id"), LOCAL_ACCESS)
    newest = view.undoable[0]
    assert newest.label.startswith("3 · checkins.csv · ") and newest.label.endswith(" · 6 baris")
    assert "Check-in: 6 baris dihapus, 0 kembali ke versi sebelumnya" in newest.changes
    assert "None" not in newest.changes and "None" not in " ".join(view.history.shown["Oleh"])
    # Who is never None: the name recorded, else the OS account, else "unknown" in the reader's words.
    assert upload.who(scope_of(company, "id").words, None, None) == "tidak diketahui"
    assert upload.who(scope_of(company).words, None, "budi") == "OS account budi"
    # A form's batch is named in the reader's words; a file keeps its name.
    assert upload.source(scope_of(company, "id").words, checkins.CHECKIN_FORM) == "formulir check-in"
    assert upload.source(scope_of(company, "id").words, "okrs.csv") == "okrs.csv"


def test_every_source_the_browser_writes_is_named_in_the_readers_words():
    """Each FormRows(<source>, ...) of the package is one of upload.SOURCES, with a text in both languages."""
    import re
    from pathlib import Path

    import okrdash
    from okrdash import carry_forward, checkins, editing
    from okrdash.i18n import strings

    modules = {"checkins": checkins, "editing": editing, "carry_forward": carry_forward}
    used = set()
    for path in Path(okrdash.__file__).parent.glob("*.py"):
        for name in re.findall(r"FormRows\(([A-Z_]+),", path.read_text(encoding="utf-8")):
            used.add(getattr(modules[path.stem], name))
    assert used and used <= set(upload.SOURCES), used - set(upload.SOURCES)
    for key in upload.SOURCES.values():
        assert key.removeprefix("upload.") and all(key in strings(lang) for lang in ("en", "id")), key
