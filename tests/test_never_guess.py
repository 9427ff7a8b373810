"""Never guess silently: one messy file per ambiguity, each asserting the stored numbers, or the
question asked and an unchanged database, and both readings of an ambiguous file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdash.importing import DateOrder, NumberFormat, ReadingChoices
from okrdash.importing.cells import scratch_connection
from okrdash.importing.reading import Evidence
from tests.conftest import kr_row, stored_measurements

TODAY = dt.date(2026, 11, 20)
ID, EN = ReadingChoices(numbers=NumberFormat.ID), ReadingChoices(numbers=NumberFormat.EN)
DMY, MDY = ReadingChoices(dates=DateOrder.DMY), ReadingChoices(dates=DateOrder.MDY)


def values(store) -> list[float]:
    return [v for _, v in sorted(stored_measurements(store).items())]


# -- thousands separators ---------------------------------------------------------------------------


def test_indonesian_headers_do_not_decide_a_thousands_dot(store, reject, load):
    """Google Sheets' CSV download is comma-separated in every locale, and a sheet headed in
    Indonesian may be kept in an English locale: headers are no evidence, so `1.500` is asked,
    and the answer reads it."""
    data = ("Tim,Nama KPI,Tanggal,Nilai\n"
            "Sales,Kunjungan,2026-11-01,1.500\nSales,Kunjungan,2026-11-02,32.000\nSales,Kunjungan,2026-11-03,1.020\n")
    [problem] = reject(("kunjungan.csv", data), today=TODAY)
    assert (problem.line, problem.column, problem.value, problem.code) == (2, "Nilai", "1.500", "numbers_ambiguous")
    result = load(("kunjungan.csv", data), today=TODAY, choices=ID)
    assert values(store) == [1500.0, 32000.0, 1020.0]
    assert result.files[0].reading.numbers["value"].evidence is Evidence.CHOSEN


def test_indonesian_headers_over_an_english_sheet_are_asked_not_read_as_decimals(reject):
    """The oracle's Google Sheets case: Indonesian headers, an English-locale sheet, `"1,955"` the
    only number with a separator (1955 to its writer). It was stored as 1.955."""
    data = ("Siklus,Tim,Tujuan,Hasil Kunci,Jenis,Nilai Awal,Target\n"
            '2025-Q1,Penjualan,Tingkatkan kepuasan pelanggan,Tambah pelanggan baru,increase,0,"1,955"\n')
    [problem] = reject(("OKR 2025-Q1 - OKR.csv", data), today=dt.date(2025, 1, 1))
    assert (problem.line, problem.column, problem.value, problem.code) == (2, "Target", "1,955", "numbers_ambiguous")


def test_semicolon_file_with_english_headers_reads_dots_as_thousands(store, load):
    """Excel in an Indonesian locale writes ';' files, whatever the template's headers say."""
    load(("visits.csv", "team;kpi;date;value\nSales;Visits;2026-11-01;1.500\nSales;Visits;2026-11-02;640\n"),
         today=TODAY)
    assert values(store) == [1500.0, 640.0]


AMBIGUOUS = "team,kpi,date,value\nSales,Visits,2026-11-01,1.234\nSales,Visits,2026-11-02,640\n"


def test_nothing_decides_1_234_so_it_is_asked(store, reject):
    [problem] = reject(("visits.csv", AMBIGUOUS), today=TODAY)
    assert (problem.line, problem.column, problem.value, problem.code) == (2, "value", "1.234", "numbers_ambiguous")
    message = problem.message("en")
    assert "1234 if its separator groups thousands (Indonesian style)" in message
    assert "1.234 if the separator is a decimal sign (English style)" in message and "--numbers" in message
    assert "1,234 bila pemisahnya tanda desimal (gaya Inggris)" in problem.message("id")


def test_the_comma_question_is_the_right_way_round(store, reject):
    """Issue 21: for "12,500" the question called grouping "Indonesian" and the decimal "English"."""
    [problem] = reject(("v.csv", 'team,kpi,date,value\nSales,V,2026-11-01,"12,500"\n'), today=TODAY)
    assert problem.code == "numbers_ambiguous"
    assert ("12500 if its separator groups thousands (English style), or 12.5 if the separator is a decimal sign "
            "(Indonesian style)") in problem.message("en")
    assert ("12500 bila pemisahnya memisahkan ribuan (gaya Inggris), atau 12,5 bila pemisahnya tanda desimal "
            "(gaya Indonesia)") in problem.message("id")


