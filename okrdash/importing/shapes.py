"""Step 6 of reading a file, cells -> rows: the shapes people keep their sheets in, turned into one
row per record, each change one SQL statement over the scratch table.

- another tool's export rebuilt as okrs rows (importing.exports);
- ``#`` comment rows and TOTAL / Jumlah / Total rows: skipped;
- merged cells (cycle, team, objective written once, blank below): filled down;
- a year column beside a quarter column: one cycle ("Q4 2026");
- one column per month, quarter, week or day, alone or as Target / Realisasi pairs per month: one
  measurement or check-in per period with a value (its date, value, and target when there is one);
- values with no date column, dated by the one period the title names ("Periode Juni 2026").

Each step says what it did in a reading note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from okrdash.importing import exports
from okrdash.importing.header_row import HeaderRow
from okrdash.importing.layout import Layout
from okrdash.importing.notes import ReadingNote, line_list
from okrdash.importing.periods import period_end
from okrdash.models import FileKind
from okrdash.problems import ImportFailed, Problem

# A row that sums the rows above it: its label cell holds one of these words and nothing else.
TOTAL_WORDS = ("total", "jumlah", "grand total", "subtotal", "sub total", "total keseluruhan", "jumlah total",
               "total:", "jumlah:", "grand total:", "subtotal:")


def reshape(con: duckdb.DuckDBPyConnection, file_name: str, table: str, layout: Layout, row: HeaderRow,
            notes: list[ReadingNote], links: bool = False) -> list[str]:
    """Rebuild exports, skip comment and total rows, fill merged cells down, join year and quarter,
    unpivot period columns, date undated values by the title, and (``links``: the file holds a link)
    take an export's decoration off names. Returns the table's columns afterwards."""
    columns = list(layout.columns)
    if links:
        _undecorate(con, file_name, table, layout, notes)
    if layout.export:
        counts = exports.rebuild(con, table, layout.export, columns)
        notes.append(ReadingNote(f"export_{layout.export.tool}", counts))
        columns = table_columns(con, table)
    if row.comment_lines:
        lines = drop_rows(con, table, f"starts_with(trim(\"{columns[0]}\"), '#')")
        if lines:
            notes.append(ReadingNote("comment_rows", {"count": len(lines), "lines": line_list(lines)}))
    _totals_and_merged_cells(con, table, layout, columns, notes)
    if "year" in columns and "cycle" in columns and not layout.wide:
        lines = year_into_cycle(con, table)
        if lines:
            notes.append(ReadingNote("year_into_cycle", {
                "cycle": layout.headers["cycle"], "year": layout.headers["year"], "count": len(lines)}))
    elif "year" in columns and not layout.wide:
        layout.ignored.append(layout.headers["year"])
    if layout.wide:
        _unpivot(con, file_name, table, layout, row, notes)
    if layout.metrics:
        _unpivot_metrics(con, table, layout, notes)
    if layout.title_team is not None:
        con.execute(f'ALTER TABLE "{table}" ADD COLUMN team VARCHAR')
        con.execute(f'UPDATE "{table}" SET team = ?', [layout.title_team])
        layout.headers["team"] = layout.title_team
        notes.append(ReadingNote("title_team", {"team": layout.title_team}))
    if layout.title_date is not None:
        day = period_end(layout.title_date, layout.title_date.year or 0)
        con.execute(f'ALTER TABLE "{table}" ADD COLUMN date VARCHAR')
        con.execute(f'UPDATE "{table}" SET date = ?', [day.isoformat()])
        layout.headers["date"] = day.isoformat()
        notes.append(ReadingNote("title_date", {"date": day.isoformat()}))
    if layout.answers:
        _fill_answers(con, table, layout, notes)
    return table_columns(con, table)


def _unpivot_metrics(con: duckdb.DuckDBPyConnection, table: str, layout: Layout, notes: list[ReadingNote]) -> None:
    """Each column a person named a metric is one KPI named by its header: one row per filled cell,
    its ``kpi`` the header and its ``value`` the cell (dated by the row's date); blank cells are no value."""
    con.execute("CREATE OR REPLACE TEMP TABLE _metrics (key VARCHAR, kpi VARCHAR, position INTEGER)")
    con.executemany("INSERT INTO _metrics VALUES (?, ?, ?)",
                    [(key, header, position) for position, (key, header) in enumerate(layout.metrics.items())])
    on = ", ".join(f'"{key}"' for key in layout.metrics)
    con.execute(f"""CREATE OR REPLACE TABLE "{table}" AS
        SELECT u.* EXCLUDE (_metric, value), m.kpi, u.value
        FROM (UNPIVOT "{table}" ON {on} INTO NAME _metric VALUE value) u JOIN _metrics m ON m.key = u._metric
        WHERE NOT okr_blank(u.value) ORDER BY u.line, m.position;
        DROP TABLE _metrics""")
    texts = list(layout.metrics.values())
    notes.append(ReadingNote("metrics_unpivoted", {
        "count": len(texts), "headers": ", ".join(texts),
        "cells": con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]}))


