"""The importer, end to end: CSV bytes -> validation -> DuckDB, read back through the scoring rules.

Part 1: what a file may look like (docs/csv-format.md). Part 2: bad input, each refused with the
problem's line, column and code, and with the store left exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from okrdash.importing import DateOrder, ReadingChoices, Upload, import_files
from okrdash.models import FileKind
from okrdash.problems import ImportFailed
from okrdash.store import open_store
from tests.conftest import DATA_DIR, kpi_row, kr_row

# Each test using the store fixture runs on DuckDB and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

AS_OF = dt.date(2026, 5, 31)
OKR_HEADER = "cycle,team,objective,key_result,baseline,target,current,date\n"


def okr_file(*rows: str, header: str = OKR_HEADER) -> str:
    return header + "".join(row + "\n" for row in rows)


def where(problems):
    """(line, column, code) of each problem, for compact assertions."""
    return [(p.line, p.column, p.code) for p in problems]


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory) -> Path:
    """A database file holding the acceptance data: refused imports must leave it as it is."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.duckdb"
    store = open_store(path)
    import_files(store, [Upload(p.name, p.read_bytes()) for p in (
        DATA_DIR / "acceptance_kpis.csv", DATA_DIR / "acceptance_okrs.csv", DATA_DIR / "acceptance_checkins.csv")],
        today=AS_OF)
    store.close()
    return path


@pytest.fixture
def seeded(seeded_template, tmp_path):
    path = tmp_path / "seeded.duckdb"
    shutil.copyfile(seeded_template, path)
    store = open_store(path)
    assert store.table_counts()["key_results"] == 7
    yield store
    store.close()


# =================================================================================================
# Part 1: accepted input
# =================================================================================================


def test_comma_and_semicolon_files_give_the_same_rows(store, load):
    load(("a.csv", "cycle,team,objective,key_result,baseline,target\n2026-Q2,Sales,Grow,Comma KR,4.5,9.5\n"))
    load(("b.csv", "cycle;team;objective;key_result;baseline;target\n2026-Q2;Sales;Grow;Semicolon KR;4,5;9,5\n"))
    for title in ("Comma KR", "Semicolon KR"):
        row = kr_row(store, title, AS_OF)
        assert (row["baseline"], row["target"]) == (4.5, 9.5)


def test_utf8_bom_and_crlf(store, load):
    data = "\ufeffcycle,team,objective,key_result,baseline,target\r\n2026-Q2,Tim Ä,Tujuan é,KR ü,1,2\r\n"
    result = load(("bom.csv", data.encode("utf-8")))
    assert (result.files[0].encoding, result.files[0].kind) == ("utf-8", FileKind.OKRS)
    row = kr_row(store, "KR ü", AS_OF)
    # The BOM is not glued to the first header, and no \r is left at the end of the last cell.
    assert (row["cycle"], row["team"], row["objective"], row["target"]) == ("2026-Q2", "Tim Ä", "Tujuan é", 2.0)


def test_header_case_and_spacing(store, load):
    load(("o.csv", " CYCLE , Team,OBJECTIVE,  Key-Result ,Baseline,TARGET\n2026-Q2,T,O,K,1,3\n"))
    assert kr_row(store, "K", AS_OF)["target"] == 3.0


def test_indonesian_okr_file(store, load):
    data = (
        "siklus;tim;tujuan;hasil kunci;pemilik;nilai awal;target;satuan;bobot;nilai saat ini;tanggal;keyakinan\n"
        "2026-Q2;Penjualan;Tumbuh lebih cepat;Naikkan pendapatan;Budi;4,5;9,5;juta;2;6;31/05/2026;tinggi\n"
    )
    load(("okr.csv", data))
    row = kr_row(store, "Naikkan pendapatan", AS_OF)
    assert (row["team"], row["objective"], row["owner"], row["unit"]) == ("Penjualan", "Tumbuh lebih cepat", "Budi", "juta")
    assert (row["baseline"], row["target"], row["weight"], row["current"], row["confidence"]) == (4.5, 9.5, 2.0, 6.0, 8.0)
    assert row["last_checkin"] == AS_OF
    assert row["progress"] == pytest.approx(0.3)


def test_indonesian_okr_file_underscored_headers_and_periode(store, load):
    data = ("periode,tim,tujuan,hasil_kunci,nilai_awal,target\n"
            "Q2 2026,Pemasaran,Dikenal luas,Naikkan pengikut,100,200\n")
    load(("okr.csv", data))
    row = kr_row(store, "Naikkan pengikut", AS_OF)
    assert (row["cycle"], row["team"], row["baseline"], row["target"]) == ("2026-Q2", "Pemasaran", 100.0, 200.0)


def test_indonesian_nilai_is_the_current_value_of_an_okr_file(store, load):
    # docs/csv-format.md: the okrs column `current` has the Indonesian names `nilai`, `nilai_saat_ini`.
    data = ("siklus,tim,tujuan,hasil_kunci,nilai_awal,target,nilai,tanggal\n"
            "2026-Q2,Penjualan,Tumbuh,Naikkan pendapatan,10,20,15,31/05/2026\n")
    load(("okr.csv", data))
    row = kr_row(store, "Naikkan pendapatan", AS_OF)
    assert row["current"] == 15.0
    assert row["progress"] == pytest.approx(0.5)


