"""Measure the proposed fixes for the slow import steps, without touching okrdash.

    .venv/bin/python -m bench.fixes --size medium     # ~1 minute
    .venv/bin/python -m bench.fixes --size large      # ~10 minutes on a shared 2-core machine

Reads the generated files (bench/.work/<size>/, see ``bench.generate``) into the importer's own
scratch connection with ``okrdash.csvfile.read_csv``, then times each slow step as the importer
runs it today (calling the importer's private methods, so the SQL is the real one) against the
replacement proposed in docs/scaling.md, and checks both give the same answer. Writes
bench/results/profiles/<size>-fixes.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "bench" / "results" / "profiles"

# Proposed: a cheap regex for the plain spellings that are 99% of real cells, the full parser for
# the rest. Same answer for every input (checked below over every distinct cell of the files).
FAST_MACROS = r"""
CREATE OR REPLACE MACRO okr_number_fast(t, decimal_comma) AS (
    CASE
        WHEN regexp_full_match(t, '[+-]?[0-9]{1,15}') THEN CAST(t AS DOUBLE)
        WHEN NOT decimal_comma AND regexp_full_match(t, '[+-]?[0-9]{0,15}\.[0-9]{1,15}') THEN CAST(t AS DOUBLE)
        ELSE okr_number(t, decimal_comma)
    END);