# The column whose value a row's date dates: only a row with a value takes an answered date.
_DATED = {FileKind.OKRS: "current", FileKind.CHECKINS: "value", FileKind.KPIS: "value"}


def _fill_answers(con: duckdb.DuckDBPyConnection, table: str, layout: Layout, notes: list[ReadingNote]) -> None:
    """A person's answer for each row that has no cell of its own: the column is added when the file
    has none, its blank cells filled when it has one (a row's own cell is never replaced). The
    answer is put in as text, so the cell reader reads it like the file's cells."""
    columns = table_columns(con, table)
    for column, value in layout.answers.items():
        if column not in columns:
            con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{column}" VARCHAR')
            layout.headers.setdefault(column, column)
        dated = _DATED.get(layout.kind) if column == "date" and _DATED.get(layout.kind) in columns else None
        only_valued = f' AND NOT okr_blank("{dated}")' if dated else ""
        lines = [line for (line,) in con.execute(
            f'UPDATE "{table}" SET "{column}" = ? WHERE okr_blank("{column}"){only_valued} RETURNING line',
            [value]).fetchall()]
        layout.answered_lines[column] = lines
        notes.append(ReadingNote("answer_used" if lines else "answer_unused",
                                 {"column": column, "value": value, "count": len(lines)}))


# The columns that hold names: an export's link or page id is no part of one.
NAME_COLUMNS = ("team", "objective", "key_result", "kpi", "parent_objective", "objective_owner", "owner")


def _undecorate(con: duckdb.DuckDBPyConnection, file_name: str, table: str, layout: Layout,
                notes: list[ReadingNote]) -> None:
    """Names as their export decorated them (a Notion page's URL or id, a whole-cell Markdown link or
    =HYPERLINK) lose it. A cell that links several Notion pages (a relation to many) names several:
    refused, not joined."""
    several = [(line, column, cell) for column in NAME_COLUMNS[:5] if column in layout.columns
               for line, cell in con.execute(f"""
                   SELECT line, "{column}" FROM "{table}"
                   WHERE regexp_matches("{column}", '\\(https?://(www\\.)?notion\\.(so|site)/[^)]*\\).*\\(https?://(www\\.)?notion\\.')
                   ORDER BY line LIMIT 20""").fetchall()]
    if several:
        raise ImportFailed([Problem(file_name, line, layout.headers[column], cell, "names_in_one_cell", {})
                            for line, column, cell in several])
    for column in (c for c in NAME_COLUMNS if c in layout.columns):
        changed = con.execute(f"""
            UPDATE "{table}" SET "{column}" = okr_undecorated("{column}")
            WHERE (contains("{column}", 'http') OR regexp_matches("{column}", '\\s[0-9a-f]{{32}}$'))
              AND okr_undecorated("{column}") <> "{column}"
            RETURNING line, "{column}" """).fetchall()
        if changed:
            lines = sorted(line for line, _ in changed)
            notes.append(ReadingNote("decoration_removed", {
                "header": layout.headers[column], "count": len(lines), "lines": line_list(lines),
                "example": changed[0][1]}))


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [d[0] for d in con.execute(f'SELECT * FROM "{table}" LIMIT 0').description if d[0] != "line"]


def _totals_and_merged_cells(con: duckdb.DuckDBPyConnection, table: str, layout: Layout, columns: list[str],
                             notes: list[ReadingNote]) -> None:
    labels = list(dict.fromkeys([columns[0], *(c for c in ("team", "kpi", "objective", "key_result") if c in columns)]))
    # One scan tells whether there is a total row or a merged cell at all: most files have neither.
    checks = fill_down_checks(layout.kind, columns)
    found_any = con.execute(f"""SELECT count(*) FILTER (WHERE {total_condition(labels)})
                                       {"".join(f", count(*) FILTER (WHERE {c})" for c in checks.values())}
                                FROM "{table}" """).fetchall()[0]
    lines = drop_rows(con, table, total_condition(labels)) if found_any[0] else []
    if lines:
        notes.append(ReadingNote("total_rows", {"count": len(lines), "lines": line_list(lines)}))
    footnotes = footnote_lines(con, table)
    if footnotes:
        drop_rows(con, table, f"line IN ({', '.join(map(str, footnotes))})")
    if footnotes:
        notes.append(ReadingNote("footnote_rows", {"count": len(footnotes), "lines": line_list(footnotes)}))
    checks = {rule: sql for (rule, sql), count in zip(checks.items(), found_any[1:]) if count}
    for column, filled in fill_down(con, table, checks, columns).items():
        notes.append(ReadingNote("filled_down", {"header": layout.headers.get(column, column), "count": len(filled),
                                                 "lines": line_list(filled)}))