@pytest.mark.parametrize(("cells", "expected"), [
    (('"12,500"', '"12,000"', "800", "950"), [12500.0, 12000.0, 800.0, 950.0]),
    (("1.500", "32.000", "640", "1.020"), [1500.0, 32000.0, 640.0, 1020.0]),
    (('"12,500"', '"1,234"', "800"), [12500.0, 1234.0, 800.0]),
])
def test_round_numbers_beside_whole_numbers_group_thousands(store, load, cells, expected):
    """Issue 21: "12,500" and "12,000" among whole numbers in an English comma file were asked about.
    A format of fixed decimals would write 800 as "800,000": with whole numbers beside them, the
    separator of a round "12,500" can only group thousands."""
    rows = "".join(f"Sales,V,2026-11-{day + 1:02d},{cell}\n" for day, cell in enumerate(cells))
    result = load(("v.csv", "team,kpi,date,value\n" + rows), today=TODAY)
    assert values(store) == expected
    assert result.files[0].reading.numbers["value"].evidence is Evidence.ROUND


def test_round_numbers_without_whole_numbers_beside_them_are_still_asked(store, reject):
    [problem] = reject(("v.csv", 'team,kpi,date,value\nSales,V,2026-11-01,"12,500"\nSales,V,2026-11-02,"3,000"\n'),
                       today=TODAY)
    assert problem.code == "numbers_ambiguous"


def test_a_round_number_that_contradicts_a_decimal_comma_is_refused_as_written_two_ways(store, reject):
    data = 'team,kpi,date,value\nSales,V,2026-11-01,"12,500"\nSales,V,2026-11-02,"4,5"\nSales,V,2026-11-03,800\n'
    [problem] = reject(("v.csv", data), today=TODAY)
    assert problem.code == "numbers_mixed"


@pytest.mark.parametrize(("choices", "expected"), [(ID, [1234.0, 640.0]), (EN, [1.234, 640.0])])
def test_both_readings_of_the_ambiguous_file(store, load, choices, expected):
    result = load(("visits.csv", AMBIGUOUS), today=TODAY, choices=choices)
    assert values(store) == expected
    assert result.files[0].reading.numbers["value"].evidence is Evidence.CHOSEN


def test_a_column_decides_itself_whatever_the_choice(store, load):
    """4,5 decides its column; the choice only answers what the evidence left open."""
    load(("v.csv", 'team,kpi,date,value\nSales,Visits,2026-11-01,"4,5"\nSales,Visits,2026-11-02,1.500\n'),
         today=TODAY, choices=EN)
    assert values(store) == [4.5, 1500.0]


def test_one_quoted_decimal_comma_does_not_switch_a_comma_file(store, load, reject):
    """Issue 16: "2,5" in one column used to make 1.250 in another column 1250."""
    data = 'team,kpi,date,value,target\nSales,Visits,2026-11-01,1.250,"2,5"\n'
    [problem] = reject(("v.csv", data), today=TODAY)
    assert (problem.column, problem.value, problem.code) == ("value", "1.250", "numbers_ambiguous")
    load(("v.csv", data), today=TODAY, choices=EN)
    assert values(store) == [1.25]
    with store.cursor() as cur:
        assert cur.execute("SELECT target FROM kpis WHERE name = 'Visits'").fetchall() == [(2.5,)]


def test_two_deciding_cells_elsewhere_in_the_file_decide(store, load):
    data = 'team,kpi,date,value,target\nSales,Visits,2026-11-01,1.250,"2,5"\nSales,Visits,2026-11-02,7,"3,5"\n'
    load(("v.csv", data), today=TODAY)
    assert values(store) == [1250.0, 7.0]


def test_the_same_column_in_another_file_decides(store, load):
    load(("a.csv", 'team,kpi,date,value\nSales,A,2026-11-01,"4,5"\n'),
         ("b.csv", "team,kpi,date,value\nSales,B,2026-11-01,1.500\n"), today=TODAY)
    assert stored_measurements(store) == {("A", dt.date(2026, 11, 1)): 4.5, ("B", dt.date(2026, 11, 1)): 1500.0}


def test_a_column_written_two_ways_is_refused(reject):
    [problem] = reject(("v.csv", 'team,kpi,date,value\nSales,V,2026-11-01,"4,5"\nSales,V,2026-11-02,4.5\n'),
                       today=TODAY)
    assert (problem.line, problem.code, problem.params["id_line"], problem.params["en_line"]) == (
        3, "numbers_mixed", 2, 3)


