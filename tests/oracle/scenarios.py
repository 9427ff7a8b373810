"""Every shape okrdash claims to read (README "Files: CSV and workbooks", docs/csv-format.md) and
the shapes of issue 21, as Hypothesis strategies of rendered companies.

A :class:`Scenario` draws a company, a writer's convention and the shape's free choices (headers,
optional columns, encodings, formats), renders the files and records what they say. ``readable``
says whether okrdash documents the shape (or issue 21 requires it) as readable: there a refusal
fails the oracle, while elsewhere a question naming the column is as right as a correct import.
``classes`` names the classes of silent error of issue 21 the scenario exercises:

- 1a a progress column of shares with one over 100%; 1b percent cells formatted ``0%`` (0.65);
- 2a a polarity column; 2b a milestone's status words; 2c an achievement column; 2d a last-update
  date under another header; 2e week columns headed ``dd/mm/yyyy``; 2f a sheet's single month or
  day column (a period, dropped as "a column like any other");
- 3 a progress column beside baseline and target;
- 4a formulas saved without their results; 4b the same KPI and month on two sheets; 4c one column
  of ``0%`` number cells and ``94%`` text cells, or of number cells and words;
- 5 values without a date, imported after the cycle;
- 6 titles with an export's decoration (a Notion page URL);
- x1 (found by the oracle, not in issue 21's list) a three-decimal number below 1 (0,256).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from hypothesis import assume
from hypothesis import strategies as st

from okrdash.models import Direction, KRKind
from tests.oracle.check import Expected
from tests.oracle.company import Company, Measure, companies
from tests.oracle.files import BookStyle, Formula, Num, Table, ods_file, text_file, xlsx_file
from tests.oracle.sheets import (
    POLARITY_WORDS,
    Layout,
    checkin_table,
    cycle_spellings,
    kpi_table,
    needs_kind_column,
    okr_table,
    paired_kpi_table,
    wide_checkin_table,
    wide_kpi_table,
)
from tests.oracle.spelling import HEADERS, Convention, conventions, header

Draw = Callable[[st.SearchStrategy], object]


@dataclass
class Rendered:
    """One example: the company, the files written from it, and what they say."""

    scenario: str
    company: Company
    convention: Convention
    files: list[tuple[str, bytes]]
    expected: Expected
    situations: frozenset[str] = frozenset()  # the classes of issue 21 present in this example
    style: list[str] = field(default_factory=list)  # the shape's drawn choices, in words

    def __repr__(self) -> str:  # what Hypothesis prints beside the failure, which describes it in full
        return f"Rendered({self.scenario!r}, files={[name for name, _ in self.files]})"

    def save(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, data in self.files:
            path = folder / name
            path.write_bytes(data)
            paths.append(path)
        return paths

    def describe(self, folder: Path | None = None) -> str:
        lines = [f"scenario {self.scenario}; situations {sorted(self.situations) or '-'}",
                 f"writer {self.convention}", f"shape: {'; '.join(self.style)}", self.company.describe()]
        for name, data in self.files:
            lines.append(f"--- {name} ({len(data)} bytes)" + (f", saved in {folder / name}" if folder else ""))
            if name.endswith((".xlsx", ".ods")):
                lines += [f"    {line}" for line in _workbook_cells(data)]
            else:
                text = data.decode("utf-16" if data.startswith(b"\xff\xfe") else "utf-8", "replace")
                lines += [f"    {line}" for line in text.splitlines()[:40]]
        return "\n".join(lines)


def _workbook_cells(data: bytes) -> list[str]:
    """Each sheet's first rows as a spreadsheet reader sees its cells (typed values, not display text)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    lines = []
    for name in book.sheet_names:
        lines.append(f"[{name}]")
        lines += [repr(row) for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)[:40]]
    return lines


@dataclass(frozen=True)
class Scenario:
    name: str
    about: str
    readable: bool
    classes: tuple[str, ...]
    build: Callable[[Draw], Rendered]

    def renderings(self) -> st.SearchStrategy[Rendered]:
        return st.composite(lambda draw: self.build(draw))()


SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str, about: str, *, readable: bool, classes: tuple[str, ...] = ()):
    def register(build: Callable[[Draw], Rendered]) -> Callable[[Draw], Rendered]:
        SCENARIOS[name] = Scenario(name, about, readable, classes, build)
        return build
    return register


# -- the columns of each kind, as one writer heads them -------------------------------------------------


def okr_layout(draw: Draw, company: Company, lang: str, *, current: bool, date: str | None = "date",
               baseline_and_target: bool = True, extra: tuple[str, ...] = ()) -> Layout:
    """An okrs sheet's columns: the required ones, a drawn choice of the optional ones (a kind column
    whenever baseline and target alone would not say the kind), ``current`` with its date column."""
    tags = ["cycle", "team", "objective"]
    tags += ["objective_type"] if draw(st.booleans()) else []
    tags += ["key_result"] + (["owner"] if draw(st.booleans()) else [])
    if baseline_and_target:
        tags += ["kind"] if needs_kind_column(company) or draw(st.booleans()) else []
        tags += ["baseline", "target"] + (["unit"] if draw(st.booleans()) else [])
    tags += ["current"] if current else []
    tags += list(extra)
    tags += [date] if date and (current or extra) else []
    return Layout({tag: draw(header(tag, lang)) if tag in HEADERS else extra_header(draw, tag, lang) for tag in tags})