def _unpivot(con: duckdb.DuckDBPyConnection, file_name: str, table: str, layout: Layout, row: HeaderRow,
             notes: list[ReadingNote]) -> None:
    year_column = "year" if "year" in layout.columns else None
    result = unpivot_periods(con, table, layout, year_column, row.title_year)
    if result.unknown_years:
        raise ImportFailed([
            Problem(file_name, line, layout.headers.get("year") or layout.period_headers[column], None,
                    "period_needs_year", {"headers": layout.period_headers[column]})
            for line, column in result.unknown_years])
    texts = list(layout.period_headers.values())
    span = f"{texts[0]} … {texts[-1]}" if len(texts) > 1 else texts[0]
    notes.append(ReadingNote("unpivoted", {"count": len(texts), "headers": span, "cells": result.values,
                                           "kind": layout.kind.value}))
    if result.targets_without_value:
        notes.append(ReadingNote("targets_without_value", {"count": result.targets_without_value}))


@dataclass(frozen=True)
class Unpivoted:
    values: int  # rows made (periods with a value)
    targets_without_value: int  # periods with a target and no value yet (not imported)
    unknown_years: list[tuple[int, str]]  # (line, period key) of cells whose year is unknown


def unpivot_periods(con: duckdb.DuckDBPyConnection, table: str, layout: Layout, year_column: str | None,
                    title_year: int | None) -> Unpivoted:
    """One row per period with a value: ``date`` (ISO text, or the header as written for a day in
    numbers, read by the date column's order), ``value`` and, when the periods have them, ``target``
    and ``achievement``.

    The year of a header without one comes from the row's ``year`` column, else from the title
    above the header. When some cell's year is unknown, the table is left as it was.
    """
    meanings = [m for m in ("value", "target", "achievement")
                if any(m in columns for columns in layout.period_columns.values())]
    missing = []
    for key, columns in layout.period_columns.items():
        for meaning in meanings:
            if meaning not in columns:  # a period without this meaning: a blank column stands in
                columns[meaning] = f"_none_{meaning}_{key}"
                missing.append(columns[meaning])
    for column in missing:
        con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{column}" VARCHAR')
    rows = [(key, p.year, p.month, p.day, p.written) for key, p in layout.periods.items()]
    con.execute("""CREATE OR REPLACE TEMP TABLE _periods
                   (key VARCHAR, year INTEGER, month INTEGER, day INTEGER, written VARCHAR)""")
    con.executemany("INSERT INTO _periods VALUES (?, ?, ?, ?, ?)", rows)
    row_year = f'TRY_CAST(trim(u."{year_column}") AS INTEGER)' if year_column else "NULL::INTEGER"
    year = f"coalesce(p.year, {row_year}, ?::INTEGER)"
    on = ", ".join("(" + ", ".join(f'"{layout.period_columns[k][m]}"' for m in meanings) + f') AS "{k}"'
                   for k in layout.period_columns)
    values = ", ".join(f'"_{m}"' for m in meanings)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE "{table}_long" AS
        SELECT u.* EXCLUDE (_period, {values}), p.key AS _period_key, p.written AS _written,
               {year} AS _year, p.month AS _month, p.day AS _day, {values}
        -- (INCLUDE NULLS: a month with a target and no value yet is counted, not lost unseen)
        FROM (SELECT * FROM "{table}" UNPIVOT INCLUDE NULLS (({values}) FOR _period IN ({on}))) u
             JOIN _periods p ON p.key = u._period
        WHERE NOT okr_blank(u._value) OR NOT okr_blank({'u._target' if 'target' in meanings else "''"})""",
                [title_year])
    unknown = con.execute(f"""SELECT line, _period_key FROM "{table}_long" WHERE _written IS NULL
                              AND (_year IS NULL OR _year NOT BETWEEN 1900 AND 2999) ORDER BY line LIMIT 50""").fetchall()
    counts = con.execute(f"""SELECT count(*) FILTER (WHERE NOT okr_blank(_value)),
                                    count(*) FILTER (WHERE okr_blank(_value)) FROM "{table}_long" """).fetchall()[0]
    if not unknown:
        renamed = ", ".join(f'"_{m}" AS "{m}"' for m in meanings)
        valued = f'SELECT line FROM "{table}_long" WHERE NOT okr_blank(_value)'
        # A KPI row without a value in any period still defines its KPI (and its target): it stays, undated.
        period_cells = ", ".join(f'"{c}"' for columns in layout.period_columns.values() for c in columns.values())
        unmeasured = f"""UNION ALL BY NAME
            SELECT * EXCLUDE ({period_cells}), NULL::VARCHAR AS date, {", ".join(f'NULL::VARCHAR AS "{m}"' for m in meanings)}
            FROM "{table}" WHERE NOT okr_blank(kpi) AND line NOT IN ({valued})""" if layout.kind is FileKind.KPIS else ""
        con.execute(f"""CREATE OR REPLACE TABLE "{table}" AS
            SELECT * FROM (
                SELECT * EXCLUDE (_period_key, _written, _year, _month, _day, {values}), _period_key,
                       coalesce(_written, strftime(CASE WHEN _day IS NULL THEN last_day(make_date(_year, _month, 1))
                                                        ELSE make_date(_year, _month, _day) END, '%Y-%m-%d')) AS date,
                       {renamed}
                FROM "{table}_long" WHERE NOT okr_blank(_value)
                {unmeasured})
            ORDER BY line, _period_key""")
        con.execute(f'ALTER TABLE "{table}" DROP COLUMN _period_key')
    con.execute(f'DROP TABLE "{table}_long"; DROP TABLE _periods')
    return Unpivoted(counts[0], counts[1], unknown)


def drop_rows(con: duckdb.DuckDBPyConnection, table: str, condition: str) -> list[int]:
    """Delete the rows matching ``condition`` (SQL over the table's columns); their lines, in order."""
    lines = [line for (line,) in con.execute(
        f'DELETE FROM "{table}" WHERE {condition} RETURNING line').fetchall()]
    return sorted(lines)


def total_condition(label_columns: list[str]) -> str:
    """SQL true on a total row. Cells are trimmed when read; the length test spares lower() on most cells."""
    words = ", ".join(f"'{w}'" for w in TOTAL_WORDS)
    shortest, longest = min(map(len, TOTAL_WORDS)), max(map(len, TOTAL_WORDS))
    return " OR ".join(f'(length("{c}") BETWEEN {shortest} AND {longest} AND lower("{c}") IN ({words}))'
                       for c in label_columns) or "false"


# How a note under a table begins ("*) Sumber: PDDikti", "Catatan: angka Maret belum final").
FOOTNOTE = re.compile(r"^(\*|sumber\b|catatan\b|keterangan\b|ket\.|note\b|notes\b|source\b)")
# Notes sit in a sheet's last lines; only these are looked at (a plain filter, no sort), so a file
# with a column per day for years costs no more than a narrow one.
FOOTNOTE_WINDOW = 50


def footnote_lines(con: duckdb.DuckDBPyConnection, table: str) -> list[int]:
    """The lines of notes below the table: below every row with a second cell, only one cell filled,
    and that one starting as a note does. Anything else down there stays a row (and is checked)."""
    cursor = con.execute(f'SELECT * FROM "{table}" WHERE line > (SELECT max(line) FROM "{table}") - ?',
                         [FOOTNOTE_WINDOW])
    names = [d[0] for d in cursor.description]
    found: list[int] = []
    for row in sorted(cursor.fetchall(), key=lambda row: -row[names.index("line")]):
        cells = dict(zip(names, row))
        line = cells.pop("line")
        filled = [c for c in cells.values() if c is not None and str(c) != ""]
        if len(filled) > 1:
            return sorted(found)
        if len(filled) == 1 and FOOTNOTE.match(str(filled[0]).lower()):
            found.append(line)
    return []  # no table row among the last lines: nothing here is told apart as a note


def _blank(column: str) -> str:
    return f'("{column}" IS NULL OR "{column}" = \'\')'  # cells are trimmed when read


@dataclass(frozen=True)
class FillDown:
    """A column written once on the first row of a block and left blank (merged) below.

    It is filled on a row that is a record (one of ``anchors`` holds a value) when every column
    above it in the hierarchy (``within``) is blank there or repeats the row above: a new team
    starts a new block, so its blank objective is not taken from the previous team. ``with_blank``
    columns must be blank too (a cycle's dates follow a cycle that is itself filled down).
    """

    column: str
    anchors: tuple[str, ...]
    within: tuple[str, ...] = ()
    with_blank: tuple[str, ...] = ()


FILL_DOWN: dict[FileKind, tuple[FillDown, ...]] = {
    FileKind.OKRS: (
        FillDown("cycle", ("key_result",)),
        FillDown("start_date", ("key_result",), with_blank=("cycle",)),
        FillDown("end_date", ("key_result",), with_blank=("cycle",)),
        FillDown("team", ("key_result",), ("cycle",)),
        FillDown("objective", ("key_result",), ("cycle", "team")),
    ),
    FileKind.CHECKINS: (
        FillDown("cycle", ("date",)),
        FillDown("team", ("date",), ("cycle",)),
        FillDown("objective", ("date",), ("cycle", "team")),
        FillDown("key_result", ("date",), ("cycle", "team", "objective")),
    ),
    FileKind.KPIS: (
        FillDown("team", ("kpi", "date")),
        FillDown("kpi", ("date",), ("team",)),
    ),
    # A person's team is optional: a blank one is no team, not the row above's.
    FileKind.PEOPLE: (),
}


def fill_down_checks(kind: FileKind, columns: list[str]) -> dict[FillDown, str]:
    """Each fill-down rule that applies to these columns, with the SQL true on a row it would fill.

    The caller counts them in one scan with its other checks; only rules that find a row run.
    """
    rules = [r for r in FILL_DOWN[kind] if r.column in columns and any(a in columns for a in r.anchors)]
    return {r: f'{_blank(r.column)} AND NOT ({" AND ".join(_blank(a) for a in r.anchors if a in columns)})'
            for r in rules}


def fill_down(con: duckdb.DuckDBPyConnection, table: str, checks: dict[FillDown, str],
              columns: list[str]) -> dict[str, list[int]]:
    """Fill blank block cells from the rows above (rules of ``checks`` found blank); the lines filled, per column."""
    if not checks:
        return {}
    needed = list(dict.fromkeys(c for r in checks for c in (r.column, *r.within) if c in columns))
    above = ", ".join(
        f"""last_value(nullif("{c}", '') IGNORE NULLS)
                OVER (ORDER BY line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS "_above_{c}" """
        for c in needed)

    def condition(rule: FillDown) -> str:
        parts = [checks[rule], f'"_above_{rule.column}" IS NOT NULL']
        parts += [f'({_blank(h)} OR "{h}" = "_above_{h}")' for h in rule.within if h in columns]
        parts += [_blank(b) for b in rule.with_blank if b in columns]
        return " AND ".join(parts)

    con.execute(f'CREATE OR REPLACE TEMP TABLE "{table}_above" AS SELECT *, {above} FROM "{table}"')
    filled = {r.column: [line for (line,) in con.execute(
        f'SELECT line FROM "{table}_above" WHERE {condition(r)} ORDER BY line').fetchall()] for r in checks}
    replaced = ", ".join(f'CASE WHEN {condition(r)} THEN "_above_{r.column}" ELSE "{r.column}" END AS "{r.column}"'
                         for r in checks)
    con.execute(f"""CREATE OR REPLACE TABLE "{table}" AS
        SELECT * EXCLUDE ({", ".join(f'"_above_{c}"' for c in needed)}) REPLACE ({replaced})
        FROM "{table}_above" ORDER BY line;
        DROP TABLE "{table}_above" """)
    return {c: lines for c, lines in filled.items() if lines}


def year_into_cycle(con: duckdb.DuckDBPyConnection, table: str) -> list[int]:
    """Year and quarter in two columns (``Tahun`` 2026, ``Kuartal`` 4, Q4 or IV): the cycle becomes ``Q4 2026``.

    A cycle cell that already names a year is left as it is. Returns the lines changed.
    """
    return sorted(line for (line,) in con.execute(f"""
        UPDATE "{table}" SET cycle = CASE WHEN regexp_full_match(cycle, '[1-4]') THEN 'Q' || cycle
                                          -- "IV" alone is a quarter only beside its year: "Kuartal IV 2026"
                                          WHEN regexp_full_match(upper(cycle), 'I{{1,3}}|IV') THEN 'Kuartal ' || cycle
                                          ELSE cycle END
                                     || ' ' || trim("year")
        WHERE NOT okr_blank(cycle) AND regexp_full_match(trim("year"), '[0-9]{{4}}')
          AND NOT regexp_matches(cycle, '[0-9]{{4}}')
        RETURNING line""").fetchall())
