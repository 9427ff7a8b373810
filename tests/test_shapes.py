"""The file layer on messy real-world files: workbooks, encodings, header rows, totals, merged cells,
month columns, other tools' exports and the header vocabulary. Each test imports through the real
importer and asserts the stored values (or the problem and an unchanged store)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from okrdash.importing import validate
from okrdash.problems import Localised
from tests.conftest import kr_row
from tests.helpers.workbooks import workbook

AS_OF = dt.date(2026, 12, 31)


def measurements(store) -> list[tuple[str, str, dt.date, float]]:
    with store.cursor() as cur:
        return cur.execute("""SELECT k.team, k.name, m.date, m.value FROM kpi_measurements m
                              JOIN kpis k ON k.id = m.kpi_id ORDER BY 1, 2, 3""").fetchall()


def key_results(store) -> list[tuple]:
    with store.cursor() as cur:
        return cur.execute("""SELECT o.cycle, o.team, o.title, k.title, k.baseline, k.target
                              FROM key_results k JOIN objectives o ON o.id = k.objective_id
                              ORDER BY o.team, o.title, k.title""").fetchall()


def checkins(store) -> list[tuple]:
    with store.cursor() as cur:
        return cur.execute("""SELECT k.title, c.date, c.value FROM checkins c
                              JOIN key_results k ON k.id = c.key_result_id ORDER BY 1, 2""").fetchall()


def notes(result) -> list[str]:
    return [n.code for f in result.files for n in f.reading_notes]


def where(problems):
    return [(p.line, p.column, p.code) for p in problems]


# -- encodings ------------------------------------------------------------------------------------


def test_utf8_file_with_one_bad_byte_is_refused_naming_the_line(store, reject):
    data = "team,kpi,date,value\nCafé,Omzet,2026-10-31,5\n".encode() + b"Caf\xe9 Dua,Omzet,2026-10-31,6\n"
    assert where(reject(("k.csv", data))) == [(3, None, "file_encoding_mixed")]


def test_windows_1252_without_utf8_letters_is_read_and_said(store, load):
    result = load(("k.csv", "team,kpi,date,value\nCafé,Omzet,2026-10-31,5\n".encode("cp1252")))
    assert measurements(store) == [("Café", "Omzet", dt.date(2026, 10, 31), 5.0)]
    assert "encoding_windows_1252" in notes(result)


def test_mac_roman_letters_are_refused(store, reject):
    data = "team,kpi,date,value\nCafé,Omzet,2026-10-31,5\n".encode("mac_roman")
    assert where(reject(("k.csv", data))) == [(2, None, "file_encoding_unknown")]


def test_nul_byte_late_in_the_file_is_refused(store, reject):
    data = b"team,kpi,date,value\n" + b"T,K,2026-10-31,5\n" * 400 + b"T,K\x00,2026-11-30,6\n"
    assert where(reject(("k.csv", data))) == [(None, None, "file_binary")]


def test_double_bom_is_removed_and_said(store, load):
    result = load(("k.csv", b"\xef\xbb\xbf\xef\xbb\xbfteam,kpi,date,value\nT,K,2026-10-31,5\n"))
    assert measurements(store) == [("T", "K", dt.date(2026, 10, 31), 5.0)]
    assert "extra_bom" in notes(result)


def test_excel_unicode_text_utf16_tabs(store, load):
    text = "Tim\tNama KPI\tTanggal\tRealisasi\r\nPenjualan\tOmzet\t2026-10-31\t1500\r\n"
    result = load(("k.txt", b"\xff\xfe" + text.encode("utf-16-le")))
    assert measurements(store) == [("Penjualan", "Omzet", dt.date(2026, 10, 31), 1500.0)]
    assert result.files[0].delimiter == "\t" and result.files[0].encoding == "utf-16"


def test_comma_file_reopened_into_one_column(store, load):
    data = '"team,kpi,date,value,note"\n"T,K,2026-10-31,5,""plain, with comma"""\n"T,K,2026-11-30,6,x"\n'
    result = load(("k.csv", data))
    assert measurements(store) == [("T", "K", dt.date(2026, 10, 31), 5.0), ("T", "K", dt.date(2026, 11, 30), 6.0)]
    assert "unwrapped_lines" in notes(result)


