"""Views per second of one ``okrdash serve`` process with 1, 4 and 8 sessions at once, over Streamlit's websocket.

    .venv/bin/python -m bench.load                          # the large company, 1/4/8 sessions, 30 s each
    .venv/bin/python -m bench.load --record                 # also sets concurrency in scale-large.json
    .venv/bin/python -m bench.load --first-visits 8 --rounds 3 --sessions ""   # only the first-visit check

Against ``okrdash serve`` on the large company of bench/ (``bench/.work/large/okrdash.duckdb``; build
it with ``python -m bench.generate --size large --out bench/.work/large`` and ``okrdash --db
bench/.work/large/okrdash.duckdb --create import kpis.csv okrs.csv checkins.csv`` in that folder, or
``python -m bench.run --size large``). Ports 55600-55699 unless ``--ports LOW-HIGH``.

Each session is a websocket of its own on ``/_stcore/stream`` speaking the protocol of the
browser (bench/serving.py): a ``rerun_script`` BackMsg with the page and the link's query string,
then every ForwardMsg up to ``script_finished``. A view is an **error**, never a fast time, when
its delta stream holds an exception element, the run ended with a compile error, the page was not
found, it drew an error box, the connection dropped, or it did not finish within ``--timeout``.
The server's log is searched for "Uncaught app execution" as well.

1. **First visits** (``--first-visits N``, ``--rounds R``): a freshly started server, N sessions
   connected, then all open a different deep link at the same moment (overview, team, objective,
   KPIs, review, explainer, upload, my key results, with the large company's subjects). Before the
   shared store was opened under a lock, every session but one got "the database cannot be
   read (Catalog write-write conflict)"; tests/test_first_visits.py keeps that fixed.
2. **Load** (``--sessions 1,4,8``, ``--seconds S``): one server; every view of the list (the
   overview, and the team, objective and KPI page of ``--subjects`` teams: the most key results
   first) opened once to warm the caches, then for each session count S seconds of sessions
   asking for views one after another, each starting at another place in the list. Views/s is
   views finished without error over wall time; latency is send-to-``script_finished`` of each
   view (median, p95); server CPU is the serving process's user+system time over the views.
   Issue 27's target: at the most sessions, server CPU per view at most 1.5x that of the fewest
   and at least 5 views/s (the spread of views/s, issue 14's "within 20%", is still reported).

Writes ``bench/results/load-large.json``; ``--record`` sets ``concurrency`` in
``bench/results/scale-large.json`` (the rest of that file is kept). The machine is shared: the
load average is recorded with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from pathlib import Path
from typing import Any

from bench.scale_file import record_in_scale
from bench.generate import AS_OF, CURRENT
from bench.serving import Server, Session, View, free_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DB = ROOT / "bench" / ".work" / "large" / "okrdash.duckdb"
LOGS = ROOT / "bench" / ".work" / "logs"
# url_path of each page in app.py's navigation ("" is the default page, the overview).
FIRST_VISIT_PAGES = ("", "team", "objective", "kpis", "review", "explainer", "upload", "my")
LOAD_PAGES = ("", "team", "objective", "kpis")
TARGET_SPREAD = 0.20  # issue 14: views/s at 1, 4 and 8 sessions within 20% of each other
TARGET_CPU_RATIO = 1.5  # issue 27: server CPU per view at 8 sessions at most 1.5x that of 1
TARGET_VIEWS_PER_S = 5.0  # issue 27: and at least 5 views/s at 8 sessions, one process


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def machine() -> dict[str, Any]:
    from bench.run import machine as run_machine

    return run_machine()


def subjects(db: Path, count: int) -> list[dict[str, Any]]:
    """``count`` teams with their largest objective and first KPI (read before the server holds the file)."""
    from bench.views import subjects as view_subjects

    return view_subjects(db, count)


def link(page: str, subject: dict[str, Any]) -> dict[str, str]:
    """The query string of a deep link to ``page`` for ``subject``, as the pages' share box writes it."""
    query = {"as_of": AS_OF.isoformat(), "cycle": CURRENT.name}
    if page == "team":
        query["team"] = subject["team"]
    elif page == "objective":
        query["objective"] = str(subject["objective"])
    elif page == "kpis":
        query.update(team=subject["team"], kpi=str(subject["kpi"]))
    elif page == "my":
        query["owner"] = subject.get("owner") or ""
    return query


