"""Issue 29, acceptance as a person meets it: workbooks and CSV files written the way Indonesian
offices keep them (merged title rows, blank separator rows, subtotal and total rows, footnotes under
the table, a `No.` column, units in headers, Rp amounts with dots, cells formatted as %, dd.mm.yyyy
and `Jan-26` headers, a hidden column, two header lines), each imported through the command line
with the flags a person would answer with, and the rows stored checked exactly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from okrdash.cli import main
from okrdash.store import open_store
from tests.helpers.workbooks import XCell, workbook

D = dt.date
PCT = "0%"
PCT1 = "0.0%"
RP = '"Rp"#,##0'
MEASUREMENTS = ("SELECT k.team, k.name, m.date, m.value, m.target FROM kpi_measurements m "
                "JOIN kpis k ON k.id = m.kpi_id")
KEY_RESULTS = ("SELECT o.team, o.title, k.title, k.target FROM key_results k "
               "JOIN objectives o ON o.id = k.objective_id")


@dataclass(frozen=True)
class RealFile:
    name: str
    data: bytes
    flags: tuple[str, ...]
    query: str
    expected: list[tuple]


def iku_workbook() -> RealFile:
    """A university's IKU sheet: merged title rows, a `No.` column, `Target (%)` / `Realisasi (%)`
    as cells formatted 0%, a blank separator row, a footnote below; no team, no date."""
    rows = [["INDIKATOR KINERJA UTAMA (IKU) TAHUN 2026"], ["Fakultas Ekonomi"], [],
            ["No.", "Indikator Kinerja Utama", "Satuan", "Target (%)", "Realisasi (%)"],
            [1, "Lulusan mendapat pekerjaan layak", "%", XCell(0.8, PCT), XCell(0.72, PCT)],
            [2, "Dosen berkegiatan di luar kampus", "%", XCell(0.25, PCT), XCell(0.31, PCT)],
            [],
            [3, "Program studi berakreditasi internasional", "%", XCell(0.1, PCT), XCell(0.05, PCT)],
            [], ["*) Sumber: PDDikti, data per 30 Juni 2026"]]
    data = workbook({"IKU": rows}, merges={"IKU": [(0, 0, 0, 4), (1, 0, 1, 4)]})
    return RealFile("iku_fakultas.xlsx", data,
                    ("--column", "Indikator Kinerja Utama=kpi", "--set", "team=Fakultas Ekonomi",
                     "--set", "date=30/06/2026"),
                    MEASUREMENTS, [
                        ("Fakultas Ekonomi", "Dosen berkegiatan di luar kampus", D(2026, 6, 30), 31.0, 25.0),
                        ("Fakultas Ekonomi", "Lulusan mendapat pekerjaan layak", D(2026, 6, 30), 72.0, 80.0),
                        ("Fakultas Ekonomi", "Program studi berakreditasi internasional", D(2026, 6, 30), 5.0, 10.0)])


def pawnshop_kpis() -> RealFile:
    """A pawn-shop unit's monthly KPI sheet: `KODE KPI` beside `NAMA UNIT`, Rp amounts as text with
    dots, a total row at the bottom."""
    text = ("Laporan KPI Unit Pegadaian Cabang Depok;;;;;\n"
            "KODE KPI;NAMA UNIT;Indikator KPI;Periode;Target (Rp);Realisasi (Rp)\n"
            "K01;UPC Depok;Omzet gadai;31/05/2026;1.500.000.000;1.625.000.000\n"
            "K02;UPC Depok;Pendapatan sewa modal;31/05/2026;120.000.000;98.500.000\n"
            ";;Total;;1.620.000.000;1.723.500.000\n")
    return RealFile("kpi_upc_depok.csv", text.encode(),
                    ("--column", "NAMA UNIT=team", "--column", "KODE KPI=ignore", "--column", "Periode=date"),
                    MEASUREMENTS, [
                        ("UPC Depok", "Omzet gadai", D(2026, 5, 31), 1625000000.0, 1500000000.0),
                        ("UPC Depok", "Pendapatan sewa modal", D(2026, 5, 31), 98500000.0, 120000000.0)])


def bank_branch_targets() -> RealFile:
    """Bank branch targets with months as `Jan-26` headers (typed dates formatted mmm-yy), a subtotal row."""
    head = ["Cabang", "Indikator", "Satuan"] + [XCell(D(2026, m, 1), "mmm-yy") for m in (1, 2, 3)]
    rows = [["REALISASI DANA PIHAK KETIGA PER CABANG"], head,
            ["KCP Bogor", "Tabungan", "juta Rp", 10500, 11200, 11950],
            ["KCP Bogor", "Deposito", "juta Rp", 8000, 7900, 8150],
            ["Subtotal", None, None, 18500, 19100, 20100]]
    return RealFile("dpk_cabang.xlsx", workbook({"DPK": rows}),
                    ("--column", "Cabang=team", "--column", "Indikator=kpi"),
                    "SELECT k.team, k.name, m.date, m.value FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id", [
                        ("KCP Bogor", "Deposito", D(2026, 1, 31), 8000.0), ("KCP Bogor", "Deposito", D(2026, 2, 28), 7900.0),
                        ("KCP Bogor", "Deposito", D(2026, 3, 31), 8150.0), ("KCP Bogor", "Tabungan", D(2026, 1, 31), 10500.0),
                        ("KCP Bogor", "Tabungan", D(2026, 2, 28), 11200.0), ("KCP Bogor", "Tabungan", D(2026, 3, 31), 11950.0)])


def budget_realisation() -> RealFile:
    """An agency's budget realisation: two header lines (`Anggaran` over `Pagu (Rp)` / `Realisasi (Rp)`),
    Rp cells formatted "Rp"#,##0, a total row, a signature footnote."""
    rows = [["LAPORAN REALISASI ANGGARAN SEMESTER I 2026"], [],
            ["No.", "Program", "Anggaran", None],
            [None, None, "Pagu (Rp)", "Realisasi (Rp)"],
            [1, "Dukungan manajemen", XCell(2500000000, RP), XCell(1180000000, RP)],
            [2, "Pelayanan publik", XCell(4000000000, RP), XCell(2210500000, RP)],
            [None, "JUMLAH", XCell(6500000000, RP), XCell(3390500000, RP)],
            [], [None, "Kepala Bagian Keuangan,"]]
    data = workbook({"LRA": rows}, merges={"LRA": [(0, 0, 0, 3), (2, 2, 2, 3), (2, 0, 3, 0), (2, 1, 3, 1)]})
    return RealFile("lra_semester1.xlsx", data,
                    ("--column", "Program=kpi", "--column", "Pagu (Rp)=target", "--column", "Realisasi (Rp)=value",
                     "--set", "team=Sekretariat", "--set", "date=30/06/2026"),
                    MEASUREMENTS, [
                        ("Sekretariat", "Dukungan manajemen", D(2026, 6, 30), 1180000000.0, 2500000000.0),
                        ("Sekretariat", "Pelayanan publik", D(2026, 6, 30), 2210500000.0, 4000000000.0)])


