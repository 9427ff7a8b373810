"""Read replicas from snapshots: what it costs to publish the database to several app processes.

    .venv/bin/python -m bench.snapshot --size large

Uses the database ``bench.run`` built (bench/.work/<size>/okrdash.duckdb) and measures, for the
replica design in docs/scaling.md:

- copying the checkpointed database file (what a publisher does after each import);
- opening the copy read-only and scoring every key result and KPI there (the rules are table
  macros a write open leaves in the file, so a plain read-only connection can use them without
  ``okrdash.store.schema.install_rules``);
- several processes reading the same copy read-only at once;
- a process holding the file read-write: can another process still open it (no: DuckDB's file lock);
- ``EXPORT DATABASE ... (FORMAT parquet)``: time and size, for MotherDuck or object storage.

Writes bench/results/profiles/<size>-snapshot.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "bench" / "results" / "profiles"

READER = """
import sys, time, duckdb
started = time.perf_counter()
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SET enable_progress_bar = false")
rows = con.execute("SELECT count(*) FROM kr_scores(DATE '2026-11-22')").fetchall()[0][0]
rows += con.execute("SELECT count(*) FROM kpi_scores(DATE '2026-11-22')").fetchall()[0][0]
print(rows, round(time.perf_counter() - started, 3))
"""

WRITER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / ".work")
    args = parser.parse_args(argv)

    import duckdb

    source = args.workdir / args.size / "okrdash.duckdb"
    rows: list[tuple[str, str]] = [("database file", f"{source.stat().st_size / 2**20:,.1f} MB")]
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "snapshot.duckdb"
        started = time.perf_counter()
        shutil.copyfile(source, copy)
        rows.append(("copy the file (publish a snapshot)", f"{(time.perf_counter() - started) * 1000:,.0f} ms"))

        started = time.perf_counter()
        con = duckdb.connect(str(copy), read_only=True)
        rows.append(("open the copy read-only", f"{(time.perf_counter() - started) * 1000:,.0f} ms"))
        for macro in ("kr_scores", "objective_scores", "kpi_scores"):
            started = time.perf_counter()
            count = con.execute(f"SELECT count(*) FROM {macro}(DATE '2026-11-22')").fetchall()[0][0]
            rows.append((f"{macro} on the read-only copy ({count:,} rows)", f"{(time.perf_counter() - started) * 1000:,.0f} ms"))
        started = time.perf_counter()
        con.execute(f"EXPORT DATABASE '{folder}/parquet' (FORMAT parquet)")
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(folder, "parquet").rglob("*") if p.is_file())
        rows.append(("EXPORT DATABASE (FORMAT parquet)", f"{seconds * 1000:,.0f} ms, {size / 2**20:,.1f} MB"))
        con.close()

        started = time.perf_counter()
        readers = [subprocess.Popen([sys.executable, "-c", READER, str(copy)], stdout=subprocess.PIPE, text=True)
                   for _ in range(args.readers)]
        outputs = [r.communicate()[0].strip() for r in readers]
        ok = all(r.returncode == 0 for r in readers)
        rows.append((f"{args.readers} processes open the copy read-only and score it at once",
                     f"{'all succeed' if ok else 'FAILED'} in {(time.perf_counter() - started):.1f} s "
                     f"(each: rows, seconds incl. start-up: {'; '.join(outputs)})"))

        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(copy), "8"], stdout=subprocess.PIPE, text=True)
        writer.stdout.readline()
        reader = subprocess.run([sys.executable, "-c", READER, str(copy)], capture_output=True, text=True)
        message = (reader.stderr.strip().splitlines() or ["(no error)"])[-1][:160]
        rows.append(("another process opens it read-only while one holds it read-write",
                     "succeeds" if reader.returncode == 0 else f"refused: `{message}`"))
        writer.kill()
        writer.wait()

    lines = [f"# Read replicas from snapshots: {args.size} company", "",
             f"Rerun: `.venv/bin/python -m bench.snapshot --size {args.size}`.", "",
             "| step | result |", "|---|---|"]
    lines += [f"| {step} | {result} |" for step, result in rows]
    PROFILES.mkdir(parents=True, exist_ok=True)
    (PROFILES / f"{args.size}-snapshot.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
