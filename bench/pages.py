"""Time each page script on the demo company: first run (cold caches) and warm reruns.

Run with ``make bench`` (or ``.venv/bin/python -m bench.pages``). Writes
bench/results/pages-demo.json and .md. The figures are medians of several warm reruns.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from okrdash import demo
from okrdash.access import LOCAL_TOKEN_PARAM, local_token
from okrdash.store import open_store

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PAGES = {
    "overview": "pages/overview.py",
    "team": "pages/team.py",
    "objective": "pages/objective.py",
    "kpis": "pages/kpis.py",
    "upload": "pages/upload.py",
    "explainer": "pages/explainer.py",
}
QUERY = {"as_of": demo.DEMO_ANCHOR.isoformat(), "cycle": "2026-Q4"}
WARM_RUNS = 7


def _time_page(page: str) -> tuple[float, float]:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.query_params.update(QUERY)
    app.query_params[LOCAL_TOKEN_PARAM] = local_token().value  # local mode: the editor's view, as before
    if page != "pages/overview.py":
        app.switch_page(page)
    started = time.perf_counter()
    app.run()
    cold = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"{page}: {app.exception[0].value}")
    warm = []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        app.run()
        warm.append(time.perf_counter() - started)
    return cold, statistics.median(warm)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.duckdb"
        store = open_store(db)
        demo.load_demo(store, anchor=demo.DEMO_ANCHOR)
        store.close()
        os.environ["OKRDASH_DB"] = str(db)
        os.environ["OKRDASH_DEMO_WHEN_EMPTY"] = "false"
        rows = []
        for name, page in PAGES.items():
            cold, warm = _time_page(page)
            rows.append({"page": name, "first_run_ms": round(cold * 1000), "warm_median_ms": round(warm * 1000)})
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages-demo.json").write_text(json.dumps({"machine": machine, "pages": rows}, indent=2) + "\n")
    table = ["| page | first run (ms) | warm rerun, median (ms) |", "|---|---:|---:|"]
    table += [f"| {r['page']} | {r['first_run_ms']} | {r['warm_median_ms']} |" for r in rows]
    (RESULTS / "pages-demo.md").write_text(f"Demo company, AppTest, {machine}\n\n" + "\n".join(table) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    main()
