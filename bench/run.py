"""Scale benchmark: import, scoring, read models, page scripts and memory on synthetic companies.

Usage (from the project root)::

    .venv/bin/python -m bench.run --size medium          # ~3 minutes on 2 cores (5 import runs)
    .venv/bin/python -m bench.run --size large           # ~10 minutes on 2 cores (3 import runs, 70 s each for the KPI file)
    .venv/bin/python -m bench.run --size all             # demo, medium, then large

Options: ``--runs N`` import runs (default 5; 3 for large), ``--warm N`` warm repetitions of the
scoring, read-model and page timings (default 7; 5 for large), ``--threads 1,2,4`` sessions rerunning
the heaviest page at once, ``--workdir DIR`` (default bench/.work: generated CSVs and databases,
never committed), ``--reuse`` keeps the CSV files and the database of an earlier run and skips
the import phase, ``--concurrency-pages team,kpis`` pages rerun by several sessions at once besides
the heaviest, ``--report-only`` rebuilds the Markdown from the JSON, ``--profile`` also writes pyinstrument profiles of the heaviest page (first run
and warm rerun) into bench/results/profiles/ (``pip install pyinstrument`` into the venv first).
The import is broken down statement by statement by ``python -m bench.sqltrace`` (see docs/scaling.md).

Writes ``bench/results/scale-<size>.json`` and ``scale-<size>.md``. What is measured:

1. import: each file kind (kpis, okrs, checkins, in that order, into a fresh store per run)
   through ``okrdash.importing.import_files`` (validation included), against a bare DuckDB
   ``CREATE TABLE AS SELECT * FROM read_csv(file, columns = {typed})`` of the same file into a
   fresh database file; rows/s and the importer/bare ratio per kind. In the same run the fair
   floor (bench/fair_floor.sql: the same file into the real schema in plain SQL, names to ids,
   prior versions, the primary-key upsert, one transaction, no checks) into a third database, and
   both again with every file already stored (re-import); ``fair_floor_s`` and ``fair_ratio``
   (importer over floor) per kind, and whether both stored the same rows. Runs in a child process
   so its peak RSS is the import's own. ``--import-only`` runs just this phase and writes its
   figures into the earlier full run's scale-<size>.json.
2. scoring: ``CREATE TEMP TABLE AS SELECT * FROM kr_scores(as_of)`` (and objective_scores,
   kpi_scores) fully materialised in the engine, all three as the store scores them (the
   objectives rolled up from the key results scored once), and the same through the store into
   DataFrames. ``python -m bench.scoring`` sets the CPU seconds of it beside pandas and polars.
3. read models (``readmodels.overview``, ``team_page``, ``objective_view``, ``kpi_table``) and every
   page script through Streamlit's AppTest on the imported database (OKRDASH_DB, demo off): the
   first run after ``st.cache_data.clear()`` and the median of warm reruns; then warm reruns per
   second of the heaviest page with 1, 2, 4 sessions rerunning at once in one process.
4. memory: a child process that opens the database and renders every page once (AppTest, first
   run and one rerun each): its VmHWM (ru_maxrss is kept in the JSON but survives execve, so it
   can show the parent's peak). And the database file size.

Every timing is a median; wall-clock and CPU seconds of the import are both reported, with the
load average, because the 2-core benchmark machine is shared.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import pickle
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_WORKDIR = ROOT / "bench" / ".work"
APP = ROOT / "app.py"
KINDS = ("kpis", "okrs", "checkins")  # import order: check-ins need the key results
PAGES = {
    "overview": "pages/overview.py",
    "team": "pages/team.py",
    "objective": "pages/objective.py",
    "kpis": "pages/kpis.py",
    "upload": "pages/upload.py",
    "explainer": "pages/explainer.py",
}

# The types the store keeps, for the bare read_csv baseline. `tolerance` ("10%") and `confidence`
# ("high") accept words, so they stay text as in the format.
BARE_COLUMNS: dict[str, dict[str, str]] = {
    "kpis": {
        "team": "VARCHAR", "kpi": "VARCHAR", "date": "DATE", "value": "DOUBLE", "target": "DOUBLE",
        "unit": "VARCHAR", "direction": "VARCHAR", "min": "DOUBLE", "max": "DOUBLE", "tolerance": "VARCHAR",
        "frequency": "VARCHAR", "kpi_type": "VARCHAR", "indicator": "VARCHAR", "category": "VARCHAR",
        "owner": "VARCHAR",
    },
    "okrs": {
        "cycle": "VARCHAR", "start_date": "DATE", "end_date": "DATE", "team": "VARCHAR", "objective": "VARCHAR",
        "objective_owner": "VARCHAR", "objective_type": "VARCHAR", "parent_objective": "VARCHAR",
        "key_result": "VARCHAR", "owner": "VARCHAR", "kind": "VARCHAR", "baseline": "DOUBLE", "target": "DOUBLE",
        "unit": "VARCHAR", "weight": "DOUBLE", "kpi": "VARCHAR", "current": "DOUBLE", "date": "DATE",
        "confidence": "VARCHAR",
    },
    "checkins": {
        "team": "VARCHAR", "key_result": "VARCHAR", "cycle": "VARCHAR", "date": "DATE", "value": "DOUBLE",
        "confidence": "VARCHAR", "note": "VARCHAR",
    },
}

# Targets of the product issue (large company).
TARGET_IMPORT_RATIO = 3.0
# Importer over the fair floor (bench/fair_floor.sql: the same file into the real schema in plain SQL).
TARGET_FAIR_RATIO = {"kpis": 1.5, "okrs": 3.0, "checkins": 1.5}
TARGET_KPI_ROWS = 1_825_000
TARGET_KPI_SECONDS = 15.0
TARGET_SCORING_SECONDS = 1.0
TARGET_PAGE_SECONDS = 1.0
TARGET_RSS_BYTES = 1 << 30


# -- helpers --------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def median(values: list[float]) -> float:
    return statistics.median(values)


def status_file(field: str) -> int:
    """A /proc/self/status field in bytes (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def git_commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def machine() -> dict[str, Any]:
    import duckdb
    import pandas
    import pydantic
    import streamlit

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cores": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / 2**30, 1), "platform": platform.platform(),
        "python": platform.python_version(), "duckdb": duckdb.__version__, "pandas": pandas.__version__,
        "streamlit": streamlit.__version__, "pydantic": pydantic.VERSION, "commit": commit,
    }


