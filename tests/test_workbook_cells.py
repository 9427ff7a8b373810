"""Each workbook cell as its writer saw it (issue 21): percentages by their cell's format, text and
typed cells of one column told apart cell by cell, formulas without a stored result refused, formula
errors reported; and the scan that finds them places cells exactly as calamine does."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdash.importing import Upload, import_files, validate
from okrdash.importing.workbook import Rows, percent_text, read_sheets
from okrdash.importing.workbook_bounds import Budget, WorkbookLimits
from okrdash.importing.workbook_xlsx import is_percent_format, scan_xlsx
from okrdash.importing.workbook_zip import ZipParts
from okrdash.problems import ImportFailed
from tests.helpers.workbooks import (
    MAIN,
    XCell,
    ods,
    ods_date,
    ods_number,
    ods_row,
    ods_text,
    shared_strings,
    styles,
    worksheet,
    workbook,
    xls,
    xlsx_parts,
)

TODAY = dt.date(2026, 11, 22)
LIMITS = WorkbookLimits(cells=10_000_000, text_bytes=1 << 30, unpacked_bytes=1 << 30, sheets=1000)


def text_of(data: bytes) -> str:
    [sheet] = read_sheets(data)
    return sheet.text


# -- percentages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "percent"), [
    ("0%", True), ("0.0%", True), ("0.00%;[Red]-0.00%", True), ("#,##0.0%", True), ('0.0"%"', False),
    ("0\\%", False), ("[$%-421]0", False), ("0.00_%", False), ("0;-0%", False), ("General", False),
    ("#,##0", False), ("0.00E+00", False),
])
def test_a_number_format_is_a_percentage_when_its_first_section_shows_an_unquoted_percent_sign(code, percent):
    assert is_percent_format(code) is percent


@pytest.mark.parametrize(("value", "text"), [
    (0.65, "65%"), (0.655, "65.5%"), (1.2, "120%"), (1, "100%"), (0, "0%"), (-0.05, "-5%"), (0.0001, "0.01%"),
    (1e-07, "0.00001%"), (0.1 + 0.2, "30.000000000000004%"), (12345.678, "1234567.8%"),
])
def test_a_percent_cell_is_written_as_its_value_times_100_exactly(value, text):
    assert percent_text(value) == text


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False))
def test_percent_text_reads_back_as_the_same_number(value):
    text = percent_text(value)
    assert text.endswith("%") and "e" not in text.lower()
    assert Decimal(text[:-1]) / 100 == Decimal(repr(value))


def test_xlsx_percent_cells_are_written_as_the_writer_saw_them_and_other_numbers_plain():
    data = workbook({"KPI": [["team", "kpi", "date", "value", "target"],
                             ["S", "Win rate", dt.date(2026, 10, 31), XCell(0.65, "0%"), XCell(0.8, '0"%"')],
                             ["S", "Win rate", dt.date(2026, 11, 30), XCell(1.2, "0%"), XCell(0.655, "0.0%")],
                             ["S", "Leads", dt.date(2026, 11, 30), 1500, 0.5]]})
    assert text_of(data).splitlines()[1:] == ["S,Win rate,2026-10-31,65%,0.8", "S,Win rate,2026-11-30,120%,65.5%",
                                              "S,Leads,2026-11-30,1500,0.5"]


def test_ods_percentage_cells_and_xls_percent_styles_are_written_the_same_way():
    content = (ods_row(ods_text("team"), ods_text("value"), ods_text("date"))
               + ods_row(ods_text("S"), ods_number(0.655, "percentage"), ods_date(dt.date(2026, 10, 31)))
               + ods_row(ods_text("S"), ods_number(0.7), ods_date(dt.date(2026, 11, 30))))
    assert text_of(ods({"KPI": content})) == "team,value,date\nS,65.5%,2026-10-31\nS,0.7,2026-11-30\n"
    book = xls({"KPI": [["team", "value"], ["S", 0.65], ["S", 0.7]]}, percent_cells={("KPI", 1, 1)})
    assert text_of(book) == "team,value\nS,65%\nS,0.7\n"


def test_one_over_achieving_percent_cell_no_longer_turns_the_others_into_hundredths(store):
    """Issue 21, class 1: progress cells formatted 0% holding 0.65 and 1.2 are 65% and 120%."""
    data = workbook({"OKR": [["Siklus", "Tim", "Tujuan", "Hasil Kunci", "Progress"],
                             ["2026-Q4", "Sales", "Grow", "Close deals", XCell(0.65, "0%")],
                             ["2026-Q4", "Sales", "Grow", "Open markets", XCell(1.2, "0%")]]})
    import_files(store, [Upload("okr.xlsx", data)], today=TODAY)
    with store.cursor() as cur:
        stored = cur.execute("""SELECT k.title, k.baseline, k.target, c.value FROM key_results k
                                JOIN checkins c ON c.key_result_id = k.id ORDER BY 1""").fetchall()
    assert stored == [("Close deals", 0.0, 100.0, 65.0), ("Open markets", 0.0, 100.0, 120.0)]


# -- typed and text cells of one column -----------------------------------------------------------


def test_text_cells_name_the_rows_of_text_in_a_column_that_also_holds_typed_cells():
    data = workbook({"KPI": [["team", "kpi", "value", "note"],
                             ["S", "Win", XCell(0.92, "0%"), "ok"],
                             ["S", "Win", "94%", "ok"],
                             ["S", "Win", "7,5", "ok"],
                             ["S", "Win", 1500, "ok"],
                             ["S", "Win", "Rp1.500.000.000", "ok"]]})
    [sheet] = read_sheets(data)
    assert sheet.text.splitlines()[1:] == ["S,Win,92%,ok", "S,Win,94%,ok", "S,Win,\"7,5\",ok", "S,Win,1500,ok",
                                           "S,Win,Rp1.500.000.000,ok"]
    assert sheet.text_cells == {2: {1, 3, 4, 6}}
    assert sheet.typed_from == {2: 6}


def test_rows_is_a_set_of_rows_kept_as_runs():
    rows = Rows([(1, 1), (3, 500_000)])
    assert len(rows) == 499_999 and 1 in rows and 2 not in rows and 250_000 in rows and 500_001 not in rows
    assert Rows([(2, 4)]) == {2, 3, 4} and set(Rows([(2, 4), (7, 7)])) == {2, 3, 4, 7}


# -- formulas -------------------------------------------------------------------------------------


def kpi_sheet_with(cell_d3: str, extra_column: str = "", workbook_extra: str = "") -> bytes:
    """A KPI sheet whose D3 (the value of line 3) is the given cell XML."""
    header = ('<row r="1"><c r="A1" t="inlineStr"><is><t>team</t></is></c><c r="B1" t="inlineStr"><is><t>kpi</t>'
              '</is></c><c r="C1" t="inlineStr"><is><t>date</t></is></c><c r="D1" t="inlineStr"><is><t>value</t>'
              '</is></c><c r="E1" t="inlineStr"><is><t>Hitungan bantu</t></is></c></row>')
    line = ('<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>S</t></is></c><c r="B{r}" t="inlineStr"><is><t>Win</t>'
            '</is></c><c r="C{r}" t="inlineStr"><is><t>2026-10-{d}</t></is></c>{value}{extra}</row>')
    return xlsx_parts({"KPI": worksheet(header + line.format(r=2, d=30, value='<c r="D2"><v>5</v></c>', extra="")
                                        + line.format(r=3, d=31, value=cell_d3, extra=extra_column))},
                      workbook_extra=workbook_extra)


def test_a_formula_without_a_stored_result_is_refused_naming_its_cell_and_line(store):
    with pytest.raises(ImportFailed) as refused:
        validate(store, [Upload("k.xlsx", kpi_sheet_with('<c r="D3"><f>D2*2</f></c>'))], TODAY)
    [problem] = refused.value.problems
    assert (problem.file_name, problem.line, problem.code) == ("k.xlsx › KPI", 3, "formula_without_value")
    assert problem.message("en").startswith("Cell D3 holds a formula whose result the file does not store")
    assert problem.message("id").startswith("Sel D3 berisi rumus")


def test_a_formula_with_a_stored_result_is_read_from_it(store):
    summaries, _ = validate(store, [Upload("k.xlsx", kpi_sheet_with('<c r="D3"><f>D2*2</f><v>10</v></c>'))], TODAY)
    assert list(summaries[0].preview["value"]) == ["5", "10"]


def test_a_formula_without_a_result_in_a_column_the_import_does_not_use_is_no_problem(store):
    data = kpi_sheet_with('<c r="D3"><v>7</v></c>', extra_column='<c r="E3"><f>D3*2</f></c>')
    summaries, _ = validate(store, [Upload("k.xlsx", data)], TODAY)
    assert summaries[0].ignored_headers == ["Hitungan bantu"]


def test_openpyxl_formulas_are_refused_they_store_no_result(store):
    data = workbook({"KPI": [["team", "kpi", "date", "value"], ["S", "Win", "2026-10-31", 5],
                             ["S", "Win", "2026-11-30", XCell(None, formula="D2*2")]]})
    with pytest.raises(ImportFailed) as refused:
        validate(store, [Upload("k.xlsx", data)], TODAY)
    assert [(p.line, p.params) for p in refused.value.problems] == [(3, {"cell": "D3"})]


def test_results_stored_by_a_writer_that_asks_for_recalculation_are_not_trusted(store):
    """xlsxwriter stores 0 as every formula's result and asks the spreadsheet to recalculate on opening."""
    data = kpi_sheet_with('<c r="D3"><f>D2*2</f><v>0</v></c>', workbook_extra='<calcPr fullCalcOnLoad="1"/>')
    with pytest.raises(ImportFailed) as refused:
        validate(store, [Upload("k.xlsx", data)], TODAY)
    assert [(p.line, p.code) for p in refused.value.problems] == [(3, "formula_without_value")]