def test_indonesian_checkin_and_kpi_files(store, load):
    load(("okr.csv", "siklus,tim,tujuan,hasil_kunci,nilai_awal,target\n2026-Q2,CS,Layanan cepat,Kurangi waktu balas,48,30\n"))
    load(
        ("checkin.csv", "Tim;Hasil_Kunci;Tanggal;Nilai;Keyakinan;Catatan\nCS;Kurangi waktu balas;31-05-2026;40;sedang;Bagus\n"),
        ("kpi.csv", "tim;nama_kpi;tanggal;nilai;target;satuan;arah;toleransi;frekuensi;jenis_kpi;indikator;kategori;pemilik\n"
                    "CS;Waktu balas;31/05/2026;48;30;menit;turun;10%;mingguan;operasional;utama;layanan;Maya\n"),
    )
    row = kr_row(store, "Kurangi waktu balas", AS_OF)
    assert (row["current"], row["confidence"]) == (40.0, 5.0)
    assert row["progress"] == pytest.approx(8 / 18)
    kpi = kpi_row(store, "Waktu balas", AS_OF)
    assert (kpi["direction"], kpi["unit"], kpi["frequency"], kpi["indicator"], kpi["owner"]) == (
        "lower_is_better", "menit", "weekly", "leading", "Maya")
    assert kpi["status"] == "Off Track"


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [
        ('"4,5"', '"9,5"', "6", (4.5, 9.5, 6.0, None)),
        ("Rp100.000.000", "Rp150.000.000", "Rp120.000.000", (100e6, 150e6, 120e6, "Rp")),
        ('"1,000,000"', '"1,234,567"', '"1,100,000"', (1e6, 1_234_567.0, 1.1e6, None)),
        ("45%", "60%", "51%", (45.0, 60.0, 51.0, "%")),
        ("IDR 1.000", "IDR 2.500", "IDR 2.000", (1000.0, 2500.0, 2000.0, "Rp")),
        ('"$1,000.00"', '"$1,200.50"', "$1100", (1000.0, 1200.5, 1100.0, "$")),
        ('"1.234.567,5"', '"2.000.000,5"', '"1.500.000"', (1_234_567.5, 2_000_000.5, 1_500_000.0, None)),
    ],
)
def test_number_formats(store, load, baseline, target, current, expected):
    load(("o.csv", okr_file(f"2026-Q2,T,O,K,{baseline},{target},{current},2026-05-01")))
    row = kr_row(store, "K", AS_OF)
    assert (row["baseline"], row["target"], row["current"]) == pytest.approx(expected[:3])
    assert row["unit"] == expected[3]


def test_explicit_unit_wins_over_the_inferred_one(store, load):
    load(("o.csv", "cycle,team,objective,key_result,baseline,target,unit\n2026-Q2,T,O,K,45%,60%,pts\n"))
    assert kr_row(store, "K", AS_OF)["unit"] == "pts"


@pytest.mark.parametrize("text", ["2026-05-31", "31/05/2026", "31-05-2026", "31.05.2026"])
def test_date_formats(store, load, text):
    load(("o.csv", okr_file(f"2026-Q2,T,O,K,0,10,5,{text}")))
    assert kr_row(store, "K", AS_OF)["last_checkin"] == dt.date(2026, 5, 31)


def test_current_without_date_is_recorded_on_the_import_day(store, load):
    load(("o.csv", okr_file("2026-Q2,T,O,K,0,10,5,")), today=dt.date(2026, 5, 20))
    assert kr_row(store, "K", AS_OF)["last_checkin"] == dt.date(2026, 5, 20)


@pytest.mark.parametrize("text", ["2026-Q2", "Q2 2026", "Q2-2026", "2026Q2"])
def test_cycle_forms(store, load, text):
    load(("o.csv", okr_file(f"{text},T,O,K,0,10,,")))
    assert [(c.name, c.start_date, c.end_date) for c in store.cycles()] == [
        ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30))]


def test_cycle_with_explicit_dates(store, load):
    data = ("cycle,start_date,end_date,team,objective,key_result,baseline,target\n"
            "Sprint 7,2026-05-01,31/05/2026,T,O,K,0,10\n")
    load(("o.csv", data))
    assert [(c.name, c.start_date, c.end_date) for c in store.cycles()] == [
        ("Sprint 7", dt.date(2026, 5, 1), dt.date(2026, 5, 31))]
    assert kr_row(store, "K", AS_OF)["cycle"] == "Sprint 7"


def test_quarter_forms_in_one_file_are_one_cycle(store, load):
    load(("o.csv", okr_file("2026-Q2,T,O,A,0,10,,", "Q2 2026,T,O,B,0,10,,", "2026Q2,T,O,C,0,10,,")))
    assert [c.name for c in store.cycles()] == ["2026-Q2"]
    assert store.table_counts()["objectives"] == 1


@pytest.mark.parametrize(
    ("word", "value"),
    [("low", 2), ("medium", 5), ("high", 8), ("red", 2), ("yellow", 5), ("green", 8), ("rendah", 2), ("sedang", 5),
     ("tinggi", 8), ("merah", 2), ("kuning", 5), ("hijau", 8), ("6", 6), ("HIGH", 8)],
)
def test_confidence_words(store, load, word, value):
    load(("o.csv", okr_file("2026-Q2,T,O,K,0,10,,")),
         ("c.csv", f"team,key_result,date,value,confidence\nT,K,2026-05-01,5,{word}\n"))
    assert kr_row(store, "K", AS_OF)["confidence"] == value