# -- header row, comments, totals, merged cells ----------------------------------------------------


def test_title_block_above_the_header(store, load, reject):
    data = ("Laporan KPI Divisi Penjualan,,,\nPeriode: Oktober 2026,,,\n,,,\n"
            "Divisi,Nama KPI,Tanggal,Realisasi\nPenjualan,Omzet,2026-10-31,5\nPenjualan,Omzet,2026-11-30,x\n")
    problems = reject(("k.csv", data))
    # The line is the file's own line; the column is the file's own header.
    assert where(problems) == [(6, "Realisasi", "not_a_number")]
    result = load(("k.csv", data.replace(",x\n", ",7\n")))
    assert measurements(store)[-1] == ("Penjualan", "Omzet", dt.date(2026, 11, 30), 7.0)
    assert [n.params for f in result.files for n in f.reading_notes if n.code == "header_row"] == [{"line": 4}]


TWO_LINE_HEADER = ("LAPORAN REALISASI KPI SEMESTER I,,,,,\n,,,,,\n"
                   "No.,Divisi,Indikator,Tanggal,Capaian,\n"
                   ",,,,Target,Realisasi\n"
                   "1,Penjualan,Omzet,2026-06-30,100,80\n2,Penjualan,Pelanggan baru,2026-06-30,50,55\n")


def test_a_header_on_two_lines_takes_the_names_written_once_over_both(store, load):
    """`No.`, `Divisi`, `Indikator` merged down over two lines, `Capaian` merged across `Target` and
    `Realisasi`: before, only the lower line was found and the team and KPI columns were lost."""
    result = load(("lra.csv", TWO_LINE_HEADER))
    assert measurements(store) == [("Penjualan", "Omzet", dt.date(2026, 6, 30), 80.0),
                                   ("Penjualan", "Pelanggan baru", dt.date(2026, 6, 30), 55.0)]
    # The group name it reads as a heading only is named too: the person sees what was not used.
    [note] = [n for f in result.files for n in f.reading_notes if n.code.startswith("header_two_lines")]
    assert (note.code, note.params) == ("header_two_lines_grouped", {
        "upper": 3, "line": 4, "names": "No., Divisi, Indikator, Tanggal", "groups": "Capaian: Target, Realisasi"})
    assert "header_row" not in notes(result)
    assert note.message("id") == (
        "Nama kolom memakai dua baris, 3 dan 4: No., Divisi, Indikator, Tanggal ditulis sekali untuk kedua baris, "
        "di baris 3. Nama di atas beberapa kolom dibaca hanya sebagai judul kelompoknya (Capaian: Target, Realisasi): "
        "bila nama itu menjelaskan lebih, tuliskan di nama kolomnya sendiri.")
    merged_down_only = load(("lra2.csv", TWO_LINE_HEADER.replace("Capaian,", "Target,").replace(",,,,Target,", ",,,,,")))
    assert [(n.code, n.params) for f in merged_down_only.files for n in f.reading_notes
            if n.code.startswith("header_two_lines")] == [
        ("header_two_lines", {"upper": 3, "line": 4, "names": "No., Divisi, Indikator, Tanggal, Target"})]