def test_minus_1_234_does_not_change_meaning_with_other_cells(store, load, reject):
    """Alone it is asked (never read as -1.234 or -1234 silently); its sign never changes how it is read."""
    [problem] = reject(("v.csv", "team,kpi,date,value\nSales,V,2026-11-01,-1.234\n"), today=TODAY)
    assert problem.code == "numbers_ambiguous" and problem.params["thousands"] == "-1234"
    load(("v.csv", "tim;nama kpi;tanggal;nilai\nSales;V;2026-11-01;-1.234\nSales;V;2026-11-02;1.234\n"), today=TODAY)
    assert values(store) == [-1234.0, 1234.0]
    load(("v.csv", "team,kpi,date,value\nSales,V,2026-11-01,-1.234\nSales,V,2026-11-02,1.234\n"), today=TODAY,
         choices=EN)
    assert values(store) == [-1.234, 1.234]


@pytest.fixture(scope="module")
def con():
    connection = scratch_connection()
    yield connection
    connection.close()


def read_all(con, sql: str, cells: list[str], flags: list) -> list:
    """One query for many cells: ``sql`` over columns ``c`` (the cell) and ``f`` (its format flag)."""
    return [row[0] for row in con.execute(
        f"SELECT {sql} FROM (SELECT unnest(?::VARCHAR[]) AS c, unnest(?) AS f, unnest(range(len(?))) AS i) ORDER BY i",
        [cells, flags, cells]).fetchall()]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(whole=st.integers(1, 999), thousandths=st.integers(0, 999), decimal_comma=st.booleans(),
       separator=st.sampled_from([".", ","]))
def test_negative_ambiguous_cells_read_as_the_negated_positive(con, whole, thousandths, decimal_comma, separator):
    cell = f"{whole}{separator}{thousandths:03d}"
    positive, negative, bracketed, evidence = con.execute(
        "SELECT okr_number(?, ?), okr_number(?, ?), okr_number(?, ?), okr_number_evidence(?) = okr_number_evidence(?)",
        [cell, decimal_comma, f"-{cell}", decimal_comma, f"({cell})", decimal_comma, cell, f"-{cell}"]).fetchall()[0]
    assert negative == -positive and bracketed == -positive and evidence


# -- day and month ----------------------------------------------------------------------------------


def test_us_sheet_a_day_above_12_decides_month_first(store, load):
    load(("v.csv", "team,kpi,date,value\nSales,V,10/1/2026,1\nSales,V,10/15/2026,2\n"), today=TODAY)
    assert sorted(stored_measurements(store)) == [("V", dt.date(2026, 10, 1)), ("V", dt.date(2026, 10, 15))]


US_AMBIGUOUS = "team,kpi,date,value\nSales,V,10/1/2026,1\nSales,V,11/2/2026,2\n"


def test_dates_nothing_decides_are_asked(reject):
    [problem] = reject(("v.csv", US_AMBIGUOUS), today=TODAY)
    assert (problem.line, problem.column, problem.value, problem.code) == (2, "date", "10/1/2026", "dates_ambiguous")
    assert problem.params == {"day_first": "2026-01-10", "month_first": "2026-10-01"}
    assert "--dates" in problem.message("en")


@pytest.mark.parametrize(("choices", "days"), [
    (MDY, [dt.date(2026, 10, 1), dt.date(2026, 11, 2)]), (DMY, [dt.date(2026, 1, 10), dt.date(2026, 2, 11)])])
def test_both_readings_of_the_ambiguous_dates(store, load, choices, days):
    load(("v.csv", US_AMBIGUOUS), today=TODAY, choices=choices)
    assert sorted(d for _, d in stored_measurements(store)) == days


@pytest.mark.parametrize("data", [
    "team;kpi;date;value\nSales;V;10/1/2026;1\n",  # a ';' delimiter
    "team,kpi,date,value\nSales,V,10/1/2026,1\nSales,V,9 Okt 2026,2\n",  # an Indonesian month name
])
def test_the_file_decides_day_first(store, load, data):
    load(("v.csv", data), today=TODAY)
    assert dt.date(2026, 1, 10) in {d for _, d in stored_measurements(store)}


def test_a_date_column_written_both_ways_is_refused(reject):
    [problem] = reject(("v.csv", "team,kpi,date,value\nSales,V,13/1/2026,1\nSales,V,1/14/2026,2\n"), today=TODAY)
    assert problem.code == "dates_mixed" and problem.line == 3