def test_kind_inference(store, load):
    data = ("cycle,team,objective,key_result,baseline,target,kind\n"
            "2026-Q2,T,O,Down,48,30,\n2026-Q2,T,O,Up,4,10,\n2026-Q2,T,O,No baseline,,10,\n"
            "2026-Q2,T,O,Reduce churn,,5,\n2026-Q2,T,O,Launch,,,milestone\n2026-Q2,T,O,Floor,,80,at_least\n"
            "2026-Q2,T,O,Ceiling,,2,at most\n2026-Q2,T,O,Turunkan biaya,100,80,turun\n")
    load(("o.csv", data))
    kinds = dict(store.kr_scores(AS_OF)[["title", "kind"]].itertuples(index=False))
    assert kinds == {"Down": "decrease", "Up": "increase", "No baseline": "increase", "Reduce churn": "decrease",
                     "Launch": "milestone", "Floor": "at_least", "Ceiling": "at_most", "Turunkan biaya": "decrease"}
    launch = kr_row(store, "Launch", AS_OF)
    assert (launch["baseline"], launch["target"]) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("cycle,team,objective,key_result,baseline,target", FileKind.OKRS),
        ("team,key_result,date,value", FileKind.CHECKINS),
        ("team,kpi,date,value,target", FileKind.KPIS),
        ("Tim,Nama KPI", FileKind.KPIS),
    ],
)
def test_file_kind_detection(store, header, kind):
    rows = {FileKind.OKRS: "2026-Q2,T,O,K,0,10", FileKind.CHECKINS: "T,K,2026-05-01,3",
            FileKind.KPIS: "T,Reply time" + (",2026-05-01,3,2" if "date" in header else "")}
    uploads = [Upload("x.csv", f"{header}\n{rows[kind]}\n".encode())]
    if kind is FileKind.CHECKINS:
        uploads.insert(0, Upload("o.csv", okr_file("2026-Q2,T,O,K,0,10,,").encode()))
    result = import_files(store, uploads, dry_run=True)
    assert {f.file_name: f.kind for f in result.files}["x.csv"] is kind


def test_kpi_definition_row_without_measurement(store, load):
    load(("k.csv", "team,kpi,target,direction\nSupport,First reply time,30,lower\n"))
    kpi = kpi_row(store, "First reply time", AS_OF)
    assert (kpi["direction"], kpi["target"], kpi["status"], kpi["measurement_count"]) == (
        "lower_is_better", 30.0, "No Data", 0)
    assert store.table_counts()["kpi_measurements"] == 0


def test_kpi_definition_columns_given_once(store, load):
    data = ("team,kpi,date,value,target,direction,owner\n"
            "T,Reply,2026-04-30,40,30,lower,Maya\nT,Reply,2026-05-31,35,,,\n")
    load(("k.csv", data))
    kpi = kpi_row(store, "Reply", AS_OF)
    assert (kpi["direction"], kpi["owner"], kpi["target"], kpi["value"]) == ("lower_is_better", "Maya", 30.0, 35.0)


def test_kpi_target_given_on_a_definition_row_only(store, load):
    # "The KPI's own columns may be given on every row or only on one"; "A row with no date and no
    # value only defines the KPI." The target of that row must not be lost.
    data = "team,kpi,date,value,target,direction\nCS,Reply time,,,30,lower\nCS,Reply time,2026-05-31,48,,\n"
    load(("k.csv", data))
    kpi = kpi_row(store, "Reply time", AS_OF)
    assert (kpi["target"], kpi["value"], kpi["status"]) == (30.0, 48.0, "Off Track")


def test_reimport_updates_instead_of_duplicating(store, load):
    data = okr_file("2026-Q2,T,O,A,0,10,5,2026-05-01", "2026-Q2,T,O,B,0,10,6,2026-05-01")
    first = load(("o.csv", data))
    counts = store.table_counts()
    # 1 objective + 2 key results + 2 check-ins
    assert [(w.inserted, w.updated) for w in first.written] == [(5, 0)]
    second = load(("o.csv", data))
    assert [(w.inserted, w.updated) for w in second.written] == [(0, 5)]
    after = store.table_counts()
    for table in ("cycles", "objectives", "key_results", "checkins"):
        assert after[table] == counts[table], table
    assert after["batches"] == counts["batches"] + 1
    changed = data.replace(",6,2026-05-01", ",8,2026-05-01") + "2026-Q2,T,O,C,0,10,,\n"
    third = load(("o.csv", changed))
    assert [(w.inserted, w.updated) for w in third.written] == [(1, 5)]
    assert kr_row(store, "B", AS_OF)["current"] == 8.0
    assert store.table_counts()["key_results"] == 3


def test_reimport_matches_natural_keys_ignoring_case_and_quarter_spelling(store, load):
    load(("o.csv", okr_file("2026-Q2,Sales,Grow,Win deals,0,10,,")))
    result = load(("o.csv", okr_file("Q2 2026,Sales,Grow,Win deals,0,20,,")))
    assert result.inserted == 0
    assert kr_row(store, "Win deals", AS_OF)["target"] == 20.0


def test_reimported_checkin_same_day_updates_value(store, load):
    load(("o.csv", okr_file("2026-Q2,T,O,K,0,10,,")))
    load(("c.csv", "team,key_result,date,value\nT,K,2026-05-01,3\n"))
    result = load(("c.csv", "team,key_result,date,value\nT,K,01/05/2026,4\nT,K,2026-05-02,5\n"),
                  choices=ReadingChoices(dates=DateOrder.DMY))
    assert [(w.inserted, w.updated) for w in result.written] == [(1, 1)]
    assert store.table_counts()["checkins"] == 2
    assert kr_row(store, "K", dt.date(2026, 5, 1))["current"] == 4.0


def test_kpi_reimport_counts(store, load):
    data = "team,kpi,date,value,target\nT,Revenue,2026-04-30,10,12\nT,Revenue,2026-05-31,11,12\n"
    first = load(("k.csv", data))
    assert [(w.inserted, w.updated) for w in first.written] == [(3, 0)]  # 1 KPI + 2 measurements
    second = load(("k.csv", data))
    assert [(w.inserted, w.updated) for w in second.written] == [(0, 3)]
    assert store.table_counts()["kpi_measurements"] == 2