@pytest.mark.parametrize(("above", "header"), [
    ("Laporan KPI Divisi Penjualan,,,,", ",,Indikator,Target,Realisasi"),  # a title: one cell
    ("Dibuat oleh:,Rina,,,", ",,Indikator,Target,Realisasi"),  # a label and its value
    ("1,2,,,", ",,Indikator,Target,Realisasi"),  # numbers, not names
    (",,Realisasi,,", ",,Indikator,Target,Realisasi"),  # one name only
    ("Tim,KPI,Target,,", ",,Q1,Q2,Q3"),  # the group's name is what its cells mean: not dropped
    ("Tim,KPI,Anggaran,,", "Divisi,,Pagu,Realisasi,"),  # a group over a blank: no group
    ("No.,Tim,KPI,Januari,", ",,,Target,Realisasi"),  # a month's pair: merged period headers (layout)
    ("No.,Tim,KPI,Target,", ",,,Nilai,Satuan"),  # the target's value and unit, not a measured value
    ("No.,Tim,KPI,Baseline,", ",,,Nilai,Tanggal"),  # the baseline's value and date
    ("No.,Tim,KPI,Target 2026,", ",,,Nilai,Tanggal"),  # a word of the group's name says what its cells are
    ("Periode: Juni 2026,,,Dibuat oleh: Rina,", ",Tim,KPI,Target,Realisasi"),  # labels with their values
])
def test_a_line_above_the_header_that_is_no_upper_half_names_nothing(above, header):
    from okrdash.importing.header_row import find_header_row
    row = find_header_row([above, header, "Penjualan,1,Omzet,100,80"])
    assert row.upper is None
    assert row.cells in (above.split(","), header.split(","))


def test_a_group_name_that_says_what_its_cells_are_is_not_dropped(store, reject):
    """`Target` merged over `Nilai` and `Satuan`: its cells are the target's value and unit. Taken as
    only their heading, the target 100 was stored as a measured value 100; now it is refused."""
    data = ("No.,Divisi,Indikator,Tanggal,Target,\n,,,,Nilai,Satuan\n"
            "1,Penjualan,Omzet,2026-06-30,100,juta\n")
    assert reject(("kpi.csv", data))
    assert measurements(store) == []


def test_a_title_line_of_labels_above_a_header_with_a_blank_first_cell_stays_a_title(store, load):
    """`Periode: Juni 2026` and `Dibuat oleh: Rina` over a header whose first column has no name (a
    sheet starting in column B): a title whose period dates the values, not a header's upper half."""
    data = ("Periode: Juni 2026,,,Dibuat oleh: Rina,\n,Divisi,Indikator,Target,Realisasi\n"
            ",Penjualan,Omzet,100,80\n")
    result = load(("kpi.csv", data))
    assert measurements(store) == [("Penjualan", "Omzet", dt.date(2026, 6, 30), 80.0)]
    assert not [code for code in notes(result) if code.startswith("header_two_lines")]


def test_google_analytics_comment_lines(store, load):
    data = ("# ----------------------------------------\n# All Web Site Data\n# 20261001-20261031\n"
            "# ----------------------------------------\n\nteam,kpi,date,value\nWeb,Sessions,2026-10-31,1200\n")
    result = load(("ga.csv", data))
    assert measurements(store) == [("Web", "Sessions", dt.date(2026, 10, 31), 1200.0)]
    assert {"header_row", "comment_lines"} <= set(notes(result))


@pytest.mark.parametrize("label", ["TOTAL", "Jumlah", "Total", "Grand Total"])
def test_total_row_below_the_table_is_skipped(store, load, label):
    data = f"team,kpi,date,value\nA,Leads,2026-10-31,5\nB,Leads,2026-10-31,7\n{label},,,12\n"
    result = load(("k.csv", data))
    assert measurements(store) == [("A", "Leads", dt.date(2026, 10, 31), 5.0), ("B", "Leads", dt.date(2026, 10, 31), 7.0)]
    assert result.files[0].rows == 2
    [note] = [n for n in result.files[0].reading_notes if n.code == "total_rows"]
    assert note.params == {"count": 1, "lines": "4"}