def test_an_ods_formula_without_a_value_is_refused_and_an_ods_error_reported(store):
    formula = '<table:table-cell table:formula="of:=[.B2]*2"/>'
    error = ('<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" '
             'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>')
    for cell, code in ((formula, "formula_without_value"), (error, "formula_error")):
        content = (ods_row(ods_text("team"), ods_text("kpi"), ods_text("date"), ods_text("value"))
                   + ods_row(ods_text("S"), ods_text("Win"), ods_date(dt.date(2026, 10, 31)), ods_number(5))
                   + ods_row(ods_text("S"), ods_text("Win"), ods_date(dt.date(2026, 11, 30)), cell))
        with pytest.raises(ImportFailed) as refused:
            validate(store, [Upload("k.ods", ods({"KPI": content}))], TODAY)
        assert [(p.line, p.code) for p in refused.value.problems] == [(3, code)]


def test_an_xls_formula_error_is_reported_on_its_line(store):
    error = b"\x06\x00" + (20 + 2).to_bytes(2, "little") + (2).to_bytes(2, "little") + (3).to_bytes(2, "little") \
        + (15).to_bytes(2, "little") + bytes([2, 0, 7, 0, 0, 0, 0xFF, 0xFF]) + bytes(6) + bytes(2)
    book = xls({"KPI": [["team", "kpi", "date", "value"], ["S", "Win", "2026-10-31", 5],
                        ["S", "Win", "2026-11-30"]]}, sheet_records={"KPI": [error]})
    with pytest.raises(ImportFailed) as refused:
        validate(store, [Upload("k.xls", book)], TODAY)
    assert [(p.line, p.value, p.code) for p in refused.value.problems] == [(3, "#DIV/0!", "formula_error")]