def test_batch_is_recorded_with_sha256_and_counts(store, load):
    data = okr_file("2026-Q2,T,O,K,0,10,5,2026-05-01").encode()
    result = load(("okrs.csv", data), imported_by="rina@example.com")
    [batch] = store.batches()
    assert batch.id == result.written[0].batch_id
    assert (batch.file_name, batch.kind, batch.sha256) == ("okrs.csv", "okrs", hashlib.sha256(data).hexdigest())
    assert (batch.inserted, batch.updated, batch.imported_by) == (3, 0, "rina@example.com")


def test_one_batch_per_file(store, load):
    load((
        "k.csv", "team,kpi,date,value\nT,A,2026-05-01,1\n"), ("o.csv", okr_file("2026-Q2,T,O,K,0,10,,")))
    assert sorted((b.file_name, b.kind) for b in store.batches()) == [("k.csv", "kpis"), ("o.csv", "okrs")]


def test_dry_run_writes_nothing(store, load):
    load(("seed.csv", okr_file("2026-Q2,T,O,Seed,0,10,1,2026-05-01")))
    before = store.table_counts()
    result = load(("o.csv", okr_file("2026-Q2,T,O,New,0,10,5,2026-05-01")),
                  ("k.csv", "team,kpi,date,value\nT,A,2026-05-01,1\n"), dry_run=True)
    assert result.dry_run and result.written == []
    assert sorted(f.kind for f in result.files) == [FileKind.KPIS, FileKind.OKRS]
    assert store.table_counts() == before


def test_dry_run_still_reports_problems(store, reject):
    problems = reject(("o.csv", okr_file("2026-Q2,T,O,K,0,ten,,")), dry_run=True)
    assert where(problems) == [(2, "target", "not_a_number")]


def test_checkins_may_name_key_results_of_the_same_upload(store, load):
    # The check-in file comes first in the upload; the importer must still resolve its key results.
    load(("c.csv", "team,key_result,date,value\nT,Brand new KR,2026-05-01,3\nT,brand new kr,2026-05-15,4\n"),
         ("o.csv", okr_file("2026-Q2,T,O,Brand new KR,0,10,,")))
    row = kr_row(store, "Brand new KR", AS_OF)
    assert (row["current"], row["checkin_count"]) == (4.0, 2)


def test_checkin_disambiguated_by_objective_and_cycle(store, load):
    load(("o.csv", okr_file("2026-Q2,T,Grow,Same title,0,10,,", "2026-Q2,T,Keep,Same title,0,10,,",
                            "2026-Q3,T,Grow,Same title,0,10,,")))
    load(("c.csv", "team,key_result,objective,cycle,date,value\nT,Same title,Keep,2026-Q2,2026-05-01,7\n"))
    frame = store.kr_scores(AS_OF)
    currents = {(r.cycle, r.objective): r.current for r in frame.itertuples()}
    assert currents[("2026-Q2", "Keep")] == 7.0
    assert store.table_counts()["checkins"] == 1


@pytest.mark.parametrize("cycle", ["2026-Q2", "Q2 2026", "2026Q2", "q2-2026"])
def test_checkin_cycle_column_accepts_every_quarter_form(store, load, cycle):
    # The cycle column takes the forms of docs/csv-format.md in a check-in file as in an OKR file.
    load(("o.csv", okr_file("2026-Q2,Sales,Grow,Win deals,0,10,,", "2026-Q3,Sales,Grow,Win deals,0,10,,")))
    load(("c.csv", f"team,key_result,cycle,date,value\nSales,Win deals,{cycle},2026-05-01,3\n"))
    frame = store.kr_scores(AS_OF)
    currents = {row.cycle: (None if row.current != row.current else row.current) for row in frame.itertuples()}
    assert currents == {"2026-Q2": 3.0, "2026-Q3": None}


def test_reimport_with_other_letter_case_does_not_duplicate(store, load):
    # Inside one file "Sales,Grow,Win deals" and "sales,grow,win deals" are the same key (a duplicate), and
    # check-ins find key results whatever the case; a second import must update, not add a look-alike.
    load(("o.csv", okr_file("2026-Q2,Sales,Grow,Win deals,0,10,,")))
    result = load(("o.csv", okr_file("2026-Q2,sales,grow,win deals,0,20,,")))
    assert result.inserted == 0
    assert store.table_counts()["key_results"] == 1
    load(("c.csv", "team,key_result,date,value\nSales,Win deals,2026-05-01,3\n"))
    assert store.table_counts()["checkins"] == 1


def test_stored_cycle_dates_are_kept_when_a_later_file_names_only_the_quarter(store, load):
    load(("o.csv", "cycle,start_date,end_date,team,objective,key_result,target\n2026-Q2,2026-04-06,2026-07-03,T,O,A,10\n"))
    load(("o.csv", okr_file("Q2 2026,T,O,B,0,10,,")))
    assert [(c.name, c.start_date, c.end_date) for c in store.cycles()] == [
        ("2026-Q2", dt.date(2026, 4, 6), dt.date(2026, 7, 3))]


def test_kpi_definition_is_kept_when_a_later_file_gives_only_measurements(store, load):
    load(("k.csv", "team,kpi,date,value,target,direction,tolerance,owner\nCS,Reply,2026-04-30,40,30,lower,5,Maya\n"))
    load(("k.csv", "team,kpi,date,value\nCS,Reply,2026-05-31,34\n"))
    kpi = kpi_row(store, "Reply", AS_OF)
    assert (kpi["direction"], kpi["target"], kpi["tolerance"], kpi["owner"], kpi["value"], kpi["status"]) == (
        "lower_is_better", 30.0, 5.0, "Maya", 34.0, "At Risk")


