"""A corpus of files made the way Indonesian teams keep OKRs and KPIs, in both languages: a balanced
scorecard with a polarity column, weekly KPI sheets from Google Sheets, Excel's Indonesian CSV with
merged cells and bounds in the targets, Target / Realisasi pairs under merged month headers, one
sheet per division with a summary, periods in cells, progress-only sheets. Each is imported as it
is, and the test asserts what is stored (every number as its writer meant it) and what the reading
says, or the question asked.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.conftest import kr_row, stored_measurements

TODAY = dt.date(2026, 11, 20)


def workbook(sheets: dict[str, list[list[object]]], formats: dict[tuple[str, str], str] | None = None,
             merged: dict[str, list[str]] | None = None) -> bytes:
    """An .xlsx as Excel saves it: typed cells, number formats (``formats``: (sheet, cell) -> format),
    merged ranges."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merged or {}).get(name, []):
            sheet.merge_cells(cells)
    for (name, cell), number_format in (formats or {}).items():
        book[name][cell].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def kpis(store) -> dict[str, tuple]:
    with store.cursor() as cur:
        return {name: (team, direction, target) for team, name, direction, target in cur.execute(
            "SELECT team, name, direction, target FROM kpis").fetchall()}


def notes(result) -> set[str]:
    return {n.code for f in result.files for n in f.reading_notes}


def test_a_balanced_scorecard_of_a_division(store, load):
    rows = [["Balanced Scorecard Divisi Pemasaran"], ["Periode: Juni 2026"], [],
            ["No", "Perspektif", "Sasaran Strategis", "KPI", "Bobot", "Polaritas", "Target", "Realisasi",
             "Pencapaian", "Skor"],
            [1, "Keuangan", "Tumbuh", "Pendapatan (Rp juta)", 0.4, "Maximize", 500, 450, 0.9, 0.36],
            [2, "Pelanggan", "Puas", "Keluhan per bulan", 0.3, "Minimize", 20, 25, 0.75, 0.225],
            [3, "Proses", "Cepat", "Waktu respon (jam)", 0.3, "Semakin kecil semakin baik", 4, 3, 1.25, 0.375]]
    formats = {("BSC", f"{column}{row}"): "0%" for column in "EI" for row in (5, 6, 7)}
    result = load(("bsc.xlsx", workbook({"BSC": rows}, formats)), today=TODAY)
    assert kpis(store) == {"Pendapatan (Rp juta)": ("Pemasaran", "higher_is_better", 500.0),
                           "Keluhan per bulan": ("Pemasaran", "lower_is_better", 20.0),
                           "Waktu respon (jam)": ("Pemasaran", "lower_is_better", 4.0)}
    day = dt.date(2026, 6, 30)
    assert stored_measurements(store) == {("Pendapatan (Rp juta)", day): 450.0, ("Keluhan per bulan", day): 25.0,
                                          ("Waktu respon (jam)", day): 3.0}
    assert {"title_team", "title_date"} <= notes(result)
    assert {"No", "Sasaran Strategis", "Bobot", "Skor"} <= set(result.files[0].ignored_headers)


def test_a_scorecard_whose_achievement_disagrees_is_asked(store, reject):
    rows = [["KPI Divisi Pemasaran Juni 2026"],
            ["KPI", "Polaritas", "Target", "Realisasi", "Pencapaian"],
            ["Keluhan per bulan", "Minimize", 20, 25, "125%"]]  # 25 against 20, lower is better: 80% (or 75%)
    [problem] = reject(("bsc.xlsx", workbook({"BSC": rows})), today=TODAY)
    assert (problem.line, problem.column, problem.code) == (3, "Pencapaian", "achievement_disagrees")


def test_a_weekly_kpi_sheet_from_google_sheets_in_indonesian(store, load):
    data = ("KPI Mingguan Tim CS,,,,,\n,,,,,\n"
            "KPI,Satuan,Target,05/10/2026,12/10/2026,19/10/2026\n"
            'CSAT,skor,"4,5","4,2","4,4","4,6"\n'
            "Tiket selesai,tiket,1.200,1.150,980,1.310\n")
    result = load(("kpi-mingguan.csv", data), today=TODAY)
    stored = stored_measurements(store)
    assert stored[("CSAT", dt.date(2026, 10, 12))] == 4.4
    assert stored[("Tiket selesai", dt.date(2026, 10, 12))] == 980.0
    assert stored[("Tiket selesai", dt.date(2026, 10, 5))] == 1150.0
    assert kpis(store)["Tiket selesai"] == ("CS", "higher_is_better", 1200.0)
    assert "unpivoted" in notes(result)