def health_scorecard() -> RealFile:
    """A health programme scorecard: percent cells formatted 0.0%, a hidden notes column, the
    direction of one indicator given by the person."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Skor"
    sheet.append(["Puskesmas", "Indikator", "Target", "Capaian", "Catatan internal", "Tanggal"])
    for row in (["Puskesmas Cibinong", "Cakupan imunisasi dasar lengkap", 0.95, 0.912, "cek ulang", D(2026, 3, 31)],
                ["Puskesmas Cibinong", "Balita gizi kurang", 0.1, 0.087, None, D(2026, 3, 31)]):
        sheet.append(row)
    for r in (2, 3):
        for c in ("C", "D"):
            sheet[f"{c}{r}"].number_format = PCT1
    sheet.column_dimensions["E"].hidden = True
    out = io.BytesIO()
    book.save(out)
    return RealFile("skor_puskesmas.xlsx", out.getvalue(),
                    ("--column", "Puskesmas=team", "--column", "Indikator=kpi", "--column", "Capaian=value",
                     "--column", "Catatan internal=ignore"),
                    MEASUREMENTS, [
                        ("Puskesmas Cibinong", "Balita gizi kurang", D(2026, 3, 31), 8.7, 10.0),
                        ("Puskesmas Cibinong", "Cakupan imunisasi dasar lengkap", D(2026, 3, 31), 91.2, 95.0)])


def recruiter_tracker() -> RealFile:
    """A recruiter's weekly tracker, one column per metric, dd.mm.yyyy dates as text."""
    text = ("Week ending,Applicants screened,Interviews,Offers accepted\n"
            "06.03.2026,42,11,2\n13.03.2026,38,9,3\n20.03.2026,,12,1\n")
    return RealFile("recruiting_tracker.csv", text.encode(),
                    ("--metric", "Applicants screened", "--metric", "Interviews", "--metric", "Offers accepted",
                     "--set", "team=Talent", "--column", "Week ending=date"),
                    "SELECT k.team, k.name, m.date, m.value FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id", [
                        ("Talent", "Applicants screened", D(2026, 3, 6), 42.0),
                        ("Talent", "Applicants screened", D(2026, 3, 13), 38.0),
                        ("Talent", "Interviews", D(2026, 3, 6), 11.0), ("Talent", "Interviews", D(2026, 3, 13), 9.0),
                        ("Talent", "Interviews", D(2026, 3, 20), 12.0),
                        ("Talent", "Offers accepted", D(2026, 3, 6), 2.0),
                        ("Talent", "Offers accepted", D(2026, 3, 13), 3.0),
                        ("Talent", "Offers accepted", D(2026, 3, 20), 1.0)])