def test_rows_of_empty_cells_are_empty_lines(store, load, reject):
    load(("o.csv", OKR_HEADER + "2026-Q2,T,O,K,0,10,,\n,,,,,,,\n , ,,,,,,\n"))
    assert store.table_counts()["key_results"] == 1
    data = OKR_HEADER + "2026-Q2,T,O,K,0,10,,\n,,,,,,,\n2026-Q2,T,O,K2,0,ten,,\n"
    assert where(reject(("o.csv", data))) == [(4, "target", "not_a_number")]


def test_blank_lines_and_multiline_cells_together_keep_line_numbers(store, load, reject):
    load(("o.csv", okr_file("2026-Q2,T,O,K,0,10,,")))
    data = ('team,key_result,date,value,note\n'
            '\n'                                     # line 2
            'T,K,2026-05-01,3,"a\nb"\n'             # lines 3-4
            '\n\n'                                   # lines 5-6
            'T,K,2026-05-02,x,bad\n')                # line 7
    assert where(reject(("c.csv", data))) == [(7, "value", "not_a_number")]


def test_milestone_word_as_current_of_a_number_key_result(store, reject):
    problems = reject(("o.csv", okr_file("2026-Q2,T,O,K,0,10,done,2026-05-01")))
    assert where(problems) == [(2, "current", "not_a_number")]


@pytest.mark.parametrize(("word", "value"), [("ya", 1.0), ("sudah", 1.0), ("yes", 1.0), ("belum", 0.0),
                                              ("tidak", 0.0), ("not done", 0.0), ("1", 1.0)])
def test_more_milestone_words(store, load, word, value):
    load(("o.csv", "cycle,team,objective,key_result,kind\n2026-Q2,T,O,Launch,milestone\n"),
         ("c.csv", f"team,key_result,date,value\nT,Launch,2026-05-01,{word}\n"))
    assert kr_row(store, "Launch", AS_OF)["current"] == value


def test_windows_1252_file_decodes(store, load):
    data = okr_file("2026-Q2,Équipe,Über Ziel,Kür é,0,10,,").encode("cp1252")
    result = load(("latin.csv", data))
    assert result.files[0].encoding == "windows-1252"
    row = kr_row(store, "Kür é", AS_OF)
    assert (row["team"], row["objective"]) == ("Équipe", "Über Ziel")


def test_multiline_note_is_kept(store, load):
    load(("o.csv", okr_file("2026-Q2,T,O,K,0,10,,")))
    data = 'team,key_result,date,value,note\nT,K,2026-05-01,3,"first line\nsecond line"\nT,K,2026-05-02,4,plain\n'
    load(("c.csv", data))
    kr_id = int(kr_row(store, "K", AS_OF)["key_result_id"])
    history = store.checkin_histories([kr_id])[kr_id]
    assert list(history["note"]) == ["first line\nsecond line", "plain"]


def test_multiline_note_keeps_line_numbers_of_later_rows(store, load, reject):
    load(("o.csv", okr_file("2026-Q2,T,O,K,0,10,,")))
    data = ('team,key_result,date,value,note\n'
            'T,K,2026-05-01,3,"first\nsecond\nthird"\n'   # lines 2-4
            'T,K,2026-05-02,4,ok\n'                       # line 5
            'T,K,2026-05-03,abc,bad\n')                   # line 6
    assert where(reject(("c.csv", data))) == [(6, "value", "not_a_number")]


def test_blank_lines_do_not_shift_line_numbers(store, reject):
    data = OKR_HEADER + "2026-Q2,T,O,K,0,10,,\n\n\n2026-Q2,T,O,K2,0,ten,,\n"
    assert where(reject(("o.csv", data))) == [(5, "target", "not_a_number")]


def test_milestone_words_in_checkin_files(store, load):
    load(("o.csv", "cycle,team,objective,key_result,kind\n2026-Q2,T,O,Launch v1,milestone\n"
                   "2026-Q2,T,O,Launch v2,tonggak\n2026-Q2,T,O,Launch v3,milestone\n"))
    load(("c.csv", "team,key_result,date,value\nT,Launch v1,2026-05-02,done\nT,Launch v2,2026-05-02,0\n"
                   "T,Launch v3,2026-05-02,Selesai\n"))
    assert kr_row(store, "Launch v1", AS_OF)["current"] == 1.0
    assert kr_row(store, "Launch v2", AS_OF)["current"] == 0.0
    assert kr_row(store, "Launch v3", AS_OF)["current"] == 1.0


def test_milestone_word_as_current_in_okr_file(store, load):
    # The okrs `current` is recorded as a check-in, so it takes the check-in words for milestones.
    load(("o.csv", "cycle,team,objective,key_result,kind,current,date\n"
                   "2026-Q2,T,O,Launch beta,milestone,selesai,2026-05-01\n2026-Q2,T,O,Launch v1,milestone,1,2026-05-01\n"))
    assert kr_row(store, "Launch beta", AS_OF)["current"] == 1.0
    assert kr_row(store, "Launch v1", AS_OF)["current"] == 1.0


def test_linked_kr_reads_the_kpi_of_the_same_upload(store, load):
    load(("o.csv", "cycle,team,objective,key_result,baseline,target,kpi\n2026-Q2,CS,Fast help,Cut reply time,60,30,Reply time\n"),
         ("k.csv", "team,kpi,date,value,target,direction\nCS,Reply time,2026-05-31,48,30,lower\n"))
    row = kr_row(store, "Cut reply time", AS_OF)
    assert (row["kpi_name"], row["current"]) == ("Reply time", 48.0)