def test_merged_cells_are_filled_down(store, load):
    data = ("Siklus,Tim,Tujuan,Hasil Kunci,Nilai Awal,Target\n"
            "2026-Q4,Sales,Grow revenue,Close 10 deals,0,10\n,,,Sign 3 partners,0,3\n"
            ",,Keep customers,Churn under 2%,5,2\n,Support,Fast help,Reply in 1h,4,1\n,,,CSAT 90,80,90\n")
    result = load(("o.csv", data))
    assert key_results(store) == [
        ("2026-Q4", "Sales", "Grow revenue", "Close 10 deals", 0.0, 10.0),
        ("2026-Q4", "Sales", "Grow revenue", "Sign 3 partners", 0.0, 3.0),
        ("2026-Q4", "Sales", "Keep customers", "Churn under 2%", 5.0, 2.0),
        ("2026-Q4", "Support", "Fast help", "CSAT 90", 80.0, 90.0),
        ("2026-Q4", "Support", "Fast help", "Reply in 1h", 4.0, 1.0),
    ]
    filled = {n.params["header"]: n.params["count"] for n in result.files[0].reading_notes if n.code == "filled_down"}
    assert filled == {"Siklus": 4, "Tim": 3, "Tujuan": 2}
    assert result.files[0].rows == 5


def test_a_new_team_does_not_inherit_the_objective_above(store, reject):
    data = "cycle,team,objective,key_result,target\n2026-Q4,Sales,Grow,K1,10\n2026-Q4,Ops,,K2,5\n"
    assert where(reject(("o.csv", data))) == [(3, "objective", "required")]


# -- one column per month or date ------------------------------------------------------------------


def test_kpi_sheet_with_month_columns_and_a_year_column(store, load):
    data = "Tahun,Divisi,Nama KPI,Jan,Feb,Mar\n2026,Sales,Leads,10,12,\n2025,Sales,Leads,8,,9\n"
    result = load(("k.csv", data))
    assert measurements(store) == [
        ("Sales", "Leads", dt.date(2025, 1, 31), 8.0), ("Sales", "Leads", dt.date(2025, 3, 31), 9.0),
        ("Sales", "Leads", dt.date(2026, 1, 31), 10.0), ("Sales", "Leads", dt.date(2026, 2, 28), 12.0)]
    assert result.files[0].rows == 2
    [note] = [n for n in result.files[0].reading_notes if n.code == "unpivoted"]
    assert (note.params["count"], note.params["cells"]) == (3, 4)


@pytest.mark.parametrize("headers", ["Jul-26,Agu-26", "Jul 2026,Agu 2026", "2026-07,2026-08", "07/2026,08/2026"])
def test_month_headers_with_their_year(store, load, headers):
    load(("k.csv", f"team,kpi,{headers}\nT,K,1,2\n"))
    assert measurements(store) == [("T", "K", dt.date(2026, 7, 31), 1.0), ("T", "K", dt.date(2026, 8, 31), 2.0)]


def test_month_columns_take_the_year_of_the_title(store, load):
    load(("k.csv", "Laporan KPI Tahun 2026\nteam,kpi,Okt,Nov,Des\nT,K,1,2,3\n"))
    assert [m[2] for m in measurements(store)] == [dt.date(2026, 10, 31), dt.date(2026, 11, 30), dt.date(2026, 12, 31)]


def test_month_columns_without_any_year_are_refused(store, reject):
    problems = reject(("k.csv", "team,kpi,Jan,Feb\nT,K,1,2\n"))
    assert [p.code for p in problems] == ["period_needs_year"]
    assert "Jan, Feb" in problems[0].message("en")


def test_weekly_checkin_sheet_with_date_columns(store, load):
    load(("o.csv", "cycle,team,objective,key_result,baseline,target\n2026-Q4,T,O,Leads,0,100\n"))
    load(("c.csv", "team,key_result,2026-10-05,2026-10-12,2026-10-19\nT,Leads,10,,30\n"))
    assert checkins(store) == [("Leads", dt.date(2026, 10, 5), 10.0), ("Leads", dt.date(2026, 10, 19), 30.0)]


