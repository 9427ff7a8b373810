"""Time to main content in Chromium: a fresh deep link to each page, and page switches, next to the empty-page floor.

    .venv/bin/python -m bench.browser                    # the large company, 5 fresh browser contexts per page
    .venv/bin/python -m bench.browser --record           # also sets browser in scale-large.json
    .venv/bin/python -m bench.browser --contexts 9 --pages team,objective

Against ``okrdash serve`` on the large company of bench/ (``bench/.work/large/okrdash.duckdb``, built
as bench/load.py says) and, in the same run on the same machine, the **floor**: the same
Streamlit serving ``bench/floor.py``, a one-line script that writes one Markdown line. Both
servers run side by side and the measurements alternate (floor, then every page, for each round),
so a change in the machine's load falls on both. Debian's Chromium (``/usr/bin/chromium``) through
Playwright, as tests/e2e does; ports 55600-55699 unless ``--ports LOW-HIGH``.

**Time to main content** of a deep link is ``performance.now()`` (milliseconds since the
navigation started) in the first animation frame in which the page's main content is on screen,
in a browser context of its own (no cache, no cookies, a new Streamlit session). "Main content" is
what a reader of that page waits for, checked on elements that are not stale (Streamlit keeps the
previous page's elements, marked ``data-stale``, until they are replaced), below the page's own
title:

- overview: the status counts (8 metric values) and the first table drawn;
- team: its status counts (4 metric values) and its first key results table drawn;
- objective: its key results table drawn and the first burn-up chart drawn;
- KPIs: the KPI table drawn;
- review: its counts (3 metric values) and the first grades table drawn;
- explainer: the side-by-side table and a metric of the worked example;
- upload: the file drop zone and the import history table drawn;
- my key results: the person's key results table drawn;
- floor: its Markdown line.

Tables are HTML (``table.okr-table``) and charts images (an SVG data URI) in an ``stHtml``
element: the canvas grid and Vega are drawn only when a reader switches them on (okrdash/ui/widgets.py).

A view whose page shows an exception or an error box, or that has not reached its content within
``--timeout`` seconds, is an **error** and gets no time. Each page is opened once first on the
fresh server (``first_s``: the server computes that view for the first time) and then in
``--contexts`` fresh contexts (``to_content_s``: their median; the server has the view in its
caches, as for the second reader of a shared link). ``--http-cache`` opens them as new tabs of one
context instead (a new Streamlit session each, but the browser already holds Streamlit's scripts
and the lazily loaded ones of the data grid and the charts): the difference to a fresh context is
what fetching and compiling those scripts costs.

**Page switches**: in one context, the overview, then a click on each page's link in the sidebar
in turn (team, objective, KPIs, review, explainer, upload, my key results, back to the overview),
each timed from the click (``performance.now()`` taken in the page just before it) to the next
page's main content, median over ``--contexts`` such walks. A page opened from the sidebar has no
subject in its link (no team, objective or person chosen): the team page shows its first team,
the KPI page all KPIs, and the objective and My key results pages their picker, so their content
there is the picker and its prompt (an info box).

``sent_kb`` of a page is the median over those contexts of the websocket bytes the server sent
for the view, its whole first script run (counted after the time is taken, so it never delays it);
the target is at most 300 KB a view.

``js_bytes`` and ``js_files`` of a page (and ``floor_js_bytes``, ``floor_js_files`` of the floor)
are the JavaScript a fresh context fetched for it: every response of resource type script, its
body's bytes as served (decoded), from the navigation until the script run is over and no new
script has been asked for in a second (Streamlit loads an element's code, the data grid's or
Vega's, when it first draws one). Median over the contexts; ``js_over_floor`` is the page's bytes
over the floor's, ``js_chunks`` (in browser-large.json) the files of one view, largest first, to
see which element brought which. Target: at most 3 MB a page. Counted after the time is taken, so
it never delays it; with ``--http-cache`` the later tabs fetch nothing and the count means little.

Writes ``bench/results/browser-large.json``; ``--record`` sets ``browser`` in
``bench/results/scale-large.json`` (``floor_s``, ``pages[]`` of ``page`` and ``to_content_s``,
``switches[]``; the rest of the file is kept). Target: each page within 1.5x of the floor.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.load import DEFAULT_DB, LOGS, RESULTS, link, loadavg, machine, owner_of, subjects
from bench.serving import Server, free_port, token_cookie

ROOT = Path(__file__).resolve().parent.parent
FLOOR_SCRIPT = ROOT / "bench" / "floor.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1440, "height": 1000}
TARGET_RATIO = 1.5
TARGET_JS_BYTES = 3_000_000
# A view's scripts are all asked for once no new one has been in this long after its run ended.
SCRIPTS_QUIET_MS = 1_000

METRIC = '[data-testid="stMetricValue"]'
# A table drawn as HTML (widgets.html_table) and a chart drawn as an image (widgets.chart); the canvas
# grid and the Vega chart load only when a reader switches them on.
TABLE = '[data-testid="stHtml"] table.okr-table'
CHART = '[data-testid="stHtml"] img[src^="data:image/svg+xml"]'
INFO = '[data-testid="stAlertContentInfo"]'

# page url_path -> (title, English, as st.title writes it; [(selector, at least)]) of its main content.
PAGES: dict[str, tuple[str, list[tuple[str, int]]]] = {
    "overview": ("Company overview", [(METRIC, 8), (TABLE, 1)]),
    "team": ("Team view", [(METRIC, 4), (TABLE, 1)]),
    "objective": ("Objective detail", [(TABLE, 1), (CHART, 1)]),
    "kpis": ("KPIs", [(TABLE, 1)]),
    "review": ("Quarter review", [(METRIC, 3), (TABLE, 1)]),
    "explainer": ("OKR vs KPI", [(TABLE, 1), (METRIC, 1)]),
    "upload": ("Upload files", [('[data-testid="stFileUploaderDropzone"]', 1), (TABLE, 1)]),
    "my": ("My key results", [(TABLE, 1)]),
}
# Opened from the sidebar, without a subject in the link.
SWITCH_CONTENT: dict[str, list[tuple[str, int]]] = {
    "objective": [('[data-testid="stSelectbox"]', 1), (INFO, 1)],
    "my": [('[data-testid="stSelectbox"], [data-testid="stTextInput"]', 1), (INFO, 1)],
}
SWITCH_ORDER = ("team", "objective", "kpis", "review", "explainer", "upload", "my", "overview")
FLOOR = ("", [('[data-testid="stMarkdownContainer"]', 1)])

# Resolves with performance.now() (or since window.__switchStarted) when the content is drawn,
# or with {error} when the page shows an exception or an error box.
PROBE = """([title, wanted, since]) => {
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main) return false;
    const fresh = (e) => e.offsetParent !== null && !e.closest('[data-stale="true"]');
    const failed = [...main.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]')]
        .filter(fresh);
    if (failed.length) return {error: failed[0].innerText.slice(0, 300) || 'exception'};
    if (title) {
        const heading = [...main.querySelectorAll('h1')].filter(fresh).map(e => e.innerText);
        if (!heading.some(text => text.includes(title))) return false;
    }
    for (const [selector, count] of wanted) {
        if ([...main.querySelectorAll(selector)].filter(fresh).length < count) return false;
    }
    return {ms: performance.now() - (since ? window.__switchStarted : 0)};
}"""


def new_context(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", timezone_id="Asia/Jakarta")
    context.add_cookies([token_cookie()])
    return context


def wait_content(page, title: str, wanted: list[tuple[str, int]], timeout_s: float, since: bool = False
                 ) -> tuple[float | None, str | None]:
    """(seconds, None) when the content is drawn; (None, why) on an exception, an error box or the timeout."""
    try:
        handle = page.wait_for_function(PROBE, arg=[title, wanted, since], polling="raf", timeout=timeout_s * 1000)
    except Exception as error:  # noqa: BLE001 - a page that never reaches its content is an error
        return None, f"no main content within {timeout_s:.0f} s ({type(error).__name__})"
    value = handle.json_value()
    if "error" in value:
        return None, f"the page shows an error: {value['error']}"
    return value["ms"] / 1000, None


# The first script run of the session is over (data-test-script-state of the app root, Streamlit 1.67).
RUN_OVER = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'"""