# =================================================================================================
# Part 2: refused input (the `reject` fixture asserts the store is unchanged)
# =================================================================================================


def test_empty_file(seeded, reject):
    assert where(reject(("empty.csv", b""), into=seeded)) == [(None, None, "file_empty")]
    assert where(reject(("blank.csv", b"\n \r\n"), into=seeded)) == [(None, None, "file_empty")]


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_header_only_file(seeded, reject, ending):
    problems = reject(("o.csv", "cycle,team,objective,key_result,target" + ending), into=seeded)
    assert where(problems) == [(None, None, "file_no_rows")]


def test_binary_file_named_csv(seeded, reject):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert where(reject(("chart.csv", png), into=seeded)) == [(None, None, "file_binary")]
    xlsx = b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(1, 256)) * 8
    assert where(reject(("okrs.csv", xlsx), into=seeded))[0][2] == "file_binary"


def test_row_with_too_many_fields(seeded, reject):
    data = okr_file("2026-Q2,T,O,A,0,10,,", "2026-Q2,T,O,B,0,10,,,extra")
    problems = reject(("o.csv", data), into=seeded)
    assert where(problems) == [(3, None, "row_too_many_fields")]
    assert "extra" in problems[0].value


def test_row_with_too_few_fields(seeded, reject):
    data = okr_file("2026-Q2,T,O,A,0,10,,", "2026-Q2,T,O,B,0")
    # One problem for the one short row, not one per missing field.
    assert where(reject(("o.csv", data), into=seeded)) == [(3, None, "row_too_few_fields")]


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [("2026-Q2,T,O,K,zero,10,,", "baseline", "zero"), ("2026-Q2,T,O,K,0,ten,,", "target", "ten"),
     ("2026-Q2,T,O,K,0,10,4.5.6,2026-05-01", "current", "4.5.6"), ("2026-Q2,T,O,K,0,10,12abc,2026-05-01", "current", "12abc")],
)
def test_text_where_a_number_belongs(seeded, reject, row, column, value):
    problems = reject(("o.csv", okr_file(row)), into=seeded)
    assert where(problems) == [(2, column, "not_a_number")]
    assert problems[0].value == value


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-inf", "1e308"])
def test_non_finite_numbers_in_okr_and_kpi_files(seeded, reject, text):
    problems = reject(("o.csv", okr_file(f"2026-Q2,T,O,K,0,10,{text},2026-05-01")), into=seeded)
    assert [(p.line, p.column, p.value) for p in problems] == [(2, "current", text)]
    assert problems[0].code in ("not_a_number", "number_out_of_range")
    problems = reject(("k.csv", f"team,kpi,date,value\nT,K,2026-05-01,1\nT,K,2026-05-02,{text}\n"), into=seeded)
    assert [(p.line, p.column, p.value) for p in problems] == [(3, "value", text)]
    assert problems[0].code in ("not_a_number", "number_out_of_range")


@pytest.mark.parametrize("text", ["NaN", "Infinity", "1e308", "9999999999999999"])
def test_non_finite_numbers_in_checkin_files(seeded, reject, text):
    data = f"team,key_result,date,value\nCustomer Support,Raise NPS from 4 to 10,2026-05-20,{text}\n"
    assert where(reject(("c.csv", data), into=seeded)) == [(2, "value", "number_out_of_range")]


def test_huge_number_written_in_digits(seeded, reject):
    problems = reject(("o.csv", okr_file("2026-Q2,T,O,K,0,9999999999999999,,")), into=seeded)
    assert where(problems) == [(2, "target", "number_out_of_range")]


@pytest.mark.parametrize("weight", ["-1", "0"])
def test_weight_must_be_positive(seeded, reject, weight):
    data = "cycle,team,objective,key_result,baseline,target,weight\n" f"2026-Q2,T,O,K,0,10,{weight}\n"
    assert where(reject(("o.csv", data), into=seeded)) == [(2, "weight", "weight_positive")]


def test_target_equal_to_baseline(seeded, reject):
    problems = reject(("o.csv", okr_file("2026-Q2,T,O,K,10,10,,")), into=seeded)
    assert [(p.line, p.code) for p in problems] == [(2, "target_equals_baseline")]
    assert problems[0].column in ("target", "baseline")


def test_kind_contradicting_the_numbers(seeded, reject):
    data = "cycle,team,objective,key_result,baseline,target,kind\n2026-Q2,T,O,K,10,5,increase\n"
    problems = reject(("o.csv", data), into=seeded)
    assert [(p.line, p.code) for p in problems] == [(2, "kind_contradicts_numbers")]
    assert problems[0].column in ("kind", "target", "baseline")


@pytest.mark.parametrize("text", ["31/02/2026", "2026-02-30", "2026-13-01", "yesterday"])
def test_impossible_dates(seeded, reject, text):
    problems = reject(("o.csv", okr_file(f"2026-Q2,T,O,K,0,10,5,{text}")), into=seeded)
    assert where(problems) == [(2, "date", "not_a_date")]
    assert problems[0].value == text


@pytest.mark.parametrize("text", ["next quarter", "2026-Q5", "Q2/26"])
def test_unparseable_cycle(seeded, reject, text):
    problems = reject(("o.csv", okr_file(f"{text},T,O,K,0,10,,")), into=seeded)
    assert where(problems) == [(2, "cycle", "cycle_format")]


def test_cycle_dates_need_both(seeded, reject):
    data = "cycle,start_date,end_date,team,objective,key_result,target\nSprint 1,2026-05-01,,T,O,K,10\n"
    assert where(reject(("o.csv", data), into=seeded)) == [(2, "end_date", "dates_need_both")]


