"""The KPI file's grouping by KPI (importing.kpi_validation._kpi_groups) held to the answer of the
single grouping over every row it replaced (issue 27): the definition columns are now grouped over
the rows that give one of them, and joined to the rest. Same first texts, same lines, same
``__mixed`` flags, same parsed numbers, for any mix of NULL, blank, padded and differing cells."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdash.importing.cells import scratch_connection
from okrdash.importing.kpi_validation import KPI_DEFINITION_COLUMNS, _kpi_groups
from okrdash.importing.table import CsvTable
from okrdash.models import FileKind

TABLE = "upload_0"
COLUMNS = ["team", "kpi", "date", "value", "target", *(c for c in KPI_DEFINITION_COLUMNS if c != "unit"), "unit"]
CELLS = {
    "unit": ["Rp", "rp", " Rp", "%"], "direction": ["higher_is_better", "lower is better", "Lower_is_better"],
    "min": ["1", "2", "1.0", "x"], "max": ["10", "12"], "tolerance": ["5%", "0.05", "5"],
    "frequency": ["monthly", "Monthly", "weekly"], "kpi_type": ["operational"], "indicator": ["lagging", "leading"],
    "category": ["finance", "sales"], "owner": ["Ayu", "ayu"], "target": ["100", "120", "<= 24"],
}


def cell(column: str) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.just(""), st.just(" "), st.sampled_from(CELLS[column]))


# A row gives a few of the columns (a yearly file gives the definitions on one row of a KPI's
# 365); each given cell may be NULL, blank, padded or one of two spellings.
row = st.builds(
    lambda key, date, cells: {"kpi_key": key, "date": date, **cells},
    st.one_of(st.none(), st.integers(1, 3)),
    st.one_of(st.none(), st.sampled_from(["2026-01-01", "2026-02-01", "2026-03-01"])),
    st.lists(st.sampled_from(["target", *KPI_DEFINITION_COLUMNS]), max_size=3, unique=True).flatmap(
        lambda columns: st.fixed_dictionaries({c: cell(c) for c in columns})))


def old_groups(con, table: CsvTable) -> None:
    """The grouping as it was before issue 27's third import round: one GROUP BY over every row."""
    t = f'"{table.table}"'
    given = [c for c in KPI_DEFINITION_COLUMNS if c in table.columns]
    firsts = ", ".join(f"arg_min(\"{c}\", line) FILTER (WHERE NOT okr_blank(\"{c}\")) AS \"{c}\", "
                       f"min(\"{c}\") <> max(\"{c}\") AS \"{c}__mixed\"" for c in given)
    order = "date__parsed"
    target_sql = (f", coalesce(arg_max(target, {order}) FILTER (WHERE NOT okr_blank(target)),"
                  f" arg_max(target, line) FILTER (WHERE NOT okr_blank(target))) AS target")
    target_sql += "".join(
        f""", {"arg_max(line, " + order + ")" if c == "target" else "arg_min(line, line)"}
               FILTER (WHERE NOT okr_blank("{c}")) AS "{c}__line" """
        for c in ("target", "min", "max", "tolerance") if c in table.mixed_columns and c in table.columns)
    parsed = ", ".join(
        [table.number_sql(c, f'"{c}"', f'"{c}__line"') + f' AS "{c}__number"' for c in ("target", "min", "max", "tolerance")]
        + ["okr_number_unit(target) AS target__unit"] + (["okr_bound(target) AS target__bound"] if table.bounded else []))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE "{table.table}_kpis" AS
            SELECT *, {parsed} FROM (
                SELECT kpi_key, arg_min(team, line) AS team, arg_min(kpi, line) AS name, min(line) AS line,
                       {firsts} {target_sql}
                FROM {t} WHERE kpi_key IS NOT NULL GROUP BY kpi_key)""")


@pytest.fixture(scope="module")
def con():
    connection = scratch_connection()
    yield connection
    connection.close()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=12), mixed=st.sets(st.sampled_from(["target", "min", "max", "tolerance"])),
       text_lines=st.sets(st.integers(2, 14)), bounded=st.booleans())
def test_kpi_groups_agree_with_one_grouping_over_every_row(con, rows, mixed, text_lines, bounded):
    columns = ["line", "team", "kpi", "kpi_key", "date__parsed", *(c for c in COLUMNS if c not in ("team", "kpi"))]
    con.execute(f'CREATE OR REPLACE TABLE "{TABLE}" ({", ".join(f"{c} {_type(c)}" for c in columns)})')
    values = [{"line": line, "team": f"Team {r['kpi_key']}", "kpi": f"KPI {r['kpi_key']}", "kpi_key": r["kpi_key"],
               "date__parsed": r["date"], **{c: r.get(c) for c in COLUMNS if c not in ("team", "kpi")}}
              for line, r in enumerate(rows, start=2)]
    con.executemany(f'INSERT INTO "{TABLE}" VALUES ({", ".join("?" for _ in columns)})',
                    [[v[c] for c in columns] for v in values])
    con.execute(f'CREATE OR REPLACE TEMP TABLE "{TABLE}_text_cells" AS '
                "SELECT unnest(?::VARCHAR[]) AS col, unnest(?::BIGINT[]) AS line, NULL::VARCHAR AS kpi",
                [[c for c in sorted(mixed) for _ in text_lines], [n for _ in sorted(mixed) for n in sorted(text_lines)]])
    table = CsvTable(file_name="kpis.csv", sha256="", kind=FileKind.KPIS, table=TABLE, columns=COLUMNS,
                     row_count=len(rows), delimiter=",", encoding="utf-8", mixed_columns=frozenset(mixed), bounded=bounded)
    old_groups(con, table)
    expected = con.execute(f'SELECT * FROM "{TABLE}_kpis" ORDER BY kpi_key').df()
    _kpi_groups(SimpleNamespace(con=con), table)
    found = con.execute(f'SELECT * FROM "{TABLE}_kpis" ORDER BY kpi_key').df()
    assert sorted(found.columns) == sorted(expected.columns)
    assert found[expected.columns].equals(expected)


def _type(column: str) -> str:
    return {"line": "BIGINT", "kpi_key": "BIGINT", "date__parsed": "DATE"}.get(column, "VARCHAR")
