"""Memory of one ``okrdash serve`` process on the large company, every page opened in Chromium.

Usage (from the project root; the company comes from ``bench.generate --size large``)::

    .venv/bin/python -m bench.generate --size large          # CSV files in bench/.work/large (once)
    .venv/bin/python -m bench.serve_rss --size large         # imports them into serve-rss.duckdb (once)

A real server (``okrdash serve`` on a port of 55500-55599, as a deployment runs it, not AppTest)
on the imported company; headless Chromium opens every page (overview, team, objective, my key
results, KPIs, quarter review, upload, explainer) in one session, then all of them again in a
second session, each until Streamlit is idle. After each page the server's VmRSS is read from
/proc/PID/status and the CPU seconds the server spent on the page from /proc/PID/stat; at the end
its VmHWM (peak) and the CPU seconds it used in all. What docs/scaling.md
sizes a deployment from ("What one process holds"). Writes ``bench/results/serve-rss-<size>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.run import RESULTS, ROOT, loadavg, machine, pick_subjects
from bench.serving import BENCH_TOKEN, token_cookie

CHROMIUM = "/usr/bin/chromium"
PORTS = range(55500, 55600)


def _status(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024
    return fields


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _port() -> int:
    for port in random.sample(PORTS, len(PORTS)):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise SystemExit("no free port in 55500-55599")


def build(folder: Path, db: Path) -> None:
    from bench.generate import AS_OF
    from okrdash.importing import Upload, import_files
    from okrdash.store import open_store

    store = open_store(db)
    try:
        for kind in ("kpis", "okrs", "checkins"):
            path = folder / f"{kind}.csv"
            started = time.perf_counter()
            import_files(store, [Upload(path.name, path.read_bytes())], today=AS_OF)
            print(f"imported {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    finally:
        store.close()


def pages(subjects: dict[str, Any], as_of: str, cycle: str) -> dict[str, str]:
    pinned = f"as_of={as_of}&cycle={cycle}"
    kpi = f"&kpi={subjects['kpi']}" if subjects.get("kpi") is not None else ""
    return {
        "overview": f"/overview?{pinned}", "team": f"/team?{pinned}&team={subjects['team']}",
        "objective": f"/objective?{pinned}&objective={subjects['objective']}", "my": f"/my?{pinned}",
        "kpis": f"/kpis?{pinned}&team={subjects['team']}{kpi}", "review": f"/review?{pinned}",
        "upload": f"/upload?{pinned}", "explainer": f"/explainer?{pinned}",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large")
    args = parser.parse_args(argv)
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    from bench.generate import AS_OF, CURRENT
    from okrdash.store import open_store
    from tests.e2e.conftest import CHROMIUM_ARGS, VIEWPORT, wait_idle

    folder = ROOT / "bench" / ".work" / args.size
    db = folder / "serve-rss.duckdb"
    if not db.exists():
        build(folder, db)
    store = open_store(db)
    subjects = pick_subjects(store, CURRENT.name)
    store.close()
    subjects["team"] = quote(subjects["team"])
    port = _port()
    env = {**os.environ, "OKRDASH_DB": str(db), "OKRDASH_DEMO_WHEN_EMPTY": "false",
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "OKRDASH_LOCAL_TOKEN": BENCH_TOKEN.value}
    log = folder / "serve-rss.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "okrdash", "serve", "--port", str(port)],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    result: dict[str, Any] = {"size": args.size, "started": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(),
                              "db_bytes": db.stat().st_size, "subjects": subjects, "loadavg": [loadavg()]}
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        result["rss_started"] = _status(server.pid)["VmRSS"]
        result["cpu_seconds_started"] = round(_cpu_seconds(server.pid), 1)
        result["sessions"] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for session in (1, 2):
                context = browser.new_context(viewport=VIEWPORT, locale="en-US")
                context.add_cookies([token_cookie()])
                page = context.new_page()
                page.set_default_timeout(300_000)
                opened = {}
                for name, path in pages(subjects, AS_OF.isoformat(), CURRENT.name).items():
                    started, cpu = time.perf_counter(), _cpu_seconds(server.pid)
                    page.goto(base + path, wait_until="domcontentloaded")
                    wait_idle(page, settle_ms=500, timeout_ms=300_000, after_action=False)
                    errors = page.locator('[data-testid="stException"]').count()
                    opened[name] = {"seconds": round(time.perf_counter() - started, 2), "errors": errors,
                                    "server_cpu_seconds": round(_cpu_seconds(server.pid) - cpu, 2),
                                    "rss": _status(server.pid)["VmRSS"]}
                    print(f"session {session} {name}: {opened[name]}", flush=True)
                result["sessions"].append(opened)
                context.close()
            browser.close()
        status = _status(server.pid)
        result.update({"rss_after_pages": status["VmRSS"], "vm_hwm": status["VmHWM"],
                       "server_cpu_seconds": round(_cpu_seconds(server.pid), 1)})
        result["loadavg"].append(loadavg())
    finally:
        server.terminate()
        server.wait(timeout=30)
    out = RESULTS / f"serve-rss-{args.size}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    mb = 1 << 20
    print(f"started {result['rss_started'] / mb:.0f} MB, after every page twice {result['rss_after_pages'] / mb:.0f} MB, "
          f"peak {result['vm_hwm'] / mb:.0f} MB, {result['server_cpu_seconds']} CPU s; {out}")


if __name__ == "__main__":
    main()
