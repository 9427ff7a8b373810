"""Workbook bombs (issue 22, finding 1): every one is refused with a clear problem, nothing written,
before python-calamine allocates what it would expand to; and the command line answers all of them
within its memory bound. Each bomb is built here, a few KB to a few MB on disk."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from okrdash.importing import Upload, validate
from okrdash.importing.workbook import WorkbookLimits, WorkbookTooLarge, read_sheets
from okrdash.problems import ImportFailed
from tests.helpers.workbooks import (
    MAIN,
    Deflated,
    ods,
    ods_number,
    ods_row,
    ods_text,
    record,
    with_declared_size,
    worksheet,
    xls,
    xlsx_parts,
    xlsx_raw,
)

TODAY = dt.date(2026, 11, 22)
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>team</t></is></c><c r="B1" t="inlineStr"><is><t>kpi</t></is></c>' \
         '<c r="C1" t="inlineStr"><is><t>date</t></is></c><c r="D1" t="inlineStr"><is><t>value</t></is></c></row>'
XML_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
XML_TAIL = b"</sheetData></worksheet>"


def shared_string_copies() -> bytes:
    """One shared string of 1 MB in 200,000 cells (rows without a number, one below the other):
    calamine copies it into each, 200 GB."""
    cell = b'<row><c t="s"><v>0</v></c></row>'
    return xlsx_raw({"KPI": Deflated(XML_HEAD + HEADER.encode(), cell, 200_000, XML_TAIL)},
                    shared=Deflated(f'<sst xmlns="{MAIN}"><si><t>'.encode(), b"x" * 1024, 1024, b"</t></si></sst>"))


def shared_strings_unpacked() -> bytes:
    """A shared-string table of 600 MB (36 million one-letter strings) in a 1 MB file."""
    return xlsx_raw({"KPI": worksheet(HEADER)},
                    shared=Deflated(f'<sst xmlns="{MAIN}">'.encode(), b"<si><t>a</t></si>", 36_000_000, b"</sst>"))


def whitespace() -> bytes:
    """2 GB of spaces in one cell (issue 22: "a 2 MB .xlsx of whitespace accepted as valid at 4.3 GB")."""
    return xlsx_raw({"KPI": Deflated(XML_HEAD + HEADER.encode() + b'<row r="2"><c r="A2" t="inlineStr"><is><t>',
                                     b" " * 1024, 2 * 1024 * 1024, b"</t></is></c></row>" + XML_TAIL)})


def spaces_in_a_cell() -> bytes:
    """100 MB of spaces in one cell, within the unpacked limit: calamine would hold them as one text."""
    return xlsx_raw({"KPI": Deflated(XML_HEAD + HEADER.encode() + b'<row r="2"><c r="A2" t="inlineStr"><is><t>',
                                     b" " * 1024, 100 * 1024, b"</t></is></c></row>" + XML_TAIL)})


def far_apart_cells() -> bytes:
    """A1 and XFD1048576: calamine's rectangle between them is 17 billion cells."""
    return xlsx_parts({"KPI": worksheet(HEADER + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')})


def one_cell_ten_million_times() -> bytes:
    """The same cell written 10 million times: a tiny rectangle, but calamine keeps every copy."""
    return xlsx_raw({"KPI": Deflated(XML_HEAD + HEADER.encode() + b'<row r="2">', b'<c r="A2"><v>1</v></c>',
                                     10_000_000, b"</row>" + XML_TAIL)})


def cells_without_references() -> bytes:
    """Five million cells without an r attribute in one row: calamine places them side by side."""
    return xlsx_raw({"KPI": Deflated(XML_HEAD + HEADER.encode() + b"<row>", b"<c><v>1</v></c>", 5_000_000,
                                     b"</row>" + XML_TAIL)})


def many_sheets() -> bytes:
    return xlsx_parts({f"S{n}": worksheet(HEADER) for n in range(1000)})


def huge_styles() -> bytes:
    """A styles.xml of 40 MB (calamine keeps its number formats in memory)."""
    return xlsx_raw({"KPI": worksheet(HEADER)},
                    style_part=Deflated(f'<styleSheet xmlns="{MAIN}"><numFmts>'.encode(),
                                        b'<numFmt numFmtId="200" formatCode="0.00"/>', 1_000_000,
                                        b"</numFmts></styleSheet>"))


def lying_sizes() -> bytes:
    """A zip that says its sheet is 1 KB; it inflates to 50 MB."""
    data = xlsx_parts({"KPI": worksheet(HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>'
                                        + " " * 3_000_000 + "</t></is></c></row>")})
    return with_declared_size(data, "xl/worksheets/sheet1.xml", 1024)


def entities() -> bytes:
    """The billion laughs in the shared strings."""
    lol = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    sst = (f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol0 "lol">{lol}]>'
           f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>').encode()
    return xlsx_parts({"KPI": worksheet(HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>')}, sst)


def ods_repeated() -> bytes:
    """A row of 16,384 copies of a number, repeated 1,048,576 times: 17 billion cells."""
    cell = ods_number(1, repeat=16_384)
    return ods({"KPI": ods_row(ods_text("team"), ods_text("value")) + ods_row(cell, repeat=1_048_576)})


def ods_spaces() -> bytes:
    """``<text:s text:c="2000000000"/>``: two billion spaces from 30 bytes."""
    cell = ('<table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/></text:p>'
            "</table:table-cell>")
    return ods({"KPI": ods_row(ods_text("team"), ods_text("value")) + ods_row(cell, ods_number(1))})


def xls_dimensions() -> bytes:
    """An .xls sheet declaring 4 billion rows x 256 columns (calamine reserves them before reading a cell)."""
    dimensions = record(0x0200, (0).to_bytes(4, "little") + (0xFFFF_FFFF).to_bytes(4, "little")
                        + (0).to_bytes(2, "little") + (256).to_bytes(2, "little") + bytes(2))
    return xls({"KPI": [["team", "value"], ["S", 1]]}, sheet_records={"KPI": [dimensions]})


def xls_loop() -> bytes:
    """An .xls whose directory's chain of sectors loops back on itself (calamine follows it for ever)."""
    data = bytearray(xls({"KPI": [["team", "value"], ["S", 1]]}))
    fat_start = len(data) - 512
    directory_sector = (fat_start - 512) // 512 - 1
    data[fat_start + 4 * directory_sector:fat_start + 4 * directory_sector + 4] = directory_sector.to_bytes(4, "little")
    return bytes(data)


BOMBS = {
    "shared_string_copies": (shared_string_copies, "workbook_too_large_text"),
    "shared_strings_unpacked": (shared_strings_unpacked, "workbook_too_large_unpacked"),
    "whitespace": (whitespace, "workbook_too_large_unpacked"),
    "spaces_in_a_cell": (spaces_in_a_cell, "workbook_unreadable"),
    "far_apart_cells": (far_apart_cells, "workbook_too_large_cells"),
    "one_cell_ten_million_times": (one_cell_ten_million_times, "workbook_too_large_cells"),
    "cells_without_references": (cells_without_references, "workbook_too_large_cells"),
    "many_sheets": (many_sheets, "workbook_too_large_sheets"),
    "huge_styles": (huge_styles, "workbook_unreadable"),
    "lying_sizes": (lying_sizes, "workbook_unreadable"),
    "entities": (entities, "workbook_unreadable"),
    "ods_repeated": (ods_repeated, "workbook_too_large_cells"),
    "ods_spaces": (ods_spaces, "workbook_too_large_text"),
    "xls_dimensions": (xls_dimensions, "workbook_too_large_cells"),
    "xls_loop": (xls_loop, "workbook_unreadable"),
}
SUFFIX = {"ods": ".ods", "xls": ".xls"}


def file_name(name: str) -> str:
    return f"{name}{SUFFIX.get(name.split('_')[0], '.xlsx')}"


@pytest.mark.parametrize("name", BOMBS)
def test_a_workbook_bomb_is_refused_with_its_problem_and_nothing_written(store, name):
    build, code = BOMBS[name]
    with pytest.raises(ImportFailed) as refused:
        validate(store, [Upload(file_name(name), build())], TODAY)
    [problem] = refused.value.problems
    assert (problem.file_name, problem.code) == (file_name(name), code)
    for lang in ("en", "id"):
        assert "{" not in problem.message(lang)
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM kpi_measurements").fetchone() == (0,)


def test_the_messages_say_what_was_too_large_the_limit_and_what_to_do(store):
    with pytest.raises(ImportFailed) as refused:
        validate(store, [Upload("b.xlsx", far_apart_cells())], TODAY)
    [problem] = refused.value.problems
    assert problem.message("en").startswith("This workbook's sheets hold 17,179,869,184 cells")
    assert "at most 3,000,000" in problem.message("en") and "CSV" in problem.message("en")
    assert "17.179.869.184 sel" in problem.message("id") and "3.000.000" in problem.message("id")


def test_a_declared_dimension_is_not_trusted_either_way():
    """A sheet that declares A1:XFD1048576 but holds four cells is read (calamine places the cells)."""
    data = xlsx_parts({"KPI": worksheet(HEADER, before='<dimension ref="A1:XFD1048576"/>')})
    assert read_sheets(data)[0].text == "team,kpi,date,value\n"


def test_cells_past_the_limit_are_refused_at_the_limit_not_at_excels():
    """101 rows of 4 columns: 404 cells, refused by a limit of 403, read with one of 404."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 102))
    data = xlsx_parts({"KPI": worksheet(HEADER + rows)})
    with pytest.raises(WorkbookTooLarge) as refused:
        read_sheets(data, WorkbookLimits(cells=403, text_bytes=1 << 20, unpacked_bytes=1 << 20, sheets=5))
    assert (refused.value.what, refused.value.found, refused.value.limit) == ("cells", 404, 403)
    limits = WorkbookLimits(cells=404, text_bytes=1 << 20, unpacked_bytes=1 << 20, sheets=5)
    assert len(read_sheets(data, limits)[0].text.splitlines()) == 101


# Runs the CLI with a data limit of its own and writes its peak resident memory (VmHWM, which a new
# program starts afresh) at exit. The child's rusage would not do: its peak includes the copy of the
# forking test worker it was before it started Python (a worker that ran many tests holds ~1 GB).
_MEASURED_CLI = """
import atexit, resource, runpy, sys
limit, peak_file = int(sys.argv[1]), sys.argv[2]
resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
def write_peak():
    status = open("/proc/self/status").read()
    open(peak_file, "w").write(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:")))
atexit.register(write_peak)
sys.argv = ["okrdash", *sys.argv[3:]]
runpy.run_module("okrdash.cli", run_name="__main__", alter_sys=True)
"""


def test_the_command_line_answers_every_bomb_within_its_memory_bound(tmp_path):
    """All bombs in one ``okrdash import --dry-run``: each refused on its own, exit 1, and the process's
    peak memory under 1 GB (a data limit of 1.5 GB in the child keeps the test machine safe)."""
    paths = []
    for name, (build, _code) in BOMBS.items():
        path = tmp_path / file_name(name)
        path.write_bytes(build())
        paths.append(path)
    db = tmp_path / "db.duckdb"
    peak_file = tmp_path / "peak_kb"
    with open(tmp_path / "out", "w") as out, open(tmp_path / "err", "w") as err:
        child = subprocess.run([sys.executable, "-c", _MEASURED_CLI, str(1536 << 20), str(peak_file),
                                "--db", str(db), "--create", "import", "--dry-run", *map(str, paths)],
                               stdout=out, stderr=err, cwd=Path(__file__).resolve().parent.parent)
    problems = (tmp_path / "err").read_text()
    assert child.returncode == 1, problems[-3000:]
    for path in paths:
        assert f"{path.name}: " in problems, (path.name, problems[-3000:])
    peak_kb = int(peak_file.read_text())
    assert peak_kb / 1024 < 1024, peak_kb