class Scripts:
    """The JavaScript one tab fetches: each response of resource type script, read once the view is
    drawn (reading a body while the page loads would compete with it)."""

    def __init__(self, page) -> None:
        self.page = page
        self.responses: list[Any] = []
        page.on("response", lambda response: self.responses.append(response)
                if response.request.resource_type == "script" else None)

    def settle(self, timeout_s: float) -> None:
        """Wait until no new script has been asked for in SCRIPTS_QUIET_MS (at most ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        seen = -1
        while len(self.responses) != seen and time.monotonic() < deadline:
            seen = len(self.responses)
            self.page.wait_for_timeout(SCRIPTS_QUIET_MS)

    def files(self) -> dict[str, int]:
        """File name -> bytes of its body, every script fetched."""
        out: dict[str, int] = {}
        for response in self.responses:
            name = response.url.split("?", 1)[0].rsplit("/", 1)[-1]
            try:
                out[name] = len(response.body())
            except Exception:  # noqa: BLE001 - a body the browser dropped (a redirect, a failed fetch) counts 0
                out[name] = 0
        return out


def open_fresh(browser, url: str, title: str, wanted: list[tuple[str, int]], timeout_s: float,
               shared_context=None, sent: list[int] | None = None,
               scripts: list[dict[str, int]] | None = None) -> tuple[float | None, str | None]:
    """Open ``url`` in a new context (or in a new tab of ``shared_context``: a new Streamlit session
    whose browser already holds Streamlit's scripts in its HTTP cache). With ``sent``, after the
    content is timed, waits for the script run to end and appends the websocket bytes the server
    sent for the view (every frame received, the whole run); with ``scripts``, then appends the
    scripts the tab fetched (:meth:`Scripts.files`)."""
    context = shared_context or new_context(browser)
    page = context.new_page()
    received: list[int] = []
    fetched = Scripts(page) if scripts is not None else None
    if sent is not None:
        page.on("websocket", lambda socket: socket.on("framereceived", lambda frame: received.append(len(frame))))
    try:
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        outcome = wait_content(page, title, wanted, timeout_s)
        if (sent is not None or fetched is not None) and outcome[1] is None:
            try:
                page.wait_for_function(RUN_OVER, polling=100, timeout=timeout_s * 1000)
            except Exception:  # noqa: BLE001 - the time stands; only the byte counts are missing
                return outcome
            if sent is not None:
                sent.append(sum(received))
            if fetched is not None and scripts is not None:
                fetched.settle(timeout_s)
                scripts.append(fetched.files())
        return outcome
    finally:
        page.close()
        if shared_context is None:
            context.close()


def walk(browser, base: str, timeout_s: float) -> dict[str, tuple[float | None, str | None]]:
    """The overview, then each sidebar link in SWITCH_ORDER; time from the click to the next page's content."""
    out: dict[str, tuple[float | None, str | None]] = {}
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{base}/", wait_until="commit", timeout=timeout_s * 1000)
        _, error = wait_content(page, *PAGES["overview"], timeout_s)
        if error:
            return {name: (None, f"the overview never drew: {error}") for name in SWITCH_ORDER}
        previous = "overview"
        for name in SWITCH_ORDER:
            key = f"{previous}->{name}"
            href = "./" if name == "overview" else name
            selector = f'[data-testid="stSidebarNav"] a[href$="/{"" if name == "overview" else name}"]'
            target = page.locator(selector).first
            if not target.count():
                target = page.locator(f'[data-testid="stSidebarNav"] a[href="{href}"]').first
            page.evaluate("() => { window.__switchStarted = performance.now(); }")
            target.click()
            title, wanted = PAGES[name]
            out[key] = wait_content(page, title, SWITCH_CONTENT.get(name, wanted), timeout_s, since=True)
            if out[key][1]:
                break  # the next switch would start from a page that is not there
            previous = name
    finally:
        context.close()
    return out


def median_or_none(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def js_figures(views: list[dict[str, int]]) -> dict[str, Any]:
    """``js_bytes`` and ``js_files``: medians over the views (each a file -> bytes map of
    :meth:`Scripts.files`); ``js_chunks``: the files of the first view, largest first."""
    if not views:
        return {"js_bytes": None, "js_files": None, "js_chunks": []}
    return {"js_bytes": int(statistics.median(sum(view.values()) for view in views)),
            "js_files": int(statistics.median(len(view) for view in views)),
            "js_chunks": sorted(views[0].items(), key=lambda item: -item[1])}


def mb(count: int | None) -> str:
    return "–" if count is None else f"{count / 1e6:.2f}"


def page_subject(db: Path) -> dict[str, Any]:
    """The team (with its largest objective and first KPI) and owner whose pages a fresh tab opens."""
    subject = subjects(db, 1)[0]
    subject["owner"] = owner_of(db, subject["team"])
    return subject


def deep_links(base: str, names: list[str], subject: dict[str, Any]) -> dict[str, str]:
    """Each page's deep link on ``base`` for ``subject`` (the overview is the app's root)."""
    return {name: f"{base}/{'' if name == 'overview' else name}?"
                  f"{urlencode(link('' if name == 'overview' else name, subject))}" for name in names}


@contextlib.contextmanager
def floor_app_and_chromium(db: Path, ports: tuple[int, int]) -> Iterator[tuple[Server, Server, Any]]:
    """The one-line page's server and okrdash's on ``db``, both healthy, and a headless Chromium;
    all stopped on the way out, also on an error (bench.browser and bench.page_profile)."""
    from playwright.sync_api import sync_playwright

    low, high = ports
    floor = Server(free_port(low, high), LOGS, script=FLOOR_SCRIPT)
    app = Server(free_port(low, high), LOGS, db=db)
    try:
        floor.wait_healthy()
        app.wait_healthy()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield floor, app, browser
            finally:
                browser.close()
    finally:
        floor.stop()
        app.stop()


def main(argv: list[str] | None = None) -> None:

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--contexts", type=int, default=5, help="fresh browser contexts per page (default 5)")
    parser.add_argument("--pages", default=",".join(PAGES), help="pages to open (default all)")
    parser.add_argument("--walks", type=int, default=3, help="sidebar walks of the page switches (default 3; 0: skip)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a view is an error")
    parser.add_argument("--ports", default="55600-55699")
    parser.add_argument("--record", action="store_true", help="set browser in scale-large.json")
    parser.add_argument("--http-cache", action="store_true",
                        help="open the measured links as new tabs of one context (Streamlit's scripts cached; "
                             "writes browser-large-http-cache.json, never recorded)")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"{args.db} does not exist: build the large company first (see bench/load.py)")
    low, high = (int(x) for x in args.ports.split("-"))
    names = [name for name in args.pages.split(",") if name]
    subject = page_subject(args.db)
    result: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
                              "db": str(args.db), "subject": subject, "contexts": args.contexts,
                              "loadavg": [loadavg()]}
    with floor_app_and_chromium(args.db, (low, high)) as (floor, app, browser):
        urls = deep_links(app.url, names, subject)
        times: dict[str, list[float]] = {name: [] for name in ["floor", *names]}
        sent: dict[str, list[int]] = {name: [] for name in ["floor", *names]}
        scripts: dict[str, list[dict[str, int]]] = {name: [] for name in ["floor", *names]}
        errors: dict[str, list[str]] = {name: [] for name in ["floor", *names]}
        first: dict[str, float | None] = {}
        for name in ["floor", *names]:  # the first visit of each view on the fresh servers
            url, (title, wanted) = (floor.url, FLOOR) if name == "floor" else (urls[name], PAGES[name])
            seconds, error = open_fresh(browser, url, title, wanted, args.timeout)
            first[name] = round(seconds, 3) if seconds is not None else None
            if error:
                errors[name].append(f"first visit: {error}")
            print(f"first {name}: {seconds if seconds is None else round(seconds, 2)} s {error or ''}",
                  flush=True)
        result["loadavg"].append(loadavg())
        # --http-cache: every tab of one context, so only the first load fetches the scripts.
        shared = new_context(browser) if args.http_cache else None
        result["http_cache"] = bool(args.http_cache)
        for round_number in range(args.contexts):
            for name in ["floor", *names]:
                url, (title, wanted) = (floor.url, FLOOR) if name == "floor" else (urls[name], PAGES[name])
                seconds, error = open_fresh(browser, url, title, wanted, args.timeout, shared,
                                            sent=sent[name], scripts=scripts[name])
                if error:
                    errors[name].append(error)
                else:
                    times[name].append(seconds)
            print(f"round {round_number + 1}: " + ", ".join(
                f"{n} {times[n][-1]:.2f}" if times[n] else f"{n} –" for n in ["floor", *names]), flush=True)
            result["loadavg"].append(loadavg())
        switches: dict[str, list[float]] = {}
        switch_errors: dict[str, list[str]] = {}
        for _ in range(args.walks):
            for key, (seconds, error) in walk(browser, app.url, args.timeout).items():
                switches.setdefault(key, [])
                switch_errors.setdefault(key, [])
                if error:
                    switch_errors[key].append(error)
                else:
                    switches[key].append(seconds)
            print("walk: " + ", ".join(f"{k} {v[-1]:.2f}" if v else f"{k} –" for k, v in switches.items()),
                  flush=True)
        result["loadavg"].append(loadavg())
        result["uncaught_in_log"] = app.uncaught()
    floor_s = median_or_none(times["floor"])
    result["floor_s"] = floor_s
    result["floor_first_s"] = first["floor"]
    result["floor_errors"] = errors["floor"]
    result["floor_sent_kb"] = round(statistics.median(sent["floor"]) / 1024, 1) if sent["floor"] else None
    floor_js = js_figures(scripts["floor"])
    result["floor_js_bytes"], result["floor_js_files"] = floor_js["js_bytes"], floor_js["js_files"]
    result["floor_js_chunks"] = floor_js["js_chunks"]
    result["pages"] = []
    for name in names:
        to_content = median_or_none(times[name])
        ratio = round(to_content / floor_s, 2) if to_content and floor_s else None
        js = js_figures(scripts[name])
        result["pages"].append({
            "page": name, "to_content_s": to_content, "first_s": first[name],
            "slowest_s": round(max(times[name]), 3) if times[name] else None, "runs": len(times[name]),
            "errors": len(errors[name]), "error_samples": errors[name][:3], "over_floor": ratio,
            "sent_kb": round(statistics.median(sent[name]) / 1024, 1) if sent[name] else None,
            "js_bytes": js["js_bytes"], "js_files": js["js_files"],
            "js_over_floor": round(js["js_bytes"] / floor_js["js_bytes"], 2)
            if js["js_bytes"] and floor_js["js_bytes"] else None,
            "js_chunks": js["js_chunks"],
            "met": ratio is not None and ratio <= TARGET_RATIO and not errors[name]
            and js["js_bytes"] is not None and js["js_bytes"] <= TARGET_JS_BYTES})
    result["switches"] = [{"switch": key, "to_content_s": median_or_none(values), "runs": len(values),
                           "errors": len(switch_errors[key]), "error_samples": switch_errors[key][:2]}
                          for key, values in switches.items()] if args.walks else []
    result["target"] = (f"time to main content of a fresh deep link within {TARGET_RATIO}x of the floor, "
                        f"at most {TARGET_JS_BYTES / 1e6:.0f} MB of JavaScript a page")
    print(f"floor {floor_s} s, {mb(result['floor_js_bytes'])} MB of JavaScript in {result['floor_js_files']} files")
    for row in result["pages"]:
        print(f"{row['page']:>10}: {row['to_content_s']} s ({row['over_floor']}x floor), first {row['first_s']} s, "
              f"{row['sent_kb']} KB sent, JavaScript {mb(row['js_bytes'])} MB in {row['js_files']} files, "
              f"{row['errors']} errors {'met' if row['met'] else 'MISSED'}")
    for row in result["switches"]:
        print(f"{row['switch']:>22}: {row['to_content_s']} s, {row['errors']} errors")
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "browser-large-http-cache.json" if args.http_cache else "browser-large.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2, default=str) + "\n")
    if args.record and not args.http_cache:
        record_in_scale(result)


def record_in_scale(result: dict[str, Any]) -> None:
    scale = RESULTS / "scale-large.json"
    document = json.loads(scale.read_text()) if scale.exists() else {}
    document["browser"] = {
        "measured": f"{result['started']}, commit {result['machine']['commit']}, bench.browser, "
                    f"{result['contexts']} fresh contexts per page",
        "floor_s": result["floor_s"],
        "floor_js_bytes": result["floor_js_bytes"],
        "floor_js_files": result["floor_js_files"],
        "pages": [{k: row[k] for k in ("page", "to_content_s", "first_s", "over_floor", "sent_kb", "js_bytes",
                                       "js_files", "js_over_floor", "errors")}
                  for row in result["pages"]],
        "switches": [{k: row[k] for k in ("switch", "to_content_s", "errors")} for row in result["switches"]],
        "loadavg": result["loadavg"],
    }
    scale.write_text(json.dumps(document, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