# Headers people give columns okrdash has no column of its own for.
_EXTRA_HEADERS = {
    "status": {"en": ("Status",), "id": ("Status", "Status Capaian")},
    "achievement": {"en": ("Achievement", "% Achievement"), "id": ("Pencapaian", "% Pencapaian")},
    "last_update": {"en": ("Last Update",), "id": ("Update Terakhir", "Tgl Update")},
    "polarity": {"en": ("Polarity",), "id": ("Polaritas",)},
    "year": {"en": ("Year",), "id": ("Tahun",)},
    # okrdash's own spellings of an okrs file's last_checkin (the date of its current value)
    "last_checkin": {"en": ("Last check-in", "Last updated"), "id": ("Tanggal Update",)},
}


def extra_header(draw: Draw, tag: str, lang: str) -> str:
    return draw(st.sampled_from(_EXTRA_HEADERS[tag][lang]))


def checkin_layout(draw: Draw, lang: str) -> Layout:
    tags = ["team"] + (["objective"] if draw(st.booleans()) else []) + ["key_result", "date", "value"]
    return Layout({tag: draw(header(tag, lang)) for tag in tags})


def kpi_layout(draw: Draw, lang: str, *, dated: bool = True, direction: str | None = "draw") -> Layout:
    tags = ["team", "kpi"] + (["date", "value"] if dated else [])
    tags += ["target"] if draw(st.booleans()) else []
    tags += ["unit"] if draw(st.booleans()) else []
    if direction == "draw":
        tags += ["direction"] if draw(st.booleans()) else []
    elif direction:
        tags.append(direction)
    headers = {}
    for tag in tags:
        if tag == "date":
            headers[tag] = draw(st.sampled_from({"en": ("Date", "Month"), "id": ("Tanggal", "Bulan", "Periode")}[lang]))
        elif tag in _EXTRA_HEADERS:
            headers[tag] = extra_header(draw, tag, lang)
        else:
            headers[tag] = draw(header(tag, lang))
    return Layout(headers)


def standard_tables(draw: Draw, company: Company, conv: Convention, style: list[str], *, title: bool = False,
                    merged: bool = False, written: dict[str, str] | None = None, lang: str | None = None,
                    totals: bool = False) -> tuple[list[Table], Expected]:
    """The three kinds as one writer keeps them: an okrs sheet (its current values dated), the
    check-in history when there is one, and the KPI sheet when there are KPIs. ``lang``: the
    headers' language when it is not the spreadsheet's (English headers in an Indonesian sheet)."""
    expected = Expected()
    lang = lang or conv.lang
    cycle_text = draw(st.sampled_from(cycle_spellings(company.cycle, conv.lang)))
    milestone_words = draw(st.booleans())

    def dressed(layout: Layout, sheet: str) -> Layout:
        layout.merged, layout.written = merged, dict(written or {})
        layout.total = draw(st.sampled_from(TOTAL_LABELS)) if totals else None
        if title:
            layout.title = draw(st.sampled_from([
                [f"LAPORAN {sheet.upper()} {company.teams[0].upper()}", f"Periode: {cycle_text}"],
                [f"{sheet} report, {cycle_text}"], [f"Dicetak: {company.today.isoformat()}"]]))
        style.append(f"{sheet} columns {list(layout.headers.values())}")
        return layout

    layout = dressed(okr_layout(draw, company, lang, current=draw(st.booleans())), "OKR")
    tables = [okr_table(company, conv, layout, expected, cycle_text=cycle_text, milestone_words=milestone_words)]
    style.append(f"cycle written {cycle_text!r}" + (", a title block above each header" if title else ""))
    if any(kr.checkins for _, kr in company.key_results()):
        layout = dressed(checkin_layout(draw, lang), "Check-in")
        tables.append(checkin_table(company, conv, layout, expected, milestone_words=milestone_words))
    if company.kpis:
        layout = dressed(kpi_layout(draw, lang), "KPI")
        tables.append(kpi_table(company, conv, layout, expected))
    return tables, expected


TOTAL_LABELS = ("Total", "TOTAL", "Jumlah", "Grand Total")
ENCODINGS = {"utf-8": "utf-8", "utf-8 with BOM": "utf-8-sig", "Windows-1252": "cp1252", "UTF-16": "utf-16"}


def text_files(draw: Draw, tables: list[Table], conv: Convention, style: list[str], *, delimiter: str,
               encodings: tuple[str, ...], suffix: str = ".csv", name: Callable[[str], str] | None = None,
               reopened: bool = False) -> list[tuple[str, bytes]]:
    """The tables as text files; ``reopened``: Excel opened a comma file into one column and saved it
    back, each line one quoted cell."""
    encoding = draw(st.sampled_from(encodings))
    newline = "\r\n" if encoding == "UTF-16" else draw(st.sampled_from(["\n", "\r\n"]))
    ending = "CRLF" if newline == "\r\n" else "LF"
    style.append(f"{encoding}, {delimiter!r}-separated, {ending}" + (", each line one quoted cell" if reopened else ""))
    files = []
    for table in tables:
        data = text_file(table, conv, delimiter=delimiter, encoding=ENCODINGS[encoding], newline=newline)
        if reopened:
            lines = data.decode(ENCODINGS[encoding]).split(newline)
            data = newline.join('"' + line.replace('"', '""') + '"' if line else line for line in lines).encode(
                ENCODINGS[encoding])
        files.append(((name or str.lower)(table.name) + suffix, data))
    return files


