"""What a second serving process buys on PostgreSQL: views/s and latency of one and two ``okrdash
serve`` processes on one PostgreSQL database, next to one process on the DuckDB file, in one run.

    .venv/bin/python -m bench.processes --size large                 # ~8 minutes on 2 cores
    .venv/bin/python -m bench.processes --size demo                  # the demo company, ~3 minutes
    .venv/bin/python -m bench.processes --size large --sessions 2,4,8 --seconds 20 --ports 56100-56199

1. A throwaway PostgreSQL server (tests/pg_server.py's PgServer: initdb in a temporary folder, Unix
   socket only, fsync off) and the company loaded into it the way an operator moves a file to
   PostgreSQL: ``okrdash backup`` of the DuckDB file, then ``okrdash --db URL restore`` (both timed).
   The file is ``bench/.work/large/okrdash.duckdb`` for ``--size large`` (build it as bench/load.py
   says) or a fresh demo company in ``bench/.work/processes-demo/`` for ``--size demo``.
2. Three set-ups, one after another, each started fresh and stopped before the next:
   (a) ``file``: one ``okrdash serve`` on the DuckDB file; (b) ``pg1``: one on the PostgreSQL URL;
   (c) ``pg2``: two on the same URL, started together. Each process first opens every view of the
   list once (its own caches warm; bench/load.py's ``warm``), then for each session count
   bench/load.py's ``level`` runs: the same views (overview, team, objective and KPI page of
   ``--subjects`` teams), the same error counting (exception elements, error boxes, dropped
   connections, timeouts, "Uncaught app execution" in the logs), sessions spread round-robin over
   the processes. Server CPU per view is the sum over the set-up's processes; the load average
   is recorded at the start and end of every level (the machine is shared).
3. The ratios per session count: views/s of pg2 over pg1 (what the second process buys) and of
   pg1 over file (what PostgreSQL costs one process).

Writes ``bench/results/processes-<size>.json``; for the large company also sets ``processes`` in
``bench/results/scale-large.json`` (the rest of that file is kept). Every server and the
PostgreSQL cluster are stopped at the end, also on an error.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench.scale_file import record_in_scale
from bench.load import LOGS, RESULTS, ROOT, level, link, load_views, loadavg, machine, print_level, warm
from bench.serving import Server, Session, free_port

WORK = ROOT / "bench" / ".work"
LARGE_DB = WORK / "large" / "okrdash.duckdb"
SETUPS = (("file", 1), ("pg1", 1), ("pg2", 2))
KEPT = ("sessions", "views", "errors", "uncaught_in_log", "views_per_s", "latency_median_s", "latency_p95_s",
        "server_cpu_s_per_view", "server_cpu_utilisation", "loadavg")


def source_db(size: str) -> Path:
    """The DuckDB file of the company: the large one of bench/, or a fresh demo company."""
    if size == "large":
        if not LARGE_DB.exists():
            sys.exit(f"{LARGE_DB} does not exist: build the large company first (see bench/load.py)")
        return LARGE_DB
    from okrdash import demo
    from okrdash.store import open_store

    folder = WORK / "processes-demo"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store = open_store(folder / "okrdash.duckdb")
    try:
        demo.load_demo(store, anchor=demo.DEMO_ANCHOR)
    finally:
        store.close()
    return folder / "okrdash.duckdb"


def load_into_postgres(db: Path, url: str, size: str) -> dict[str, float]:
    """``okrdash backup`` of ``db`` and ``okrdash --db URL restore`` of that backup, timed."""
    from okrdash.store import open_store, restore

    folder = WORK / f"processes-{size}-backup"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    store = open_store(db)
    try:
        store.backup(folder)
    finally:
        store.close()
    backup_s = time.perf_counter() - started
    started = time.perf_counter()
    restore(folder, url)
    restore_s = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    return {"backup_s": round(backup_s, 1), "restore_into_postgresql_s": round(restore_s, 1)}


def run_setup(name: str, processes: int, target: Path | str, levels: list[int], seconds: float,
              ports: tuple[int, int], timeout: float, views_list: list[tuple[str, dict[str, str]]],
              subject: dict[str, Any], checkins: int) -> dict[str, Any]:
    servers: list[Server] = []
    try:
        started = time.perf_counter()
        for _ in range(processes):  # started together: a replica set coming up
            servers.append(Server(free_port(*ports), LOGS, db=target))
        for server in servers:
            server.wait_healthy(timeout=600)
        open_s = time.perf_counter() - started
        print(f"[{name}] {processes} process(es) healthy after {open_s:.1f} s (load {loadavg()})", flush=True)
        warm_rows = []
        for server in servers:
            warm_s, warm_errors = warm(server, views_list, timeout)
            warm_rows.append({"seconds": round(warm_s, 1), "errors": len(warm_errors), "samples": warm_errors[:4]})
            print(f"[{name}] warm-up on :{server.port}: {len(views_list)} views in {warm_s:.1f} s, "
                  f"{len(warm_errors)} errors", flush=True)
        rows = []
        for sessions in levels:
            row = level(servers, views_list, sessions, seconds, timeout)
            rows.append(row)
            print_level(row, prefix=f"[{name}] ")
        out = {"processes": processes, "open_to_healthy_s": round(open_s, 1), "warm": warm_rows, "levels": rows}
        if len(servers) > 1 and checkins:
            out["checkin_visible_in_process_2"] = visibility(servers[1], str(target), subject, checkins, timeout)
        return out
    finally:
        for server in servers:
            server.stop()


def visibility(server: Server, url: str, subject: dict[str, Any], runs: int, timeout: float) -> dict[str, Any]:
    """A check-in written by this bench process (a third process on the URL, through the store as a
    page's form writes) and the time from its commit until ``server``'s objective page shows it:
    one session asks for the page again and again until the check-in's note (unique per run) is in
    its history table's data. Includes ``pg_poll_seconds`` and the mirror's reload."""
    import statistics

    from bench.generate import AS_OF, CURRENT
    from okrdash.access import admin_writer
    from okrdash.checkins import KeyResultRef, record_checkin
    from okrdash.store import open_store

    started = time.perf_counter()
    writer = open_store(url)
    open_s = time.perf_counter() - started
    try:
        krs = writer.kr_scores(AS_OF, cycle=CURRENT.name, objective_id=subject["objective"])
        krs = krs[krs["kpi_id"].isna() & (krs["kind"] != "milestone")]
        if krs.empty:
            return {"skipped": "the subject's objective has no key result a check-in can be made on"}
        kr = krs.iloc[0]
        ref = KeyResultRef(kr["cycle"], kr["team"], kr["objective"], kr["title"])
        value = float(kr["current"]) if kr["current"] == kr["current"] and kr["current"] is not None else 0.0
        query = link("objective", subject)
        seconds, views, errors = [], [], []
        with Session(server.url, timeout=timeout) as reader:
            for run in range(runs):
                note = f"procs-visible-{run}-{time.time_ns()}"
                record_checkin(writer, ref, value, AS_OF, "7", note, admin_writer("bench"), {}, today=AS_OF)
                committed = time.perf_counter()
                asked = 0
                while True:
                    view = reader.view("objective", query, find=note.encode())
                    asked += 1
                    if view.error:
                        errors.append(view.error[:300])
                    if view.found or time.perf_counter() - committed > 120:
                        break
                seconds.append(time.perf_counter() - committed if view.found else None)
                views.append(asked)
                print(f"check-in {run + 1}: visible in process 2's view after "
                      f"{seconds[-1] if seconds[-1] is None else round(seconds[-1], 2)} s ({asked} views)", flush=True)
    finally:
        writer.close()
    shown = [s for s in seconds if s is not None]
    return {"writer_open_s": round(open_s, 1), "runs": runs, "not_visible_within_120_s": seconds.count(None),
            "seconds": [None if s is None else round(s, 2) for s in seconds],
            "median_s": round(statistics.median(shown), 2) if shown else None, "views_asked": views,
            "errors": len(errors), "error_samples": errors[:4], "loadavg": loadavg()}


def ratios(setups: dict[str, Any], top: str, bottom: str) -> list[dict[str, Any]]:
    out = []
    for high, low in zip(setups[top]["levels"], setups[bottom]["levels"], strict=True):
        ratio = round(high["views_per_s"] / low["views_per_s"], 2) if low["views_per_s"] else None
        out.append({"sessions": high["sessions"], "views_per_s": ratio,
                    "latency_median": round(high["latency_median_s"] / low["latency_median_s"], 2)
                    if high["latency_median_s"] and low["latency_median_s"] else None})
    return out


def record(result: dict[str, Any]) -> None:
    record_in_scale("processes", {
        "measured": f"{result['started']}, commit {result['machine']['commit']}, bench.processes",
        "setups": {name: {"processes": setup["processes"],
                          "levels": [{k: row[k] for k in KEPT} for row in setup["levels"]]}
                   for name, setup in result["setups"].items()},
        "pg2_over_pg1": result["pg2_over_pg1"], "pg1_over_file": result["pg1_over_file"],
        "checkin_visible_in_process_2": result["setups"]["pg2"].get("checkin_visible_in_process_2"),
        "loadavg": [result["loadavg_start"], result["loadavg_end"]],
    })


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=("demo", "large"), default="large")
    parser.add_argument("--sessions", type=lambda s: [int(x) for x in s.split(",") if x], default=[2, 4, 8],
                        help="sessions at once, one level after another (default 2,4,8)")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per level (default 20)")
    parser.add_argument("--subjects", type=int, default=6, help="teams whose pages the load visits (default 6)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds a view may take before it is an error")
    parser.add_argument("--ports", default="56100-56199")
    parser.add_argument("--checkins", type=int, default=3,
                        help="check-ins timed until process 2 shows them, in the two-process set-up (0: skip)")
    args = parser.parse_args(argv)
    low, high = (int(x) for x in args.ports.split("-"))
    sys.path.insert(0, str(ROOT))
    from bench.views import subjects
    from tests.pg_server import PgServer, find_binaries

    binaries = find_binaries()
    if binaries is None:
        sys.exit("no PostgreSQL binaries found: install Debian's postgresql package")
    result: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
                              "size": args.size, "loadavg_start": loadavg(), "seconds_per_level": args.seconds}
    db = source_db(args.size)
    subs = subjects(db, args.subjects)
    views_list = load_views(subs)
    result["views"] = [f"{page or 'overview'} {query}" for page, query in views_list]
    pg = PgServer(binaries)
    try:
        url = pg.new_database()
        result["load_into_postgresql"] = load_into_postgres(db, url, args.size)
        print(f"company in PostgreSQL: {result['load_into_postgresql']}", flush=True)
        targets: dict[str, Path | str] = {"file": db, "pg1": url, "pg2": url}
        result["setups"] = {name: run_setup(name, processes, targets[name], args.sessions, args.seconds,
                                            (low, high), args.timeout, views_list, subs[0], args.checkins)
                            for name, processes in SETUPS}
    finally:
        pg.stop()
    result["pg2_over_pg1"] = ratios(result["setups"], "pg2", "pg1")
    result["pg1_over_file"] = ratios(result["setups"], "pg1", "file")
    result["loadavg_end"] = loadavg()
    for name in ("pg2_over_pg1", "pg1_over_file"):
        print(name, result[name], flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"processes-{args.size}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    if args.size == "large":
        record(result)


if __name__ == "__main__":
    main()