CREATE OR REPLACE MACRO okr_date_fast(t) AS (
    CASE
        WHEN regexp_full_match(t, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(t AS DATE)
        ELSE okr_date(t)
    END);
"""


def timed(fn, repeat: int = 1) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


class Bench:
    def __init__(self, size: str, repeat: int):
        self.size, self.repeat = size, repeat
        self.rows: list[tuple[str, str, float, float, str]] = []

    def compare(self, step: str, current, proposed, check=None, note: str = "") -> None:
        now, a = timed(current, self.repeat)
        new, b = timed(proposed, self.repeat)
        same = "" if check is None else (" same result" if check(a, b) else " **DIFFERENT RESULT**")
        self.rows.append((step, note + same, now, new, ""))
        print(f"{step}: {now:.2f} s -> {new:.2f} s{same}", flush=True)

    def single(self, step: str, seconds: float, note: str = "") -> None:
        self.rows.append((step, note, seconds, float("nan"), ""))
        print(f"{step}: {seconds:.3f} s {note}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="medium")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / ".work")
    args = parser.parse_args(argv)

    import duckdb

    from okrdash import csvfile, importer
    from okrdash.settings import Settings
    from okrdash.store import open_store

    folder = args.workdir / args.size
    bench = Bench(args.size, args.repeat)
    config = Settings()
    data = (folder / "kpis.csv").read_bytes()

    # -- read_csv: the Python work around DuckDB's reader -----------------------------------------
    text_holder: dict[str, str] = {}
    bench.single("read_csv: bytes.decode('utf-8-sig')", timed(lambda: text_holder.setdefault("t", data.decode("utf-8-sig")))[0])
    text = text_holder["t"]
    bench.single("read_csv: replace CRLF/CR", timed(lambda: text.replace("\r\n", "\n").replace("\r", "\n"))[0])
    bench.single("read_csv: split header", timed(lambda: text.split("\n", 1))[0])
    body = text.split("\n", 1)[1]

    def write_tmp():
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".csv", delete=True) as tmp:
            tmp.write(body)
    bench.single("read_csv: write body to a temp file", timed(write_tmp)[0])
    bench.compare("read_csv: blank-line search", lambda: re.search(r"(?m)^[ \t]*$", body.rstrip("\n")) is not None,
                  lambda: "\n\n" in body or re.search(r"\n[ \t]+\n", body) is not None or body.startswith("\n"),
                  check=lambda a, b: a == b,
                  note="re.search(r'(?m)^[ \\t]*$') as before 555fa8c vs '\\n\\n' in body + a search for whitespace-only lines")
    bench.single("read_csv: sha256 of the upload", timed(lambda: hashlib.sha256(data).hexdigest())[0])
    del text, body, text_holder

    con = csvfile.scratch_connection()
    con.execute(importer._MILESTONE_WORDS_SQL)
    started = time.perf_counter()
    table = csvfile.read_csv(con, "kpis.csv", data, "upload_0", config.max_upload_rows)
    bench.single("read_csv: whole call (kpis)", time.perf_counter() - started, f"{table.row_count:,} rows")
    con.execute(FAST_MACROS)
    t = f'"{table.table}"'
    columns = table.columns

    # -- cell checks ------------------------------------------------------------------------------
    store = open_store(":memory:", config)
    validator = importer._Validator(con, store, config, [table], dt.date(2026, 11, 22))
    numbers = [c for c in ("value", "target", "min", "max") if c in columns]
    dc = "true" if table.decimal_comma else "false"

    def current_cells():
        validator.problems.clear()
        validator._cell_problems(table, numbers=numbers, dates=("date",), required=("team", "kpi"))
        return len(validator.problems)

    def proposed_cells():
        parsed = ", ".join([*(f'okr_number_fast("{c}", {dc}) AS "{c}_n"' for c in numbers), 'okr_date_fast("date") AS date_d'])
        checks = [f"SELECT line, '{c}' AS col, \"{c}\" AS val, 'required' AS code FROM p WHERE okr_blank(\"{c}\")"
                  for c in ("team", "kpi")]
        for c in numbers:
            checks.append(f"SELECT line, '{c}', \"{c}\", 'not_a_number' FROM p WHERE \"{c}_n\" IS NULL AND NOT okr_blank(\"{c}\")")
            checks.append(f"SELECT line, '{c}', \"{c}\", 'number_out_of_range' FROM p "
                          f"WHERE isnan(\"{c}_n\") OR isinf(\"{c}_n\") OR abs(\"{c}_n\") > 1e15")
        checks.append("SELECT line, 'date', date, 'not_a_date' FROM p WHERE date_d IS NULL AND NOT okr_blank(date)")
        rows = con.execute(
            f"""WITH p AS MATERIALIZED (SELECT *, {parsed} FROM {t})
                SELECT *, count(*) OVER () AS total FROM ({' UNION ALL '.join(checks)}) ORDER BY line LIMIT 200"""
        ).fetchall()
        return len(rows)

    bench.compare("kpis: _cell_problems (numbers, dates, required)", current_cells, proposed_cells,
                  check=lambda a, b: a == b,
                  note="proposed: parse each column once (MATERIALIZED CTE) with okr_number_fast / okr_date_fast")

    def equivalence() -> int:
        """Distinct cells of every numeric and date column of all three files where fast != full parser."""
        bad = 0
        for c in numbers:
            for flag in ("false", "true"):
                bad += con.execute(
                    f"""SELECT count(*) FROM (SELECT DISTINCT "{c}" AS v FROM {t})
                        WHERE okr_number_fast(v, {flag}) IS DISTINCT FROM okr_number(v, {flag})""").fetchall()[0][0]
        bad += con.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT date AS v FROM {t}) WHERE okr_date_fast(v) IS DISTINCT FROM okr_date(v)"
        ).fetchall()[0][0]
        probes = ["1", "-2", "+3", "1.5", ".5", "12.", "1,5", "1.234", "1.234,5", "1,234.5", "Rp150.000", "45%", " 7 ",
                  "1e5", "nan", "inf", "", "abc", "0012", "-0.0", "999999999999999999", "2026-02-30", "2026-1-5",
                  "31/05/2026", "2026-05-31"]
        con.execute("CREATE OR REPLACE TEMP TABLE probes AS SELECT unnest(?::VARCHAR[]) AS v", [probes])
        bad += con.execute("""SELECT count(*) FROM probes, (VALUES (true), (false)) f(dc)
                              WHERE okr_number_fast(v, dc) IS DISTINCT FROM okr_number(v, dc)
                                 OR okr_date_fast(v) IS DISTINCT FROM okr_date(v)""").fetchall()[0][0]
        return bad

    mismatches = equivalence()
    bench.single("okr_number_fast / okr_date_fast vs okr_number / okr_date", 0.0,
                 f"{mismatches} distinct cells (file + 25 probes, both decimal styles) parse differently")

    # -- definition numbers: one DuckDB query per number ------------------------------------------
    def current_definitions():
        validator.problems.clear()
        validator.upload_kpis.clear()
        frame = validator._kpi_definitions(table)
        return 0 if frame is None else len(frame)

    if hasattr(validator, "_parse_number"):  # before commit 555fa8c: one DuckDB query per definition number
        calls = {"n": 0}
        original = validator._parse_number

        def counting(table_, text_):
            calls["n"] += 1
            return original(table_, text_)

        validator._parse_number = counting  # type: ignore[method-assign]
        current_definitions()
        validator._parse_number = original  # type: ignore[method-assign]
        per_call, _ = timed(lambda: [con.execute(f"SELECT okr_number(?, {dc})", ["123.5"]).fetchall() for _ in range(200)])
        fresh = duckdb.connect(":memory:")
        fresh.execute(csvfile.CELL_MACROS)
        per_call_fresh, _ = timed(lambda: [fresh.execute("SELECT okr_number(?, false)", ["123.5"]).fetchall() for _ in range(200)])
        per_call_plain, _ = timed(lambda: [fresh.execute("SELECT TRY_CAST(? AS DOUBLE)", ["123.5"]).fetchall() for _ in range(200)])
        bench.single("kpis: _kpi_definitions: okr_number calls", 0.0,
                     f"{calls['n']:,} single-value queries; {per_call / 200 * 1000:.2f} ms each "
                     f"({per_call_fresh / 200 * 1000:.2f} ms on an empty connection, "
                     f"{per_call_plain / 200 * 1000:.2f} ms for TRY_CAST alone: the cost is binding the macro)")
    else:
        bench.single("kpis: _kpi_definitions: okr_number calls", 0.0,
                     "none: the importer parses the definition numbers in its definitions query (since 555fa8c)")

    def proposed_definitions():
        given = [c for c in importer._Validator._KPI_DEFINITION_COLUMNS if c in columns]
        firsts = ", ".join(f"arg_min(trim(\"{c}\"), line) FILTER (WHERE NOT okr_blank(\"{c}\")) AS \"{c}\"" for c in given)
        parsed = ", ".join(f"okr_number_fast(\"{c}\", {dc}) AS \"{c}_n\", okr_number_unit(\"{c}\") AS \"{c}_unit\""
                           for c in ("target", "min", "max", "tolerance") if c in given or c == "target")
        rows = con.execute(
            f"""WITH d AS (SELECT trim(team) AS team, trim(kpi) AS name, min(line) AS line, {firsts},
                       arg_max(target, okr_date(date)) FILTER (WHERE NOT okr_blank(target)) AS target
                FROM {t} GROUP BY trim(team), trim(kpi))
                SELECT *, {parsed} FROM d ORDER BY line"""
        ).df()
        # The pydantic part that stays: one Kpi per definition row, with already parsed numbers.
        from okrdash.models import Kpi

        out = []
        for row in rows.to_dict("records"):
            fields = {"team": row["team"], "name": row["name"], "unit": row.get("unit"),
                      "direction": row.get("direction") or "higher_is_better",
                      "target": None if row["target_n"] != row["target_n"] else row["target_n"],
                      "frequency": row.get("frequency") or "monthly", "kpi_type": row.get("kpi_type") or "operational",
                      "indicator": row.get("indicator") or "lagging", "category": row.get("category"),
                      "owner": row.get("owner")}
            for c, f in (("min", "min_value"), ("max", "max_value")):
                value = row.get(f"{c}_n")
                if value is not None and value == value:
                    fields[f] = value
            out.append(Kpi.model_validate({k: v for k, v in fields.items() if v is not None}))
        return len(out)

    bench.compare("kpis: _kpi_definitions (one query per number -> numbers parsed in the definitions query)",
                  current_definitions, proposed_definitions, check=lambda a, b: a == b)

    # -- duplicate keys ---------------------------------------------------------------------------
    key = "lower(trim(team)) || chr(0) || lower(trim(kpi))"
    dup_key = f"{key} || chr(0) || coalesce(CAST(okr_date(date) AS VARCHAR), trim(date))"

    def current_duplicates():
        validator.problems.clear()
        try:  # the signature as of commit 1c276ed+: key columns, partitioned column by column
            validator._duplicates(table, ("team", "kpi", "date"), where="NOT okr_blank(date)",
                                  key_sql={"date": "coalesce(CAST(okr_date(date) AS VARCHAR), trim(date))"})
        except TypeError:  # earlier: one concatenated key string
            validator._duplicates(table, dup_key, "team + kpi + date", where="NOT okr_blank(date)")
        return len(validator.problems)

    def proposed_duplicates():
        return len(con.execute(
            f"""WITH k AS MATERIALIZED (SELECT line, lower(trim(team)) AS team_k, lower(trim(kpi)) AS kpi_k,
                                  coalesce(CAST(okr_date_fast(date) AS VARCHAR), trim(date)) AS date_k
                           FROM {t} WHERE NOT okr_blank(date)),
                     repeated AS (SELECT team_k, kpi_k, date_k, min(line) AS first_line FROM k
                                  GROUP BY ALL HAVING count(*) > 1)
                SELECT k.line, r.first_line FROM k JOIN repeated r USING (team_k, kpi_k, date_k)
                WHERE k.line <> r.first_line ORDER BY k.line LIMIT 201""").fetchall())

    bench.compare("kpis: _duplicates (team + kpi + date)", current_duplicates, proposed_duplicates,
                  check=lambda a, b: a == b,
                  note="proposed: GROUP BY the key columns HAVING count(*) > 1, join back only the repeats "
                       "(no sort of a concatenated string over every row)")

    # -- conflicting definition values ------------------------------------------------------------
    def current_conflicts():
        started = time.perf_counter()
        for column in (c for c in importer._Validator._KPI_DEFINITION_COLUMNS if c in columns):
            normalised = f"lower(regexp_replace(trim(\"{column}\"), '[\\s_-]+', ' ', 'g'))"
            con.execute(
                f"""WITH defined AS (SELECT line, {key} AS k, "{column}" AS value, {normalised} AS norm
                        FROM {t} WHERE NOT okr_blank("{column}")),
                    firsts AS (SELECT k, arg_min(line, line) AS first_line, arg_min(value, line) AS first_value,
                                      arg_min(norm, line) AS first_norm FROM defined GROUP BY k)
                    SELECT d.line, d.value, f.first_line, f.first_value FROM defined d JOIN firsts f USING (k)
                    WHERE d.norm <> f.first_norm ORDER BY d.line LIMIT 50""").fetchall()
        return time.perf_counter() - started

    bench.single("kpis: conflicting definition values (10 queries, as in _kpis)", current_conflicts())

    # -- the measurements handed to the store -----------------------------------------------------
    select_now = f"""SELECT trim(team) AS team, trim(kpi) AS kpi, okr_date(date) AS date,
                            okr_number("value", {dc}) AS "value", okr_number("target", {dc}) AS "target"
                     FROM {t} WHERE NOT okr_blank(date)"""
    select_new = select_now.replace("okr_date(", "okr_date_fast(").replace("okr_number(", "okr_number_fast(")
    bench.compare("kpis: measurements SELECT ... .df() (pandas) -> okr_*_fast ... .to_arrow_table()",
                  lambda: len(con.execute(select_now).df()), lambda: con.execute(select_new).to_arrow_table().num_rows,
                  check=lambda a, b: a == b)

    frame = con.execute(select_now).df()
    arrow = con.execute(select_new).to_arrow_table()
    write = duckdb.connect(":memory:")

    def upsert(staged) -> float:
        write.execute("""CREATE OR REPLACE TABLE m (kpi TEXT, team TEXT, date DATE, value DOUBLE, target DOUBLE,
                         PRIMARY KEY (team, kpi, date))""")
        write.register("staged", staged)
        started = time.perf_counter()
        write.execute("""INSERT INTO m SELECT kpi, team, date, value, target FROM staged
                         ON CONFLICT (team, kpi, date) DO UPDATE SET value = excluded.value""")
        write.unregister("staged")
        return time.perf_counter() - started

    bench.single("store: INSERT ... ON CONFLICT of the measurements from pandas (in-memory, PK index)", upsert(frame))
    bench.single("store: the same from Arrow", upsert(arrow))

    # -- okrs: rows into Python ----------------------------------------------------------------------
    odata = (folder / "okrs.csv").read_bytes()
    otable = csvfile.read_csv(con, "okrs.csv", odata, "upload_2", config.max_upload_rows)
    ot = f'"{otable.table}"'
    ovalidator = importer._Validator(con, store, config, [otable], dt.date(2026, 11, 22))
    ocols = ["cycle", "team", "objective", "objective_owner", "objective_type", "parent_objective", "key_result", "owner",
             "kind", "unit", "kpi", "current"]
    oselect = ", ".join(["line", *(ovalidator._col(otable, c) for c in ocols),
                         ovalidator._col(otable, "start_date", parse="date"), ovalidator._col(otable, "end_date", parse="date"),
                         ovalidator._col(otable, "baseline", "baseline_value", "number"),
                         ovalidator._col(otable, "target", "target_value", "number"),
                         ovalidator._col(otable, "weight", "weight_value", "number")])

    def rows_pandas():
        frame_ = con.execute(f"SELECT {oselect} FROM {ot} ORDER BY line").df()
        return [importer._clean(r) for r in frame_.to_dict("records")]

    def rows_tuples():
        result_ = con.execute(f"SELECT {oselect} FROM {ot} ORDER BY line")
        names_ = [d[0] for d in result_.description]
        return [dict(zip(names_, row)) for row in result_.fetchall()]

    bench.compare("okrs: rows via .df().to_dict('records') + _clean -> fetchall() + zip (DuckDB gives None/date/float)",
                  rows_pandas, rows_tuples, check=lambda a, b: a == b, note=f"{otable.row_count:,} rows")
    rows_ = rows_tuples()
    from okrdash.models import Cycle, KRKind, ObjectiveType, parse_enum

    def cycles_each():
        return [Cycle.parse(r["cycle"], r["start_date"], r["end_date"]).name for r in rows_]

    def cycles_cached():
        seen: dict = {}
        out_ = []
        for r in rows_:
            k = (r["cycle"], r["start_date"], r["end_date"])
            if k not in seen:
                seen[k] = Cycle.parse(*k)
            out_.append(seen[k].name)
        return out_

    bench.compare("okrs: Cycle.parse per row -> once per distinct (cycle, start, end)", cycles_each, cycles_cached,
                  check=lambda a, b: a == b)

    def enums_each():
        return [(parse_enum(ObjectiveType, r["objective_type"]), parse_enum(KRKind, r["kind"])) for r in rows_]

    cached_enum = __import__("functools").lru_cache(maxsize=1024)(parse_enum)
    bench.compare("okrs: parse_enum per cell -> functools.lru_cache", enums_each,
                  lambda: [(cached_enum(ObjectiveType, r["objective_type"]), cached_enum(KRKind, r["kind"])) for r in rows_],
                  check=lambda a, b: a == b)

    # -- check-ins: resolving each row's key result ----------------------------------------------------
    company_db = folder / "okrdash.duckdb"
    if company_db.exists():
        del frame, arrow
        con.execute(f"DROP TABLE {t}")
        company = open_store(company_db, config)
        cdata = (folder / "checkins.csv").read_bytes()
        ctable = csvfile.read_csv(con, "checkins.csv", cdata, "upload_1", config.max_upload_rows)
        ct = f'"{ctable.table}"'
        cvalidator = importer._Validator(con, company, config, [ctable], dt.date(2026, 11, 22))

        def current_checkins():
            cvalidator.problems.clear()
            cvalidator.changes.clear()
            cvalidator._checkins(ctable)
            frame_ = cvalidator.changes[0].checkins
            return len(frame_), float(frame_["value"].sum()), len(cvalidator.problems)

        def proposed_checkins():
            cdc = "true" if ctable.decimal_comma else "false"
            checks = [f"SELECT line, '{c}' AS col, \"{c}\" AS val, 'required' AS code FROM {ct} WHERE okr_blank(\"{c}\")"
                      for c in ("team", "key_result", "date", "value")]
            checks.append(f"SELECT line, 'date', date, 'not_a_date' FROM {ct} WHERE NOT okr_blank(date) AND okr_date_fast(date) IS NULL")
            checks.append(f"SELECT line, 'confidence', confidence, 'not_a_confidence' FROM {ct} "
                          "WHERE NOT okr_blank(confidence) AND okr_confidence(confidence) IS NULL")
            problems = con.execute(f"SELECT *, count(*) OVER () FROM ({' UNION ALL '.join(checks)}) ORDER BY line LIMIT 200").fetchall()
            index = company.key_result_index()
            con.register("kr_index", index)
            con.register("cycle_names", __import__("pandas").DataFrame(
                [(raw, importer._cycle_name(raw)) for (raw,) in con.execute(
                    f"SELECT DISTINCT trim(cycle) FROM {ct} WHERE NOT okr_blank(cycle)").fetchall()], columns=["raw", "name"]))
            # Resolve each distinct (team, key_result, cycle) once, then join the rows to it.
            con.execute(f"""
                CREATE OR REPLACE TABLE resolved2 AS
                WITH keys AS (SELECT DISTINCT team, key_result, cycle FROM {ct}),
                matched AS (
                    SELECT k.team AS f_team, k.key_result AS f_kr, k.cycle AS f_cycle, count(i.key_result) AS matches,
                           any_value(i.cycle) AS cycle, any_value(i.team) AS team, any_value(i.objective) AS objective,
                           any_value(i.key_result) AS key_result, any_value(i.kind) AS kind, any_value(i.kpi) AS kpi
                    FROM keys k LEFT JOIN cycle_names cn ON cn.raw = trim(k.cycle)
                    LEFT JOIN kr_index i ON lower(i.team) = lower(trim(k.team))
                         AND lower(i.key_result) = lower(trim(k.key_result)) AND (okr_blank(k.cycle) OR i.cycle = cn.name)
                    GROUP BY ALL)
                SELECT f.line, trim(f.team) AS team_text, f.key_result AS kr_text, f.value AS value_text, m.matches,
                       m.cycle, m.team, m.objective, m.key_result, m.kind, m.kpi, okr_date_fast(f.date) AS date,
                       CASE WHEN m.kind = 'milestone' THEN coalesce(okr_milestone_value(f.value), okr_number_fast(f.value, {cdc}))
                            ELSE okr_number_fast(f.value, {cdc}) END AS value,
                       okr_confidence(f.confidence) AS confidence, f.note
                FROM {ct} f JOIN matched m ON m.f_team IS NOT DISTINCT FROM f.team
                     AND m.f_kr IS NOT DISTINCT FROM f.key_result AND m.f_cycle IS NOT DISTINCT FROM f.cycle""")
            con.unregister("kr_index")
            con.unregister("cycle_names")
            problems += con.execute("""SELECT line FROM resolved2 WHERE team_text <> '' AND NOT okr_blank(kr_text)
                                       AND (matches <> 1 OR kpi IS NOT NULL) ORDER BY line LIMIT 201""").fetchall()
            problems += con.execute("""SELECT line FROM resolved2 WHERE matches = 1 AND NOT okr_blank(value_text)
                                       AND (value IS NULL OR isnan(value) OR isinf(value) OR abs(value) > 1e15)
                                       ORDER BY line LIMIT 201""").fetchall()
            problems += con.execute("""WITH repeated AS (SELECT cycle, team, objective, key_result, date, min(line) AS first_line
                                          FROM resolved2 WHERE matches = 1 AND date IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
                                       SELECT r.line FROM resolved2 r JOIN repeated USING (cycle, team, objective, key_result, date)
                                       WHERE r.line <> first_line ORDER BY r.line LIMIT 201""").fetchall()
            arrow_ = con.execute("SELECT cycle, team, objective, key_result, date, value, confidence, note FROM resolved2").to_arrow_table()
            return arrow_.num_rows, float(__import__("pyarrow").compute.sum(arrow_["value"]).as_py()), len(problems)

        bench.compare("checkins: _checkins (cells, resolve, problems, duplicates, fetch)", current_checkins, proposed_checkins,
                      check=lambda a, b: a[0] == b[0] and a[2] == b[2] and abs(a[1] - b[1]) <= 1e-9 * abs(a[1]),
                      note=f"{ctable.row_count:,} rows; proposed: fast parsers, resolve DISTINCT (team, key_result, cycle) "
                           "then join back, GROUP BY for duplicates, Arrow instead of pandas")
        company.close()

    # -- report -----------------------------------------------------------------------------------
    lines = [f"# Proposed import fixes, measured: {args.size} company ({table.row_count:,} KPI rows)", "",
             f"Rerun: `.venv/bin/python -m bench.fixes --size {args.size}`. Median of {args.repeat} runs; wall seconds "
             "on the shared 2-core machine.", "",
             "| step | today s | proposed s | note |", "|---|---:|---:|---|"]
    for step, note, now, new, _ in bench.rows:
        lines.append(f"| {step} | {'' if now == 0 else f'{now:.3f}'} | {'' if new != new else f'{new:.3f}'} | {note} |")
    PROFILES.mkdir(parents=True, exist_ok=True)
    (PROFILES / f"{args.size}-fixes.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {PROFILES / f'{args.size}-fixes.md'}")


if __name__ == "__main__":
    main()