def page_fingerprints() -> dict[str, dict[str, Any]]:
    """Which page files were measured (other engineers edit them at the same time)."""
    out = {}
    for name, page in PAGES.items():
        data = (ROOT / page).read_bytes()
        out[name] = {"lines": data.count(b"\n"), "sha1": hashlib.sha1(data).hexdigest()[:10],
                     "stub": b"todo" in data and data.count(b"\n") < 5}
    return out


def run_child(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``python -m bench.run --child ...`` and return the JSON it prints last."""
    proc = subprocess.run([sys.executable, "-m", "bench.run", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                          stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _profile(path: Path):
    """Profile the Streamlit script thread of AppTest runs into ``path`` (pyinstrument), or do nothing.

    AppTest runs the page in its own thread while the calling thread sleeps, so the profiler is
    started and stopped inside that thread (LocalScriptRunner._run_script_thread is wrapped).
    """
    try:
        from pyinstrument import Profiler
    except ImportError:
        log("pyinstrument missing: no profile written")
        return contextlib.nullcontext()
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    @contextlib.contextmanager
    def profiled():
        profilers = []
        original = LocalScriptRunner._run_script_thread

        def wrapped(self):
            profiler = Profiler(interval=0.002)
            profiler.start()
            try:
                original(self)
            finally:
                profiler.stop()
                profilers.append(profiler)

        LocalScriptRunner._run_script_thread = wrapped
        try:
            yield
        finally:
            LocalScriptRunner._run_script_thread = original
            path.parent.mkdir(parents=True, exist_ok=True)
            text = []
            for profiler in profilers:
                text.append(profiler.output_text(unicode=True, color=False, show_all=False))
                flat = profiler.output_text(unicode=True, color=False, flat=True, flat_time="total").splitlines()
                text.append("Total time per function (flat, first 60 lines):\n" + "\n".join(flat[:60]))
                flat = profiler.output_text(unicode=True, color=False, flat=True, flat_time="self").splitlines()
                text.append("Self time per function (flat, first 40 lines):\n" + "\n".join(flat[:40]))
            path.write_text("\n\n".join(text) + "\n")
            log(f"profile: {path}")

    return profiled()


# -- 1. import (child process) --------------------------------------------------------------------


FAIR_FLOOR_SQL = ROOT / "bench" / "fair_floor.sql"


def fair_floor_sections() -> dict[str, list[str]]:
    """bench/fair_floor.sql: per file kind, its statements (run in one transaction)."""
    sections: dict[str, list[str]] = {}
    kind = None
    for block in FAIR_FLOOR_SQL.read_text().split("\n-- kind: ")[1:]:
        kind, _, body = block.partition("\n")
        lines = [line for line in body.splitlines() if not line.lstrip().startswith("--")]
        sections[kind.strip()] = [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().rstrip(";")]
    return sections


def fair_floor(store, kind: str, path: Path, statements: list[str]) -> None:
    """One file through bench/fair_floor.sql: hashed (the batch's sha256, as the importer does), then
    read, resolved and upserted into ``store``'s real schema in one transaction."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    del data
    with store.cursor() as cur:
        cur.begin()
        for statement in statements:
            names = {n: v for n, v in (("file", str(path)), ("name", path.name)) if f"${n}" in statement}
            cur.execute(statement.rstrip(";"), names)
        cur.execute("UPDATE batches SET sha256 = ? WHERE id = currval('batch_ids')", [digest])
        cur.commit()


# The stored rows of every table a file writes, by natural key (ids and batch ids differ between databases).
STORED_ROWS = {
    "kpis": "SELECT * EXCLUDE (id, batch_id) FROM kpis",
    "kpi_measurements": "SELECT k.team, k.name, m.* EXCLUDE (kpi_id, batch_id) FROM kpi_measurements m "
                        "JOIN kpis k ON k.id = m.kpi_id",
    "cycles": "SELECT * EXCLUDE (batch_id) FROM cycles",
    "objectives": "SELECT * EXCLUDE (id, batch_id) FROM objectives",
    "key_results": "SELECT o.cycle, o.team, o.title AS objective, k.* EXCLUDE (id, objective_id, kpi_id, batch_id), "
                   "kp.name AS kpi FROM key_results k JOIN objectives o ON o.id = k.objective_id "
                   "LEFT JOIN kpis kp ON kp.id = k.kpi_id",
    "checkins": "SELECT o.cycle, o.team, k.title, c.* EXCLUDE (key_result_id, batch_id) FROM checkins c "
                "JOIN key_results k ON k.id = c.key_result_id JOIN objectives o ON o.id = k.objective_id",
    "batches": "SELECT file_name, sha256, kind, inserted, updated FROM batches",
}


def compare_floor(importer_db: Path, floor_db: Path) -> dict[str, Any]:
    """Rows stored by the importer and not by the fair floor, and the other way round, per table."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{importer_db}' AS imp (READ_ONLY); ATTACH '{floor_db}' AS floor (READ_ONLY)")
    out = {}
    for table, sql in STORED_ROWS.items():
        imp, floor = sql.replace(" FROM ", " FROM imp.").replace(" JOIN ", " JOIN imp."), \
            sql.replace(" FROM ", " FROM floor.").replace(" JOIN ", " JOIN floor.")
        only_imp = con.execute(f"SELECT count(*) FROM ({imp} EXCEPT ALL {floor})").fetchall()[0][0]
        only_floor = con.execute(f"SELECT count(*) FROM ({floor} EXCEPT ALL {imp})").fetchall()[0][0]
        out[table] = {"only_importer": only_imp, "only_floor": only_floor}
    con.close()
    return out


def child_import(folder: Path, runs: int) -> dict[str, Any]:
    import duckdb

    from bench.generate import AS_OF
    from okrdash.importing import Upload, import_files
    from okrdash.problems import ImportFailed
    from okrdash.store import open_store

    files = {kind: folder / f"{kind}.csv" for kind in KINDS}
    importer: dict[str, list[dict[str, float]]] = {k: [] for k in KINDS}
    reimport: dict[str, list[dict[str, float]]] = {k: [] for k in KINDS}
    floor: dict[str, list[float]] = {k: [] for k in KINDS}
    floor_again: dict[str, list[float]] = {k: [] for k in KINDS}
    bare: dict[str, list[float]] = {k: [] for k in KINDS}
    bare_cpu: dict[str, list[float]] = {k: [] for k in KINDS}
    db = folder / "import.duckdb"
    floor_db = folder / "floor.duckdb"
    bare_db = folder / "bare.duckdb"
    sections = fair_floor_sections()
    loads = [loadavg()]

    def timed_import(store, kind: str, into: dict[str, list[dict[str, float]]], label: str) -> None:
        upload = Upload(files[kind].name, files[kind].read_bytes())  # the bytes as the page hands them over
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            result = import_files(store, [upload], today=AS_OF)
        except ImportFailed as failed:
            raise SystemExit("\n".join(p.describe() for p in failed.problems[:20])) from None
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        into[kind].append({"wall": wall, "cpu": cpu, "rows": result.files[0].rows})
        log(f"{label} run {run + 1}/{runs} {kind}: {wall:.2f} s wall, {cpu:.2f} s cpu, {result.files[0].rows} rows")

    for run in range(runs):
        for path in (db, floor_db, bare_db):
            for stale in (path, path.with_suffix(".duckdb.wal")):
                stale.unlink(missing_ok=True)
        store = open_store(db)
        for kind in KINDS:
            timed_import(store, kind, importer, "import")
        for kind in KINDS:  # the same files again: every row is already stored
            timed_import(store, kind, reimport, "re-import")
        counts = store.table_counts()
        store.close()
        store = open_store(floor_db)  # the real schema, and the same connection settings
        for again, into in ((False, floor), (True, floor_again)):
            for kind in KINDS:
                started = time.perf_counter()
                fair_floor(store, kind, files[kind], sections[kind])
                into[kind].append(time.perf_counter() - started)
                log(f"fair floor{' again' if again else ''} run {run + 1}/{runs} {kind}: {into[kind][-1]:.2f} s")
        floor_counts = store.table_counts()
        store.close()
        con = duckdb.connect(str(bare_db))
        for kind in KINDS:
            columns = ", ".join(f"'{name}': '{type_}'" for name, type_ in BARE_COLUMNS[kind].items())
            started, cpu = time.perf_counter(), time.process_time()
            con.execute(
                f"""CREATE TABLE {kind} AS SELECT * FROM read_csv(?, header = true, delim = ',', quote = '"',
                    escape = '"', auto_detect = false, columns = {{{columns}}})""",
                [str(files[kind])],
            )
            bare[kind].append(time.perf_counter() - started)
            bare_cpu[kind].append(time.process_time() - cpu)
            log(f"bare run {run + 1}/{runs} {kind}: {bare[kind][-1]:.3f} s")
        con.close()
        loads.append(loadavg())
    same_rows = compare_floor(db, floor_db)
    log(f"stored rows, importer vs fair floor: {same_rows}")
    company = folder / "okrdash.duckdb"
    # An interrupted earlier run may have left a write-ahead log that belongs to the old file.
    for path in (company, company.with_suffix(".duckdb.wal")):
        path.unlink(missing_ok=True)
    shutil.move(db, company)
    for path in (bare_db, floor_db):
        path.unlink(missing_ok=True)
    return {
        "importer": importer, "reimport": reimport, "floor": floor, "floor_again": floor_again,
        "bare": bare, "bare_cpu": bare_cpu, "table_counts": counts, "floor_table_counts": floor_counts,
        "floor_same_rows": same_rows, "loadavg": loads,
        # VmHWM, not ru_maxrss: on Linux ru_maxrss survives execve, so a child reports its parent's peak.
        "peak_rss_bytes": status_file("VmHWM"),
        "db_bytes": company.stat().st_size,
    }


def summarise_import(raw: dict[str, Any], manifest: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for kind in KINDS:
        runs = raw["importer"][kind]
        wall = median([r["wall"] for r in runs])
        cpu = median([r["cpu"] for r in runs])
        bare = median(raw["bare"][kind])
        bare_cpu = median(raw["bare_cpu"][kind])
        count = runs[0]["rows"]
        row = {
            "kind": kind, "rows": count, "bytes": manifest["files"][f"{kind}.csv"]["bytes"], "runs": len(runs),
            "importer_s": round(wall, 3), "importer_cpu_s": round(cpu, 3), "importer_rows_per_s": round(count / wall),
            "bare_s": round(bare, 3), "bare_rows_per_s": round(count / bare),
            "ratio": round(wall / bare, 1), "bare_cpu_s": round(bare_cpu, 3),
            "ratio_cpu": round(cpu / bare_cpu, 1) if bare_cpu else None, "importer_s_all": [round(r["wall"], 3) for r in runs],
            "bare_s_all": [round(b, 3) for b in raw["bare"][kind]],
        }
        if raw.get("floor"):
            fair = median(raw["floor"][kind])
            again = median([r["wall"] for r in raw["reimport"][kind]])
            fair_again = median(raw["floor_again"][kind])
            row.update({
                "fair_floor_s": round(fair, 3), "fair_ratio": round(wall / fair, 2),
                "fair_floor_s_all": [round(f, 3) for f in raw["floor"][kind]],
                "reimport_s": round(again, 3), "reimport_fair_floor_s": round(fair_again, 3),
                "reimport_fair_ratio": round(again / fair_again, 2),
                "fair_target": TARGET_FAIR_RATIO[kind], "fair_met": wall / fair <= TARGET_FAIR_RATIO[kind],
            })
        rows.append(row)
    return rows


# -- 2. scoring -----------------------------------------------------------------------------------


def time_repeated(fn, warm: int) -> tuple[float, float]:
    """(first call, median of ``warm`` further calls) in seconds."""
    started = time.perf_counter()
    fn()
    first = time.perf_counter() - started
    times = []
    for _ in range(warm):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return first, median(times)


def measure_scoring(store, as_of: dt.date, warm: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with store.cursor() as cur:  # temp tables live as long as their connection
        def materialise(macro: str):
            def run():
                cur.execute(f"CREATE OR REPLACE TEMP TABLE bench_{macro} AS SELECT * FROM {macro}(?::DATE)", [as_of])
            return run

        def all_three():  # as the store scores: every key result once, the objectives rolled up from them
            materialise("kr_scores")()
            cur.execute("CREATE OR REPLACE TEMP TABLE bench_rollup AS "
                        "SELECT * FROM objective_rollup('bench_kr_scores', ?::DATE)", [as_of])
            materialise("kpi_scores")()

        for name, fn in (("kr_scores", materialise("kr_scores")), ("objective_scores", materialise("objective_scores")),
                         ("kpi_scores", materialise("kpi_scores")), ("all_three", all_three),
                         ("store.kr_scores_df", lambda: store.kr_scores(as_of)),
                         ("store.objective_scores_df", lambda: store.objective_scores(as_of)),
                         ("store.kpi_scores_df", lambda: store.kpi_scores(as_of))):
            first, warm_median = time_repeated(fn, warm)
            out[name] = {"first_ms": round(first * 1000, 1), "median_ms": round(warm_median * 1000, 1)}
            log(f"scoring {name}: {warm_median * 1000:.0f} ms")
        out["rows"] = {m: cur.execute(f"SELECT count(*) FROM bench_{m}").fetchall()[0][0]
                       for m in ("kr_scores", "objective_scores", "kpi_scores")}
        out["status_mix"] = {
            m: {f"{cycle or 'all'} {status}": n for cycle, status, n in cur.execute(
                f"SELECT {'cycle' if m != 'kpi_scores' else 'NULL'}, status, count(*) FROM bench_{m} GROUP BY ALL ORDER BY ALL"
            ).fetchall()}
            for m in ("kr_scores", "objective_scores", "kpi_scores")
        }
    return out


# -- 3. read models and pages ----------------------------------------------------------------------


def pick_subjects(store, cycle: str) -> dict[str, Any]:
    """The team with the most key results in ``cycle`` (Company aside), its largest objective, its first KPI."""
    with store.cursor() as cur:
        team = cur.execute(
            """SELECT o.team FROM objectives o JOIN key_results k ON k.objective_id = o.id
               WHERE o.cycle = ? AND o.team <> 'Company' GROUP BY o.team
               ORDER BY count(*) DESC, (SELECT count(*) FROM kpis WHERE kpis.team = o.team) DESC, o.team LIMIT 1""",
            [cycle],
        ).fetchall()[0][0]
        objective_id = cur.execute(
            """SELECT o.id FROM objectives o JOIN key_results k ON k.objective_id = o.id
               WHERE o.cycle = ? AND o.team = ? GROUP BY o.id ORDER BY count(*) DESC, o.id LIMIT 1""",
            [cycle, team],
        ).fetchall()[0][0]
        kpi = cur.execute("SELECT id FROM kpis WHERE team = ? ORDER BY id LIMIT 1", [team]).fetchall()
    return {"team": team, "objective": int(objective_id), "kpi": int(kpi[0][0]) if kpi else None}


def measure_readmodels(store, as_of: dt.date, cycle_name: str, subjects: dict[str, Any], warm: int) -> dict[str, Any]:
    from okrdash import readmodels

    cycle = readmodels.pick_cycle(store, cycle_name, as_of)
    calls = {
        "overview": lambda: readmodels.overview(store, cycle, as_of),
        "team_view": lambda: readmodels.team_page(store, subjects["team"], cycle, as_of),
        "objective_view": lambda: readmodels.objective_view(store, subjects["objective"], as_of),
        "kpi_table": lambda: readmodels.kpi_table(store, as_of),
    }
    out = {}
    for name, fn in calls.items():
        first, warm_median = time_repeated(fn, warm)
        out[name] = {"first_ms": round(first * 1000, 1), "median_ms": round(warm_median * 1000, 1)}
        log(f"read model {name}: {warm_median * 1000:.0f} ms")
    view = calls["overview"]()
    out["overview_sizes"] = {"objectives": len(view.objectives), "needs_attention": len(view.needs_attention),
                             "team_status_rows": len(view.team_status)}
    # st.cache_data keeps each result pickled: this is what one cache entry costs in memory.
    out["cached_bytes"] = {name: len(pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL)) for name, fn in calls.items()}
    log(f"cache entry sizes: {out['cached_bytes']}")
    return out


def page_query(subjects: dict[str, Any], page: str, as_of: dt.date, cycle: str) -> dict[str, str]:
    query = {"as_of": as_of.isoformat(), "cycle": cycle}
    if page == "team":
        query["team"] = subjects["team"]
    elif page == "objective":
        query["objective"] = str(subjects["objective"])
    elif page == "kpis" and subjects.get("kpi") is not None:
        query["kpi"] = str(subjects["kpi"])
    return query


def new_app(page: str, query: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    from okrdash.access import LOCAL_TOKEN_PARAM, local_token

    app = AppTest.from_file(str(APP), default_timeout=600)
    app.query_params.update(query)
    app.query_params[LOCAL_TOKEN_PARAM] = local_token().value  # local mode: the editor's view, as before
    if page != "overview":
        app.switch_page(PAGES[page])
    return app


def app_errors(app) -> list[str]:
    return [str(e.value)[:300] for e in app.exception]


def use_database(db: Path) -> None:
    from okrdash import settings as settings_module

    os.environ["OKRDASH_DB"] = str(db)
    os.environ["OKRDASH_DEMO_WHEN_EMPTY"] = "false"
    settings_module.settings.cache_clear()


def measure_pages(db: Path, subjects: dict[str, Any], as_of: dt.date, cycle: str, warm: int,
                  profile_dir: Path | None, size: str) -> dict[str, Any]:
    import streamlit as st

    use_database(db)
    started = time.perf_counter()
    new_app("explainer", page_query(subjects, "explainer", as_of, cycle)).run()  # opens the store once
    store_open = time.perf_counter() - started
    rows = {}
    for name in PAGES:
        query = page_query(subjects, name, as_of, cycle)
        st.cache_data.clear()
        app = new_app(name, query)
        started = time.perf_counter()
        app.run()
        first = time.perf_counter() - started
        errors = app_errors(app)
        times, cpu_times = [], []
        for _ in range(warm):
            started, cpu = time.perf_counter(), time.process_time()
            app.run()
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu)
        errors += [e for e in app_errors(app) if e not in errors]
        rows[name] = {"first_run_ms": round(first * 1000), "warm_median_ms": round(median(times) * 1000),
                      "warm_min_ms": round(min(times) * 1000),
                      "warm_cpu_median_ms": round(median(cpu_times) * 1000), "query": query, "errors": errors}
        log(f"page {name}: first {first * 1000:.0f} ms, warm {median(times) * 1000:.0f} ms"
            + (f" ERRORS {errors}" if errors else ""))
    heaviest = max(rows, key=lambda n: rows[n]["warm_median_ms"])
    if profile_dir is not None:
        slow = [n for n in rows if n == heaviest or rows[n]["warm_median_ms"] >= TARGET_PAGE_SECONDS * 1000]
        for name in slow:
            query = page_query(subjects, name, as_of, cycle)
            app = new_app(name, query)
            app.run()
            with _profile(profile_dir / f"{size}-page-{name}-warm.txt"):
                app.run()
            st.cache_data.clear()
            app = new_app(name, query)
            with _profile(profile_dir / f"{size}-page-{name}-first.txt"):
                app.run()
    return {"store_open_and_first_app_run_ms": round(store_open * 1000), "pages": rows, "heaviest": heaviest}


def measure_concurrency(subjects: dict[str, Any], page: str, as_of: dt.date, cycle: str,
                        threads_list: list[int], seconds: float = 20.0) -> list[dict[str, Any]]:
    """Warm reruns per second of ``page`` with N sessions rerunning at once in this process."""
    query = page_query(subjects, page, as_of, cycle)
    out = []
    for threads in threads_list:
        apps = [new_app(page, query) for _ in range(threads)]
        for app in apps:
            app.run()  # warm: cached read models, compiled page
        counts = [0] * threads
        latencies: list[list[float]] = [[] for _ in range(threads)]
        errors: list[str] = []
        deadline = time.perf_counter() + seconds
        barrier = threading.Barrier(threads)

        def work(index: int) -> None:
            barrier.wait()
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    apps[index].run()
                except Exception as error:  # noqa: BLE001 - reported, not fatal
                    errors.append(repr(error)[:200])
                    return
                # AppTest does not raise when the script does: the exception is an element of the run.
                failed = app_errors(apps[index]) + [str(e.value)[:300] for e in apps[index].error]
                if failed:
                    errors.append(" | ".join(failed)[:300])
                    return
                latencies[index].append(time.perf_counter() - started)
                counts[index] += 1

        started, cpu = time.perf_counter(), time.process_time()
        workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        flat = sorted(x for lat in latencies for x in lat)
        row = {"sessions": threads, "reruns": sum(counts), "seconds": round(elapsed, 1),
               "reruns_per_s": round(sum(counts) / elapsed, 2),
               "cpu_s_per_rerun": round(cpu / max(sum(counts), 1), 3), "cpu_utilisation": round(cpu / elapsed, 2),
               "latency_median_ms": round(median(flat) * 1000) if flat else None,
               "latency_p95_ms": round(flat[int(0.95 * (len(flat) - 1))] * 1000) if flat else None,
               "errors": errors[:3], "loadavg": loadavg()}
        out.append(row)
        log(f"concurrency {page} x{threads}: {row['reruns_per_s']} reruns/s, median {row['latency_median_ms']} ms")
    return out


# -- 4. memory (child process) --------------------------------------------------------------------


def child_rss(db: Path, subjects: dict[str, Any], as_of: dt.date, cycle: str) -> dict[str, Any]:
    before_imports = status_file("VmRSS")
    import streamlit  # noqa: F401
    from streamlit.testing.v1 import AppTest  # noqa: F401

    import okrdash.ui.context  # noqa: F401

    use_database(db)
    after_imports = status_file("VmRSS")
    pages = {}
    for name in PAGES:
        app = new_app(name, page_query(subjects, name, as_of, cycle))
        app.run()
        app.run()
        pages[name] = {"errors": app_errors(app), "rss_after": status_file("VmRSS")}
    return {
        "rss_before_imports": before_imports, "rss_after_imports": after_imports,
        "rss_after_pages": status_file("VmRSS"), "vm_hwm": status_file("VmHWM"),
        "ru_maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "pages": pages,
    }


# -- report ---------------------------------------------------------------------------------------


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def mb(n: int | float) -> str:
    return f"{n / 2**20:,.0f} MB"


def build_report(result: dict[str, Any]) -> str:
    size, m = result["size"], result["machine"]
    counts = result["manifest"]["counts"]
    lines = [
        f"# Scale benchmark: {size} company",
        "",
        f"Machine: {m['cores']} cores, {m['cpu']}, {m['ram_gb']} GB RAM; Python {m['python']}, DuckDB {m['duckdb']}, "
        f"pandas {m['pandas']}, Streamlit {m['streamlit']}, pydantic {m['pydantic']}; commit {m['commit']}. "
        f"Run {result['started']} ({result['total_minutes']} min); load average "
        f"{min(result['loadavg'])}-{max(result['loadavg'])} (the machine is shared: wall times include waiting "
        "for a core, CPU times do not).",
        "",
        "Company: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
        + f"; as of {result['as_of']}, cycle {result['cycle']}. Generated in {result['manifest']['generate_seconds']} s.",
        "",
        "Rerun: `.venv/bin/python -m bench.run --size " + size + "`",
        "",
    ]
    if "import" in result:
        imp = result["import"]
        lines += [
            "## 1. Import (importer = okrdash.importing.import_files, validation included; bare = DuckDB "
            "CREATE TABLE AS SELECT * FROM read_csv(typed columns)), median of "
            f"{imp['rows'][0]['runs']} runs" + (f" (from the run of {imp['from_run']} that built the database)"
                                                 if imp.get("from_run") else ""),
            "",
            "| file | rows | MB | importer s (CPU s) | importer rows/s | bare s (CPU s) | bare rows/s | importer/bare wall (CPU) | target ≤ 3x |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in imp["rows"]:
            lines.append(
                f"| {r['kind']}.csv | {r['rows']:,} | {r['bytes'] / 2**20:,.1f} | {r['importer_s']:.2f} ({r['importer_cpu_s']:.2f}) "
                f"| {r['importer_rows_per_s']:,} | {r['bare_s']:.3f} ({r['bare_cpu_s']:.3f}) | {r['bare_rows_per_s']:,} | {r['ratio']}x ({r['ratio_cpu']}x) "
                f"| {mark(r['ratio'] <= TARGET_IMPORT_RATIO)} |"
            )
        if "fair_floor_s" in imp["rows"][0]:
            lines += [
                "",
                "Against the fair floor (bench/fair_floor.sql: the same file into the real schema in plain SQL: "
                "names to ids, prior versions kept, the primary-key upsert, one transaction; no checks), and "
                "re-importing a file that is already stored (every row an update):",
                "",
                "| file | importer s | fair floor s | importer/floor | target | re-import s | floor re-import s | ratio |",
                "|---|---:|---:|---:|---|---:|---:|---:|",
            ]
            for r in imp["rows"]:
                lines.append(
                    f"| {r['kind']}.csv | {r['importer_s']:.2f} | {r['fair_floor_s']:.2f} | {r['fair_ratio']}x "
                    f"| ≤ {r['fair_target']}x: {mark(r['fair_met'])} | {r['reimport_s']:.2f} "
                    f"| {r['reimport_fair_floor_s']:.2f} | {r['reimport_fair_ratio']}x |")
            if imp.get("floor_same_rows"):
                differ = {t: d for t, d in imp["floor_same_rows"].items() if d["only_importer"] or d["only_floor"]}
                lines += ["", "Stored rows, importer vs fair floor: " + (
                    "the same in every table." if not differ else "differ in " + ", ".join(
                        f"{t} ({d['only_importer']} only by the importer, {d['only_floor']} only by the floor)"
                        for t, d in differ.items()) + ".")]
        kpi = next(r for r in imp["rows"] if r["kind"] == "kpis")
        needed = TARGET_KPI_ROWS / TARGET_KPI_SECONDS
        lines += [
            "",
            f"KPI measurements: {kpi['rows']:,} in {kpi['importer_s']:.1f} s = {kpi['importer_rows_per_s']:,} rows/s; "
            f"target 1.8 M in under 15 s (≥ {needed:,.0f} rows/s): **{mark(kpi['importer_rows_per_s'] >= needed)}**. "
            f"Peak RSS of the import process: {mb(imp['peak_rss_bytes'])}.",
            "",
        ]
    sc = result["scoring"]
    lines += [
        f"## 2. Scoring at {result['as_of']}: progress, expected and status of every row (median of {result['warm']})",
        "",
        "| computation | rows | in the engine (CREATE TEMP TABLE AS) ms | into a DataFrame (store method) ms |",
        "|---|---:|---:|---:|",
    ]
    for macro in ("kr_scores", "objective_scores", "kpi_scores"):
        lines.append(f"| {macro} | {sc['rows'][macro]:,} | {sc[macro]['median_ms']:.0f} | {sc['store.' + macro + '_df']['median_ms']:.0f} |")
    total = sc["all_three"]["median_ms"]
    lines += [
        f"| **all three** | {sum(sc['rows'].values()):,} | **{total:.0f}** | "
        f"{sum(sc['store.' + m + '_df']['median_ms'] for m in ('kr_scores', 'objective_scores', 'kpi_scores')):.0f} |",
        "",
        f"Target: every key result, objective and KPI under 1 s: **{mark(total / 1000 < TARGET_SCORING_SECONDS)}** "
        f"({total:.0f} ms).",
        "",
    ]
    if "okrdash_cpu_s" in sc:  # python -m bench.scoring --record
        side = sc.get("comparators", {})
        lines += [
            f"Side by side in CPU seconds (`bench.scoring`, {side.get('measured', '')}; the same rules restated in "
            f"pandas and polars, statuses equal on every row): okrdash **{sc['okrdash_cpu_s']:.3f}**, pandas "
            f"{sc['pandas_cpu_s']:.3f}, polars {sc['polars_cpu_s']:.3f}; okrdash into the app's frames "
            f"{side.get('okrdash_frames_cpu_s', float('nan')):.3f}. Target ≤ {side.get('target_cpu_s', 0.3)} CPU s: "
            f"**{mark(side.get('met', False))}**.",
            "",
        ]
    cli = result.get("cli")
    if cli:  # python -m bench.cli --record
        lines += [
            f"Command line in CPU seconds (`bench.cli`, {cli['measured']}, median of {cli['runs']}): start-up "
            f"(`okrdash --help`) **{cli['startup_cpu_s']:.3f}** (target ≤ {cli['targets_cpu_s']['startup']}: "
            f"**{mark(cli['met']['startup'])}**; python + duckdb {cli['floor_cpu_s']:.3f}), `okrdash status --json` "
            f"for the whole company **{cli['status_json_cpu_s']:.3f}** (target ≤ {cli['targets_cpu_s']['status_json']}: "
            f"**{mark(cli['met']['status_json'])}**).",
            "",
        ]
    lines += [
        "## 3. Read models and page scripts",
        "",
        f"Subjects: team `{result['subjects']['team']}`, objective {result['subjects']['objective']}, "
        f"KPI {result['subjects']['kpi']}. Read models called directly (median of {result['warm']}):",
        "",
        "| read model | first ms | median ms | one st.cache_data entry (pickled) |",
        "|---|---:|---:|---:|",
    ]
    cached = result["readmodels"].get("cached_bytes", {})
    for name in ("overview", "team_view", "objective_view", "kpi_table"):
        r = result["readmodels"][name]
        size_text = f"{cached[name] / 2**20:,.2f} MB" if name in cached else ""
        lines.append(f"| {name} | {r['first_ms']:.0f} | {r['median_ms']:.0f} | {size_text} |")
    pages = result["pages"]
    lines += [
        "",
        "Page scripts through AppTest (app.py + page; first run after st.cache_data.clear(), then warm "
        f"reruns with the read models cached; median of {result['warm']}):",
        "",
        "| page | page file | first run ms | warm rerun ms (CPU ms) | target < 1 s warm |",
        "|---|---|---:|---:|---|",
    ]
    for name, r in pages["pages"].items():
        fp = result["page_files"][name]
        note = f"{fp['lines']} lines{' (stub)' if fp['stub'] else ''}"
        err = " ⚠ " + "; ".join(r["errors"])[:120] if r["errors"] else ""
        lines.append(f"| {name}{err} | {note} | {r['first_run_ms']:,} | {r['warm_median_ms']:,} ({r.get('warm_cpu_median_ms', '–')}) "
                     f"| {mark(r['warm_median_ms'] < TARGET_PAGE_SECONDS * 1000 and not r['errors'])} |")
    lines += ["", f"Store open + first app run: {pages['store_open_and_first_app_run_ms']:,} ms.", ""]
    concurrency = result.get("concurrency_apptest") or {}
    if concurrency and not isinstance(concurrency, dict):  # older JSON: one list for the heaviest page
        concurrency = {pages["heaviest"]: concurrency}
    for page, rows in concurrency.items():
        lines += [
            f"Sessions rerunning the `{page}` page (warm) at once in one process, each in its own thread as "
            "Streamlit runs sessions:",
            "",
            "| sessions | reruns/s | median latency ms | p95 latency ms | CPU s per rerun | cores busy (of 2) | load average |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in rows:
            lines.append(f"| {r['sessions']} | {r['reruns_per_s']} | {r['latency_median_ms']} | {r['latency_p95_ms']} "
                         f"| {r.get('cpu_s_per_rerun', '')} | {r.get('cpu_utilisation', '')} | {r.get('loadavg', '')} |")
        lines.append("")
    rss = result.get("rss")
    if rss:
        peak = rss["vm_hwm"]
        lines += [
            "## 4. Memory and storage",
            "",
            "| measure | value | target |",
            "|---|---:|---|",
            f"| peak RSS of a process that rendered every page once (VmHWM) | {mb(peak)} | < 1 GB: **{mark(peak < TARGET_RSS_BYTES)}** |",
            f"| RSS after importing streamlit + okrdash, before any page | {mb(rss['rss_after_imports'])} | |",
            f"| RSS after every page | {mb(rss['rss_after_pages'])} | |",
            f"| database file | {mb(result['db_bytes'])} | |",
            "",
        ]
    lines += ["## Targets", "", "| target | figure | result |", "|---|---|---|"]
    for target in result["targets"]:
        lines.append(f"| {target['target']} | {target['figure']} | **{target['result']}** |")
    return "\n".join(lines) + "\n"


def targets(result: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    if "import" in result:
        for r in result["import"]["rows"]:
            out.append({"target": f"{r['kind']} import within 3x of bare read_csv",
                        "figure": f"{r['ratio']}x ({r['importer_s']:.2f} s vs {r['bare_s']:.3f} s)",
                        "result": mark(r["ratio"] <= TARGET_IMPORT_RATIO)})
        for r in result["import"]["rows"]:
            if "fair_floor_s" in r:
                out.append({"target": f"{r['kind']} import within {r['fair_target']}x of the fair floor",
                            "figure": f"{r['fair_ratio']}x ({r['importer_s']:.2f} s vs {r['fair_floor_s']:.2f} s)",
                            "result": mark(r["fair_met"])})
        kpi = next(r for r in result["import"]["rows"] if r["kind"] == "kpis")
        needed = TARGET_KPI_ROWS / TARGET_KPI_SECONDS
        out.append({"target": "1.8 M KPI measurements in under 15 s (≥ 121,667 rows/s)",
                    "figure": f"{kpi['rows']:,} rows in {kpi['importer_s']:.1f} s = {kpi['importer_rows_per_s']:,} rows/s",
                    "result": mark(kpi["importer_rows_per_s"] >= needed)})
    total = result["scoring"]["all_three"]["median_ms"]
    out.append({"target": "status of every KR, objective and KPI under 1 s", "figure": f"{total:.0f} ms",
                "result": mark(total < TARGET_SCORING_SECONDS * 1000)})
    for name, r in result["pages"]["pages"].items():
        out.append({"target": f"{name} page under 1 s warm", "figure": f"{r['warm_median_ms']:,} ms",
                    "result": mark(r["warm_median_ms"] < TARGET_PAGE_SECONDS * 1000 and not r["errors"])})
    if result.get("rss"):
        peak = result["rss"]["vm_hwm"]
        out.append({"target": "peak RSS under 1 GB", "figure": mb(peak), "result": mark(peak < TARGET_RSS_BYTES)})
    return out


# -- driver ---------------------------------------------------------------------------------------


def bench_size(size: str, args: argparse.Namespace) -> dict[str, Any]:
    from bench.generate import AS_OF, CURRENT, generate
    from okrdash.store import open_store

    started_at = time.time()
    loads = [loadavg()]
    folder = args.workdir / size
    runs = args.runs or (3 if size == "large" else 5)
    warm = args.warm or (5 if size == "large" else 7)
    result: dict[str, Any] = {"size": size, "started": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(),
                              "as_of": AS_OF.isoformat(), "cycle": CURRENT.name, "warm": warm}
    manifest_path = folder / "manifest.json"
    if (args.reuse or args.import_only) and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
    else:
        log(f"{size}: generating CSV files in {folder}")
        manifest = generate(size, folder)
    result["manifest"] = manifest
    db = folder / "okrdash.duckdb"
    previous = RESULTS / f"scale-{size}.json"
    if previous.exists() and "pages_server" in (kept := json.loads(previous.read_text())):
        result["pages_server"] = kept["pages_server"]  # bench.views measures it, this run keeps it
    if args.reuse and db.exists() and previous.exists():
        earlier = json.loads(previous.read_text())
        if "import" in earlier:  # keep the import figures of the run that built this database
            result["import"] = earlier["import"]
            result["import"]["from_run"] = earlier["started"]
            loads += earlier["import"].get("loadavg", [])
    if args.import_only or not (args.reuse and db.exists()):
        log(f"{size}: import, {runs} runs (child process)")
        raw = run_child(["--child", "import", "--size", size, "--workdir", str(args.workdir), "--runs", str(runs)])
        result["import"] = {"rows": summarise_import(raw, manifest), "peak_rss_bytes": raw["peak_rss_bytes"],
                            "table_counts": raw["table_counts"], "loadavg": raw["loadavg"],
                            "floor_same_rows": raw.get("floor_same_rows"), "commit": git_commit()}
        loads += raw["loadavg"]
    if args.import_only:  # the import figures into the earlier run's results, the other phases kept
        earlier = json.loads(previous.read_text()) if previous.exists() else {}
        if not earlier.get("scoring"):
            raise SystemExit(f"--import-only needs an earlier full run's {previous}")
        earlier["import"] = result["import"]
        earlier["targets"] = targets(earlier)
        previous.write_text(json.dumps(earlier, indent=2, default=str) + "\n")
        (RESULTS / f"scale-{size}.md").write_text(build_report(earlier))
        log(f"{size}: import figures written into {previous}")
        return earlier
    result["db_bytes"] = db.stat().st_size
    started = time.perf_counter()
    store = open_store(db)
    result["store_open_ms"] = round((time.perf_counter() - started) * 1000)
    result["scoring"] = measure_scoring(store, AS_OF, warm)
    subjects = pick_subjects(store, CURRENT.name)
    result["subjects"] = subjects
    result["readmodels"] = measure_readmodels(store, AS_OF, CURRENT.name, subjects, warm)
    store.close()  # the app opens its own store (one writer per database file)
    loads.append(loadavg())
    result["page_files"] = page_fingerprints()
    result["pages"] = measure_pages(db, subjects, AS_OF, CURRENT.name, warm,
                                    RESULTS / "profiles" if args.profile else None, size)
    loads.append(loadavg())
    if args.threads:
        result["concurrency_apptest"] = {}
        for page in dict.fromkeys([result["pages"]["heaviest"], *args.concurrency_pages]):
            result["concurrency_apptest"][page] = measure_concurrency(subjects, page, AS_OF, CURRENT.name, args.threads)
    _close_app_store()
    log(f"{size}: memory (child process)")
    result["rss"] = run_child(["--child", "rss", "--size", size, "--workdir", str(args.workdir),
                               "--subjects", json.dumps(subjects)])
    loads.append(loadavg())
    result["loadavg"] = loads
    result["total_minutes"] = round((time.time() - started_at) / 60, 1)
    result["targets"] = targets(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"scale-{size}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    report = build_report(result)
    (RESULTS / f"scale-{size}.md").write_text(report)
    print(report)
    return result


def _close_app_store() -> None:
    """Close the store the app opened in this process, so a child process may open the file."""
    import streamlit as st

    from okrdash.settings import load_settings
    from okrdash.store import close_shared_store

    close_shared_store(load_settings().db_path)
    st.cache_resource.clear()
    st.cache_data.clear()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="okrdash scale benchmark", formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__)
    parser.add_argument("--size", choices=("demo", "medium", "large", "all"), required=True)
    parser.add_argument("--runs", type=int, default=0, help="import runs (default 5, large 3)")
    parser.add_argument("--warm", type=int, default=0, help="warm repetitions (default 7, large 5)")
    parser.add_argument("--threads", type=lambda s: [int(x) for x in s.split(",") if x], default=[1, 2, 4],
                        help="sessions rerunning the heaviest page at once (default 1,2,4; empty to skip)")
    parser.add_argument("--concurrency-pages", type=lambda s: [x for x in s.split(",") if x], default=["team"],
                        help="pages rerun by several sessions at once besides the heaviest (default team)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--reuse", action="store_true", help="reuse the generated files and database; skip the import")
    parser.add_argument("--import-only", action="store_true",
                        help="run only the import phase (reusing generated files) and put its figures into the "
                             "earlier run's scale-<size>.json")
    parser.add_argument("--profile", action="store_true", help="write pyinstrument profiles into bench/results/profiles/")
    parser.add_argument("--report-only", action="store_true", help="rebuild scale-<size>.md from scale-<size>.json")
    parser.add_argument("--child", choices=("import", "rss"), help=argparse.SUPPRESS)
    parser.add_argument("--subjects", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        from bench.generate import AS_OF, CURRENT

        folder = args.workdir / args.size
        if args.child == "import":
            out = child_import(folder, args.runs or 3)
        else:
            with contextlib.redirect_stdout(io.StringIO()):
                out = child_rss(folder / "okrdash.duckdb", json.loads(args.subjects), AS_OF, CURRENT.name)
        print(json.dumps(out, default=str))
        return
    sizes = ("demo", "medium", "large") if args.size == "all" else (args.size,)
    for size in sizes:
        if args.report_only:
            result = json.loads((RESULTS / f"scale-{size}.json").read_text())
            result["targets"] = targets(result)
            (RESULTS / f"scale-{size}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
            (RESULTS / f"scale-{size}.md").write_text(build_report(result))
            continue
        bench_size(size, args)


if __name__ == "__main__":
    main()
