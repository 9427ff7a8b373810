"""The Upload page through AppTest: check, report, import, all or nothing."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from okrdash.store import open_store
from tests.conftest import stored_measurements
from tests.pages.conftest import AS_OF
from tests.helpers.html_tables import shown_tables

PAGE = "pages/upload.py"
LOCALES = Path(__file__).resolve().parents[2] / "okrdash" / "locales"

# Semicolons, Indonesian headers, a decimal comma and a column okrdash does not know.
NEW_MEASUREMENTS = (
    "tim;nama_kpi;tanggal;nilai;target;catatan_lain\n"
    "Sales;Closed deals;23/11/2026;21;20;first\n"
    "Sales;Closed deals;24/11/2026;22,5;20;second\n"
).encode()
# Line 3 holds text in value, line 4 a date that does not exist.
BROKEN_KPIS = (
    "team,kpi,date,value,target\n"
    "Sales,Closed deals,2026-11-01,12,20\n"
    "Sales,Closed deals,2026-11-02,lots,20\n"
    "Sales,Closed deals,2026-13-45,3,20\n"
).encode()


def counts(db: Path) -> dict[str, int]:
    store = open_store(db)
    try:
        return store.table_counts()
    finally:
        store.close()


def choose(app, name: str, data: bytes):
    app.file_uploader(key="upload_files").set_value([(name, data, "text/csv")])
    return app.run()


def test_valid_file_is_previewed_then_imported(demo_db, make_app):
    before = counts(demo_db)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    assert not app.exception
    assert app.title[0].value.endswith("Upload files")
    assert {"template_okrs", "template_checkins", "template_kpis"} <= {b.key for b in app.download_button}
    history_rows = len(shown_tables(app)[-1])

    choose(app, "sales.csv", NEW_MEASUREMENTS)
    assert not app.exception and not app.error
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Rows"] == "2"
    assert "semicolon" in metrics["Delimiter"] and "comma" in metrics["Decimals"]
    assert any("catatan" in w.value for w in app.warning)     # the ignored column is named
    preview = app.dataframe[0].value  # the preview is a grid: a reader explores it
    assert list(preview["line"]) == [2, 3]
    assert any("valid" in s.value for s in app.success)
    assert counts(demo_db) == before                           # checking wrote nothing

    app.button(key="import_button").click().run()
    assert not app.exception
    assert any("Imported" in s.value and "2 new row(s), 1 updated" in s.value for s in app.success)
    assert not [b for b in app.button if b.key == "import_button"]
    history = shown_tables(app)[-1]
    assert len(history) == history_rows + 1
    assert history.iloc[0]["File"] == "sales.csv"

    after = counts(demo_db)
    assert after["kpi_measurements"] == before["kpi_measurements"] + 2
    assert after["batches"] == before["batches"] + 1


def test_the_history_names_the_os_account_of_a_command_line_import(demo_db, make_app):
    from okrdash.access import Access, Role
    from okrdash.importing import Upload, import_files

    store = open_store(demo_db)
    try:  # what `okrdash import --by rina@contoh.co.id` run as the account budi writes
        import_files(store, [Upload("sales.csv", NEW_MEASUREMENTS)], today=dt.date.fromisoformat(AS_OF),
                     writer=Access(role=Role.ADMIN, who="rina@contoh.co.id", os_user="budi"))
    finally:
        store.close()
    for lang, by, account in (("en", "By", "OS account (command line)"), ("id", "Oleh", "Akun OS (baris perintah)")):
        app = make_app(demo_db, page=PAGE, as_of=AS_OF, lang=lang)
        assert not app.exception
        history = shown_tables(app)[-1]
        assert (history.iloc[0][by], history.iloc[0][account]) == ("rina@contoh.co.id", "budi")
        assert (history.iloc[1:][account] == "").all()  # the demo's imports ran in the app, not a shell


def test_invalid_file_is_reported_and_nothing_written(demo_db, make_app):
    before = counts(demo_db)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    choose(app, "broken.csv", BROKEN_KPIS)
    assert not app.exception
    assert any("Nothing was written" in e.value for e in app.error)
    report = shown_tables(app)[0]
    assert list(report.columns) == ["Line", "Column", "Value", "Problem"]
    assert list(report["Line"]) == ["3", "4"]
    assert list(report["Column"]) == ["value", "date"]
    assert "download_report_0" in {b.key for b in app.download_button}
    assert not [b for b in app.button if b.key == "import_button"]
    assert counts(demo_db) == before


def test_upload_in_indonesian(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, lang="id")
    assert app.title[0].value.endswith("Unggah berkas")
    choose(app, "rusak.csv", BROKEN_KPIS)
    assert not app.exception
    assert any("Tidak ada yang ditulis" in e.value for e in app.error)
    report = shown_tables(app)[0]
    assert list(report.columns) == ["Baris", "Kolom", "Nilai", "Masalah"]
    assert report.iloc[0]["Masalah"].startswith("Harus berupa angka")


def test_upload_on_empty_database(empty_db, make_app):
    app = make_app(empty_db, page=PAGE)
    assert not app.exception
    assert app.title[0].value.endswith("Upload files")
    assert any("No imports yet" in c.value for c in app.caption)
    assert app.file_uploader(key="upload_files").accept_multiple_files


def test_locale_keys_match():
    keys = {}
    for lang in ("en", "id"):
        with open(LOCALES / lang / "upload.toml", "rb") as handle:
            keys[lang] = set(tomllib.load(handle)["upload"])
    assert keys["en"] == keys["id"]


def test_workbook_is_previewed_per_sheet_with_how_it_was_read(demo_db, make_app):
    import datetime as dt
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KPI Nov"
    for row in (["Laporan KPI Sales"], [], ["Tim", "Nama KPI", "Tanggal", "Realisasi"],
                ["Sales", "Closed deals", dt.date(2026, 11, 23), 21], ["Total", None, None, 21]):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    before = counts(demo_db)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, lang="id")
    app.file_uploader(key="upload_files").set_value([("sales.xlsx", data.getvalue(), "application/vnd.ms-excel")])
    app.run()
    assert not app.exception and not app.error
    assert {m.label: m.value for m in app.metric}["Baris"] == "1"
    [reading] = [i.value for i in app.info if "baris 3" in i.value]
    assert "baris total dilewati" in reading
    assert any("xlsx › KPI Nov" in m.value for m in app.markdown)
    assert counts(demo_db) == before


def test_sheet_names_in_the_reading_are_shown_as_text(demo_db, make_app):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "_Catatan_ <b>x<!b>"
    book.active.append(["just notes"])
    kpis = book.create_sheet("KPI")
    for row in (["team", "kpi", "date", "value"], ["Sales", "Closed deals", "2026-11-23", 21]):
        kpis.append(row)
    data = io.BytesIO()
    book.save(data)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    app.file_uploader(key="upload_files").set_value([("book.xlsx", data.getvalue(), "application/vnd.ms-excel")])
    app.run()
    assert not app.exception and not app.error
    [reading] = [i.value for i in app.info if "Sheets not read" in i.value]
    assert "\\_Catatan\\_ \\<b\\>x\\<\\!b\\>" in reading


# 1.500 in a comma file with English headers and nothing else that decides: asked, never guessed.
AMBIGUOUS_KPIS = (
    "team,kpi,date,value,target\n"
    "Sales,Closed deals,2026-11-23,1.500,2.000\n"
).encode()


def test_ambiguous_numbers_are_asked_then_read_as_chosen(demo_db, make_app):
    before = counts(demo_db)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    choose(app, "deals.csv", AMBIGUOUS_KPIS)
    assert not app.exception
    assert any("Nothing was written" in e.value for e in app.error)
    radio = app.radio(key="numbers")
    assert radio.value is None
    # The first ambiguous cell (target 2.000 on line 2), read both ways.
    assert [label.replace("\\", "") for label in radio.options] == [
        "2.000 is 2000 (Indonesian style: a dot between thousands)", "2.000 is 2.0 (English style: a decimal point)"]
    assert not [b for b in app.button if b.key == "import_button"]

    radio.set_value("id").run()
    assert not app.exception and not app.error
    assert app.query_params["numbers"] == "id"
    preview = app.dataframe[0].value
    assert list(preview["value"]) == ["1,500"] and list(preview["target"]) == ["2,000"]  # as stored, in English
    app.button(key="import_button").click().run()
    assert not app.exception
    after = counts(demo_db)
    assert after["kpi_measurements"] == before["kpi_measurements"] + 1
    store = open_store(demo_db)
    try:
        assert stored_measurements(store)[("Closed deals", dt.date(2026, 11, 23))] == 1500.0
    finally:
        store.close()


def test_the_reading_panel_names_columns_used_ignored_and_the_near_match(demo_db, make_app):
    data = "team,kpi,date,value,taget\nSales,Closed deals,2026-11-23,4.5,20\n".encode()
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, lang="id")
    choose(app, "deals.csv", data)
    assert not app.exception and not app.error
    assert any("taget" in w.value and "target" in w.value for w in app.warning)
    assert any("value → value" in c.value for c in app.caption)
    assert list(app.dataframe[0].value["value"]) == ["4,5"]  # stored 4.5, shown the Indonesian way


def test_a_file_is_validated_once_and_import_writes_what_was_validated(demo_db, make_app, monkeypatch):
    from okrdash.importing import pipeline

    calls: list[str] = []
    real = pipeline._validate

    def counted(store, uploads, *args, **kwargs):
        calls.append(",".join(u.name for u in uploads))
        return real(store, uploads, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_validate", counted)
    before = counts(demo_db)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    choose(app, "sales.csv", NEW_MEASUREMENTS)
    app.run()
    app.run()  # reruns (a widget touched, a language switched) neither validate nor hash again
    assert calls == ["sales.csv"]
    app.button(key="import_button").click().run()
    assert not app.exception
    assert calls == ["sales.csv"]
    assert any("Imported" in s.value for s in app.success)
    assert counts(demo_db)["kpi_measurements"] == before["kpi_measurements"] + 2
    # The imported file is let go: a new, empty picker, and nothing validated kept in the session.
    [picker] = app.get("file_uploader")
    assert picker.key != "upload_files" and not picker.value
    assert "_upload_checked" not in app.session_state


def test_a_write_between_check_and_import_makes_the_import_validate_again(demo_db, make_app, monkeypatch):
    from okrdash.access import admin_writer
    from okrdash.importing import Upload, import_files, pipeline
    from okrdash.ui import context

    calls: list[str] = []
    real = pipeline._validate

    def counted(store, uploads, *args, **kwargs):
        calls.append(",".join(u.name for u in uploads))
        return real(store, uploads, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_validate", counted)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    choose(app, "sales.csv", NEW_MEASUREMENTS)
    other = ("team,kpi,date,value,target\nSales,Closed deals,2026-11-20,30,20\n").encode()
    import_files(context.get_store(), [Upload("other.csv", other)], writer=admin_writer("budi"))
    app.button(key="import_button").click().run()
    assert not app.exception
    assert calls == ["sales.csv", "other.csv", "sales.csv"]
    assert any("Imported" in s.value for s in app.success)


@pytest.fixture
def background_jobs(monkeypatch) -> list:
    """Every upload goes to the import worker; the jobs it was given, in order."""
    from okrdash.importing import worker

    monkeypatch.setattr(worker, "BACKGROUND_BYTES", 0)
    jobs: list[worker.Job] = []
    submit = worker.WORKER.submit

    def recorded(label, work, files):
        jobs.append(submit(label, work, files=files))
        return jobs[-1]

    monkeypatch.setattr(worker.WORKER, "submit", recorded)
    return jobs


def test_a_large_upload_is_checked_and_imported_in_the_background(demo_db, make_app, background_jobs):
    jobs = background_jobs

    def finish(app):
        """Wait for the last job, then rerun (as the page's polling fragment would)."""
        jobs[-1].wait(60)
        return app.run()

    before = counts(demo_db)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    choose(app, "sales.csv", NEW_MEASUREMENTS)
    assert not app.exception
    finish(app)
    assert not app.exception
    assert any("valid" in s.value for s in app.success)
    app.button(key="import_button").click().run()
    assert not app.exception
    finish(app)
    assert not app.exception
    assert [job.label for job in jobs] == ["check", "import"]  # both off the page's thread
    assert any("Imported" in s.value and "2 new row(s), 1 updated" in s.value for s in app.success)
    assert counts(demo_db)["kpi_measurements"] == before["kpi_measurements"] + 2
    assert "_upload_job" not in app.session_state


def test_a_background_import_lets_the_files_go_at_the_click_and_a_failure_asks_for_them_again(
        demo_db, make_app, monkeypatch, background_jobs):
    """Streamlit's copy of the uploaded bytes is not held through the store's write (the import's
    peak); if the write then fails, the report stays and the person is asked to choose the files again."""
    import threading

    from okrdash import importing

    jobs = background_jobs
    writing = threading.Event()

    def full_disk(store, prepared, writer, **kwargs):
        writing.wait(60)
        prepared.release()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importing, "commit", full_disk)
    before = counts(demo_db)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    choose(app, "sales.csv", NEW_MEASUREMENTS)
    jobs[-1].wait(60)
    app.run()
    assert any("valid" in s.value for s in app.success)
    app.button(key="import_button").click().run()
    assert not app.exception
    # The write has not begun, and the picker already is a new one holding no file.
    assert not jobs[-1].done()
    assert [(u.key, u.value) for u in app.file_uploader] == [("upload_files_1", [])]
    writing.set()
    jobs[-1].wait(60)
    app.run()
    assert not app.exception
    assert any("No space left on device" in e.value for e in app.error)
    assert any("Choose the files again" in i.value for i in app.info)
    assert counts(demo_db) == before
    app.run()  # the report stays until other files are chosen
    assert any("No space left on device" in e.value for e in app.error)