def test_dates_outside_their_cycle_are_warned_not_refused(store, load):
    load(("o.csv", "cycle,team,objective,key_result,baseline,target\n2026-Q4,Sales,Grow,Deals,0,10\n"))
    result = load(("c.csv", "team,key_result,date,value\nSales,Deals,2026-01-05,4\nSales,Deals,9999-12-31,5\n"
                            "Sales,Deals,2026-11-05,6\n"), today=TODAY)
    warnings = result.files[0].warnings
    assert [(w.line, w.value, w.code) for w in warnings] == [(2, "2026-01-05", "date_outside_cycle"),
                                                            (3, "9999-12-31", "date_outside_cycle")]
    assert store.table_counts()["checkins"] == 3


def test_a_measurement_dated_in_the_far_future_is_warned(load):
    result = load(("k.csv", "team,kpi,date,value\nSales,V,9999-12-31,4\nSales,V,2026-11-01,5\n"), today=TODAY)
    assert [(w.line, w.code) for w in result.files[0].warnings] == [(2, "date_unlikely")]


# -- ignored columns ----------------------------------------------------------------------------------


def test_okrs_file_whose_numbers_sit_in_an_ignored_column_is_refused(reject):
    data = "cycle,team,objective,key_result,Angka %,Status\n2026-Q4,Sales,Grow,Deals,65%,On Track\n"
    [problem] = reject(("o.csv", data))
    assert (problem.column, problem.code) == ("Angka %", "numbers_only_in_ignored")


# -- progress-only sheets ---------------------------------------------------------------------------


def test_progress_only_sheet_gives_the_progress_it_means_dated_by_its_update_column(store, load):
    data = ("cycle,team,objective,key_result,Progress %,Updated\n"
            "2026-Q4,Sales,Grow,Deals,65%,2026-11-10\n2026-Q4,Sales,Grow,Calls,40,2026-11-12\n")
    load(("o.csv", data), today=TODAY)
    deals, calls = kr_row(store, "Deals", TODAY), kr_row(store, "Calls", TODAY)
    assert (deals["baseline"], deals["target"], deals["current"], deals["progress"]) == (0.0, 100.0, 65.0, 0.65)
    assert calls["progress"] == 0.4
    assert kr_row(store, "Deals", dt.date(2026, 11, 9))["current"] is None  # dated 10 November, not the import day


def test_progress_as_a_fraction(store, load):
    load(("o.csv", "cycle,team,objective,key_result,progress\n2026-Q4,Ops,Run,Share,0.65\n"), today=TODAY)
    row = kr_row(store, "Share", TODAY)
    assert (row["baseline"], row["target"], row["progress"]) == (0.0, 1.0, 0.65)


def test_target_100_percent_and_realisasi_65_percent_is_65_percent_progress(store, load):
    load(("o.csv", "Siklus,Tim,Tujuan,Hasil Kunci,Target,Realisasi\n2026-Q4,Ops,Run,Uptime,100%,65%\n"),
         today=TODAY)
    assert kr_row(store, "Uptime", TODAY)["progress"] == 0.65


def test_kpi_sheet_of_month_columns_without_a_year_is_refused_naming_them(reject):
    # The months would become measurements (importing.shapes), but nothing says which year.
    [problem] = reject(("k.csv", "team,kpi,Jan,Feb,Mar\nSales,Visits,10,12,15\n"))
    assert (problem.code, problem.params["headers"]) == ("period_needs_year", "Jan, Feb, Mar")


def test_unknown_headers_are_listed_with_their_near_match(load):
    from okrdash.importing.report import reading_report

    result = load(("k.csv", "team,kpi,date,value,taget,directon\nSales,V,2026-11-01,4,5,up\n"), today=TODAY)
    report = "\n".join(reading_report(result.files[0]))
    assert "taget (did you mean target?)" in report and "directon (did you mean direction?)" in report


# -- cell spellings -----------------------------------------------------------------------------------


def test_accounting_spellings_are_stored_as_the_sheet_means(store, load):
    data = ("tim;nama kpi;tanggal;nilai\n"
            "Finance;Laba;2026-11-01;(Rp 125.000.000)\nFinance;Laba;2026-11-02;-Rp 40.000.000\n"
            "Finance;Laba;2026-11-03;Rp 2,5 M\nFinance;Laba;2026-11-04;1,5 jt\nFinance;Laba;2026-11-05;Rp -\n")
    load(("laba.csv", data), today=TODAY)
    assert values(store) == [-125_000_000.0, -40_000_000.0, 2_500_000_000.0, 1_500_000.0, 0.0]