# -- cells placed as calamine places them -----------------------------------------------------------

_SPELLINGS = ("common", "no_reference", "attributes_reordered", "prefixed")


def spelled(cells: dict[tuple[int, int], float], empty: set[tuple[int, int]], spelling: str) -> bytes:
    """Worksheet XML of the cells (row, column) -> number, and styled empty cells, in one spelling."""
    rows = sorted({r for r, _ in cells} | {r for r, _ in empty})
    out = []
    for r in rows:
        row_cells = sorted([(c, f"<v>{cells[(r, c)]!r}</v>") for rr, c in cells if rr == r]
                           + [(c, None) for rr, c in empty if rr == r])
        parts = []
        column = 0
        for c, value in row_cells:
            reference = f"{_letters(c)}{r + 1}"
            if spelling == "no_reference" and c == column:
                start = '<c s="0"' if value is None else "<c"
            elif spelling == "attributes_reordered":
                start = f'<c s="0" r="{reference}"'
            else:
                start = f'<c r="{reference}" s="0"'
            if spelling == "prefixed":
                start = start.replace("<c", "<x:c")
            close = "x:c" if spelling == "prefixed" else "c"
            parts.append(f"{start}/>" if value is None else f"{start}>{value}</{close}>")
            column = c + 1
        out.append(f'<row r="{r + 1}">{"".join(parts)}</row>')
    namespace = f' xmlns:x="{MAIN}"' if spelling == "prefixed" else ""
    return (f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"{namespace}><sheetData>{"".join(out)}'
            f"</sheetData></worksheet>").encode()


