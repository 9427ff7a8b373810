"""Check-in save speed: one check-in typed in the browser, from the form's rows to the committed batch.

Usage (from the project root)::

    .venv/bin/python -m bench.checkin --size demo     # a few seconds
    .venv/bin/python -m bench.checkin --size large    # generates and imports the large company first (~2 min)

What is timed, per check-in, on key results of the current cycle that follow no KPI: (1) the save,
``okrdash.checkins.record_checkin`` (the Validator on a one-row scratch table, then ``Store.apply``
in one transaction), which is what the check-in form waits for; (2) the fresh status of the saved
key result that the form reports (``Store.kr_scores`` of its objective). The targets of issue 12:
a save under 0.5 s on the demo company and under 1 s on the large one. Figures are medians over
``--runs`` check-ins (each on another key result), with the slowest; the machine's load average is
printed because the 2-core benchmark machine is shared. Writes ``bench/results/checkin-<size>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import time
from pathlib import Path

from okrdash.access import admin_writer

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEFAULT_WORKDIR = ROOT / "bench" / ".work"
TARGET_SECONDS = {"demo": 0.5, "large": 1.0, "medium": 1.0}
LABELS = {"value": "New value", "date": "Date", "confidence": "Confidence", "note": "Note"}


def _store(size: str, workdir: Path):
    """A scratch copy of the company's database (the benchmark writes check-ins into it)."""
    from okrdash import demo
    from okrdash.store import open_store

    if size == "demo":
        store = open_store(workdir / "checkin-demo.duckdb")
        if store.is_empty():
            demo.load_demo(store, anchor=demo.DEMO_ANCHOR)
        return store, demo.DEMO_ANCHOR
    from bench.generate import AS_OF, generate
    from okrdash.importing import Upload, import_files

    folder = workdir / size
    built = folder / "checkin-base.duckdb"
    if not built.exists():
        if not (folder / "manifest.json").exists():
            generate(size, folder)
        store = open_store(built)
        for kind in ("kpis", "okrs", "checkins"):
            path = folder / f"{kind}.csv"
            started = time.perf_counter()
            import_files(store, [Upload(path.name, path.read_bytes())], today=AS_OF)
            print(f"imported {kind}: {time.perf_counter() - started:.1f} s")
        store.close()
    scratch = folder / "checkin-scratch.duckdb"
    for path in (scratch, Path(f"{scratch}.wal")):
        path.unlink(missing_ok=True)
    shutil.copyfile(built, scratch)
    return open_store(scratch), AS_OF


def main(argv: list[str] | None = None) -> None:
    from okrdash.checkins import KeyResultRef, record_checkin

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=("demo", "medium", "large"), required=True)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    store, as_of = _store(args.size, args.workdir)
    try:
        cycle = next(c for c in store.cycles() if c.start_date <= as_of <= c.end_date)
        krs = store.kr_scores(as_of, cycle=cycle.name)
        krs = krs[krs["kpi_id"].isna() & (krs["kind"] != "milestone")].head(args.runs)
        saves, reads = [], []
        for kr in krs.to_dict("records"):
            ref = KeyResultRef(kr["cycle"], kr["team"], kr["objective"], kr["title"])
            value = (kr["current"] if kr["current"] == kr["current"] and kr["current"] is not None else kr["baseline"]) or 0
            started = time.perf_counter()
            record_checkin(store, ref, float(value) + 1, as_of, "7", "bench", admin_writer("bench"), LABELS, today=as_of)
            saved = time.perf_counter()
            store.kr_scores(as_of, objective_id=int(kr["objective_id"]))
            reads.append(time.perf_counter() - saved)
            saves.append(saved - started)
        counts = store.table_counts()
    finally:
        store.close()
    target = TARGET_SECONDS[args.size]
    result = {
        "size": args.size, "runs": len(saves), "when": time.strftime("%Y-%m-%d %H:%M"),
        "loadavg": os.getloadavg()[0], "checkins_stored": counts["checkins"], "key_results": counts["key_results"],
        "save_median_s": round(statistics.median(saves), 3), "save_max_s": round(max(saves), 3),
        "fresh_status_median_s": round(statistics.median(reads), 3),
        "target_s": target, "pass": statistics.median(saves) < target,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"checkin-{args.size}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
