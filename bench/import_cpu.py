"""CPU seconds of one import in a fresh process, against the fair floor (issue 27's import targets).

    .venv/bin/python -m bench.import_cpu                          # each file kind, this checkout, median of 3
    .venv/bin/python -m bench.import_cpu --before /tmp/old        # and another checkout's okrdash, interleaved
    .venv/bin/python -m bench.import_cpu --kinds okrs --profile   # a cProfile of one import (top entries)
    .venv/bin/python -m bench.import_cpu --record                 # import.rows[].fresh_cpu in scale-large.json

Each file of the large company (bench/.work/large: kpis.csv, okrs.csv, checkins.csv) is imported
into a copy of a store that already holds the file kinds before it (KPIs, then OKRs, then
check-ins: made once with this checkout's importer and kept beside the files as
import-base-<kind>.duckdb; delete them after a schema change), in a process of
its own (what a user's ``okrdash import`` or a fresh upload pays: nothing cached), through
``okrdash.importing.import_files`` with the bytes as the page hands them over. The CPU seconds
(user + system, every thread) are ``time.process_time()`` around that call alone. The fair floor
(bench/fair_floor.sql, ``bench.run.fair_floor``: the same file into the real schema in plain SQL,
no checks) is measured the same way on the same copy. The runs of this checkout, of ``--before``
and of the floor alternate within each round, so a change in the machine's load falls on all of
them; the load average is kept with each run. Targets (issue 27): importer over floor at most 2x
for KPIs and check-ins, 3x for OKRs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.run import KINDS, RESULTS, git_commit, loadavg, log

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "bench" / ".work" / "large"
TARGETS = {"kpis": 2.0, "okrs": 3.0, "checkins": 2.0}

# One import in the child: only okrdash is imported, so that --before's checkout needs no bench/.
IMPORT = """
import datetime as dt, json, sys, time
from pathlib import Path
from okrdash.importing import Upload, import_files
from okrdash.store import open_store
db, csv, today, profile = sys.argv[1], Path(sys.argv[2]), dt.date.fromisoformat(sys.argv[3]), sys.argv[4]
store = open_store(Path(db))
upload = Upload(csv.name, csv.read_bytes())
if profile:
    import cProfile
    profiler = cProfile.Profile()
    profiler.enable()
cpu = time.process_time()
result = import_files(store, [upload], today=today)
cpu = time.process_time() - cpu
if profile:
    profiler.disable()
    profiler.dump_stats(profile)