# -- other tools' exports --------------------------------------------------------------------------


def test_hierarchy_export_with_type_and_order(store, load):
    data = ("Order,Type,Summary,Status,Period,Owner,Weight,Teams,Start value,Current value,Target value\n"
            "1,Objective,Win the market,On track,Q4 2026,Ana,1,Sales,,,\n"
            "1.1,Key result,Close 10 deals,On track,Q4 2026,Budi,1,,0,4,10\n"
            "1.2,Key result,Sign 3 partners,At risk,Q4 2026,Citra,1,,0,1,3\n"
            "2,Objective,Happy customers,On track,Q4 2026,Dewi,1,Support,,,\n"
            "2.1,Key result,CSAT 90,On track,Q4 2026,Eka,1,,80,85,90\n")
    result = load(("okr-for-jira.csv", data))
    assert key_results(store) == [
        ("2026-Q4", "Sales", "Win the market", "Close 10 deals", 0.0, 10.0),
        ("2026-Q4", "Sales", "Win the market", "Sign 3 partners", 0.0, 3.0),
        ("2026-Q4", "Support", "Happy customers", "CSAT 90", 80.0, 90.0),
    ]
    assert kr_row(store, "Close 10 deals", AS_OF)["current"] == 4.0
    assert result.files[0].rows == 3


def test_numbered_column_groups_export(store, load):
    data = ("team,cycle,name,email,key_result_1_title,key_result_1_completion,key_result_2_title,key_result_2_completion\n"
            "Sales,2026-Q4,Grow revenue,ana@x.id,Close deals,0.65,Sign partners,0.2\n")
    load(("culture-amp.csv", data))
    assert key_results(store) == [("2026-Q4", "Sales", "Grow revenue", "Close deals", 0.0, 1.0),
                                  ("2026-Q4", "Sales", "Grow revenue", "Sign partners", 0.0, 1.0)]
    assert kr_row(store, "Close deals", AS_OF)["current"] == 0.65


def test_numbered_column_groups_without_team_say_what_to_add(store, reject):
    data = "name,email,key_result_1_title,key_result_1_completion\nGrow,ana@x.id,Close deals,0.65\n"
    assert sorted(p.column for p in reject(("culture-amp.csv", data))) == ["cycle", "team"]


# -- vocabulary -------------------------------------------------------------------------------------


def test_more_header_words(store, load):
    load(("k.csv", "Bagian,Metric,Bulan,Capaian\nOps,Uptime,2026-10-31,99\n"))
    load(("k2.csv", "Departemen,Nama KPI,Check-in date,Aktual\nHR,Hires,2026-10-31,3\n"))
    assert measurements(store) == [("HR", "Hires", dt.date(2026, 10, 31), 3.0), ("Ops", "Uptime", dt.date(2026, 10, 31), 99.0)]


def test_bilingual_headers(store, load):
    load(("o.csv", "Siklus / Cycle,Tim / Team,Tujuan / Objective,Hasil Kunci / Key Result,Nilai Awal / Starting value,"
                   "Target\n2026-Q4,T,O,K,0,10\n"))
    assert key_results(store) == [("2026-Q4", "T", "O", "K", 0.0, 10.0)]


def test_periode_is_the_cycle_beside_a_date_and_the_date_in_a_kpi_file(store, load):
    load(("o.csv", "Periode,Tim,Tujuan,Hasil Kunci,Target\n2026-Q4,T,O,K,10\n"))
    assert key_results(store)[0][0] == "2026-Q4"
    result = load(("k.csv", "Tim,Nama KPI,Periode,Nilai\nT,Leads,2026-10-31,5\n"))
    assert measurements(store) == [("T", "Leads", dt.date(2026, 10, 31), 5.0)]
    assert "ambiguous_header_kind" in notes(result)


