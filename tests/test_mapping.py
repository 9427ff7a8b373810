"""Issue 29: the answers a person gives about a file that does not say everything (importing.mapping),
through the command line's flags and a mapping file: real files, as people keep them, imported
into a real store; what is stored is checked, and what still cannot be read is a question that
leads somewhere (the closest kind by the meanings of the columns, and the flags that answer it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrdash.cli import main
from okrdash.importing.mapping import Mapping, MappingError
from okrdash.models import FileKind
from okrdash.store import open_store
from tests.helpers.workbooks import workbook

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "m.duckdb"


def write(tmp_path: Path, name: str, data: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), "--create", "import", *args])


def rows(db: Path, sql: str) -> list[tuple]:
    store = open_store(db)
    try:
        with store.cursor() as cur:
            return sorted(cur.execute(sql).fetchall())
    finally:
        store.close()


MEASUREMENTS = "SELECT k.team, k.name, m.date, m.value FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id"


# -- the mapping file ---------------------------------------------------------------------------------------

text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip)


@given(kind=st.sampled_from([None, FileKind.KPIS]), headers=st.lists(text, max_size=4, unique=True),
       values=st.lists(st.tuples(st.sampled_from(["team", "date", "unit", "direction"]), text), max_size=4,
                       unique_by=lambda pair: pair[0]),
       sheets=st.lists(text, max_size=3), header_row=st.none() | st.integers(1, 50))
def test_a_mapping_reads_back_from_its_toml_exactly(kind, headers, values, sheets, header_row):
    mapping = Mapping(kind=kind, columns=tuple((h, "ignore") for h in headers), values=tuple(values),
                      sheets=tuple(sheets), header_row=header_row)
    assert Mapping.from_toml(mapping.to_toml()) == mapping


def test_a_mapping_file_with_a_column_the_kind_lacks_names_what_it_takes():
    with pytest.raises(MappingError) as caught:
        Mapping.from_toml('kind = "kpis"\n[columns]\n"Nama" = "key_result"\n')
    message = caught.value.message("en")
    assert "key_result" in message and "team, kpi, date, value" in message
    assert "team, kpi" in caught.value.message("id")


# -- each flag --------------------------------------------------------------------------------------------


def test_set_team_answers_a_kpi_sheet_without_a_team_column(db, tmp_path, capsys):
    path = write(tmp_path, "kpi.csv", "KPI;Tanggal;Realisasi;Target\nOmzet;31/10/2026;90;100\nOmzet;30/11/2026;95;100\n")
    assert run(db, path) == 1
    err = capsys.readouterr().err
    assert "--set team=..." in err
    assert run(db, path, "--set", "team=Penjualan") == 0
    assert rows(db, MEASUREMENTS) == [("Penjualan", "Omzet", dt.date(2026, 10, 31), 90.0),
                                      ("Penjualan", "Omzet", dt.date(2026, 11, 30), 95.0)]


def test_set_date_never_replaces_a_date_the_row_has(db, tmp_path):
    path = write(tmp_path, "kpi.csv", "Tim;KPI;Tanggal;Realisasi\nSales;Leads;31/10/2026;40\nSales;Visits;;12\n")
    assert run(db, path, "--set", "date=30/09/2026") == 0
    assert rows(db, MEASUREMENTS) == [("Sales", "Leads", dt.date(2026, 10, 31), 40.0),
                                      ("Sales", "Visits", dt.date(2026, 9, 30), 12.0)]


def test_set_direction_is_read_like_a_cell(db, tmp_path):
    path = write(tmp_path, "kpi.csv", "Tim,KPI,Tanggal,Realisasi\nOps,Keluhan,2026-10-31,7\n")
    assert run(db, path, "--set", "direction=semakin kecil semakin baik") == 0
    assert rows(db, "SELECT name, direction FROM kpis") == [("Keluhan", "lower_is_better")]


def test_column_names_the_files_own_headers_and_each_cell_is_still_checked(db, tmp_path, capsys):
    data = ("Unit Bisnis,Ukuran Kinerja,Kode,Tgl Ukur,Angka\n"
            "Gudang,Akurasi stok,K-1,2026-10-31,97\n"
            "Gudang,Akurasi stok,K-1,2026-11-30,abc\n")
    path = write(tmp_path, "kpi.csv", data)
    flags = ["--column", "unit  bisnis=team", "--column", "UKURAN KINERJA=kpi", "--column", "Kode=ignore",
             "--column", "Tgl Ukur=date", "--column", "Angka=value"]
    assert run(db, path, *flags) == 1
    assert 'kpi.csv, line 3, column Angka, value "abc"' in capsys.readouterr().err
    write(tmp_path, "kpi.csv", data.replace("abc", '"98,5"'))
    assert run(db, path, *flags) == 0
    assert rows(db, MEASUREMENTS) == [("Gudang", "Akurasi stok", dt.date(2026, 10, 31), 97.0),
                                      ("Gudang", "Akurasi stok", dt.date(2026, 11, 30), 98.5)]


def test_kind_makes_an_objective_list_an_okrs_file(db, tmp_path):
    # Objective, key result and owner only: its headers tell a check-in file, which it is not.
    path = write(tmp_path, "okr.csv", "Objective,Key Result,Owner\nGrow,Launch the shop,Ana\n")
    assert run(db, path, "--kind", "okrs", "--set", "team=Sales", "--set", "cycle=2026-Q4") == 0
    assert rows(db, "SELECT o.team, o.title, k.title, k.owner FROM key_results k JOIN objectives o "
                    "ON o.id = k.objective_id") == [("Sales", "Grow", "Launch the shop", "Ana")]


def test_metric_makes_each_column_one_kpi(db, tmp_path, capsys):
    path = write(tmp_path, "dash.csv", "Bulan,Penjualan,Kunjungan\nJuli 2026,100,50\nAgustus 2026,120,\n")
    assert run(db, path) == 1
    assert '--metric "Penjualan" --metric "Kunjungan"' in capsys.readouterr().err
    assert run(db, path, "--metric", "Penjualan", "--metric", "kunjungan", "--set", "team=Toko") == 0
    assert rows(db, MEASUREMENTS) == [("Toko", "Kunjungan", dt.date(2026, 7, 31), 50.0),
                                      ("Toko", "Penjualan", dt.date(2026, 7, 31), 100.0),
                                      ("Toko", "Penjualan", dt.date(2026, 8, 31), 120.0)]


def test_sheet_reads_only_the_named_sheets(db, tmp_path, capsys):
    data = workbook({"Ringkasan": [["Tim", "KPI", "Tanggal", "Realisasi"], ["Sales", "Leads", dt.date(2026, 10, 31), 1]],
                     "Data": [["Tim", "KPI", "Tanggal", "Realisasi"], ["Sales", "Leads", dt.date(2026, 10, 31), 40]]})
    path = write(tmp_path, "book.xlsx", data)
    assert run(db, path, "--sheet", "Rekap") == 1
    assert "Its sheets: Ringkasan, Data" in capsys.readouterr().err
    assert run(db, path, "--sheet", "data") == 0
    assert rows(db, MEASUREMENTS) == [("Sales", "Leads", dt.date(2026, 10, 31), 40.0)]


def test_header_row_names_the_line_that_holds_the_headers(db, tmp_path, capsys):
    # An example line above the table names more known columns than the table's own header.
    data = "Tim,KPI,Tanggal,Realisasi\ncontoh,contoh,31/12/2026,1\nTim,KPI,Tgl Ukur,Realisasi\nSales,Leads,31/10/2026,x\n"
    path = write(tmp_path, "kpi.csv", data)
    assert run(db, path, "--header-row", "3", "--column", "Tgl Ukur=date") == 1
    assert 'line 4, column Realisasi, value "x"' in capsys.readouterr().err
    write(tmp_path, "kpi.csv", data.replace(",x", ",40"))
    assert run(db, path, "--header-row", "3", "--column", "Tgl Ukur=date") == 0
    assert rows(db, MEASUREMENTS) == [("Sales", "Leads", dt.date(2026, 10, 31), 40.0)]


def test_a_saved_mapping_reads_the_file_again_the_same_way(db, tmp_path):
    path = write(tmp_path, "dash.csv", "Tanggal,Penjualan\n31/07/2026,100\n")
    saved = tmp_path / "toko.toml"
    assert run(db, path, "--metric", "Penjualan", "--set", "team=Toko", "--save-mapping", str(saved), "--dry-run") == 0
    assert Mapping.from_toml(saved.read_text(encoding="utf-8")) == Mapping(
        values=(("team", "Toko"),), metrics=("Penjualan",), headers=("Tanggal", "Penjualan"))
    assert run(db, path, "--mapping", str(saved)) == 0
    assert rows(db, MEASUREMENTS) == [("Toko", "Penjualan", dt.date(2026, 7, 31), 100.0)]


@pytest.mark.parametrize(("flags", "named"), [
    (["--column", "KPI"], 'e.g. --column "NAMA UNIT=team"'),
    (["--column", "KPI=kpii"], "ignore or a column of okrs/checkins/kpis/people files: cycle"),
    (["--kind", "kpis", "--set", "objective=Grow"], "use a column of kpis files: team, kpi"),
    (["--set", "team="], "(team=VALUE)"),
    (["--kind", "okrs", "--metric", "Leads"], "make a kpis file, not a okrs file"),
    (["--header-row", "0"], "not a line number"),
    (["--kind", "kpi"], "choose from 'okrs', 'checkins', 'kpis'"),
])
def test_a_wrong_flag_is_a_usage_error_naming_what_is_accepted(db, tmp_path, capsys, flags, named):
    path = write(tmp_path, "kpi.csv", "Tim,KPI,Tanggal,Realisasi\nSales,Leads,2026-10-31,4\n")
    assert run(db, path, *flags) == 2
    assert named in capsys.readouterr().err
    assert not db.exists() or rows(db, MEASUREMENTS) == []


def test_a_mapped_header_the_file_lacks_is_named(db, tmp_path, capsys):
    path = write(tmp_path, "kpi.csv", "Tim,KPI,Tanggal,Realisasi\nSales,Leads,2026-10-31,4\n")
    assert run(db, path, "--column", "Divisi Kerja=team") == 1
    assert "column Divisi Kerja: Your answers name this column, but the file has no column headed so" in (
        capsys.readouterr().err)


# -- questions that lead somewhere ------------------------------------------------------------------------


def test_an_okr_export_without_a_title_column_is_closest_to_okrs_and_the_flags_answer_it(db, tmp_path, capsys):
    path = write(tmp_path, "okr.csv", "Judul,Pemilik,Nilai Awal,Target,Nilai Saat Ini,Progres\nNPS,Ana,30,50,40,50%\n")
    assert run(db, path) == 1
    err = capsys.readouterr().err
    assert "closest to a okrs file (Pemilik → owner, Nilai Awal → baseline, Target → target" in err
    assert "needs the columns: cycle, team, objective, key_result" in err
    assert "--set cycle=..." in err and '--column "Judul=key_result"' in err


def test_a_kpi_sheet_whose_columns_say_kpi_is_closest_to_kpis(db, tmp_path, capsys):
    path = write(tmp_path, "kpi.csv", "KODE KPI,Uraian,Target,Realisasi\nK1,Omzet,100,90\n")
    assert run(db, path) == 1
    err = capsys.readouterr().err
    assert "closest to a kpis file (Target → target, Realisasi → value)" in err
    assert '--column "HEADER=kpi" (one of: KODE KPI, Uraian)' in err
    assert run(db, path, "--column", "Uraian=kpi", "--column", "KODE KPI=ignore", "--set", "team=Cabang A",
               "--set", "date=31/10/2026") == 0
    assert rows(db, MEASUREMENTS) == [("Cabang A", "Omzet", dt.date(2026, 10, 31), 90.0)]


# -- other OKR tools' exports -----------------------------------------------------------------------------

KEY_RESULTS = ("SELECT o.cycle, o.team, o.title, o.parent_title, k.title, k.baseline, k.target, k.owner "
               "FROM key_results k JOIN objectives o ON o.id = k.objective_id")


def test_an_ally_import_template_links_key_results_to_their_objectives_by_row_id(db, tmp_path, capsys):
    """Ally.io's OKR template (help.ally.io): Row ID, Title, Parent (the parent's Row ID), Entity,
    Owner Email, Time Period ...; the rows in any order, a project among them."""
    data = ("Row ID,Title,Parent,Entity,Owner Email,Time Period,Object Type,Start Value,Target Value\n"
            "3,Open 5 stores,1,Sales,budi@acme.id,Q4 2026,Key Result,0,5\n"
            "1,Grow in Java,5,Sales,ana@acme.id,Q4 2026,Objective,,\n"
            "4,Pilot the app,1,Sales,ana@acme.id,Q4 2026,Project,,\n"
            "5,Be the first choice,,Sales,ceo@acme.id,Q4 2026,Objective,,\n"
            "2,Raise NPS,1,Sales,ana@acme.id,Q4 2026,Key Result,30,50\n")
    path = write(tmp_path, "ally.csv", data)
    assert run(db, path) == 1
    assert '--set team=... (or --column "Entity=team")' in capsys.readouterr().err
    assert run(db, path, "--column", "Entity=team") == 0
    assert "2 key results under their objectives (2 objective rows); 1 other items" in capsys.readouterr().out
    assert rows(db, KEY_RESULTS) == [
        ("2026-Q4", "Sales", "Grow in Java", "Be the first choice", "Open 5 stores", 0.0, 5.0, "budi@acme.id"),
        ("2026-Q4", "Sales", "Grow in Java", "Be the first choice", "Raise NPS", 30.0, 50.0, "ana@acme.id")]


def test_a_betterworks_file_reads_milestones_under_the_goal_above_them(db, tmp_path, capsys):
    """Betterworks' OKR upload (support.betterworks.com): name, type (goal or milestone), progress
    0-100, start_date, end_date, owner_email, categories, description; no team and no cycle."""
    data = ("name,type,progress,start_date,end_date,owner_email,categories,description\n"
            'Grow revenue in Java,goal,,2026-10-01,2026-12-31,ana@acme.id,Sales,"Why: growth, first"\n'
            "Open 5 stores,milestone,40,2026-10-01,2026-12-31,budi@acme.id,,\n"
            "Improve support,goal,,2026-10-01,2026-12-31,cici@acme.id,,\n"
            "Answer within 1 hour,milestone,75,2026-10-01,2026-12-31,cici@acme.id,,\n")
    path = write(tmp_path, "betterworks.csv", data)
    assert run(db, path) == 1
    err = capsys.readouterr().err
    assert "--set cycle=..." in err and "--set team=..." in err
    assert run(db, path, "--set", "team=Sales", "--set", "cycle=2026-Q4") == 0
    assert rows(db, KEY_RESULTS) == [
        ("2026-Q4", "Sales", "Grow revenue in Java", None, "Open 5 stores", 0.0, 100.0, "budi@acme.id"),
        ("2026-Q4", "Sales", "Improve support", None, "Answer within 1 hour", 0.0, 100.0, "cici@acme.id")]


def test_an_export_whose_object_type_says_objective_or_key_result_links_parents_by_title(db, tmp_path):
    """The Ally.io / Viva Goals export of issue 29 (its columns are not documented): Object Type,
    Title, Parent (the parent's title), Owner, Start / Target / Current, Time Period."""
    data = ("Object Type,Title,Parent,Owner,Start,Target Value,Current Value,Time Period,Team\n"
            "Objective,Delight customers,,Ana,,,,Q4 2026,Support\n"
            "Key Result,Cut first reply time,Delight customers,Budi,,4,6,Q4 2026,\n")
    path = write(tmp_path, "viva.csv", data)
    assert run(db, path, "--column", "Start=baseline", "--set", "date=2026-11-15") == 0
    assert rows(db, KEY_RESULTS) == [("2026-Q4", "Support", "Delight customers", None, "Cut first reply time",
                                      None, 4.0, "Budi")]


# -- the Upload page's mapping step: its guesses ----------------------------------------------------------


def test_the_mapping_step_shows_each_column_with_its_cells_and_okrdashs_guess():
    from okrdash.importing.peek import file_columns
    from okrdash.views.common import Words
    from okrdash.views.mapping import step

    data = "Laporan KPI\n\nKPI;Tanggal;Realisasi;Kode\nOmzet;31/10/2026;1.250;K-1\nLeads;31/10/2026;40;K-2\n".encode()
    answers = Mapping(columns=(("Kode", "ignore"),), values=(("team", "Cabang A"),))
    [found] = file_columns("kpi.csv", data, answers)
    assert (found.header_line, [(c.header, c.samples, c.guess) for c in found.columns]) == (3, [
        ("KPI", ("Omzet", "Leads"), "kpi"), ("Tanggal", ("31/10/2026", "31/10/2026"), "date"),
        ("Realisasi", ("1.250", "40"), "value"), ("Kode", ("K-1", "K-2"), None)])
    view = step(Words("id"), [found], answers)
    [(heading, choices)] = view.files
    assert "judul kolom di baris 3" in heading
    assert [(c.header, c.chosen, c.option_labels[""]) for c in choices] == [
        ("KPI", "", "okrdash membacanya sebagai kpi"), ("Tanggal", "", "okrdash membacanya sebagai date"),
        ("Realisasi", "", "okrdash membacanya sebagai value"),
        ("Kode", "ignore", "okrdash tidak mengenalnya (diabaikan)")]
    assert choices[0].label == "KPI (mis. Omzet, Leads)"  # (a label renders Markdown: "31/10" is escaped)
    assert ("team", "Tim, untuk baris yang tidak mencantumkannya", "Cabang A") in view.fields
    assert Mapping.from_toml(view.toml) == answers


def test_an_answer_that_gives_a_second_column_the_same_meaning_is_asked_not_guessed(db, tmp_path, capsys):
    # "Target Revisi" is the target the sheet's owner means; okrdash reads "Target" as the target too.
    data = "Tim;KPI;Tanggal;Realisasi;Target;Target Revisi\nSales;Leads;31/10/2026;40;50;45\n"
    path = write(tmp_path, "kpi.csv", data)
    assert run(db, path, "--column", "Target Revisi=target") == 1
    assert ("column Target Revisi: This column and the column Target would both be target"
            in capsys.readouterr().err)
    assert run(db, path, "--column", "Target Revisi=target", "--column", "Target=ignore") == 0
    assert rows(db, "SELECT name, target FROM kpis") == [("Leads", 45.0)]


def test_a_history_in_another_language_with_day_dot_month_dates(db, tmp_path, capsys):
    """A Bulgarian sales history (dd.mm.yyyy): its date column is named, each other column a metric."""
    path = write(tmp_path, "history.csv", "Дата;Продажби;Посещения\n31.01.2024;1200;340\n29.02.2024;1350;\n")
    assert run(db, path, "--metric", "Продажби", "--metric", "Посещения", "--set", "team=Sofia") == 1
    assert '--set date=... (or --column "Дата=date")' in capsys.readouterr().err
    assert run(db, path, "--metric", "Продажби", "--metric", "Посещения", "--set", "team=Sofia",
               "--column", "Дата=date") == 0
    assert rows(db, MEASUREMENTS) == [("Sofia", "Посещения", dt.date(2024, 1, 31), 340.0),
                                      ("Sofia", "Продажби", dt.date(2024, 1, 31), 1200.0),
                                      ("Sofia", "Продажби", dt.date(2024, 2, 29), 1350.0)]


def test_an_answer_in_a_workbooks_typed_column_is_read_as_its_own_text(db, tmp_path):
    """A typed date or number column with a blank cell: the answer is a text cell there, read as any
    text cell (ambiguous here, so read by the choices given: day first, a dot between thousands),
    the typed cells as they are."""
    data = workbook({"KPI": [["Tim", "KPI", "Tanggal", "Realisasi", "Target"],
                             ["Sales", "Leads", dt.date(2026, 10, 31), 40, 0.5],
                             ["Sales", "Visits", None, 12, None]]})
    path = write(tmp_path, "kpi.xlsx", data)
    assert run(db, path, "--set", "date=01/11/2026", "--set", "target=1.500") == 1  # asked: which reading?
    assert run(db, path, "--set", "date=01/11/2026", "--set", "target=1.500", "--dates", "dmy", "--numbers", "id") == 0
    assert rows(db, "SELECT k.name, m.date, m.target FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id") == [
        ("Leads", dt.date(2026, 10, 31), 0.5), ("Visits", dt.date(2026, 11, 1), 1500.0)]


def test_the_mapping_step_offers_the_workbooks_sheets_and_the_header_line():
    from okrdash.importing.peek import file_columns
    from okrdash.views.common import Words
    from okrdash.views.mapping import step

    data = workbook({"Catatan": [["Isi lembar ini"]],
                     "Data": [["Laporan"], [], ["KPI", "Realisasi"], ["Omzet", 5]]})
    answers = Mapping(sheets=("data",))
    view = step(Words("en"), file_columns("b.xlsx", data, answers), answers)
    assert (view.sheets, view.sheets_chosen, view.header_row) == (("Catatan", "Data"), ("Data",), 3)
    assert [heading for heading, _ in view.files] == ["**b\\.xlsx › Data**: headers on line 3"]  # (escaped)


def test_a_metric_column_of_typed_numbers_with_a_few_text_cells_reads_each_cell_as_itself(db, tmp_path, capsys):
    """A dashboard workbook, one column per metric: most cells typed numbers, a few typed as text in
    the file's own convention ("85,5", "1.350"). The typed 86.25 is 86.25, not evidence of English
    numbers against "85,5" (the refusal this file once met, naming "Penjualan … Kepuasan")."""
    data = workbook({"Data": [["Tanggal", "Penjualan", "Kepuasan"],
                              [dt.date(2026, 1, 31), 1200, 85], [dt.date(2026, 2, 28), "1.350", "85,5"],
                              [dt.date(2026, 3, 31), 1400, 86.25], [dt.date(2026, 4, 30), 1450.5, None]]})
    path = write(tmp_path, "dasbor.xlsx", data)
    flags = ("--metric", "Penjualan", "--metric", "Kepuasan", "--set", "team=Toko", "--column", "Tanggal=date")
    assert run(db, path, *flags) == 0, capsys.readouterr().err
    assert rows(db, MEASUREMENTS) == [
        ("Toko", "Kepuasan", dt.date(2026, 1, 31), 85.0), ("Toko", "Kepuasan", dt.date(2026, 2, 28), 85.5),
        ("Toko", "Kepuasan", dt.date(2026, 3, 31), 86.25), ("Toko", "Penjualan", dt.date(2026, 1, 31), 1200.0),
        ("Toko", "Penjualan", dt.date(2026, 2, 28), 1350.0), ("Toko", "Penjualan", dt.date(2026, 3, 31), 1400.0),
        ("Toko", "Penjualan", dt.date(2026, 4, 30), 1450.5)]


def test_a_metric_cell_that_is_no_number_is_named_by_its_own_column_with_what_to_do(db, tmp_path, capsys):
    data = workbook({"Data": [["Tanggal", "Penjualan", "Kepuasan"],
                              [dt.date(2026, 1, 31), 1200, 85], [dt.date(2026, 2, 28), "-", "85,5"],
                              [dt.date(2026, 3, 31), 1400, "n/a"]]})
    path = write(tmp_path, "dasbor.xlsx", data)
    assert run(db, path, "--metric", "Penjualan", "--metric", "Kepuasan", "--set", "team=Toko",
               "--column", "Tanggal=date") == 1
    err = capsys.readouterr().err
    assert 'line 3, column Penjualan, value "-": Must be a number: this column is one KPI' in err
    assert 'line 4, column Kepuasan, value "n/a": Must be a number' in err
    assert "leave the cell blank when there is no value for that date" in err and "…" not in err
    assert rows(db, "SELECT count(*) FROM kpi_measurements") == [(0,)]