def test_date_spellings_are_stored_as_the_sheet_means(store, load):
    data = ("team,kpi,date,value\nSales,V,1 Mei 2026,1\nSales,V,9 Okt 2026,2\nSales,V,\"Jumat, 02 Oktober 2026\",3\n"
            "Sales,V,2026-11-28T00:00:00+07:00,4\nSales,V,46000,5\nSales,V,13/10/26,6\n")
    load(("v.csv", data), today=dt.date(2026, 12, 1))
    assert sorted(stored_measurements(store).items()) == [
        (("V", dt.date(2025, 12, 9)), 5.0), (("V", dt.date(2026, 5, 1)), 1.0), (("V", dt.date(2026, 10, 2)), 3.0),
        (("V", dt.date(2026, 10, 9)), 2.0), (("V", dt.date(2026, 10, 13)), 6.0), (("V", dt.date(2026, 11, 28)), 4.0)]


def test_formula_errors_are_reported_as_what_they_are(reject):
    data = "team,kpi,date,value\nSales,V,2026-11-01,#DIV/0!\nSales,V,#N/A,3\nSales,V,2026-11-03,#VALUE!\n"
    problems = reject(("v.csv", data), today=TODAY)
    assert [(p.line, p.column, p.value, p.code) for p in problems] == [
        (2, "value", "#DIV/0!", "formula_error"), (3, "date", "#N/A", "formula_error"),
        (4, "value", "#VALUE!", "formula_error")]


def test_year_and_quarter_in_two_columns(store, load):
    load(("o.csv", "Tahun,Kuartal,Tim,Tujuan,Hasil Kunci,Nilai Awal,Target,Nilai\n2026,IV,Sales,Grow,Deals,0,10,4\n"),
         today=dt.date(2026, 11, 1))
    assert [c.name for c in store.cycles()] == ["2026-Q4"]
    assert kr_row(store, "Deals", dt.date(2026, 11, 1))["current"] == 4.0


# A number written every way a spreadsheet writes it reads back as the same value.
_AMOUNTS = st.integers(0, 10**12)


def _spellings(cents: int) -> list[tuple[str, bool]]:
    """(cell, decimal_comma) pairs that all mean ``cents / 100``."""
    whole, fraction = divmod(cents, 100)
    grouped_en, grouped_id = f"{whole:,}", f"{whole:,}".replace(",", ".")
    tail = f"{fraction:02d}"
    spelled = [(f"{grouped_en}.{tail}", False), (f"{grouped_id},{tail}", True), (f"{whole}.{tail}", False),
               (f"{whole},{tail}", True), (f"Rp {grouped_id},{tail}", True)]
    if whole >= 1000:  # Rupiah dot groups are thousands in either format
        spelled.append((f"Rp{grouped_id},{tail}", False))
    if fraction == 0:
        spelled += [(f"Rp {grouped_id}", False), (f"IDR {grouped_id}", True), (str(whole), True)]
        if whole % 100_000 == 0 and whole:
            spelled += [(f"{whole / 1e6:g} jt".replace(".", ","), True), (f"{whole / 1e6:g} juta", False)]
    return spelled


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cents=_AMOUNTS, negative=st.sampled_from(["", "-", "()"]))
def test_every_spelling_of_a_number_reads_back_as_the_same_value(con, cents, negative):
    expected = -cents / 100 if negative else cents / 100
    spellings = _spellings(cents)
    written = [f"({cell})" if negative == "()" else f"-{cell}" if negative else cell for cell, _ in spellings]
    got = read_all(con, "okr_number(c, f::BOOLEAN)", written, [flag for _, flag in spellings])
    assert got == [pytest.approx(expected, rel=1e-12, abs=1e-9)] * len(written), list(zip(written, got))


_MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember")
_DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(dt.date(2001, 1, 1), dt.date(2099, 12, 31)))
def test_every_spelling_of_a_date_reads_back_as_the_same_day(con, day):
    spellings = [
        (day.isoformat(), "dmy"), (f"{day:%d/%m/%Y}", "dmy"), (f"{day.month}/{day.day}/{day.year}", "mdy"),
        (f"{day:%d/%m/%y}", "dmy"), (f"{day:%y/%m/%d}", "ymd"), (f"{day:%d.%m.%Y}", "dmy"),
        (f"{day.day} {_MONTHS_ID[day.month - 1]} {day.year}", "mdy"),
        (f"{day.day} {_MONTHS_ID[day.month - 1][:3]} {day.year}", "dmy"),
        (f"{_DAYS_ID[day.weekday()]}, {day:%d} {_MONTHS_ID[day.month - 1]} {day.year}", "dmy"),
        (f"{day:%b} {day.day}, {day.year}", "dmy"), (f"{day.isoformat()}T00:00:00+07:00", "mdy"),
        (str((day - dt.date(1899, 12, 30)).days), "dmy"),
    ]
    spellings = [(cell, order) for cell, order in spellings if not cell.isdigit() or 20000 <= int(cell) <= 80000]
    got = read_all(con, "okr_date(c, f)", [cell for cell, _ in spellings], [order for _, order in spellings])
    assert got == [day] * len(spellings), list(zip(spellings, got))


def test_progress_in_percent_signs_below_one_is_still_percent(store, load):
    load(("o.csv", "cycle,team,objective,key_result,progress\n2026-Q4,Ops,Run,Tiny,0.5%\n"), today=TODAY)
    assert kr_row(store, "Tiny", TODAY)["progress"] == pytest.approx(0.005)


# -- the shipped files, re-saved the way Indonesian Excel saves them ----------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DECIMAL = re.compile(r"-?\d+\.\d+")
_WHOLE = re.compile(r"-?\d{4,}")


def _indonesian_excel(text: str) -> str:
    """';' between cells, thousands grouped with dots (#.##0), decimal commas, dates as dd/mm/yyyy."""
    def cell(value: str) -> str:
        if match := _ISO_DATE.fullmatch(value):
            return f"{match[3]}/{match[2]}/{match[1]}"
        if _DECIMAL.fullmatch(value):
            whole, fraction = value.split(".")
            return f"{int(whole):,}".replace(",", ".") + "," + fraction
        if _WHOLE.fullmatch(value):
            return f"{int(value):,}".replace(",", ".")
        return value

    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
        [row if number == 0 else [cell(v) for v in row] for number, row in enumerate(csv.reader(io.StringIO(text)))])
    return out.getvalue()


@pytest.mark.parametrize("folder", ["data/templates", "data/demo"])
def test_shipped_files_resaved_by_indonesian_excel_store_the_same_values(folder):
    from okrdash.importing import Upload, import_files
    from okrdash.store import open_store

    root = Path(__file__).resolve().parent.parent / folder
    files = [root / f"{kind}.csv" for kind in ("kpis", "okrs", "checkins")]
    original, resaved = open_store(":memory:"), open_store(":memory:")
    try:
        import_files(original, [Upload(f.name, f.read_bytes()) for f in files], today=TODAY)
        import_files(resaved, [Upload(f.name, _indonesian_excel(f.read_text(encoding="utf-8")).encode("utf-8"))
                               for f in files], today=TODAY)
        assert resaved.table_counts() == original.table_counts()
        assert stored_measurements(resaved) == stored_measurements(original)
        columns = ["title", "baseline", "target", "current", "progress"]
        frames = [s.kr_scores(TODAY)[columns].sort_values("title").reset_index(drop=True) for s in (original, resaved)]
        assert frames[0].equals(frames[1])
    finally:
        original.close()
        resaved.close()


def test_three_decimals_after_a_leading_zero_are_asked(store, load, reject):
    """Found by the oracle (three-decimals): "0,001" in a comma file with English headers gave its column no
    evidence and was read as 1; "0,250" beside a whole number was read as 250 (thousands)."""
    for data, thousands, fraction in (
            ('team,kpi,date,value\nSales,Ratio,2026-11-01,"0,001"\n', "1", "0,001"),
            ('team,kpi,date,value\nSales,Ratio,2026-11-01,"0,250"\nSales,Ratio,2026-11-02,2\n', "250", "0,25")):
        [problem] = reject(("ratio.csv", data), today=TODAY)
        assert (problem.line, problem.column, problem.code) == (2, "value", "numbers_ambiguous")
        assert problem.params["thousands"] == thousands
        assert f"{fraction} bila pemisahnya tanda desimal" in problem.message("id")
    load(("ratio.csv", 'team,kpi,date,value\nSales,Ratio,2026-11-01,"0,001"\n'), today=TODAY, choices=ID)
    assert values(store) == [0.001]