def test_excel_indonesian_csv_with_merged_cells_bounds_and_progress(store, load):
    data = ("Siklus;Tim;Tujuan;Hasil Kunci;Nilai Awal;Target;Realisasi;Progres;Update Terakhir\r\n"
            "Q4 2026;Operasional;Layanan andal;Uptime (%);97;99,5;98,5;60%;15/11/2026\r\n"
            ";;;Gangguan per bulan;;<= 3;2;;15/11/2026\r\n"
            ";;Biaya efisien;Biaya per transaksi (Rp);Rp1.200;Rp900;;50%;15/11/2026\r\n")
    result = load(("okr-q4.csv", data.encode("cp1252")), today=TODAY)
    uptime, outages, cost = (kr_row(store, t, TODAY) for t in ("Uptime (%)", "Gangguan per bulan",
                                                                 "Biaya per transaksi (Rp)"))
    assert (uptime["current"], uptime["target"], uptime["kind"]) == (98.5, 99.5, "increase")
    assert (outages["kind"], outages["target"], outages["current"]) == ("at_most", 3.0, 2.0)
    assert (cost["baseline"], cost["target"], cost["current"]) == (1200.0, 900.0, 1050.0)
    assert {"filled_down", "current_from_progress"} <= notes(result)


def test_target_and_realisasi_under_each_merged_month(store, load):
    rows = [["Realisasi KPI Tahun 2026"],
            ["Tim", "KPI", "Januari", None, "Februari", None, "Maret", None],
            [None, None, "Target", "Realisasi", "Target", "Realisasi", "Target", "Realisasi"],
            ["Sales", "Omzet (Rp)", 1_000_000_000, 950_000_000, 1_100_000_000, 1_150_000_000, 1_200_000_000, None],
            ["Sales", "Pelanggan baru", 40, 38, 45, 47, 50, None]]
    merged = {"KPI": ["C2:D2", "E2:F2", "G2:H2"]}
    result = load(("target-realisasi.xlsx", workbook({"KPI": rows}, merged=merged)), today=TODAY)
    assert stored_measurements(store) == {
        ("Omzet (Rp)", dt.date(2026, 1, 31)): 950_000_000.0, ("Omzet (Rp)", dt.date(2026, 2, 28)): 1_150_000_000.0,
        ("Pelanggan baru", dt.date(2026, 1, 31)): 38.0, ("Pelanggan baru", dt.date(2026, 2, 28)): 47.0}
    with store.cursor() as cur:
        assert cur.execute("""SELECT k.name, m.date, m.target FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id
                              WHERE k.name = 'Pelanggan baru' ORDER BY m.date""").fetchall() == [
            ("Pelanggan baru", dt.date(2026, 1, 31), 40.0), ("Pelanggan baru", dt.date(2026, 2, 28), 45.0)]
    assert kpis(store)["Pelanggan baru"][2] == 45.0  # the latest period with a value
    assert {"unpivoted", "targets_without_value"} <= notes(result)


def test_target_and_realisasi_under_the_one_merged_month_of_a_monthly_report(store, load):
    """The first report of a year has one month: its Target / Realisasi pair was ignored and the
    import refused as numbers only in ignored columns (the oracle's paired-months)."""
    rows = [["Tim", "KPI", "Januari 2026", None], [None, None, "Target", "Realisasi"], ["Sales", "Leads", 40, 38]]
    result = load(("januari.xlsx", workbook({"KPI": rows}, merged={"KPI": ["C1:D1"]})), today=TODAY)
    assert stored_measurements(store) == {("Leads", dt.date(2026, 1, 31)): 38.0}
    assert kpis(store)["Leads"] == ("Sales", "higher_is_better", 40.0)
    assert result.files[0].headers["value"] == "Januari 2026 › Realisasi"


def test_the_one_day_column_of_a_kpi_sheet_beside_its_target_holds_the_values(store, load):
    """A KPI sheet's single column headed 31/10/2026 was a column like any other: ignored, its values
    dropped while the import said valid (the oracle's week-columns-dmy)."""
    load(("kpi.csv", "Tim;Nama KPI;Target;31/10/2026\nSales;Leads;40;38\n"), today=TODAY)
    assert stored_measurements(store) == {("Leads", dt.date(2026, 10, 31)): 38.0}
    assert kpis(store)["Leads"][2] == 40.0


def test_target_and_actual_of_each_month_in_one_header_row(store, load):
    data = ("team,kpi,Target Jan 2026,Actual Jan 2026,Target Feb 2026,Actual Feb 2026\n"
            "Sales,Leads,40,38,45,47\n")
    load(("leads.csv", data), today=TODAY)
    assert stored_measurements(store) == {("Leads", dt.date(2026, 1, 31)): 38.0, ("Leads", dt.date(2026, 2, 28)): 47.0}