def bulgarian_history() -> RealFile:
    """A Bulgarian store's sales history in a workbook: dd.mm.yyyy dates typed as text, one column per metric."""
    rows = [["Дата", "Продажби (лв.)", "Клиенти"], ["31.01.2026", 15200.5, 410], ["28.02.2026", 14980, 395],
            ["31.03.2026", "16 120,75", 432]]
    return RealFile("istoriya.xlsx", workbook({"Sheet1": rows}),
                    ("--metric", "Продажби (лв.)", "--metric", "Клиенти", "--set", "team=Sofia",
                     "--column", "Дата=date"),
                    "SELECT k.team, k.name, m.date, m.value FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id", [
                        ("Sofia", "Клиенти", D(2026, 1, 31), 410.0), ("Sofia", "Клиенти", D(2026, 2, 28), 395.0),
                        ("Sofia", "Клиенти", D(2026, 3, 31), 432.0),
                        ("Sofia", "Продажби (лв.)", D(2026, 1, 31), 15200.5),
                        ("Sofia", "Продажби (лв.)", D(2026, 2, 28), 14980.0),
                        ("Sofia", "Продажби (лв.)", D(2026, 3, 31), 16120.75)])


def objective_owner_status_list() -> RealFile:
    """A plain OKR list kept in a sheet: Objective / Key Result / Owner / Target, no team, no cycle."""
    text = ("Objective;Key Result;Owner;Baseline;Target\n"
            "Tingkatkan kepuasan nasabah;NPS cabang;Rina;30;45\n"
            "Tingkatkan kepuasan nasabah;Keluhan selesai dalam 3 hari (%);Budi;70;95\n")
    return RealFile("okr_q3.csv", text.encode(),
                    ("--kind", "okrs", "--set", "team=Layanan", "--set", "cycle=2026-Q3"),
                    KEY_RESULTS, [
                        ("Layanan", "Tingkatkan kepuasan nasabah", "Keluhan selesai dalam 3 hari (%)", 95.0),
                        ("Layanan", "Tingkatkan kepuasan nasabah", "NPS cabang", 45.0)])


