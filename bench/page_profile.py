"""Where a fresh deep link's time to main content goes, in Chromium (the profile behind docs/scaling.md's
"Time to main content" section).

    .venv/bin/python -m bench.page_profile                         # overview and objective, 3 fresh contexts each
    .venv/bin/python -m bench.page_profile --pages overview,team --contexts 5

Against ``okrdash serve`` on the large company and the floor (bench/floor.py), as bench/browser.py
opens them (same links, same "main content" probe). Per page, medians over the fresh contexts, in
milliseconds since the navigation started:

- ``html_ms``: the HTML page received; ``scripts_ms``: the last script fetched before the
  websocket opened (Streamlit's own bundle);
- ``ws_open_ms``: the websocket opened; ``first_msg_ms``/``last_msg_ms``: its first and last message
  before the content was drawn, ``messages`` and ``kb`` their count and size (the server's run as the
  browser receives it: ``last_msg_ms - ws_open_ms`` is about what the server spends on the run);
- ``content_ms``: main content on screen (bench/browser.py's probe);
- from CDP's ``Performance.getMetrics`` at that moment: ``script_ms``, ``layout_ms``,
  ``style_ms``, ``task_ms`` (the main thread's whole busy time), ``layouts``, ``style_recalcs``;
- ``dom_elements`` (every element of the document), ``st_elements`` (Streamlit element containers,
  one per delta), ``st_html`` (of which ``st.html`` blocks), ``long_tasks_ms`` (tasks over 50 ms);
- once the first run is over: ``run_messages``, ``run_kb``, ``run_last_msg_ms``, ``run_dom_elements``,
  ``run_st_elements`` (the whole view, drawn before the content or after it).

Writes ``bench/results/page-profile-large.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.browser import (FLOOR, PAGES, RUN_OVER, deep_links, floor_app_and_chromium, new_context, page_subject,
                           wait_content)
from bench.load import DEFAULT_DB, RESULTS, loadavg, machine

# Records the websocket's opening and messages, and long tasks, from the first script of the page on.
RECORDER = """(() => {
    const log = window.__okrWs = {open: null, messages: []};
    const Native = window.WebSocket;
    window.WebSocket = function (...args) {
        const socket = new Native(...args);
        socket.addEventListener('open', () => { log.open = performance.now(); });
        socket.addEventListener('message', (event) => {
            const size = event.data.byteLength ?? event.data.size ?? event.data.length ?? 0;
            log.messages.push([performance.now(), size]);
        });
        return socket;
    };
    window.WebSocket.prototype = Native.prototype;
    Object.assign(window.WebSocket, Native);
    window.__okrLong = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__okrLong.push([entry.startTime, entry.duration]);
    }).observe({type: 'longtask', buffered: true});
})()"""

SNAPSHOT = """(contentMs) => {
    const nav = performance.getEntriesByType('navigation')[0];
    const ws = window.__okrWs;
    const before = ws.messages.filter(([at]) => at <= contentMs);
    const scripts = performance.getEntriesByType('resource')
        .filter(e => e.initiatorType === 'script' && (ws.open === null || e.responseEnd <= ws.open));
    return {
        html_ms: nav.responseEnd,
        scripts_ms: scripts.length ? Math.max(...scripts.map(e => e.responseEnd)) : null,
        ws_open_ms: ws.open,
        first_msg_ms: before.length ? before[0][0] : null,
        last_msg_ms: before.length ? before[before.length - 1][0] : null,
        messages: before.length,
        kb: before.reduce((sum, [, size]) => sum + size, 0) / 1024,
        dom_elements: document.querySelectorAll('*').length,
        st_elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
        st_html: document.querySelectorAll('[data-testid="stHtml"]').length,
        long_tasks_ms: window.__okrLong.filter(([at]) => at <= contentMs).reduce((s, [, d]) => s + d, 0),
    };
}"""

# The whole first run, once it is over: every message and element, content or not.
AFTER_RUN = """() => ({
    run_messages: window.__okrWs.messages.length,
    run_kb: window.__okrWs.messages.reduce((sum, [, size]) => sum + size, 0) / 1024,
    run_last_msg_ms: window.__okrWs.messages.length ? window.__okrWs.messages.at(-1)[0] : null,
    run_dom_elements: document.querySelectorAll('*').length,
    run_st_elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
})"""

CDP_METRICS = {"ScriptDuration": "script_ms", "LayoutDuration": "layout_ms", "RecalcStyleDuration": "style_ms",
               "TaskDuration": "task_ms", "LayoutCount": "layouts", "RecalcStyleCount": "style_recalcs"}


def profile_once(browser, url: str, title: str, wanted: list[tuple[str, int]], timeout_s: float) -> dict[str, Any]:
    context = new_context(browser)
    try:
        page = context.new_page()
        page.add_init_script(RECORDER)
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable", {"timeDomain": "timeTicks"})
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        seconds, error = wait_content(page, title, wanted, timeout_s)
        if error:
            return {"error": error}
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        row: dict[str, Any] = {"content_ms": seconds * 1000}
        row.update(page.evaluate(SNAPSHOT, seconds * 1000))
        for name, key in CDP_METRICS.items():
            value = metrics.get(name, 0.0)
            row[key] = value * 1000 if name.endswith("Duration") else value
        page.wait_for_function(RUN_OVER, polling=100, timeout=timeout_s * 1000)
        row.update(page.evaluate(AFTER_RUN))
        return row
    finally:
        context.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--contexts", type=int, default=3)
    parser.add_argument("--pages", default="overview,objective")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--ports", default="55600-55699")
    args = parser.parse_args(argv)
    low, high = (int(x) for x in args.ports.split("-"))
    names = [name for name in args.pages.split(",") if name]
    subject = page_subject(args.db)
    result: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
                              "contexts": args.contexts, "loadavg": [loadavg()], "pages": {}}
    with floor_app_and_chromium(args.db, (low, high)) as (floor, app, browser):
        urls = deep_links(app.url, names, subject)
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in ["floor", *names]}
        for name in names:  # the server's first view of each page, not measured
            profile_once(browser, urls[name], *PAGES[name], args.timeout)
        for _ in range(args.contexts):
            for name in ["floor", *names]:
                url, (title, wanted) = (floor.url, FLOOR) if name == "floor" else (urls[name], PAGES[name])
                rows[name].append(profile_once(browser, url, title, wanted, args.timeout))
            result["loadavg"].append(loadavg())
    for name, runs in rows.items():
        good = [run for run in runs if "error" not in run]
        summary = {key: round(statistics.median(run[key] for run in good if run[key] is not None), 1)
                   for key in good[0] if any(run[key] is not None for run in good)} if good else {}
        summary["errors"] = [run["error"] for run in runs if "error" in run]
        result["pages"][name] = summary
        print(name, json.dumps(summary))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "page-profile-large.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