def test_cycle_ending_before_it_starts(seeded, reject):
    data = "cycle,start_date,end_date,team,objective,key_result,target\nSprint 1,2026-05-31,2026-05-01,T,O,K,10\n"
    assert where(reject(("o.csv", data), into=seeded)) == [(2, "cycle", "cycle_dates")]


def test_cycle_conflicting_with_stored_dates(seeded, reject):
    data = "cycle,start_date,end_date,team,objective,key_result,target\n2026-Q2,2026-04-06,2026-07-03,T,O,K,10\n"
    assert where(reject(("o.csv", data), into=seeded)) == [(2, "cycle", "cycle_conflict")]


def test_duplicate_key_results_in_one_file(seeded, reject):
    data = okr_file("2026-Q2,T,O,K,0,10,,", "2026-Q2,T,O,Other,0,10,,", "2026-Q2,t,o,k,0,20,,")
    problems = reject(("o.csv", data), into=seeded)
    assert [(p.line, p.code) for p in problems] == [(4, "duplicate_key")]
    assert problems[0].params["first_line"] == 2


def test_duplicate_checkins_in_one_file(seeded, reject):
    data = ("team,key_result,date,value\nCustomer Support,Raise NPS from 4 to 10,2026-05-20,6\n"
            "Customer Support,Raise NPS from 4 to 10,20/05/2026,7\n")
    problems = reject(("c.csv", data), into=seeded)
    assert [(p.line, p.code) for p in problems] == [(3, "duplicate_key")]


def test_duplicate_checkins_spelled_two_ways(seeded, reject):
    # Two spellings resolve to one key result: the rows are still the same check-in twice.
    data = ("team,key_result,date,value\nCustomer Support,Raise NPS from 4 to 10,2026-05-20,6\n"
            "customer support,RAISE NPS FROM 4 TO 10,2026-05-20,7\n")
    problems = reject(("c.csv", data), into=seeded)
    assert [(p.line, p.code, p.params["first_line"]) for p in problems] == [(3, "duplicate_key", 2)]


def test_duplicate_kpi_measurements_spelled_two_ways(seeded, reject):
    data = "team,kpi,date,value\nT,Revenue,2026-05-31,1\nt,REVENUE,2026-05-31,2\n"
    problems = reject(("k.csv", data), into=seeded)
    assert [(p.line, p.code, p.params["first_line"]) for p in problems] == [(3, "duplicate_key", 2)]


def test_duplicate_kpi_measurements_in_one_file(seeded, reject):
    data = "team,kpi,date,value\nT,Revenue,2026-05-31,1\nT,Revenue,31/05/2026,2\n"
    problems = reject(("k.csv", data), into=seeded)
    assert [(p.line, p.code) for p in problems] == [(3, "duplicate_key")]


def test_kpi_with_conflicting_directions(seeded, reject):
    data = ("team,kpi,date,value,target,direction\n"
            "CS,Reply time,2026-04-30,50,30,lower_is_better\nCS,Reply time,2026-05-31,48,30,higher_is_better\n")
    problems = reject(("k.csv", data), into=seeded)
    assert where(problems) == [(3, "direction", "conflicting_value")]
    assert problems[0].value == "higher_is_better"


def test_kpi_direction_spelled_two_ways_is_no_conflict(store, load):
    data = ("team,kpi,date,value,target,direction\n"
            "CS,Reply time,2026-04-30,50,30,Lower Is Better\nCS,Reply time,2026-05-31,48,30,lower_is_better\n")
    load(("k.csv", data))
    assert kpi_row(store, "Reply time", AS_OF)["direction"] == "lower_is_better"


def test_objective_with_conflicting_types(seeded, reject):
    data = ("cycle,team,objective,objective_type,key_result,target\n"
            "2026-Q2,T,O,committed,A,10\n2026-Q2,T,O,aspirational,B,10\n")
    assert where(reject(("o.csv", data), into=seeded)) == [(3, "objective_type", "conflicting_value")]


def test_unknown_enum_value_in_kpi_file(seeded, reject):
    data = "team,kpi,direction\nT,Reply time,sideways\n"
    assert where(reject(("k.csv", data), into=seeded)) == [(2, "direction", "enum_choice")]


def test_unknown_enum_value_in_okr_file(seeded, reject):
    data = "cycle,team,objective,key_result,target,kind\n2026-Q2,T,O,K,10,sideways\n"
    problems = reject(("o.csv", data), into=seeded)
    assert where(problems) == [(2, "kind", "enum_choice")]
    assert "milestone" in problems[0].message("en")


def test_range_kpi_without_bounds(seeded, reject):
    problems = reject(("k.csv", "team,kpi,direction,min\nHR,Overtime,range,2\n"), into=seeded)
    assert [(p.line, p.code) for p in problems] == [(2, "range_needs_bounds")]


def test_kpi_value_without_date(seeded, reject):
    problems = reject(("k.csv", "team,kpi,date,value\nT,Revenue,,5\n"), into=seeded)
    assert [(p.line, p.code) for p in problems] == [(2, "value_without_date")]


def test_unknown_key_result_in_checkin_file(seeded, reject):
    data = ("team,key_result,date,value\nCustomer Support,Raise NPS from 4 to 10,2026-05-20,6\n"
            "Customer Support,Raise NPS to 11,2026-05-20,6\n")
    problems = reject(("c.csv", data), into=seeded)
    assert where(problems) == [(3, "key_result", "unknown_key_result")]
    assert problems[0].value == "Raise NPS to 11"