def rendered(name: str, company: Company, conv: Convention, files: list[tuple[str, bytes]], expected: Expected,
             style: list[str], situations: set[str] | None = None) -> Rendered:
    return Rendered(name, company, conv, files, expected, frozenset(situations or ()), style)


# -- shapes okrdash documents as readable -------------------------------------------------------------


@scenario("csv-english", "English CSV files: comma, 1,500.5, month-first or ISO dates, English headers",
          readable=True)
def _csv_english(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions("en")), []
    tables, expected = standard_tables(draw, company, conv, style)
    files = text_files(draw, tables, conv, style, delimiter=",", encodings=("utf-8", "utf-8 with BOM"),
                       reopened=draw(st.integers(0, 4)) == 0)
    return rendered("csv-english", company, conv, files, expected, style)


@scenario("csv-indonesian", "Indonesian Excel CSV: semicolons, 1.500.000 and 4,5, day-first dates, Indonesian "
          "headers, Windows-1252 or UTF-8", readable=True)
def _csv_indonesian(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions("id")), []
    tables, expected = standard_tables(draw, company, conv, style)
    files = text_files(draw, tables, conv, style, delimiter=";", encodings=("Windows-1252", "utf-8 with BOM"))
    return rendered("csv-indonesian", company, conv, files, expected, style)


