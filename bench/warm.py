"""Server CPU of the first view of every page after ``okrdash serve`` starts and after a write (issue 27).

    .venv/bin/python -m bench.warm --record     # sets pages_server[].cpu_first_after_start_s / _after_write_s

1. **After a start**: ``okrdash serve`` on the large company (``bench/.work/large/okrdash.duckdb``),
   healthy, then left until its CPU stops moving (the warmer of okrdash/warming.py done: it is
   off the request path), then each page opened once by a new session over the websocket with the
   link a person opens without a date (today's); CPU is the serving process's user+system time
   around that view (bench/serving.py, bench/load.py).
2. **After a write**: in this process (AppTest, as bench/views.py), the store and its warmer, and
   one view of the upload page (as a server has served views before a write: the first AppTest of a
   process also loads Streamlit's elements and okrdash.ui, 0.1-0.2 CPU s that ``okrdash serve`` spends
   at start); for each page a check-in is imported (a new write version), the warmer is waited
   for, and the page's first view of the new version is run; CPU is ``time.process_time()`` around it (every
   thread of the process: the warmer's is idle by then).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.load import LOGS, process_cpu
from bench.run import RESULTS, loadavg, machine, use_database
from bench.views import DEFAULT_DB, PAGES, URL_PATHS, cpu_of_run, open_app, query, subjects

PAGE_ONLY = {"as_of", "cycle"}  # what a person's link leaves out: the server shows today's date and cycle


def wait_idle(pid: int, quiet_s: float = 2.0, timeout: float = 600.0) -> float:
    """Wait until process ``pid`` spends under 0.05 CPU s in ``quiet_s``; the CPU it spent meanwhile."""
    started, deadline = process_cpu(pid), time.monotonic() + timeout
    last = started
    while time.monotonic() < deadline:
        time.sleep(quiet_s)
        now = process_cpu(pid)
        if now - last < 0.05:
            return now - started
        last = now
    raise RuntimeError("the server never went idle")


def after_start(db: Path, chosen: list[dict[str, Any]], ports: tuple[int, int], timeout: float) -> dict[str, Any]:
    from bench.serving import Server, Session, free_port

    rows: dict[str, float] = {}
    with Server(free_port(*ports), LOGS, db=db) as server:
        server.wait_healthy()
        warm_cpu = wait_idle(server.process.pid)
        for page in PAGES:
            url = {k: v for k, v in query(page, chosen[0]).items() if k not in PAGE_ONLY}
            before = process_cpu(server.process.pid)
            with Session(server.url, timeout=timeout) as session:
                view = session.view(URL_PATHS[page], url)
            rows[page] = round(process_cpu(server.process.pid) - before, 3)
            if view.error:
                raise RuntimeError(f"{page}: {view.error}")
            print(f"{page}: first view after a start {rows[page]:.3f} s (server CPU)", flush=True)
        if server.uncaught():
            raise RuntimeError(server.output())
    return {"warm_up_cpu_s": round(warm_cpu, 2), "pages": rows}


def after_write(db: Path, chosen: list[dict[str, Any]]) -> dict[str, Any]:
    from bench.generate import AS_OF
    from okrdash import warming
    from okrdash.importing import Upload, import_files
    from okrdash.store import shared_store

    import shutil

    copy = db.with_name("warm-writes.duckdb")  # the writes go into a copy: the large company stays as built
    copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
    shutil.copyfile(db, copy)
    use_database(copy)
    store, _ = shared_store(copy)
    warmer = warming.Warmer(store, today=lambda: AS_OF).start()
    assert warmer.wait_warm(600)
    # A server has served views before a write: its page scripts compiled and Streamlit's elements
    # loaded. This process has not, so one view of a page no write touches comes first, not counted.
    cpu_of_run(open_app("upload", query("upload", None)))
    krs = store.kr_scores(AS_OF, cycle=query("team", None)["cycle"]).dropna(subset=["current"])
    krs = krs[krs["kpi_id"].isna()]  # a key result that follows a KPI takes no check-in
    rows: dict[str, float] = {}
    warm_s: list[float] = []
    for index, page in enumerate(PAGES):
        kr = krs.iloc[index]
        text = (f"team,key_result,cycle,date,value\n{kr['team']},{kr['title']},{kr['cycle']},{AS_OF.isoformat()},"
                f"{float(kr['current']) + 1}\n")
        import_files(store, [Upload(f"checkins-{index}.csv", text.encode())])
        began = time.process_time()
        warming.poke()
        assert warmer.wait_warm(600)
        warm_s.append(time.process_time() - began)
        app = open_app(page, query(page, chosen[0]))
        rows[page] = round(cpu_of_run(app), 3)
        print(f"{page}: first view after a write {rows[page]:.3f} s (CPU, AppTest)", flush=True)
    warmer.stop()
    return {"warm_up_cpu_s_median": round(statistics.median(warm_s), 2), "pages": rows}


def record(result: dict[str, Any]) -> None:
    scale = RESULTS / "scale-large.json"
    document = json.loads(scale.read_text())
    measured = f"{result['started']}, commit {result['machine']['commit']}, bench.warm"
    for row in document.get("pages_server", []):
        page = row["page"]
        row["cpu_first_after_start_s"] = result["after_start"]["pages"].get(page)
        row["cpu_first_after_write_s"] = result["after_write"]["pages"].get(page)
        row["first_measured"] = measured
    scale.write_text(json.dumps(document, indent=2, default=str) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--ports", default="56700-56799")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args(argv)
    low, high = (int(x) for x in args.ports.split("-"))
    chosen = subjects(args.db, 1)
    result: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
                              "loadavg": [loadavg()]}
    result["after_start"] = after_start(args.db, chosen, (low, high), args.timeout)
    result["after_write"] = after_write(args.db, chosen)
    result["loadavg"].append(loadavg())
    (RESULTS / "warm-large.json").write_text(json.dumps(result, indent=2) + "\n")
    if args.record:
        record(result)


if __name__ == "__main__":
    main()
