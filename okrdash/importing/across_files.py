"""The same fact in two files or sheets of one upload (issue 21, class 4): a summary sheet copied by
hand repeats the division sheets' values. Equal values are one fact; different values are a problem
naming both sheets and lines, never decided by the order of the sheets.

Runs once the upload's files are valid, over the facts each one would write: check-ins (an okrs
file's current values and check-in files) and KPI measurements, compared by name keys and date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from okrdash.importing.table import CsvTable
from okrdash.models import FileKind

if TYPE_CHECKING:
    from okrdash.importing.validation import Validator

# The facts each kind writes, as SQL over its scratch table: its line, the names of what the fact
# is about (compared by okr_name_key), its date and value.
_KPI_FACTS = """SELECT line, okr_name_key(team) AS a, okr_name_key(kpi) AS b, '' AS c, '' AS d,
                       date__parsed AS date, value__parsed AS value
                FROM "{table}" WHERE date__parsed IS NOT NULL AND value__parsed IS NOT NULL"""
_CHECKIN_FACTS = """SELECT f.line, okr_name_key(rr.team) AS a, okr_name_key(rr.key_result) AS b,
                           okr_name_key(rr.objective) AS c, rr.cycle AS d, f.date__parsed AS date, f.value__parsed AS value
                    FROM "{table}" f JOIN "{table}_resolved" rr USING (ref_key) WHERE f.value__parsed IS NOT NULL"""


def conflicts_across_files(v: Validator) -> None:
    """A problem on each fact another file or sheet of the upload gives a different value."""
    kpis = [t for t in v.tables if t.kind is FileKind.KPIS and "date" in t.columns and "value" in t.columns]
    # (A plan sheet holds no check-in values.)
    checkins = [t for t in v.tables if (t.kind is FileKind.CHECKINS and "value" in t.columns)
                or t.file_name in v.okr_checkin_lines]
    for group, kind in ((kpis, FileKind.KPIS), (checkins, FileKind.CHECKINS)):
        if len(group) >= 2:
            _compare(v, group, kind)


def _facts(v: Validator, table: CsvTable) -> str:
    if table.kind is FileKind.KPIS:
        return _KPI_FACTS.format(table=table.table)
    if table.kind is FileKind.CHECKINS:
        return _CHECKIN_FACTS.format(table=table.table)
    name = f"{table.table}_current_facts"  # an okrs file's current values, as its validation kept them
    change = next(c for c in v.changes if c.file_name == table.file_name)
    frame = change.checkins
    v.con.register(name, pa.table({
        "line": v.okr_checkin_lines[table.file_name],
        "a": [str(x) for x in frame["team"]], "b": [str(x) for x in frame["key_result"]],
        "c": [str(x) for x in frame["objective"]], "d": [str(x) for x in frame["cycle"]],
        "date": pa.array(list(frame["date"]), pa.date32()), "value": pa.array(list(frame["value"]), pa.float64())}))
    return f"""SELECT line, okr_name_key(a) AS a, okr_name_key(b) AS b, okr_name_key(c) AS c, d, date, value
               FROM {name}"""


def _compare(v: Validator, tables: list[CsvTable], kind: FileKind) -> None:
    parts = " UNION ALL ".join(f"SELECT {number} AS file, * FROM ({_facts(v, t)})" for number, t in enumerate(tables))
    # The KPI facts name no objective or cycle: a check-in's key result is told by all four.
    key = "a, b" if kind is FileKind.KPIS else "a, b, c, d"
    rows = v.con.execute(f"""
        WITH facts AS ({parts}),
             clashes AS (SELECT {key}, date FROM facts GROUP BY {key}, date
                         HAVING count(DISTINCT file) > 1 AND count(DISTINCT value) > 1),
             involved AS (SELECT f.* FROM facts f JOIN clashes USING ({key}, date)),
             firsts AS (SELECT {key}, date, arg_min(file, (file, line)) AS first_file,
                               arg_min(line, (file, line)) AS first_line, arg_min(value, (file, line)) AS first_value
                        FROM involved GROUP BY {key}, date)
        SELECT i.file, i.line, i.value, f.first_file, f.first_line, f.first_value
        FROM involved i JOIN firsts f USING ({key}, date)
        WHERE i.file <> f.first_file AND i.value <> f.first_value
        ORDER BY i.file, i.line LIMIT {v.config.max_reported_problems}""").fetchall()
    for file, line, value, first_file, first_line, first_value in rows:
        column = "current" if tables[file].kind is FileKind.OKRS else "value"
        v._problem(tables[file], line, column, value, "conflicting_sheets", other_file=tables[first_file].file_name,
                   other=first_value, other_line=first_line)