def owner_of(db: Path, team: str) -> str:
    """An owner of key results of ``team`` in the current cycle (the My key results page's subject)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            """SELECT k.owner FROM key_results k JOIN objectives o ON o.id = k.objective_id
               WHERE o.team = ? AND o.cycle = ? AND k.owner IS NOT NULL GROUP BY k.owner
               ORDER BY count(*) DESC, k.owner LIMIT 1""", [team, CURRENT.name]).fetchone()
    finally:
        con.close()
    return row[0] if row else ""


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def describe(view: View) -> str:
    return f"{view.page or 'overview'} {view.query}: {view.error}"[:400]


# -- 1. first visits -------------------------------------------------------------------------------


def first_visits(db: Path, sessions: int, rounds: int, ports: tuple[int, int], timeout: float,
                 subs: list[dict[str, Any]]) -> dict[str, Any]:
    out_rounds = []
    for round_number in range(rounds):
        with Server(free_port(*ports), LOGS, db=db) as server:
            server.wait_healthy()
            clients = [Session(server.url, timeout=timeout) for _ in range(sessions)]
            barrier = threading.Barrier(sessions)
            views: list[View | None] = [None] * sessions

            def visit(index: int) -> None:
                page = FIRST_VISIT_PAGES[index % len(FIRST_VISIT_PAGES)]
                barrier.wait()
                views[index] = clients[index].view(page, link(page, subs[index % len(subs)]))

            threads = [threading.Thread(target=visit, args=(i,)) for i in range(sessions)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            for client in clients:
                client.close()
            done = [v for v in views if v is not None]
            errors = [describe(v) for v in done if v.error]
            row = {"round": round_number + 1, "sessions": sessions, "errors": len(errors),
                   "error_samples": errors[:4], "uncaught_in_log": server.uncaught(),
                   "slowest_s": round(max(v.seconds for v in done), 2), "loadavg": loadavg()}
            out_rounds.append(row)
            print(f"first visits round {row['round']}: {sessions} sessions, {row['errors']} errors, "
                  f"{row['uncaught_in_log']} uncaught in the log, slowest {row['slowest_s']} s", flush=True)
            for sample in errors[:4]:
                print("   ", sample, flush=True)
    return {"sessions": sessions, "rounds": out_rounds,
            "errors": sum(r["errors"] for r in out_rounds),
            "uncaught_in_log": sum(r["uncaught_in_log"] for r in out_rounds)}


# -- 2. load ---------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))]


def warm(server: Server, views_list: list[tuple[str, dict[str, str]]], timeout: float) -> tuple[float, list[str]]:
    """Open every view of the list once on ``server`` (its caches warm); (seconds, error samples)."""
    started = time.perf_counter()
    warm_errors = []
    with Session(server.url, timeout=timeout) as session:
        for page, query in views_list:
            view = session.view(page, query)
            if view.error:
                warm_errors.append(describe(view))
    return time.perf_counter() - started, warm_errors


def level(servers: list[Server], views_list: list[tuple[str, dict[str, str]]], sessions: int, seconds: float,
          timeout: float) -> dict[str, Any]:
    """``seconds`` of ``sessions`` sessions asking for views one after another, session i on
    ``servers[i % len(servers)]`` (round-robin); server CPU is the sum over the serving processes."""
    homes = [servers[index % len(servers)] for index in range(sessions)]
    clients = [Session(home.url, timeout=timeout) for home in homes]
    results: list[list[View]] = [[] for _ in range(sessions)]
    barrier = threading.Barrier(sessions + 1)
    stop_at = [0.0]

    def work(index: int) -> None:
        position = index * max(1, len(views_list) // sessions)
        barrier.wait()
        while time.perf_counter() < stop_at[0]:
            page, query = views_list[position % len(views_list)]
            position += 1
            view = clients[index].view(page, query)
            results[index].append(view)
            if clients[index].closed:  # a dropped connection: reconnect as a browser would
                clients[index] = Session(homes[index].url, timeout=timeout)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(sessions)]
    for thread in threads:
        thread.start()
    uncaught_before = sum(server.uncaught() for server in servers)
    load_before = loadavg()
    cpu_before = sum(process_cpu(server.process.pid) for server in servers)
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu = sum(process_cpu(server.process.pid) for server in servers) - cpu_before
    for client in clients:
        client.close()
    views = [v for per in results for v in per]
    good = [v for v in views if not v.error]
    errors = [describe(v) for v in views if v.error]
    latencies = [v.seconds for v in good]
    return {
        "sessions": sessions, "views": len(views), "errors": len(errors), "error_samples": errors[:4],
        "uncaught_in_log": sum(server.uncaught() for server in servers) - uncaught_before,
        "seconds": round(elapsed, 1),
        "views_per_s": round(len(good) / elapsed, 2),
        "latency_median_s": round(statistics.median(latencies), 3) if latencies else None,
        "latency_p95_s": round(percentile(latencies, 0.95), 3) if latencies else None,
        "server_cpu_s_per_view": round(cpu / max(len(views), 1), 3),
        "server_cpu_utilisation": round(cpu / elapsed, 2),
        "mb_per_view": round(sum(v.bytes for v in views) / max(len(views), 1) / 1e6, 3),
        "loadavg": [load_before, loadavg()],
    }


def print_level(row: dict[str, Any], prefix: str = "") -> None:
    print(f"{prefix}{row['sessions']} sessions: {row['views_per_s']} views/s, median {row['latency_median_s']} s, "
          f"p95 {row['latency_p95_s']} s, {row['errors']} errors, server CPU "
          f"{row['server_cpu_s_per_view']} s/view, load {row['loadavg']}", flush=True)
    for sample in row["error_samples"]:
        print("   ", sample, flush=True)


def load_views(subs: list[dict[str, Any]]) -> list[tuple[str, dict[str, str]]]:
    """The views of the load: the overview, team, objective and KPI page of each subject."""
    return [(page, link(page, subject)) for subject in subs for page in LOAD_PAGES]


def load(db: Path, levels: list[int], seconds: float, ports: tuple[int, int], timeout: float,
         subs: list[dict[str, Any]]) -> dict[str, Any]:
    views_list = load_views(subs)
    rows = []
    with Server(free_port(*ports), LOGS, db=db) as server:
        server.wait_healthy()
        warm_s, warm_errors = warm(server, views_list, timeout)
        print(f"warm-up: {len(views_list)} views in {warm_s:.1f} s, {len(warm_errors)} errors", flush=True)
        for sessions in levels:
            row = level([server], views_list, sessions, seconds, timeout)
            rows.append(row)
            print_level(row)
    rates = [r["views_per_s"] for r in rows]
    spread = round(max(rates) / min(rates) - 1, 3) if rates and min(rates) > 0 else None
    fewest, most = min(rows, key=lambda r: r["sessions"]), max(rows, key=lambda r: r["sessions"])
    cpu_ratio = (round(most["server_cpu_s_per_view"] / fewest["server_cpu_s_per_view"], 2)
                 if fewest["server_cpu_s_per_view"] else None)
    return {"views": [f"{page or 'overview'} {query}" for page, query in views_list], "warm_s": round(warm_s, 1),
            "warm_errors": warm_errors[:4], "levels": rows, "spread": spread, "cpu_ratio": cpu_ratio,
            "target": f"at {most['sessions']} sessions, server CPU per view at most {TARGET_CPU_RATIO}x that of "
                      f"{fewest['sessions']} and at least {TARGET_VIEWS_PER_S:g} views/s",
            "met": (cpu_ratio is not None and cpu_ratio <= TARGET_CPU_RATIO
                    and most["views_per_s"] >= TARGET_VIEWS_PER_S and not any(r["errors"] for r in rows))}


# -- driver ----------------------------------------------------------------------------------------


def record(result: dict[str, Any]) -> None:
    record_in_scale("concurrency", {
        "measured": f"{result['started']}, commit {result['machine']['commit']}, bench.load",
        "levels": [{k: row[k] for k in ("sessions", "views", "errors", "views_per_s", "latency_median_s",
                                        "latency_p95_s", "server_cpu_s_per_view", "loadavg")}
                   for row in result.get("load", {}).get("levels", [])],
        "spread": result.get("load", {}).get("spread"),
        "cpu_ratio": result.get("load", {}).get("cpu_ratio"),
        "met": result.get("load", {}).get("met"),
        "first_visits": {k: result["first_visits"][k] for k in ("sessions", "errors", "uncaught_in_log")}
        | {"rounds": len(result["first_visits"]["rounds"])} if "first_visits" in result else None,
    })


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--sessions", type=lambda s: [int(x) for x in s.split(",") if x], default=[1, 4, 8],
                        help="sessions at once, one level after another (default 1,4,8; empty to skip the load)")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds per level (default 30)")
    parser.add_argument("--subjects", type=int, default=6, help="teams whose pages the load visits (default 6)")
    parser.add_argument("--first-visits", type=int, default=8, help="sessions of the first-visit check (0: skip)")
    parser.add_argument("--rounds", type=int, default=2, help="fresh servers of the first-visit check (default 2)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds a view may take before it is an error")
    parser.add_argument("--ports", default="55600-55699")
    parser.add_argument("--record", action="store_true", help="set concurrency in scale-large.json")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"{args.db} does not exist: build the large company first (see --help)")
    low, high = (int(x) for x in args.ports.split("-"))
    subs = subjects(args.db, max(args.subjects, len(FIRST_VISIT_PAGES)))
    for subject in subs:
        subject["owner"] = owner_of(args.db, subject["team"])
    result: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
                              "db": str(args.db), "loadavg_start": loadavg()}
    if args.first_visits:
        result["first_visits"] = first_visits(args.db, args.first_visits, args.rounds, (low, high), args.timeout, subs)
    if args.sessions:
        result["load"] = load(args.db, args.sessions, args.seconds, (low, high), args.timeout, subs[:args.subjects])
        print(f"server CPU per view, most sessions over fewest: {result['load']['cpu_ratio']}x; "
              f"{result['load']['target']}: {'met' if result['load']['met'] else 'MISSED'} "
              f"(spread of views/s {result['load']['spread']}, issue 14's target {TARGET_SPREAD})", flush=True)
    result["loadavg_end"] = loadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load-large.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    if args.record:
        record(result)


if __name__ == "__main__":
    main()