def test_indikator_is_the_kpi_name_or_its_type_by_evidence(store, load):
    load(("k.csv", "Tim,Indikator,Tanggal,Nilai\nT,Leads,2026-10-31,5\n"))
    assert measurements(store) == [("T", "Leads", dt.date(2026, 10, 31), 5.0)]
    load(("k2.csv", "Tim,Nama KPI,Indikator\nT,Churn,lagging\n"))
    with store.cursor() as cur:
        assert cur.execute("SELECT indicator FROM kpis WHERE name = 'Churn'").fetchall() == [("lagging",)]


def test_unit_is_the_team_without_a_team_column_and_the_unit_beside_one(store, load):
    load(("k.csv", "Unit,Nama KPI,Tanggal,Nilai\nGudang,Pengiriman,2026-10-31,5\n"))
    load(("k2.csv", "Tim,Nama KPI,Unit\nGudang,Stok,pcs\n"))
    with store.cursor() as cur:
        assert cur.execute("SELECT team, name, unit FROM kpis ORDER BY name").fetchall() == [
            ("Gudang", "Pengiriman", None), ("Gudang", "Stok", "pcs")]


# -- messages ---------------------------------------------------------------------------------------


def test_file_of_no_kind_says_the_closest_kind_and_what_it_needs(store, reject):
    [problem] = reject(("okr.csv", "Tujuan,Pemilik,Status\nGrow,Ana,On track\n"))
    assert problem.code == "file_kind_unknown"
    assert (problem.params["kind"], problem.params["missing"]) == (
        "okrs", Localised("cycle, team, key_result", "Siklus, Tim, Hasil kunci"))
    assert "Siklus, Tim, Hasil kunci" in problem.message("id")


@pytest.mark.parametrize(("name", "data"), [
    ("budget.csv", "Tim,Anggaran,Bulan\nSales,100,2026-10-31\n"),
    ("jira.csv", "Summary,Issue key,Issue id,Issue Type,Status,Assignee,Created\nFix login,OKR-1,10001,Task,Done,Ana,"
                 "01/Oct/26 10:00 AM\n"),
    ("trello.csv", "Card ID,Card Name,Card URL,Labels,List Name,Due Date\nabc,Launch,https://trello.com/c/abc,,Doing,\n"),
])
def test_a_file_that_names_no_objective_key_result_or_kpi_is_not_called_closest_to_a_kind(store, reject, name, data):
    """Issue 21: Jira, Trello and a budget sheet were "closest to a kpis file"."""
    [problem] = reject((name, data))
    assert problem.code == "file_kind_none"
    assert "KPI: team, kpi" in problem.message("en") and "KPI: Tim, KPI" in problem.message("id")


def test_problems_name_the_users_header_and_show_blanks_as_blank(store, reject):
    data = "Tim,Nama KPI,Tanggal,Realisasi\nT,K,2026-10-31,\n"
    [problem] = reject(("k.csv", data))
    assert (problem.line, problem.column, problem.code) == (2, "Realisasi", "value_without_date")
    assert "None" not in problem.describe("en")


# -- workbooks --------------------------------------------------------------------------------------


def test_workbook_with_several_sheets_reads_real_cell_types(store, load):
    data = workbook({
        "Catatan": [["Lembar ini berisi catatan saja"]],
        "OKR Q4": [["Siklus", "Tim", "Tujuan", "Hasil Kunci", "Nilai Awal", "Target"],
                   ["2026-Q4", "Sales", "Grow", "Close deals", 0, 1500]],
        "KPI": [["Laporan KPI"], [], ["Tim", "Nama KPI", "Tanggal", "Realisasi"],
                ["Sales", "Win rate", dt.date(2026, 10, 31), 0.65],
                ["Sales", "Win rate", dt.datetime(2026, 11, 30), 1234.5]],
    })
    result = load(("book.xlsx", data))
    assert [f.file_name for f in result.files] == ["book.xlsx › OKR Q4", "book.xlsx › KPI"]
    assert key_results(store) == [("2026-Q4", "Sales", "Grow", "Close deals", 0.0, 1500.0)]
    assert measurements(store) == [("Sales", "Win rate", dt.date(2026, 10, 31), 0.65),
                                   ("Sales", "Win rate", dt.date(2026, 11, 30), 1234.5)]
    assert "sheets_skipped" in notes(result)