def _letters(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


positions = st.tuples(st.integers(0, 60), st.integers(0, 40))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(positions, st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=25),
       st.sets(positions, max_size=6), st.sampled_from(_SPELLINGS))
def test_the_scan_places_cells_exactly_where_calamine_does(cells, empty, spelling):
    empty -= set(cells)
    data = xlsx_parts({"S": spelled(cells, empty, spelling)}, styles=styles({}, [0]))
    facts = scan_xlsx(ZipParts(data, Budget(LIMITS)), Budget(LIMITS)).sheets["S"]
    from python_calamine import CalamineWorkbook

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as path:
        path.write(data)
        path.flush()
        sheet = CalamineWorkbook.from_path(path.name).get_sheet_by_name("S")
        values = sheet.to_python(skip_empty_area=False)
    placed = {(r, c) for r, row in enumerate(values) for c, value in enumerate(row) if value != ""}
    assert placed == set(cells)
    assert (facts.rows, facts.columns) == (sheet.end[0] + 1, sheet.end[1] + 1)
    assert facts.cells >= len(cells)


def test_shared_strings_are_counted_once_per_cell_that_uses_them():
    one_kb = "x" * 1024
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="B{r}" t="s"><v>1</v></c></row>'
                    for r in range(1, 101))
    data = xlsx_parts({"S": worksheet(cells)}, shared_strings([one_kb, "y"]))
    facts = scan_xlsx(ZipParts(data, Budget(LIMITS)), Budget(LIMITS)).sheets["S"]
    assert facts.text_bytes >= 100 * 1024


ods_cells = st.lists(st.tuples(st.sampled_from(["empty", "number", "text", "percent"]), st.integers(1, 3)),
                     max_size=5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(1, 3), ods_cells), min_size=1, max_size=8))
def test_the_ods_scan_expands_repeated_rows_and_cells_as_calamine_does(rows):
    from okrdash.importing.workbook_ods import scan_ods

    def cell(kind: str, repeat: int) -> str:
        columns = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
        if kind == "empty":
            return f"<table:table-cell{columns}/>"
        if kind == "text":
            return f'<table:table-cell office:value-type="string"{columns}><text:p>t</text:p></table:table-cell>'
        kind = "percentage" if kind == "percent" else "float"
        return f'<table:table-cell office:value-type="{kind}" office:value="0.5"{columns}/>'

    content = "".join(ods_row(*(cell(kind, repeat) for kind, repeat in row_cells), repeat=row_repeat)
                      for row_repeat, row_cells in rows)
    data = ods({"S": content or ods_row()})
    facts = scan_ods(ZipParts(data, Budget(LIMITS)), Budget(LIMITS)).sheets["S"]
    from python_calamine import CalamineWorkbook

    with tempfile.NamedTemporaryFile(suffix=".ods") as path:
        path.write(data)
        path.flush()
        sheet = CalamineWorkbook.from_path(path.name).get_sheet_by_name("S")
        values = sheet.to_python(skip_empty_area=False) if sheet.end else []
    expected_percent = set()
    sheet_row = 0
    for row_repeat, row_cells in rows:
        column = 0
        for kind, repeat in row_cells:
            if kind == "percent":
                expected_percent |= {(r, c) for r in range(sheet_row, sheet_row + row_repeat)
                                     for c in range(column, column + repeat)}
            column += repeat
        sheet_row += row_repeat
    assert {(r, c) for r, c in expected_percent if r < len(values)} == {
        (r, c) for r, row in enumerate(values) for c, _ in enumerate(row) if (r, c) in facts.percent}
    if sheet.end is None:
        assert facts.area == 0
    else:
        assert (facts.rows, facts.columns) == (sheet.end[0] + 1, sheet.end[1] + 1)
