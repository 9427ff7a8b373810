"""Saved mappings kept in the store (issue 29): the answers a person saved on the Upload page are
found by every process of a deployment, PostgreSQL's too. Saved through one store, a later upload of
the same sheet through another store (another process) is read with them, nothing asked; written
with the writer's rights checked, the TOML checked on save and on read."""

from __future__ import annotations

import pytest

from okrdash.access import Access, Role
from okrdash.importing import Upload, import_files
from okrdash.importing.mapping import Mapping, MappingError, headers_signature, save, saved_for
from okrdash.importing.peek import file_columns
from okrdash.problems import ImportFailed
from okrdash.store import StoreError, open_store
from tests.helpers.workbooks import workbook

pytestmark = pytest.mark.both_backends

EDITOR = Access(role=Role.EDITOR, who="rina@contoh.co.id", teams=frozenset({"Cabang Bogor"}))
VIEWER = Access(role=Role.VIEWER, who="tamu@contoh.co.id")

# A branch's KPI sheet as it is kept: no team column, Indonesian headers, a title line above them.
SHEET = ("Realisasi KPI Cabang\n"
         "Indikator KPI;Tanggal;Realisasi;Target;Satuan\n"
         "Omzet;31/10/2026;1.250;1.500;juta Rp\n"
         "Nasabah baru;31/10/2026;40;50;orang\n").encode()
ANSWERS = Mapping(columns=(("Indikator KPI", "kpi"),), values=(("team", "Cabang Bogor"),))


@pytest.fixture
def location(backend, request, tmp_path) -> str:
    """Where a deployment's database is: a DuckDB file or a fresh PostgreSQL database."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_server").new_database()
    return str(tmp_path / "okrdash.duckdb")


def headers_of(data: bytes) -> list[str]:
    [found] = file_columns("kpi.csv", data, Mapping())
    return [column.header for column in found.columns]


def test_answers_saved_through_one_store_read_the_same_sheet_in_another(location, backend):
    first = open_store(location)
    try:
        with pytest.raises(ImportFailed):  # no team column, "Indikator KPI" not known: asked
            import_files(first, [Upload("kpi.csv", SHEET)])
        saved = Mapping(columns=ANSWERS.columns, values=ANSWERS.values, headers=tuple(headers_of(SHEET)))
        assert save(first, "  Cabang   Bogor ", saved, EDITOR) == "Cabang Bogor"
        if backend == "postgresql":  # two processes at once: the other one is open the whole time
            second = open_store(location)
        else:  # one process may hold a DuckDB file: the next one opens it after
            first.close()
            second = open_store(location)
        try:
            found = saved_for(second, headers_of(SHEET.replace(b"31/10/2026", b"30/11/2026")))
            assert found == ("Cabang Bogor", saved)
            import_files(second, [Upload("kpi-november.csv", SHEET)], mapping=found[1])
            with second.cursor() as cur:
                assert sorted(cur.execute("SELECT team, name, target FROM kpis").fetchall()) == [
                    ("Cabang Bogor", "Nasabah baru", 50.0), ("Cabang Bogor", "Omzet", 1500.0)]
                assert cur.execute("SELECT name, saved_by FROM saved_mappings").fetchall() == [
                    ("Cabang Bogor", "rina@contoh.co.id")]
        finally:
            second.close()
    finally:
        if backend == "postgresql":
            first.close()


def test_a_mapping_saved_again_under_its_name_replaces_it_and_other_headers_do_not_find_it(store):
    headers = ("Indikator KPI", "Tanggal", "Realisasi")
    save(store, "Cabang", Mapping(values=(("team", "A"),), headers=headers), EDITOR)
    save(store, "Cabang", Mapping(values=(("team", "B"),), headers=headers), EDITOR)
    assert saved_for(store, [" realisasi", "TANGGAL", "Indikator  KPI"]) == (
        "Cabang", Mapping(values=(("team", "B"),), headers=headers))
    assert saved_for(store, [*headers, "Target"]) is None


def test_only_someone_who_may_import_saves_a_mapping(store):
    answers = Mapping(values=(("team", "A"),), headers=("KPI", "Tanggal"))
    with pytest.raises(StoreError) as refused:
        save(store, "Cabang", answers, VIEWER)
    assert refused.value.code == "mapping_not_allowed" and "tamu@contoh.co.id" in refused.value.message("id")
    assert saved_for(store, ["KPI", "Tanggal"]) is None


def test_the_toml_is_checked_on_save_and_on_read(store):
    with pytest.raises(MappingError) as refused:  # answers for no file's headers would never be found
        save(store, "Cabang", Mapping(values=(("team", "A"),)), EDITOR)
    assert refused.value.code == "no_headers"
    with pytest.raises(MappingError):  # a column no kind has
        save(store, "Cabang", Mapping(columns=(("Kode", "kode"),), headers=("Kode",)), EDITOR)
    # A row that no longer reads as a mapping (written by hand, or by an older okrdash) is passed over.
    signature = headers_signature(["KPI", "Tanggal"])
    store.save_mapping("A rusak", signature, 'kind = "bukan"\nheaders = ["KPI", "Tanggal"]\n', EDITOR)
    assert saved_for(store, ["KPI", "Tanggal"]) is None
    good = Mapping(values=(("team", "A"),), headers=("KPI", "Tanggal"))
    save(store, "B baik", good, EDITOR)
    assert saved_for(store, ["KPI", "Tanggal"]) == ("B baik", good)


def test_a_workbooks_answers_round_trip_through_the_store(store):
    data = workbook({"Juni": [["Tanggal", "Penjualan", "Kunjungan"], ["30/06/2026", 1200, 340]]})
    [found] = file_columns("dasbor.xlsx", data, Mapping())
    answers = Mapping(metrics=("Penjualan", "Kunjungan"), values=(("team", "Toko"),), sheets=("Juni",),
                      header_row=1, headers=tuple(c.header for c in found.columns))
    save(store, "Dasbor toko", answers, EDITOR)
    assert saved_for(store, [c.header for c in found.columns]) == ("Dasbor toko", answers)


def test_a_reset_deletes_saved_mappings_and_a_backup_keeps_them(store, tmp_path):
    answers = Mapping(values=(("team", "A"),), headers=("KPI", "Tanggal"))
    save(store, "Cabang", answers, EDITOR)
    store.backup(tmp_path / "backup")
    assert "saved_mappings.parquet" in {p.name for p in (tmp_path / "backup").iterdir()}
    store.reset(Access(role=Role.ADMIN, who="admin"))
    assert saved_for(store, ["KPI", "Tanggal"]) is None


def test_a_mappings_folder_an_earlier_okrdash_wrote_beside_the_file_is_still_read_after_the_store(file_store,
                                                                                                   tmp_path):
    folder = tmp_path / "mappings"
    folder.mkdir()
    old = Mapping(values=(("team", "Lama"),), headers=("KPI", "Tanggal"))
    (folder / "Cabang lama.toml").write_text(old.to_toml(), encoding="utf-8")
    (folder / "rusak.toml").write_text("kind = 3\n", encoding="utf-8")
    assert saved_for(file_store, ["kpi", "tanggal"]) == ("Cabang lama", old)
    new = Mapping(values=(("team", "Baru"),), headers=("KPI", "Tanggal"))
    save(file_store, "Cabang baru", new, EDITOR)
    assert saved_for(file_store, ["kpi", "tanggal"]) == ("Cabang baru", new)
    assert sorted(p.name for p in folder.iterdir()) == ["Cabang lama.toml", "rusak.toml"]  # never written