def test_one_sheet_per_division_and_a_summary_copied_by_hand(store, load):
    def division(name: str, revenue: int, leads: int) -> list[list[object]]:
        return [[f"Laporan KPI Divisi {name}"], ["KPI", "Bulan", "Realisasi"],
                ["Omzet", "Okt 2026", revenue], ["Leads", "Okt 2026", leads]]

    summary = [["Rekap Oktober 2026"], ["Divisi", "KPI", "Bulan", "Realisasi"],
               ["Penjualan", "Omzet", "Okt 2026", 120], ["Pemasaran", "Leads", "Okt 2026", 75]]
    book = workbook({"Penjualan": division("Penjualan", 120, 40), "Pemasaran": division("Pemasaran", 30, 75),
                     "Rekap": summary})
    load(("kpi-divisi.xlsx", book), today=TODAY)
    with store.cursor() as cur:
        rows = cur.execute("""SELECT k.team, k.name, m.date, m.value FROM kpi_measurements m
                              JOIN kpis k ON k.id = m.kpi_id ORDER BY 1, 2""").fetchall()
    day = dt.date(2026, 10, 31)
    assert rows == [("Pemasaran", "Leads", day, 75.0), ("Pemasaran", "Omzet", day, 30.0),
                    ("Penjualan", "Leads", day, 40.0), ("Penjualan", "Omzet", day, 120.0)]


def test_an_english_sheet_with_periods_in_cells_and_grouped_thousands(store, load):
    data = ("team,kpi,month,actual,target\n"
            'Sales,Revenue (USD),Aug 2026,"11,250","12,000"\n'
            'Sales,Revenue (USD),Sep 2026,"12,500","12,000"\n'
            "Sales,Revenue (USD),Oct 2026,980,\"12,000\"\n")
    load(("revenue.csv", data), today=TODAY)
    assert stored_measurements(store) == {("Revenue (USD)", dt.date(2026, 8, 31)): 11250.0,
                                          ("Revenue (USD)", dt.date(2026, 9, 30)): 12500.0,
                                          ("Revenue (USD)", dt.date(2026, 10, 31)): 980.0}
    with store.cursor() as cur:
        assert cur.execute("SELECT target FROM kpis").fetchall() == [(12000.0,)]


def test_a_progress_only_sheet_in_english(store, load):
    data = ("Quarter,Team,Objective,Key Result,Progress %,Last Update\n"
            "Q4 2026,Product,Delight users,Ship onboarding v2,80,2026-11-12\n"
            "Q4 2026,Product,Delight users,Cut churn,125,2026-11-12\n")
    load(("okrs.csv", data), today=TODAY)
    assert kr_row(store, "Ship onboarding v2", TODAY)["progress"] == pytest.approx(0.8)
    assert kr_row(store, "Cut churn", TODAY)["progress"] == pytest.approx(1.25)


def test_milestone_check_ins_as_a_status_column(store, load):
    load(("okr.csv", "Siklus,Tim,Tujuan,Hasil Kunci,Jenis\n2026-Q4,HR,Tim kuat,Luncurkan mentoring,tonggak\n"),
         today=TODAY)
    load(("checkin.csv", "Tim,Hasil Kunci,Tanggal,Status\nHR,Luncurkan mentoring,2026-11-10,Tercapai\n"),
         today=TODAY)
    assert kr_row(store, "Luncurkan mentoring", TODAY)["current"] == 1.0


def test_a_downloaded_csv_with_protected_cells_uploads_back_unchanged(store, load):
    """Issue 22, finding 6: the apostrophe that protects a cell starting with = + - @ stayed in the data."""
    from okrdash import okrfiles
    from okrdash.export import to_csv_bytes
    from okrdash.models import Cycle

    load(("okr.csv", "cycle,team,objective,key_result,owner,baseline,target\n"
                     "2026-Q4,Sales,Grow,Deals,=1+1,0,10\n2026-Q4,Sales,Grow,Calls,@rina,0,5\n"), today=TODAY)
    for lang in ("en", "id"):
        frame = okrfiles.localise(okrfiles.team_okrs(store, "Sales", Cycle.parse("2026-Q4"), TODAY), lang)
        data = to_csv_bytes(frame, lang)
        assert b"'=1+1" in data
        load((f"okr-{lang}.csv", data), today=TODAY)
        assert [kr_row(store, t, TODAY)["owner"] for t in ("Deals", "Calls")] == ["=1+1", "@rina"]
