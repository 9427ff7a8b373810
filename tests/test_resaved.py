"""Every shipped file (data/templates, data/demo), re-saved the way people's spreadsheets save it,
imports the same data as the original: Indonesian Excel's CSV (semicolons, decimal commas, day/month
dates, Windows-1252, CRLF) and an .xlsx workbook with real number and date cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from okrdash.importing import Upload, import_files
from okrdash.store import Store, open_store

DATA = Path(__file__).resolve().parents[1] / "data"
ORDER = ("kpis.csv", "okrs.csv", "checkins.csv")  # one upload; the importer orders them itself
_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def indonesian_excel_csv(path: Path) -> bytes:
    """What Excel with Indonesian regional settings writes for "CSV (Comma delimited)"."""
    def cell(text: str) -> str:
        if _DECIMAL.fullmatch(text):
            return text.replace(".", ",")
        if _ISO.fullmatch(text):
            return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
        return text

    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
        [row if n == 0 else [cell(c) for c in row] for n, row in enumerate(rows(path))])
    return out.getvalue().encode("cp1252")


def xlsx(path: Path) -> bytes:
    """The file opened in a spreadsheet and saved as a workbook: numbers and dates become typed cells."""
    openpyxl = pytest.importorskip("openpyxl")

    def cell(text: str) -> object:
        if _NUMBER.fullmatch(text):
            return float(text)
        if _ISO.fullmatch(text):
            return dt.date.fromisoformat(text)
        return text or None

    book = openpyxl.Workbook()
    sheet = book.active
    for n, row in enumerate(rows(path)):
        sheet.append(row if n == 0 else [cell(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored(store: Store) -> dict[str, list[tuple]]:
    """Everything an import writes, by names rather than ids or batches."""
    queries = {
        "cycles": "SELECT name, start_date, end_date FROM cycles",
        "objectives": "SELECT cycle, team, title, owner, type, parent_title FROM objectives",
        "key_results": """SELECT o.cycle, o.team, o.title, k.title, k.owner, k.kind, k.baseline, k.target, k.unit,
                                 k.weight, p.name FROM key_results k JOIN objectives o ON o.id = k.objective_id
                          LEFT JOIN kpis p ON p.id = k.kpi_id""",
        "checkins": """SELECT k.title, c.date, c.value, c.confidence, c.note FROM checkins c
                       JOIN key_results k ON k.id = c.key_result_id""",
        "kpis": "SELECT * EXCLUDE (id, batch_id) FROM kpis",
        "measurements": """SELECT p.team, p.name, m.date, m.value, m.target FROM kpi_measurements m
                           JOIN kpis p ON p.id = m.kpi_id""",
    }
    with store.cursor() as cur:
        return {name: sorted(cur.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}


def imported(tmp_path: Path, files: list[tuple[str, bytes]]) -> dict[str, list[tuple]]:
    store = open_store(tmp_path / f"{files[0][0]}.duckdb")
    try:
        import_files(store, [Upload(name, data) for name, data in files], today=dt.date(2026, 11, 22))
        return stored(store)
    finally:
        store.close()


@pytest.mark.parametrize("folder", ["templates", "demo"])
@pytest.mark.parametrize("resave", [indonesian_excel_csv, xlsx], ids=["indonesian-excel-csv", "xlsx"])
def test_resaved_files_import_the_same_data(tmp_path, folder, resave):
    paths = [DATA / folder / name for name in ORDER]
    original = imported(tmp_path, [(p.name, p.read_bytes()) for p in paths])
    suffix = ".xlsx" if resave is xlsx else ".csv"
    again = imported(tmp_path, [(f"resaved-{p.stem}{suffix}", resave(p)) for p in paths])
    assert original["key_results"] and original["measurements"]
    assert again == original
