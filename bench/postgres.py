"""PostgreSQL store benchmark: import, mirror reload, scoring and cross-process visibility.

Usage (from the project root)::

    .venv/bin/python -m bench.postgres --size large        # ~15 minutes on 2 cores (generates the company first)
    .venv/bin/python -m bench.postgres --size demo         # a minute
    .venv/bin/python -m bench.postgres --size large --url postgresql://okrdash@db.intranet/okrdash_bench

Without ``--url`` it starts a throwaway PostgreSQL server (tests/pg_server.py: initdb + pg_ctl in a
temporary folder, Unix socket only, fsync off, so its write figures are a lower bound for a real
server's) and stops it afterwards. ``--url`` must name an empty database: the benchmark writes
into it.

What is measured (medians where repeated; the load average is printed, the machine is shared):

1. import: each file kind (kpis, okrs, checkins, in that order) through ``import_files`` into a
   fresh DuckDB file and into a fresh PostgreSQL database (the same validation and write SQL, then
   the push of the batch's rows to PostgreSQL).
2. open: a second process's ``open_store(url)`` of the imported company (schema check and the
   first full copy of every table into its mirror).
3. reload: after a check-in in another process, ``PostgresStore.refresh()`` in this one (reloads
   the tables that check-in changed: batches and checkins).
4. scoring: ``Store.scores(as_of)`` of the whole company, cold, on the file and on the mirror (the
   same macros in DuckDB; they should match).
5. visibility: a child process saves a check-in and prints the moment it committed; this process
   reads ``write_version`` in a loop as a page would (default ``pg_poll_seconds``) and records when
   the change is visible. Includes the poll interval and the reload.

Writes ``bench/results/postgres-<size>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEFAULT_WORKDIR = ROOT / "bench" / ".work"

# The child of the visibility measurement: one check-in per line read, the commit moment printed.
CHILD = """
import sys, time
from okrdash.access import admin_writer
from okrdash.checkins import KeyResultRef, record_checkin
from okrdash.store import open_store
import datetime as dt
store = open_store(sys.argv[1])
for line in sys.stdin:
    cycle, team, objective, title, value, day = line.rstrip("\\n").split("\\t")
    record_checkin(store, KeyResultRef(cycle, team, objective, title), float(value), dt.date.fromisoformat(day),
                   "7", "bench", admin_writer("bench"), {}, today=dt.date.fromisoformat(day))
    print(time.time(), flush=True)