@scenario("unicode-text", "Excel's \"Unicode Text\": UTF-16 with a byte order mark, tab-separated", readable=True)
def _unicode_text(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    tables, expected = standard_tables(draw, company, conv, style)
    files = text_files(draw, tables, conv, style, delimiter="\t", encodings=("UTF-16",), suffix=".txt")
    return rendered("unicode-text", company, conv, files, expected, style)


@scenario("google-sheets", "Google Sheets' CSV download: comma-separated whatever the sheet's locale, values as "
          "shown (\"4,5\" quoted in an Indonesian sheet), named \"<book> - <sheet>.csv\"", readable=True)
def _google_sheets(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    lang = draw(st.sampled_from(["en", "id"]))
    style.append(f"sheet locale {conv.lang}, headers {lang}")
    tables, expected = standard_tables(draw, company, conv, style, lang=lang)
    files = text_files(draw, tables, conv, style, delimiter=",", encodings=("utf-8",),
                       name=lambda sheet: f"OKR {company.cycle.name} - {sheet}")
    return rendered("google-sheets", company, conv, files, expected, style)


def book_style(draw: Draw, style: list[str], *, percents: str = "number") -> BookStyle:
    chosen = BookStyle(percents, draw(st.sampled_from(["cells", "text"])),
                       draw(st.sampled_from(["#,##0", '"Rp"#,##0', "General"])))
    style.append(f"workbook: percents as {percents}, dates as {chosen.dates}, amounts {chosen.amount_format}")
    return chosen


def formula_columns(draw: Draw, style: list[str], how: str = "formula") -> dict[str, str]:
    """Which value columns hold formulas (with their cached results, as a spreadsheet saves them)."""
    tags = draw(st.sets(st.sampled_from(["current", "value", "target"]), min_size=1))
    style.append(f"{how} in {sorted(tags)}")
    return {tag: how for tag in tags}


NOTES_SHEET = Table("Petunjuk", [["Isi lembar OKR, Check-in dan KPI. Jangan ubah nama kolom."]])


@scenario("xlsx", "An .xlsx workbook: a notes sheet and a sheet per kind, typed number cells with display formats "
          "(#,##0, \"Rp\"#,##0), dates as date cells or as text, formulas with their cached results", readable=True)
def _xlsx(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    written = formula_columns(draw, style) if draw(st.booleans()) else {}
    tables, expected = standard_tables(draw, company, conv, style, written=written)
    data = xlsx_file([NOTES_SHEET, *tables], conv, book_style(draw, style))
    return rendered("xlsx", company, conv, [("okr-kpi.xlsx", data)], expected, style)


@scenario("ods", "An OpenDocument spreadsheet (.ods) with the same sheets and typed cells", readable=True)
def _ods(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    written = formula_columns(draw, style) if draw(st.booleans()) else {}
    tables, expected = standard_tables(draw, company, conv, style, written=written)
    data = ods_file([NOTES_SHEET, *tables], conv, book_style(draw, style))
    return rendered("ods", company, conv, [("okr-kpi.ods", data)], expected, style)


def any_file_format(draw: Draw, tables: list[Table], conv: Convention, style: list[str],
                    percents: str = "number") -> list[tuple[str, bytes]]:
    """The tables as a workbook, or as CSV files in the writer's convention."""
    kind = draw(st.sampled_from(["xlsx", "ods", "csv"]))
    if kind == "xlsx":
        return [("okr.xlsx", xlsx_file(tables, conv, book_style(draw, style, percents=percents)))]
    if kind == "ods":
        return [("okr.ods", ods_file(tables, conv, book_style(draw, style, percents=percents)))]
    return text_files(draw, tables, conv, style, delimiter=";" if conv.lang == "id" else ",",
                      encodings=("utf-8", "utf-8 with BOM"))


@scenario("title-block", "A report title (and a blank line) above each header, a total row below the values",
          readable=True)
def _title_block(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    tables, expected = standard_tables(draw, company, conv, style, title=True, totals=True)
    return rendered("title-block", company, conv, any_file_format(draw, tables, conv, style), expected, style)


@scenario("merged-cells", "Cycle, team, objective (and a check-in's key result, a KPI's team and name) written once "
          "per block: merged cells in a workbook, blanks below in a CSV", readable=True)
def _merged_cells(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    tables, expected = standard_tables(draw, company, conv, style, merged=True)
    style.append("merged blocks")
    return rendered("merged-cells", company, conv, any_file_format(draw, tables, conv, style), expected, style)


@scenario("wide-months", "A KPI sheet with one column per month: \"Jan 2026\", \"Jan\" with a Tahun column or the year "
          "in the title, or a workbook's date cells", readable=True)
def _wide_months(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(min_kpis=1)), draw(conventions()), []
    assume(len({d for k in company.kpis for d, _ in k.measurements}) >= 2)  # one month alone: "one-period-column"
    expected = Expected()
    layout = kpi_layout(draw, conv.lang, dated=False)
    years = draw(st.sampled_from(["with_year", "year_column", "title", "date_cells"]))
    if years == "year_column":
        layout.headers["year"] = extra_header(draw, "year", conv.lang)
    if years == "title":
        layout.title = [f"KPI {company.teams[0]} {company.cycle.start_date.year}"]
    table = wide_kpi_table(company, conv, layout, expected, month_headers=years)
    style.append(f"months headed {years}, columns {[h for h in layout.headers.values() if isinstance(h, str)]}")
    if years == "date_cells":
        files = [("kpi.xlsx", xlsx_file([table], conv, book_style(draw, style)))]
    else:
        files = any_file_format(draw, [table], conv, style)
    return rendered("wide-months", company, conv, files, expected, style)


@scenario("wide-dates", "A check-in sheet with one column per check-in day, headed 2026-10-05 or 5 Okt 2026",
          readable=True)
def _wide_dates(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    days = {d for _, kr in company.key_results() for d, _ in kr.checkins}
    # A sheet whose every day header is a month's first day is read as months (docs/csv-format.md).
    assume(len(days) >= 2 and not all(d.day == 1 for d in days))  # one day alone: "one-period-column"
    expected = Expected()
    okrs = okr_table(company, conv, okr_layout(draw, company, conv.lang, current=False), expected,
                     cycle_text=company.cycle.name)
    headers = draw(st.sampled_from(["iso", "named"]))
    layout = Layout({tag: draw(header(tag, conv.lang)) for tag in ("team", "key_result")})
    wide = wide_checkin_table(company, conv, layout, expected, header_of=headers)
    style.append(f"check-in days headed {headers}")
    return rendered("wide-dates", company, conv, any_file_format(draw, [okrs, wide], conv, style), expected, style)


@scenario("one-month-column", "A KPI sheet with a single month column (Okt 2026): the sheet's one period",
          readable=False, classes=("2f",))
def _one_month_column(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(min_kpis=1)), draw(conventions()), []
    month = draw(st.sampled_from(sorted({d for k in company.kpis for d, _ in k.measurements})))
    company = replace(company, kpis=tuple(
        replace(k, measurements=tuple(m for m in k.measurements if m[0] == month)) for k in company.kpis))
    expected = Expected()
    table = wide_kpi_table(company, conv, kpi_layout(draw, conv.lang, dated=False), expected)
    style.append(f"one month column {month}")
    return rendered("one-month-column", company, conv, any_file_format(draw, [table], conv, style), expected, style,
                    {"2f"})


@scenario("one-day-column", "A check-in sheet with a single day column (2026-10-05): the sheet's one period",
          readable=False, classes=("2f",))
def _one_day_column(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    day = draw(st.sampled_from(sorted({d for _, kr in company.key_results() for d, _ in kr.checkins}) or [None]))
    assume(day is not None and day.day != 1)
    company = replace(company, kpis=(), objectives=tuple(
        replace(o, key_results=tuple(replace(kr, checkins=tuple(c for c in kr.checkins if c[0] == day))
                                     for kr in o.key_results)) for o in company.objectives))
    expected = Expected()
    okrs = okr_table(company, conv, okr_layout(draw, company, conv.lang, current=False), expected,
                     cycle_text=company.cycle.name)
    layout = Layout({tag: draw(header(tag, conv.lang)) for tag in ("team", "key_result")})
    tables = [okrs, wide_checkin_table(company, conv, layout, expected, header_of="iso")]
    style.append(f"one day column {day}")
    return rendered("one-day-column", company, conv, any_file_format(draw, tables, conv, style), expected, style,
                    {"2f"})


@scenario("undecided-spelling", "A comma-separated KPI file whose every number groups thousands once (1.500 or 1,500) "
          "and whose every date has a day of 12 or less (03/10/2026): nothing in it says how to read them, so the "
          "import asks (answered as the writer would) or finds other evidence", readable=True)
def _undecided_spelling(draw: Draw) -> Rendered:
    company, style = draw(companies(min_kpis=1)), []
    conv = draw(conventions())
    conv = replace(conv, group="." if conv.lang == "id" else ",", dates="dmy" if conv.lang == "id" else "mdy")
    count = Measure("count", None, 0)
    company = replace(company, kpis=tuple(
        replace(k, measure=count, target=float(draw(st.integers(2, 1998)) * 500), measurements=tuple(
            (d.replace(day=draw(st.integers(1, 12))), float(draw(st.integers(2, 1998)) * 500))
            for d, _ in k.measurements)) for k in company.kpis))
    expected = Expected()
    layout = Layout({tag: draw(header(tag, "en")) for tag in ("team", "kpi", "date", "value", "target")})
    table = kpi_table(company, conv, layout, expected)
    style.append(f"columns {list(layout.headers.values())}")
    files = text_files(draw, [table], conv, style, delimiter=",", encodings=("utf-8",))
    return rendered("undecided-spelling", company, conv, files, expected, style)


def progress_values(draw: Draw, company: Company, *, low: int = 0, high: int = 100) -> dict[str, tuple[float, int]]:
    """A drawn share done (percent, decimals) for some key results."""
    shown = {}
    for _, kr in company.key_results():
        if draw(st.integers(0, 4)):
            decimals = draw(st.sampled_from([0, 1]))
            shown[kr.title] = (draw(st.integers(low * 10**decimals, high * 10**decimals)) / 10**decimals, decimals)
    return shown


@scenario("progress-only", "An okrs sheet that keeps only each key result's progress (65% or 0.65), imported within "
          "the cycle", readable=True)
def _progress_only(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(late_upload=False)), draw(conventions()), []
    expected = Expected()
    layout = okr_layout(draw, company, conv.lang, current=False, date=None, baseline_and_target=False,
                        extra=("progress",))
    progress = progress_values(draw, company)
    shares = draw(st.booleans())
    # Plain number cells of 0 and 1 alone could be shares or percents: a real sheet has more to say.
    assume(shares or any(p > 1 for p, _ in progress.values()))
    if shares:  # 0.0 to 1.0: the writer's spreadsheet shows a share
        layout.written["progress"] = "share"
    table = okr_table(company, conv, layout, expected, cycle_text=company.cycle.name, progress=progress)
    style.append(f"progress as {'shares' if shares else 'percents'}, columns {list(layout.headers.values())}")
    if shares:
        files = [("okr.xlsx", xlsx_file([table], conv, book_style(draw, style, percents="share")))]
    else:
        conv = Convention(conv.lang, conv.decimal, conv.group, conv.dates, True, conv.rupiah_prefix)
        files = any_file_format(draw, [table], conv, style)
        bare = [p for p, _ in progress.values() if p]
        if not files[0][0].endswith(".csv") and not PERCENT_HEADER.search(layout.headers["progress"]):
            # A workbook's plain number cells: percent points only when one is above 2 and none below 1.
            # Cells from 0.1 to 2 alone read as shares (0.5 and 1.5: 50% and 150%); a real sheet has more to say.
            assume(any(p > 2 for p in bare) or not any(p < 1 for p in bare))
            if not any(p > 2 for p in bare):
                expected.must_ask.append(f"progress cells {bare} without a % may be percent points or shares")
            elif any(p < 1 for p in bare):
                expected.must_ask.append(f"progress cells {bare}: {min(bare)} reads as a share beside percent points")
    return rendered("progress-only", company, conv, files, expected, style)


# A header that names percent points ("Progress (%)", "Persentase"), as okrdash/importing/measures.py reads one.
PERCENT_HEADER = re.compile(r"%|\b(persen|percent|pct|prosentase|persentase)\b", re.I)


@scenario("paired-months", "Target and Realisasi under each month, the month merged over both (issue 21: read them)",
          readable=True)
def _paired_months(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(min_kpis=1)), draw(conventions()), []
    expected = Expected()
    headers = {"team": draw(header("team", conv.lang)), "kpi": draw(header("kpi", conv.lang)),
               "target": "Target", "value": draw(header("value", conv.lang))}
    table = paired_kpi_table(company, conv, expected, lang_headers=headers)
    return rendered("paired-months", company, conv, any_file_format(draw, [table], conv, style), expected, style)


# -- issue 21's classes of silent error -----------------------------------------------------------------


@scenario("progress-shares-over-100", "Progress-only workbook of 0% cells, one key result over 100% (1.2 beside "
          "0.65)", readable=True, classes=("1a",))
def _progress_over_100(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(late_upload=False)), draw(conventions()), []
    progress = progress_values(draw, company, high=150)
    assume(any(p > 100 for p, _ in progress.values()) and any(p <= 100 for p, _ in progress.values()))
    expected = Expected()
    layout = okr_layout(draw, company, conv.lang, current=False, date=None, baseline_and_target=False,
                        extra=("progress",))
    layout.written["progress"] = "share"
    table = okr_table(company, conv, layout, expected, cycle_text=company.cycle.name, progress=progress)
    writer = draw(st.sampled_from([xlsx_file, ods_file]))
    files = [(f"okr.{'xlsx' if writer is xlsx_file else 'ods'}",
              writer([table], conv, book_style(draw, style, percents="share")))]
    return rendered("progress-shares-over-100", company, conv, files, expected, style, {"1a"})


def percent_measures(company: Company) -> bool:
    """Whether a percent other than 0% is written: a key result's baseline or target, or a KPI's value."""
    return any(kr.measure.is_percent and (kr.baseline or kr.target) for _, kr in company.key_results()) or any(
        k.measure.is_percent and any(v for _, v in k.measurements) for k in company.kpis)


@scenario("percent-cells", "A workbook whose percents are cells formatted 0% holding 0.65 (a share), not 65",
          readable=True, classes=("1b",))
def _percent_cells(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    assume(percent_measures(company))
    tables, expected = standard_tables(draw, company, conv, style)
    writer = draw(st.sampled_from([xlsx_file, ods_file]))
    files = [(f"okr.{'xlsx' if writer is xlsx_file else 'ods'}",
              writer(tables, conv, book_style(draw, style, percents="share")))]
    return rendered("percent-cells", company, conv, files, expected, style, {"1b"})


@scenario("kpi-polarity", "A KPI sheet whose direction is a Polaritas column (Maximize / Minimize, Semakin kecil "
          "semakin baik), a lower-is-better KPI among them", readable=False, classes=("2a",))
def _kpi_polarity(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(min_kpis=1)), draw(conventions()), []
    assume(any(k.direction is Direction.LOWER_IS_BETTER for k in company.kpis))
    expected = Expected()
    words = draw(st.sampled_from(POLARITY_WORDS))
    layout = kpi_layout(draw, conv.lang, direction="polarity")
    table = kpi_table(company, conv, layout, expected, polarity=words)
    style.append(f"columns {list(layout.headers.values())}, words {words}")
    return rendered("kpi-polarity", company, conv, any_file_format(draw, [table], conv, style), expected, style,
                    {"2a"})


def dated_checkins(company: Company, kind: KRKind | None = None) -> bool:
    return any(kr.checkins and (kind is None or kr.kind is kind) for _, kr in company.key_results())


@scenario("milestone-status", "An okrs sheet whose milestones say Tercapai / Belum tercapai in a Status column",
          readable=False, classes=("2b",))
def _milestone_status(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    assume(dated_checkins(company, KRKind.MILESTONE))
    expected = Expected()
    layout = okr_layout(draw, company, conv.lang, current=True, extra=("status",))
    table = okr_table(company, conv, layout, expected, cycle_text=company.cycle.name)
    style.append(f"columns {list(layout.headers.values())}")
    return rendered("milestone-status", company, conv, any_file_format(draw, [table], conv, style), expected, style,
                    {"2b"})


def shares_done(draw: Draw, company: Company) -> dict[str, tuple[float, int]]:
    """The progress of each key result's latest value, as a sheet shows it (0 or 1 decimal)."""
    shown = {}
    for _, kr in company.key_results():
        share = kr.share_done(kr.latest[1]) if kr.latest else None
        if share is not None and abs(share) <= 10:
            decimals = draw(st.sampled_from([0, 1]))
            shown[kr.title] = (round(share * 100, decimals), decimals)
    return shown


@scenario("achievement-column", "Baseline, target and an achievement column (Pencapaian 81%) instead of the value",
          readable=False, classes=("2c",))
def _achievement(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    progress = shares_done(draw, company)
    assume(progress)
    expected = Expected()
    layout = okr_layout(draw, company, conv.lang, current=False, extra=("achievement",))
    table = okr_table(company, conv, layout, expected, cycle_text=company.cycle.name, progress=progress)
    style.append(f"columns {list(layout.headers.values())}")
    return rendered("achievement-column", company, conv, any_file_format(draw, [table], conv, style), expected,
                    style, {"2c"})


@scenario("last-update-column", "Current values dated by a Last Update / Update Terakhir / Tgl Update column",
          readable=False, classes=("2d",))
def _last_update(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    assume(any(kr.latest and kr.latest[0] != company.today for _, kr in company.key_results()))
    expected = Expected()
    layout = okr_layout(draw, company, conv.lang, current=True, date="last_update")
    table = okr_table(company, conv, layout, expected, cycle_text=company.cycle.name)
    style.append(f"columns {list(layout.headers.values())}")
    return rendered("last-update-column", company, conv, any_file_format(draw, [table], conv, style), expected,
                    style, {"2d"})


@scenario("week-columns-dmy", "A KPI CSV with a Target column and one column per measurement day headed "
          "31/10/2026", readable=False, classes=("2e",))
def _week_columns_dmy(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(min_kpis=1)), draw(conventions("id")), []
    expected = Expected()
    layout = kpi_layout(draw, conv.lang, dated=False)
    layout.headers.setdefault("target", "Target")
    table = wide_kpi_table(company, conv, layout, expected, month_headers="dmy")
    style.append(f"columns {list(layout.headers.values())}")
    files = text_files(draw, [table], conv, style, delimiter=draw(st.sampled_from([";", ","])), encodings=("utf-8",))
    return rendered("week-columns-dmy", company, conv, files, expected, style, {"2e"})


@scenario("week-checkins-dmy", "A check-in CSV with one column per week headed 05/10/2026", readable=False,
          classes=("2e",))
def _week_checkins_dmy(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions("id")), []
    assume(dated_checkins(company))
    expected = Expected()
    okrs = okr_table(company, conv, okr_layout(draw, company, conv.lang, current=False), expected,
                     cycle_text=company.cycle.name)
    layout = Layout({tag: draw(header(tag, conv.lang)) for tag in ("team", "key_result")})
    wide = wide_checkin_table(company, conv, layout, expected, header_of="dmy")
    files = text_files(draw, [okrs, wide], conv, style, delimiter=draw(st.sampled_from([";", ","])),
                       encodings=("utf-8",))
    return rendered("week-checkins-dmy", company, conv, files, expected, style, {"2e"})


@scenario("progress-beside-targets", "An okrs sheet with baseline, target and a Progress column (no current value)",
          readable=False, classes=("3",))
def _progress_beside_targets(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    progress = shares_done(draw, company)
    # A progress that, stored as the current value, happens to be the same share says nothing. (A
    # bound of the same title as a key result with a progress has no share of its own: skipped.)
    assume(any(abs(share - progress[kr.title][0] / 100) > 1e-9
               for _, kr in company.key_results() if kr.title in progress
               if (share := kr.share_done(progress[kr.title][0])) is not None))
    expected = Expected()
    layout = okr_layout(draw, company, conv.lang, current=False, extra=("progress",))
    table = okr_table(company, conv, layout, expected, cycle_text=company.cycle.name, progress=progress)
    style.append(f"columns {list(layout.headers.values())}")
    return rendered("progress-beside-targets", company, conv, any_file_format(draw, [table], conv, style), expected,
                    style, {"3"})


@scenario("uncached-formulas", "An .xlsx written by a script: value cells are formulas saved without their results",
          readable=False, classes=("4a",))
def _uncached_formulas(draw: Draw) -> Rendered:
    company, conv, style = draw(companies()), draw(conventions()), []
    written = formula_columns(draw, style, "formula-uncached")
    tables, expected = standard_tables(draw, company, conv, style, written=written)
    assume(any(isinstance(c, Formula) for t in tables for row in t.rows for c in row))
    data = xlsx_file(tables, conv, book_style(draw, style))
    return rendered("uncached-formulas", company, conv, [("okr.xlsx", data)], expected, style, {"4a"})


def summary_workbook(draw: Draw, company: Company, conv: Convention, style: list[str], *, typo: bool
                     ) -> tuple[bytes, Expected]:
    """One KPI sheet per team and a summary sheet repeating each KPI's latest month, copied by hand:
    right, or with one value mistyped (then the workbook contradicts itself and only a question is right)."""
    expected = Expected()
    layout = kpi_layout(draw, conv.lang)
    teams = dict.fromkeys(k.team for k in company.kpis)
    tables = [kpi_table(company, conv, layout, expected, kpis=tuple(k for k in company.kpis if k.team == team),
                        name=f"KPI {team}") for team in teams]
    latest = [replace(k, measurements=k.measurements[-1:]) for k in company.kpis]
    if typo:
        at = draw(st.integers(0, len(latest) - 1))
        kpi = latest[at]
        (day, value), = kpi.measurements
        wrong = round(value + 10 ** -kpi.measure.decimals * draw(st.sampled_from([1, -1, 10])), kpi.measure.decimals)
        latest[at] = replace(kpi, measurements=((day, wrong),))
        expected.must_ask.append(f"{kpi.team} / {kpi.name} {day}: {value} on its team's sheet, {wrong} on the summary")
        style.append(f"summary mistypes {kpi.name} {day}: {wrong}")
    summary = kpi_table(company, conv, layout, Expected(), kpis=tuple(latest), name="Ringkasan")
    first = draw(st.booleans())
    style.append(f"summary sheet {'first' if first else 'last'}")
    tables = [summary, *tables] if first else [*tables, summary]
    return xlsx_file(tables, conv, book_style(draw, style)), expected


@scenario("summary-sheet", "A workbook of one KPI sheet per team and a summary sheet copied by hand", readable=True)
def _summary_sheet(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(min_kpis=1)), draw(conventions()), []
    data, expected = summary_workbook(draw, company, conv, style, typo=False)
    return rendered("summary-sheet", company, conv, [("kpi.xlsx", data)], expected, style)


@scenario("summary-sheet-typo", "The same, with one value mistyped on the summary: the workbook contradicts itself",
          readable=True, classes=("4b",))
def _summary_sheet_typo(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(min_kpis=1)), draw(conventions()), []
    data, expected = summary_workbook(draw, company, conv, style, typo=True)
    return rendered("summary-sheet-typo", company, conv, [("kpi.xlsx", data)], expected, style, {"4b"})


@scenario("mixed-percent-cells", "A workbook percent column mixing 0% number cells (0.92) and text cells (\"94%\")",
          readable=False, classes=("4c",))
def _mixed_percent_cells(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(min_kpis=1)), draw(conventions()), []
    assume(any(k.measure.is_percent and len(k.measurements) >= 2 and any(v for _, v in k.measurements)
               for k in company.kpis))
    conv = replace(conv, percent_sign=True)
    expected = Expected()
    layout = kpi_layout(draw, conv.lang)
    table = kpi_table(company, conv, layout, expected)
    column = list(layout.headers).index("value")
    # A percent other than 0% stays a number cell; some other cells become text.
    kept = next(n for n, row in enumerate(table.rows[1:]) if isinstance(row[column], Num) and row[column].unit == "%"
                and row[column].value)
    texts = draw(st.sets(st.integers(0, len(table.rows) - 2).filter(lambda n: n != kept), min_size=1))
    for n, row in enumerate(table.rows[1:]):
        cell = row[column]
        if n in texts and isinstance(cell, Num):
            row[column] = replace(cell, written="text")
    style.append(f"value cells {sorted(texts)} as text")
    data = xlsx_file([table], conv, book_style(draw, style, percents="share"))
    return rendered("mixed-percent-cells", company, conv, [("kpi.xlsx", data)], expected, style, {"4c"})


@scenario("three-decimals", "Google Sheets in an Indonesian locale, English headers: a KPI of ratios below 1 "
          "written 0,256 (found by the oracle: such a cell gives its column no evidence)", readable=True,
          classes=("x1",))
def _three_decimals(draw: Draw) -> Rendered:
    company, style = draw(companies(min_kpis=1, measures=frozenset({"ratio"}))), []
    conv = replace(draw(conventions("id")), group="")
    company = replace(company, objectives=(), kpis=tuple(
        replace(k, target=draw(below_one), measurements=tuple((d, draw(below_one)) for d, _ in k.measurements))
        for k in company.kpis))
    expected = Expected()
    layout = kpi_layout(draw, "en", direction=None)
    table = kpi_table(company, conv, layout, expected)
    style.append(f"columns {list(layout.headers.values())}")
    files = text_files(draw, [table], conv, style, delimiter=",", encodings=("utf-8",),
                       name=lambda sheet: f"KPI {company.cycle.name} - {sheet}")
    return rendered("three-decimals", company, conv, files, expected, style, {"x1"})


below_one = st.integers(1, 999).map(lambda n: n / 1000)


@scenario("typed-numbers-beside-words", "An .xlsx check-in sheet (Indonesian headers) whose value column holds number "
          "cells (1.234) and a milestone's words (selesai, belum)", readable=True, classes=("4c",))
def _typed_numbers_beside_words(draw: Draw) -> Rendered:
    company, style = draw(companies(measures=frozenset({"ratio"}))), []
    conv = draw(conventions("id"))
    krs = [kr for _, kr in company.key_results()]
    assume(any(kr.kind is KRKind.MILESTONE and kr.checkins for kr in krs))
    # A value with three decimals (1.234, 0.256): its cell's text reads two ways.
    assume(any(kr.kind is not KRKind.MILESTONE and any(round(v * 100) != v * 100 for _, v in kr.checkins)
               for kr in krs))
    expected = Expected()
    layout = okr_layout(draw, company, "id", current=False)
    tables = [okr_table(company, conv, layout, expected, cycle_text=company.cycle.name)]
    layout = checkin_layout(draw, "id")
    tables.append(checkin_table(company, conv, layout, expected, milestone_words=True))
    style.append(f"check-in columns {list(layout.headers.values())}")
    data = xlsx_file(tables, conv, book_style(draw, style))
    return rendered("typed-numbers-beside-words", company, conv, [("okr.xlsx", data)], expected, style, {"4c"})


@scenario("undated-values", "Current values with no date column, imported after the cycle ended", readable=True,
          classes=("5",))
def _undated_values(draw: Draw) -> Rendered:
    company, conv, style = draw(companies(late_upload=True)), draw(conventions()), []
    assume(dated_checkins(company))
    expected = Expected()
    layout = okr_layout(draw, company, conv.lang, current=True, date=None)
    table = okr_table(company, conv, layout, expected, cycle_text=company.cycle.name)
    style.append(f"columns {list(layout.headers.values())}")
    return rendered("undated-values", company, conv, any_file_format(draw, [table], conv, style), expected, style,
                    {"5"})


@scenario("notion-export", "A Notion database export: the objective relation written \"Title (https://www.notion.so/"
          "...)\"", readable=False, classes=("6",))
def _notion_export(draw: Draw) -> Rendered:
    company, style = draw(companies()), []
    conv = Convention("en", ".", "", "named", True, False)
    expected = Expected()
    layout = okr_layout(draw, company, "en", current=True, date="last_checkin")
    table = okr_table(company, conv, layout, expected, cycle_text=company.cycle.name)
    column = list(layout.headers).index("objective")
    page_ids = {o.title: draw(notion_ids) for o in company.objectives}
    for row in table.rows[1:]:
        title = str(row[column])
        row[column] = f"{title} (https://www.notion.so/{re.sub(r'[^A-Za-z0-9]+', '-', title)}-{page_ids[title]})"
    style.append(f"columns {list(layout.headers.values())}")
    files = [(f"Key Results {draw(notion_ids)}.csv", text_file(table, conv, encoding="utf-8-sig"))]
    return rendered("notion-export", company, conv, files, expected, style, {"6"})


notion_ids = st.text("0123456789abcdef", min_size=32, max_size=32)
