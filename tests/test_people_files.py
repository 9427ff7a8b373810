"""People as a fourth file kind (issue 25): told by its headers, read through the staged reader (CSV
and workbooks as HR exports them), every problem named in both languages, admins only, undoable."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from okrdash.access import Access, Role, admin_writer
from okrdash.cli import main
from okrdash.importing import Upload, import_files
from okrdash.importing.headers import canonical_header, closest_kind, detect_kind
from okrdash.models import FileKind
from okrdash.people import PeopleRows, Person, stored_people
from okrdash.problems import ImportFailed
from okrdash.store import StoreError, open_store

ADMIN = admin_writer("admin@contoh.co.id")
# An editor of every team: may write any team's OKRs, but not the people okrdash e-mails.
EDITOR = Access(role=Role.EDITOR, who="andi@contoh.co.id", teams=None, mode="oidc")


def hr_export(*rows: list[object]) -> bytes:
    """A people workbook as HR exports it: the company and the date above the header, row numbers,
    employee numbers and job titles okrdash does not use, the headers as HR writes them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Data Karyawan"
    sheet.append(["PT Contoh Sejahtera"])
    sheet.append(["Data Karyawan per 1 Juli 2026"])
    sheet.append([])
    sheet.append(["No", "NIK", "Nama Karyawan", "Alamat Email", "Departemen", "Jabatan", "Email Atasan Langsung",
                  "No. HP", "Bahasa"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


RINA = [1, "100231", "Rina Wijaya", "Rina@Contoh.co.id", "Company", "Direktur", None, "+62 812 1111 2222",
        "Bahasa Indonesia"]
BAYU = [2, "100232", "Bayu", "bayu@contoh.co.id", "Sales", "Sales Lead", "rina@contoh.co.id", None, "Inggris"]


@pytest.mark.parametrize(("header", "column"), [
    ("Nama", "name"), ("Nama Karyawan", "name"), ("Nama Lengkap", "name"), ("Full name", "name"),
    ("Email", "email"), ("E-mail", "email"), ("Surel", "email"), ("Alamat Email", "email"),
    ("Email Atasan", "manager_email"), ("Atasan", "manager_email"), ("Email Atasan Langsung", "manager_email"),
    ("Manager email", "manager_email"), ("Bahasa", "language"), ("Language", "language"),
    ("No WA", "whatsapp"), ("No. WA", "whatsapp"), ("No. HP", "whatsapp"), ("WhatsApp", "whatsapp"),
    ("Divisi", "team"), ("Tim", "team"), ("Departemen", "team"), ("Bagian", "team"), ("Unit Kerja", "team"),
])
def test_header_spellings_of_people_files(header, column):
    assert canonical_header(header) == column


def test_the_kind_is_told_by_its_columns_and_never_called_a_kpis_file():
    assert detect_kind({"name", "email"}) is FileKind.PEOPLE
    assert detect_kind({"name", "manager_email", "team"}) is FileKind.PEOPLE
    # An e-mail column beside a key result or a KPI is no people file.
    assert detect_kind({"team", "key_result", "email"}) is FileKind.CHECKINS
    assert detect_kind({"team", "kpi", "email", "value", "date"}) is FileKind.KPIS
    # Names, departments and phone numbers without addresses: closest to a people file, which needs them.
    assert closest_kind({"name", "team", "whatsapp"}) == (FileKind.PEOPLE, ["email"])
    # A bare name column (a budget's lines) says nothing of people.
    assert closest_kind({"name", "date"}) == (None, [])


def test_an_hr_export_with_title_rows_is_read_as_people(store):
    result = import_files(store, [Upload("karyawan.xlsx", hr_export(RINA, BAYU))], writer=ADMIN)
    [summary] = result.files
    assert summary.kind is FileKind.PEOPLE and summary.rows == 2
    assert summary.ignored_headers == ["No", "NIK", "Jabatan"]  # named, not dropped quietly
    assert [(w.kind, w.inserted) for w in result.written] == [("people", 2)]
    assert {p.email: (p.name, p.manager_email, p.language.value, p.team, p.whatsapp) for p in stored_people(store)} == {
        "rina@contoh.co.id": ("Rina Wijaya", None, "id", "Company", "+62 812 1111 2222"),
        "bayu@contoh.co.id": ("Bayu", "rina@contoh.co.id", "en", "Sales", None),
    }


def test_an_indonesian_csv_with_bom_and_semicolons(store):
    text = ("\ufeffDaftar orang okrdash;;;;;\n"
            "Nama;Surel;Divisi;Email atasan;Bahasa;No WA\n"
            "Rizky;rizky@contoh.co.id;Sales;dewi@contoh.co.id;ID;0812-3456-7890\n"
            "Dewi;dewi@contoh.co.id;Sales;;EN;\n")
    import_files(store, [Upload("orang.csv", text.encode("utf-8"))], writer=ADMIN)
    assert {(p.name, p.language.value, p.whatsapp) for p in stored_people(store)} == {
        ("Rizky", "id", "0812-3456-7890"), ("Dewi", "en", None)}


def test_every_problem_names_line_header_and_value_in_both_languages_and_nothing_is_written(store):
    bad = [3, "100233", "Sari", "sari@", "Sales", "Staf", "budi@contoh.co.id", "abc", "Jawa"]
    repeated = [4, "100234", "Bayu B.", "BAYU@contoh.co.id", "Sales", "Staf", None, None, "Indonesia"]
    blank = [5, "100235", None, "eko@contoh.co.id", "HR", "Staf", None, None, None]
    with pytest.raises(ImportFailed) as failed:
        import_files(store, [Upload("karyawan.xlsx", hr_export(RINA, BAYU, bad, repeated, blank))], writer=ADMIN)
    found = {(p.line, p.column, p.value, p.code) for p in failed.value.problems}
    assert found == {
        (7, "Alamat Email", "sari@", "email_invalid"),
        (7, "No. HP", "abc", "whatsapp_invalid"),
        (7, "Bahasa", "Jawa", "enum_choice"),
        (8, "Alamat Email", None, "duplicate_key"),
        (9, "Nama Karyawan", None, "required"),
    }
    by_code = {p.code: p for p in failed.value.problems}
    assert by_code["email_invalid"].describe("en") == (
        'karyawan.xlsx › Data Karyawan, line 7, column Alamat Email, value "sari@": '
        "Must be one e-mail address, like rina@contoh.co.id.")
    assert by_code["email_invalid"].describe("id") == (
        'karyawan.xlsx › Data Karyawan, baris 7, kolom Alamat Email, nilai "sari@": '
        "Harus berisi satu alamat email, misalnya rina@contoh.co.id.")
    assert by_code["enum_choice"].message("id") == "Harus salah satu dari: Inggris, Indonesia."
    assert "line 6" in by_code["duplicate_key"].message("en")
    assert store.people() == [] and store.batches() == []


def test_a_manager_nobody_is_imports_with_a_warning(store):
    alone = [1, "1", "Bayu", "bayu@contoh.co.id", "Sales", "Staf", "budi@contoh.co.id", None, "id"]
    [summary] = import_files(store, [Upload("karyawan.xlsx", hr_export(alone))], writer=ADMIN).files
    [warning] = summary.warnings
    assert (warning.line, warning.column, warning.value, warning.code) == (
        5, "Email Atasan Langsung", "budi@contoh.co.id", "manager_not_a_person")
    assert len(store.people()) == 1


def test_only_an_admin_imports_people_said_before_anything_is_written(store):
    """An editor of every team may write every team's rows, yet is refused the people file on the
    dry run already, naming the file (the store refuses it too: test_reminders)."""
    for dry_run in (True, False):
        with pytest.raises(ImportFailed) as failed:
            import_files(store, [Upload("karyawan.xlsx", hr_export(RINA))], writer=EDITOR, dry_run=dry_run)
        [problem] = failed.value.problems
        assert (problem.file_name, problem.code) == ("karyawan.xlsx › Data Karyawan", "people_file_not_allowed")
        assert problem.message("id").startswith("Hanya admin yang boleh mengimpor berkas daftar orang")
    assert store.people() == []


def test_undo_of_a_people_import_restores_the_people_before_it(store):
    import_files(store, [Upload("karyawan.xlsx", hr_export(RINA))], writer=ADMIN)
    renamed = [1, "100231", "Rina W.", "rina@contoh.co.id", "Company", "Direktur", None, None, "English"]
    second = import_files(store, [Upload("karyawan-v2.xlsx", hr_export(renamed, BAYU))], writer=ADMIN)
    assert [(w.inserted, w.updated) for w in second.written] == [(1, 1)]
    with pytest.raises(StoreError) as refused:
        store.undo(second.written[0].batch_id, EDITOR)
    assert refused.value.code == "undo_people_not_allowed"
    store.undo(second.written[0].batch_id, ADMIN)
    assert [(p.name, p.language.value) for p in stored_people(store)] == [("Rina Wijaya", "id")]


def test_removed_people_are_one_batch_and_come_back_on_undo(store):
    import_files(store, [Upload("karyawan.xlsx", hr_export(RINA, BAYU))], writer=ADMIN)
    opened = store.people_version()
    import pandas as pd

    change = PeopleRows(source="People page", people=(Person(name="Rina", email="rina@contoh.co.id"),)).changes()
    change.removed_people = pd.DataFrame({"email": ["bayu@contoh.co.id"]})
    with pytest.raises(StoreError):
        store.apply([change], EDITOR)
    [written] = store.apply([change], ADMIN)
    assert (written.kind, written.inserted, written.updated) == ("people", 0, 2)
    assert [p.email for p in stored_people(store)] == ["rina@contoh.co.id"]
    assert store.people_version() != opened
    store.undo(written.batch_id, ADMIN)
    assert {p.email for p in stored_people(store)} == {"rina@contoh.co.id", "bayu@contoh.co.id"}


def test_the_command_line_imports_a_people_workbook_and_answers_for_one(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    path = tmp_path / "karyawan.xlsx"
    path.write_bytes(hr_export(RINA, BAYU))
    assert main(["--db", str(db), "--create", "import", str(path)]) == 0
    assert "karyawan.xlsx › Data Karyawan: people, 2 rows, valid" in capsys.readouterr().out
    # Headers no kind knows: the person says the kind and the columns.
    odd = tmp_path / "odd.csv"
    odd.write_text("Pegawai X,Kontak\nEko,eko@contoh.co.id\n", encoding="utf-8")
    assert main(["--db", str(db), "import", str(odd), "--kind", "people", "--column", "Pegawai X=name",
                 "--column", "Kontak=email"]) == 0
    store = open_store(db)
    try:
        assert sorted(p.name for p in stored_people(store)) == ["Bayu", "Eko", "Rina Wijaya"]
    finally:
        store.close()


def test_the_command_line_says_only_an_admin_may(tmp_path, capsys, monkeypatch):
    roles = tmp_path / "roles.toml"
    roles.write_text('default = "viewer"\n[[rule]]\nmatch = "andi@contoh.co.id"\nrole = "editor"\n', encoding="utf-8")
    monkeypatch.setenv("OKRDASH_ROLES_FILE", str(roles))
    db, path = tmp_path / "cli.duckdb", tmp_path / "karyawan.xlsx"
    path.write_bytes(hr_export(RINA))
    assert main(["--db", str(db), "--create", "import", str(path), "--by", "andi@contoh.co.id"]) == 1
    assert "Only an admin may import a people file" in capsys.readouterr().err


def test_the_people_template_imports(store):
    text = (Path(__file__).resolve().parents[1] / "data" / "templates" / "people.csv").read_bytes()
    import_files(store, [Upload("people.csv", text)], writer=ADMIN)
    assert len(store.people()) == 2