def ally_export() -> RealFile:
    """An Ally.io import template: Row ID / Title / Parent rows, the team asked once."""
    text = ("Row ID,Title,Parent,Entity,Owner Email,Time Period,Start Date,Target Value,Current Value\n"
            "1,Grow revenue,,Sales,ana@example.com,Q3 2026,01/07/2026,,\n"
            "2,New customers,1,Sales,ana@example.com,Q3 2026,01/07/2026,40,12\n")
    return RealFile("ally_export.csv", text.encode(), ("--set", "team=Sales"), KEY_RESULTS,
                    [("Sales", "Grow revenue", "New customers", 40.0)])


def dashboard_with_subtotals() -> RealFile:
    """A sales dashboard, one column per metric with a typed text cell '85,5', a `TOTAL` row and a
    footnote row under the table."""
    rows = [["Dashboard Penjualan Toko 2026"], [],
            ["Bulan", "Omzet (Rp)", "Konversi (%)"],
            [D(2026, 1, 31), 125000000, XCell(0.031, PCT1)],
            [D(2026, 2, 28), 131500000, "3,4%"],
            [D(2026, 3, 31), 140250000, XCell(0.036, PCT1)],
            ["TOTAL", 396750000, None], [], ["Catatan: angka Maret belum final"]]
    return RealFile("dashboard_toko.xlsx", workbook({"Ringkasan": rows}),
                    ("--metric", "Omzet (Rp)", "--metric", "Konversi (%)", "--set", "team=Toko Bogor",
                     "--column", "Bulan=date"),
                    "SELECT k.team, k.name, m.date, m.value FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id", [
                        ("Toko Bogor", "Konversi (%)", D(2026, 1, 31), 3.1),
                        ("Toko Bogor", "Konversi (%)", D(2026, 2, 28), 3.4),
                        ("Toko Bogor", "Konversi (%)", D(2026, 3, 31), 3.6),
                        ("Toko Bogor", "Omzet (Rp)", D(2026, 1, 31), 125000000.0),
                        ("Toko Bogor", "Omzet (Rp)", D(2026, 2, 28), 131500000.0),
                        ("Toko Bogor", "Omzet (Rp)", D(2026, 3, 31), 140250000.0)])


FILES = [iku_workbook, pawnshop_kpis, bank_branch_targets, health_scorecard, recruiter_tracker,
         bulgarian_history, objective_owner_status_list, dashboard_with_subtotals, budget_realisation]
# Not read yet, and refused with a question rather than read wrong: an Ally.io file without its
# Object Type column (which rows are objectives the flags cannot say).
ASKED = [ally_export]


@pytest.mark.parametrize("build", FILES, ids=[f.__name__ for f in FILES])
def test_a_real_file_imports_right_with_the_answers_a_person_gives(build, tmp_path, capsys):
    real = build()
    path = tmp_path / real.name
    path.write_bytes(real.data)
    db = tmp_path / "real.duckdb"
    assert main(["--db", str(db), "--create", "import", str(path), *real.flags]) == 0, capsys.readouterr().err
    store = open_store(db)
    try:
        with store.cursor() as cur:
            assert sorted(cur.execute(real.query).fetchall()) == real.expected
    finally:
        store.close()


@pytest.mark.parametrize("build", ASKED, ids=[f.__name__ for f in ASKED])
def test_a_file_okrdash_cannot_read_yet_is_asked_about_and_nothing_is_written(build, tmp_path, capsys):
    real = build()
    path = tmp_path / real.name
    path.write_bytes(real.data)
    db = tmp_path / "real.duckdb"
    assert main(["--db", str(db), "--create", "import", str(path), *real.flags]) == 1
    assert "To answer for the file, run the import again with:" in capsys.readouterr().err
    store = open_store(db)
    try:
        assert store.is_empty()
    finally:
        store.close()


def test_a_file_that_is_no_okr_data_is_refused_naming_what_is_missing(tmp_path, capsys):
    path = tmp_path / "daftar_hadir.csv"
    path.write_text("Nama;Jabatan;Jam masuk\nRina;Staf;07:58\nBudi;Supervisor;08:03\n", encoding="utf-8")
    assert main(["--db", str(tmp_path / "x.duckdb"), "--create", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "--kind" in err or "--column" in err