def test_workbook_typed_columns_and_canonical_text(store):
    data = workbook({"KPI": [["Tim", "Nama KPI", "Tanggal", "Realisasi", "Catatan"],
                             ["Sales", "Win rate", dt.date(2026, 10, 31), 1500, "ok"],
                             ["Sales", "Win rate", dt.date(2026, 11, 30), 0.65, "1"]]})
    from okrdash.importing.cells import scratch_connection
    from okrdash.importing.table import read_upload

    con = scratch_connection()
    [table] = read_upload(con, "b.xlsx", data, "t", 100)
    assert table.typed_columns == frozenset({"date", "value"})
    assert con.execute(f'SELECT date, "value" FROM "{table.table}" ORDER BY line').fetchall() == [
        ("2026-10-31", "1500"), ("2026-11-30", "0.65")]


def test_workbook_month_date_headers_become_month_ends(store, load):
    data = workbook({"KPI": [["Tim", "Nama KPI", dt.date(2026, 7, 1), dt.date(2026, 8, 1)],
                             ["Sales", "Leads", 10, 12]]})
    load(("b.xlsx", data))
    assert measurements(store) == [("Sales", "Leads", dt.date(2026, 7, 31), 10.0),
                                   ("Sales", "Leads", dt.date(2026, 8, 31), 12.0)]


def kpis(store) -> list[tuple]:
    with store.cursor() as cur:
        return cur.execute("SELECT team, name, target FROM kpis ORDER BY 1, 2").fetchall()


def test_a_kpi_whose_month_cells_are_blank_is_kept_with_its_target(store, load):
    """The oracle's one-month-column: a KPI row with its only month cell blank vanished with its target."""
    data = workbook({"KPI": [["Tim", "Nama KPI", "Target", "Okt 2026"], ["Sales", "Omzet bulanan", 5000, None],
                             ["Sales", "Tingkat churn", 2, 1.5]]})
    load(("b.xlsx", data))
    assert kpis(store) == [("Sales", "Omzet bulanan", 5000.0), ("Sales", "Tingkat churn", 2.0)]
    assert measurements(store) == [("Sales", "Tingkat churn", dt.date(2026, 10, 31), 1.5)]
    load(("k.csv", "team,kpi,Okt 2026,Nov 2026\nSales,Leads,,\nSales,Calls,4,\n"))
    assert [k[:2] for k in kpis(store)] == [("Sales", "Calls"), ("Sales", "Leads"), ("Sales", "Omzet bulanan"),
                                            ("Sales", "Tingkat churn")]


def test_workbook_of_no_kind_is_refused_per_sheet(store, reject):
    problems = reject(("b.xlsx", workbook({"Budget": [["Item", "Amount"], ["Travel", 100]]})))
    assert [(p.file_name, p.code) for p in problems] == [("b.xlsx › Budget", "file_kind_none")]


def test_dry_run_reports_the_reading(store):
    summaries, _ = validate(store, [__import__("okrdash.importing", fromlist=["Upload"]).Upload(
        "k.csv", b"Judul\nteam,kpi,date,value\nT,K,2026-10-31,5\nTotal,,,5\n")], today=AS_OF)
    assert [n.message("id") for n in summaries[0].reading_notes] == [
        "Nama kolom ada di baris 2; baris di atasnya (judul) dilewati.",
        "1 baris total dilewati, tidak diimpor sebagai data (baris 4)."]