"""


def _import(store, folder: Path, as_of) -> dict[str, float]:
    from okrdash.importing import Upload, import_files

    seconds = {}
    for kind in ("kpis", "okrs", "checkins"):
        path = folder / f"{kind}.csv"
        started = time.perf_counter()
        import_files(store, [Upload(path.name, path.read_bytes())], today=as_of)
        seconds[kind] = round(time.perf_counter() - started, 2)
        print(f"  {kind}: {seconds[kind]} s", flush=True)
    return seconds


def _company(size: str, workdir: Path):
    """(folder of the CSV files or None for the demo, as-of date)."""
    from bench.generate import AS_OF, generate
    from okrdash import demo

    if size == "demo":
        return None, demo.DEMO_ANCHOR
    folder = workdir / size
    if not (folder / "manifest.json").exists():
        generate(size, folder)
    return folder, AS_OF


def _load(store, folder, as_of) -> dict[str, float]:
    from okrdash import demo

    if folder is None:
        started = time.perf_counter()
        demo.load_demo(store, anchor=as_of)
        return {"demo": round(time.perf_counter() - started, 2)}
    return _import(store, folder, as_of)


def _scoring(store, as_of) -> float:
    from okrdash.store import scores

    kept, scores.SCORES_KEPT = scores.SCORES_KEPT, 0  # nothing kept: every call scores afresh
    try:
        started = time.perf_counter()
        store.scores(as_of)
        return time.perf_counter() - started
    finally:
        scores.SCORES_KEPT = kept


def measure(size: str, url: str, workdir: Path, runs: int) -> dict:
    from okrdash.postgres_store import PostgresStore
    from okrdash.store import open_store

    folder, as_of = _company(size, workdir)
    file_path = workdir / f"postgres-bench-{size}.duckdb"
    for path in (file_path, Path(f"{file_path}.wal")):
        path.unlink(missing_ok=True)
    print("import into a DuckDB file", flush=True)
    file_store = open_store(file_path)
    file_import = _load(file_store, folder, as_of)
    print("import into PostgreSQL", flush=True)
    pg_store = open_store(url)
    pg_import = _load(pg_store, folder, as_of)
    counts = pg_store.table_counts()
    assert counts == file_store.table_counts(), "PostgreSQL and the file hold different row counts"

    scoring_file = statistics.median(_scoring(file_store, as_of) for _ in range(runs))
    scoring_pg = statistics.median(_scoring(pg_store, as_of) for _ in range(runs))
    file_store.close()

    started = time.perf_counter()
    reader = PostgresStore(url)
    open_seconds = time.perf_counter() - started

    cycle = next(c for c in reader.cycles() if c.start_date <= as_of <= c.end_date)
    krs = reader.kr_scores(as_of, cycle=cycle.name)
    krs = krs[krs["kpi_id"].isna() & (krs["kind"] != "milestone")].head(runs * 2)
    targets = [(r["cycle"], r["team"], r["objective"], r["title"]) for r in krs.to_dict("records")]
    child = subprocess.Popen([sys.executable, "-c", CHILD, url], cwd=ROOT, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    reloads, visible = [], []
    try:
        for index, target in enumerate(targets):
            version = reader.write_version
            child.stdin.write("\t".join([*target, str(index + 1.5), as_of.isoformat()]) + "\n")
            child.stdin.flush()
            committed = float(child.stdout.readline())
            if index % 2 == 0:  # reload time alone: this process asks right after the commit
                started = time.perf_counter()
                assert reader.refresh()
                reloads.append(time.perf_counter() - started)
            else:  # a page's view: reads until the write shows (default poll interval)
                while reader.write_version == version:
                    time.sleep(0.01)
                visible.append(time.time() - committed)
    finally:
        child.stdin.close()
        child.wait(timeout=120)
    reader.close()
    pg_store.close()
    return {
        "size": size, "when": time.strftime("%Y-%m-%d %H:%M"), "loadavg": round(os.getloadavg()[0], 2),
        "rows": {k: counts[k] for k in ("objectives", "key_results", "checkins", "kpis", "kpi_measurements")},
        "import_seconds": {"duckdb_file": file_import, "postgresql": pg_import},
        "second_process_open_seconds": round(open_seconds, 2),
        "mirror_reload_after_checkin_seconds": {"median": round(statistics.median(reloads), 3),
                                                "max": round(max(reloads), 3), "runs": len(reloads)},
        "scoring_seconds": {"duckdb_file": round(scoring_file, 3), "postgresql_mirror": round(scoring_pg, 3)},
        "write_to_visible_in_other_process_seconds": {"median": round(statistics.median(visible), 3),
                                                      "max": round(max(visible), 3), "runs": len(visible)},
        "pg_poll_seconds": reader.config.pg_poll_seconds,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=("demo", "medium", "large"), required=True)
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a throwaway server)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    server = None
    url = args.url
    if url is None:
        sys.path.insert(0, str(ROOT))
        from tests.pg_server import PgServer, find_binaries

        binaries = find_binaries()
        if binaries is None:
            sys.exit("no PostgreSQL binaries found: pass --url or install Debian's postgresql package")
        server = PgServer(binaries)
        url = server.new_database()
    try:
        result = measure(args.size, url, args.workdir, args.runs)
    finally:
        if server is not None:
            server.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"postgres-{args.size}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