store.close()
print(json.dumps({"cpu": cpu, "rows": result.files[0].rows, "inserted": result.inserted}))
"""

FLOOR = """
import json, sys, time
from pathlib import Path
from bench.run import fair_floor, fair_floor_sections
from okrdash.store import open_store
db, csv, kind = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
store = open_store(Path(db))
cpu = time.process_time()
fair_floor(store, kind, csv, fair_floor_sections()[kind])
cpu = time.process_time() - cpu
store.close()
print(json.dumps({"cpu": cpu}))
"""


def base(kind: str, today: str) -> Path:
    """A store holding the file kinds imported before ``kind`` (made once, then reused)."""
    path = FOLDER / f"import-base-{kind}.duckdb"
    if not path.exists():
        scratch = path.with_suffix(".making")
        scratch.unlink(missing_ok=True)
        for earlier in KINDS[:KINDS.index(kind)]:
            child(IMPORT, ROOT, [str(scratch), str(FOLDER / f"{earlier}.csv"), today, ""])
        if not scratch.exists():  # the first kind starts from an empty store
            child("import sys; from pathlib import Path; from okrdash.store import open_store; "
                  "open_store(Path(sys.argv[1])).close(); print('{}')", ROOT, [str(scratch)])
        scratch.rename(path)
    return path


def child(code: str, source: Path, args: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(source)}  # that checkout's okrdash wins
    ran = subprocess.run([sys.executable, "-c", code, *args], cwd=source, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, check=False)
    if ran.returncode != 0:
        raise SystemExit(f"child failed ({ran.returncode}): {ran.stderr[-3000:]}")
    return json.loads(ran.stdout.strip().splitlines()[-1])


def fresh_copy(kind: str, today: str) -> Path:
    run = FOLDER / "import-run.duckdb"
    for stale in (run, run.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(base(kind, today), run)
    return run


def measure(kinds: list[str], runs: int, before: Path | None, today: str) -> dict[str, Any]:
    sources = {"after": ROOT, **({"before": before} if before else {})}
    out: dict[str, Any] = {}
    for kind in kinds:
        csv = str(FOLDER / f"{kind}.csv")
        cpu: dict[str, list[float]] = {name: [] for name in (*sources, "floor")}
        loads = []
        for run in range(runs):
            for name, source in sources.items():
                cpu[name].append(child(IMPORT, source, [str(fresh_copy(kind, today)), csv, today, ""])["cpu"])
            cpu["floor"].append(child(FLOOR, ROOT, [str(fresh_copy(kind, today)), csv, kind])["cpu"])
            loads.append(loadavg())
            log(f"{kind} round {run + 1}/{runs}: " + ", ".join(f"{n} {v[-1]:.2f}" for n, v in cpu.items())
                + f" CPU s, load {loads[-1]}")
        medians = {name: round(statistics.median(values), 2) for name, values in cpu.items()}
        row = {"importer_cpu_s": medians["after"], "fair_floor_cpu_s": medians["floor"],
               "fair_ratio_cpu": round(medians["after"] / medians["floor"], 2),
               "importer_cpu_s_all": [round(v, 2) for v in cpu["after"]],
               "fair_floor_cpu_s_all": [round(v, 2) for v in cpu["floor"]], "loadavg": loads,
               "issue_27_target": TARGETS[kind]}
        if before:
            row.update(importer_cpu_s_before=medians["before"],
                       fair_ratio_cpu_before=round(medians["before"] / medians["floor"], 2),
                       importer_cpu_s_before_all=[round(v, 2) for v in cpu["before"]])
        out[kind] = row
        log(f"{kind}: {json.dumps(row)}")
    return out


def profile(kind: str, today: str, top: int) -> None:
    import pstats

    dump = FOLDER / f"import-{kind}.prof"
    ran = child(IMPORT, ROOT, [str(fresh_copy(kind, today)), str(FOLDER / f"{kind}.csv"), today, str(dump)])
    log(f"{kind}: {ran['cpu']:.2f} CPU s under cProfile, load {loadavg()}")
    stats = pstats.Stats(str(dump))
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumtime").print_stats(top * 2)


def record(figures: dict[str, Any], measured: str) -> None:
    path = RESULTS / "scale-large.json"
    result = json.loads(path.read_text())
    for row in result["import"]["rows"]:
        if row["kind"] in figures:
            row["fresh_cpu"] = {"measured": measured, **figures[row["kind"]]}
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    log(f"recorded in {path}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", default=",".join(KINDS), help="file kinds, comma separated (default all three)")
    parser.add_argument("--runs", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--before", type=Path, help="another checkout whose okrdash runs beside this one's")
    parser.add_argument("--profile", action="store_true", help="one cProfiled import per kind instead")
    parser.add_argument("--top", type=int, default=30, help="profile entries shown (default 30)")
    parser.add_argument("--record", help="set import.rows[].fresh_cpu in scale-large.json, with this note "
                                         "(when and how it was measured)")
    args = parser.parse_args(argv)
    from bench.generate import AS_OF

    today = AS_OF.isoformat()
    kinds = [k for k in args.kinds.split(",") if k]
    if args.profile:
        for kind in kinds:
            profile(kind, today, args.top)
        return
    figures = measure(kinds, args.runs, args.before, today)
    if args.record:
        record(figures, f"{args.record}; commit {git_commit()}")


if __name__ == "__main__":
    main()