def test_year_and_quarter_in_two_columns(store, load):
    result = load(("o.csv", "Tahun,Kuartal,Tim,Tujuan,Hasil Kunci,Target\n2026,4,T,O,K1,10\n2026,Q3,T,O,K2,5\n"))
    assert [(kr[0], kr[3]) for kr in key_results(store)] == [("2026-Q4", "K1"), ("2026-Q3", "K2")]
    assert "year_into_cycle" in notes(result)


def test_a_year_column_nothing_uses_is_reported_as_ignored(store, load):
    result = load(("k.csv", "Tahun,team,kpi,date,value\n2026,T,K,2026-10-31,5\n"))
    assert result.files[0].ignored_headers == ["Tahun"]


def test_workbook_formula_error_is_reported_on_its_line(store, reject):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KPI"
    for row in (["Tim", "Nama KPI", "Jan 2026", "Feb 2026"], ["Sales", "Win rate", 0.5, 0.6],
                ["Sales", "Leads", 10, None]):
        sheet.append(row)
    sheet["D3"].value, sheet["D3"].data_type = "#DIV/0!", "e"
    out = io.BytesIO()
    book.save(out)
    [problem] = reject(("b.xlsx", out.getvalue()))
    assert (problem.file_name, problem.line, problem.value) == ("b.xlsx › KPI", 3, "#DIV/0!")
    assert problem.column == "Jan 2026 … Feb 2026"


def test_a_repeated_month_is_reported_once_per_cell(store, reject):
    problems = reject(("k.csv", "team,kpi,Jan 2026,Feb 2026,Mar 2026\nT,K,1,2,3\nT,K,4,,6\n"))
    assert [(p.line, p.code, p.params["key"]) for p in problems] == [
        (3, "duplicate_key", "T / K / 2026-01-31"), (3, "duplicate_key", "T / K / 2026-03-31")]


def test_workbook_typed_current_value_of_an_okr_sheet(store):
    from okrdash.importing.cells import scratch_connection
    from okrdash.importing.table import read_upload

    data = workbook({"OKR": [["Judul OKR Q4"], ["Siklus", "Tim", "Tujuan", "Hasil Kunci", "Target", "Nilai"],
                             ["2026-Q4", "T", "O", "K", 1500, 0.65]]})
    [table] = read_upload(scratch_connection(), "b.xlsx", data, "t", 100)
    assert table.typed_columns == frozenset({"target", "current"})
    assert table.headers["current"] == "Nilai"


def test_week_number_columns_are_refused_asking_for_dates(store, reject):
    problems = reject(("c.csv", "team,key_result,Minggu 1,Minggu 2,Minggu 3\nT,Leads,10,20,30\n"))
    assert [(p.line, p.code, p.params) for p in problems] == [
        (1, "period_week_number", {"headers": "Minggu 1, Minggu 2, Minggu 3"})]


def test_target_bulan_ini_in_a_kpi_sheet_is_the_rows_target(store, load):
    """Read as the check-ins' planned column, "Target bulan ini" was dropped from a KPI sheet without a word."""
    result = load(("k.csv", "Tim;KPI;Tanggal;Realisasi;Target bulan ini\nSales;Omzet;31/10/2026;90;100\n"))
    with store.cursor() as cur:
        assert cur.execute("SELECT value, target FROM kpi_measurements").fetchall() == [(90.0, 100.0)]
    assert ("read_as", "Target bulan ini") in [(n.code, n.params.get("header")) for n in result.files[0].reading_notes]
    assert result.files[0].ignored_headers == []


def test_target_bulan_ini_beside_a_target_is_named_not_dropped(store, reject):
    [problem] = reject(("k.csv", "Tim;KPI;Tanggal;Realisasi;Target;Target bulan ini\nSales;Omzet;31/10/2026;90;1200;100\n"))
    assert (problem.column, problem.code) == ("Target bulan ini", "meaning_not_used")
    assert "nilai rencana" in problem.message("id") and "planned value" in problem.message("en")