def test_key_result_of_another_team_is_unknown(seeded, reject):
    data = "team,key_result,date,value\nProduct,Raise NPS from 4 to 10,2026-05-20,6\n"
    assert where(reject(("c.csv", data), into=seeded)) == [(2, "key_result", "unknown_key_result")]


def test_ambiguous_key_result_in_checkin_file(store, load, reject):
    load(("o.csv", okr_file("2026-Q2,T,Grow,Same title,0,10,,", "2026-Q2,T,Keep,Same title,0,10,,")))
    problems = reject(("c.csv", "team,key_result,date,value\nT,Same title,2026-05-01,3\n"))
    assert where(problems) == [(2, "key_result", "ambiguous_key_result")]


def test_checkin_for_a_kpi_linked_key_result(seeded, reject):
    data = "team,key_result,date,value\nCustomer Support,Bring the reply time KPI from 60 to 30 minutes,2026-05-20,45\n"
    assert where(reject(("c.csv", data), into=seeded)) == [(2, "key_result", "linked_kr_checkin")]


def test_key_result_linked_to_unknown_kpi(seeded, reject):
    data = "cycle,team,objective,key_result,baseline,target,kpi\n2026-Q2,T,O,K,0,10,No such KPI\n"
    problems = reject(("o.csv", data), into=seeded)
    assert where(problems) == [(2, "kpi", "unknown_kpi")]
    assert problems[0].value == "No such KPI"


def test_kpi_of_another_team_is_unknown(seeded, reject):
    data = "cycle,team,objective,key_result,baseline,target,kpi\n2026-Q2,Product,O,K,0,10,Net Promoter Score\n"
    assert where(reject(("o.csv", data), into=seeded)) == [(2, "kpi", "unknown_kpi")]


def test_headers_matching_no_kind(seeded, reject):
    problems = reject(("budget.csv", "name,amount,month\nTravel,100,May\n"), into=seeded)
    assert where(problems) == [(None, None, "file_kind_none")]
    assert "amount" in problems[0].message("en")


def test_missing_required_column(seeded, reject):
    problems = reject(("c.csv", "key_result,date,value\nRaise NPS from 4 to 10,2026-05-20,6\n"), into=seeded)
    assert where(problems) == [(1, "team", "header_missing")]


def test_blank_required_cell(seeded, reject):
    problems = reject(("o.csv", okr_file("2026-Q2,,O,K,0,10,,")), into=seeded)
    assert where(problems) == [(2, "team", "required")]


def test_bad_confidence(seeded, reject):
    data = "team,key_result,date,value,confidence\nCustomer Support,Raise NPS from 4 to 10,2026-05-20,6,very\n"
    assert where(reject(("c.csv", data), into=seeded)) == [(2, "confidence", "not_a_confidence")]


def test_bad_milestone_value(store, load, reject):
    load(("o.csv", "cycle,team,objective,key_result,kind\n2026-Q2,T,O,Launch,milestone\n"))
    problems = reject(("c.csv", "team,key_result,date,value\nT,Launch,2026-05-01,maybe\n"))
    assert where(problems) == [(2, "value", "not_a_milestone")]


def test_one_invalid_file_among_valid_ones_imports_nothing(seeded, reject):
    problems = reject(
        ("kpis.csv", "team,kpi,date,value,target\nOps,Uptime,2026-05-31,99.9,99.5\n"),
        ("okrs.csv", okr_file("2026-Q2,Ops,Stay up,Raise uptime,99,99.9,,")),
        ("checkins.csv", "team,key_result,date,value\nOps,Raise uptime,2026-05-01,99.2\n"),
        ("bad.csv", okr_file("2026-Q2,Ops,Stay up,Cut incidents,10,5,many,2026-05-01")),
        into=seeded,
    )
    assert [(p.file_name, p.line, p.column, p.code) for p in problems] == [("bad.csv", 2, "current", "not_a_number")]
    assert "Ops" not in seeded.teams()


def test_problems_of_several_files_are_all_reported(seeded, reject):
    problems = reject(("a.csv", okr_file("2026-Q2,T,O,K,0,ten,,")),
                      ("b.csv", "team,kpi,date,value\nT,K,2026-05-01,abc\n"), into=seeded)
    assert sorted((p.file_name, p.line, p.code) for p in problems) == [
        ("a.csv", 2, "not_a_number"), ("b.csv", 2, "not_a_number")]


def test_problem_list_is_capped(store, reject):
    rows = [f"2026-Q2,T,O,K{i},0,bad{i},," for i in range(300)]
    problems = reject(("o.csv", okr_file(*rows)))
    assert len(problems) == store.config.max_reported_problems + 1
    [more] = [p for p in problems if p.code == "more_problems"]
    assert more.params["count"] == 300 - store.config.max_reported_problems


def test_problem_message_in_indonesian(seeded, reject):
    [problem] = reject(("o.csv", okr_file("2026-Q2,T,O,K,0,sepuluh,,")), into=seeded)
    english, indonesian = problem.message("en"), problem.message("id")
    assert indonesian and english and indonesian != english
    assert "angka" in indonesian
    assert "baris 2" in problem.describe("id") and "line 2" in problem.describe("en")


def test_import_failed_lists_problems_in_file_and_line_order(store):
    with pytest.raises(ImportFailed) as caught:
        import_files(store, [Upload("b.csv", okr_file("2026-Q2,T,O,L,0,10,x,2026-05-01", "2026-Q2,T,O,K,y,10,,").encode()),
                             Upload("a.csv", okr_file("2026-Q2,T,O,M,0,z,,").encode())])
    assert [(p.file_name, p.line) for p in caught.value.problems] == [("a.csv", 2), ("b.csv", 2), ("b.csv", 3)]
