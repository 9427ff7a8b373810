"""The command line's CPU seconds: start-up (``okrdash --help``) and ``okrdash status --json``.

    .venv/bin/python -m bench.cli                        # on the large company of bench/.work/large
    .venv/bin/python -m bench.cli --record               # also sets cli in scale-large.json
    .venv/bin/python -m bench.cli --source /tmp/old      # the same commands on another checkout's okrdash

Each command runs as a user runs it, in a fresh process (``python -m okrdash ...``, what the
``okrdash`` script does), its output going to a pipe that is read and dropped; its CPU seconds
(user + system, every thread) come from ``getrusage(RUSAGE_CHILDREN)`` around it. Median of
``--runs`` runs (default 3), every run kept. Beside them, the floor the issue compares start-up
with: an interpreter that imports duckdb and exits. Targets (issue 27): start-up at most 0.3 s,
``status --json`` for the whole company at most 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.scale_file import record_in_scale
from bench.generate import AS_OF
from bench.run import loadavg, log, machine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "bench" / ".work" / "large" / "okrdash.duckdb"
TARGETS = {"startup": 0.3, "status_json": 1.0}


def child_cpu(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """CPU seconds of one run of ``argv`` (it must succeed), its output read and dropped."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    ran = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if ran.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({ran.returncode}): {ran.stderr.decode()[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(db: Path, runs: int, source: Path | None) -> dict[str, Any]:
    env = {**os.environ}
    if source is not None:  # that checkout's okrdash package wins over this one's (-m puts the cwd first)
        env["PYTHONPATH"] = str(source)
    cwd = source or ROOT
    commands = {
        "floor": [sys.executable, "-c", "import duckdb"],
        "startup": [sys.executable, "-m", "okrdash", "--help"],
        "status_json": [sys.executable, "-m", "okrdash", "--db", str(db), "status", "--json",
                        "--as-of", AS_OF.isoformat()],
    }
    out: dict[str, Any] = {}
    loads = [loadavg()]
    for name, argv in commands.items():
        times = [child_cpu(argv, env, cwd) for _ in range(runs)]
        out[f"{name}_cpu_s"] = round(statistics.median(times), 3)
        out[f"{name}_cpu_s_all"] = [round(t, 3) for t in times]
        log(f"{name}: {out[f'{name}_cpu_s']:.3f} CPU s (runs {out[f'{name}_cpu_s_all']})")
    loads.append(loadavg())
    out["met"] = {name: out[f"{name}_cpu_s"] <= target for name, target in TARGETS.items()}
    out.update(targets_cpu_s=TARGETS, runs=runs, loadavg=loads, source=str(source) if source else "this checkout",
               what="CPU s (user + system, every thread) of a fresh process per run, median of runs; "
                    "python -m okrdash as the okrdash script runs it, output to a pipe")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="the company's database (default: the large one)")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (default 3)")
    parser.add_argument("--source", type=Path, help="a checkout whose okrdash package to run instead of this one")
    parser.add_argument("--record", action="store_true", help="set cli in scale-large.json")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"{args.db} does not exist: generate and import the large company first (bench/run.py)")
    if args.record and args.source is not None:
        parser.error("--record keeps this checkout's figures only")
    result = {"measured": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(),
              **measure(args.db.resolve(), args.runs, args.source)}
    print(json.dumps(result, indent=2))
    if args.record:
        log(f"cli figures written into {record_in_scale('cli', result)}")


if __name__ == "__main__":
    main()
