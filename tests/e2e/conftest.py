"""Browser end-to-end fixtures: the real app in a real Streamlit server, driven by headless Chromium.

Every test in this folder is marked ``browser`` (``pytest -m "not browser"`` leaves them out).

* ``demo_db_file`` (tests/conftest.py): the demo company in a DuckDB file, built once per session.
* ``app_url``: one Streamlit server for the whole session on that file, for tests that only read.
* ``fresh_app_url``: a server of its own on a fresh copy of the file, for a test that writes.
* ``browser`` / ``page``: Debian's Chromium through sync Playwright; a new context per test. Every
  context holds the cookie of the servers' local-mode token (:data:`E2E_TOKEN`), as the browser of
  the person who started them and opened the printed link does: local mode lets it change data.
* ``wait_idle(page)`` and ``screenshot(page, request)``: helpers the tests import from here.

Playwright cannot download a browser here, so it always launches ``/usr/bin/chromium``. When that
is missing the tests are skipped, except on CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from okrdash import demo
from okrdash.access import LocalToken
from okrdash.store import open_store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = HERE / "data"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 1000}

AS_OF = demo.DEMO_ANCHOR.isoformat()  # 2026-11-22
CYCLE = "2026-Q4"
# A bound, not a measure: a quiet machine answers in seconds, but at a load average of 25-30 (several
# suites on the 2 cores) servers took over 60 s, and the shared server's failure failed its lane.
SERVER_START_TIMEOUT = 180.0
IDLE_TIMEOUT_MS = 30_000
# The local-mode token of every server these fixtures start (OKRDASH_LOCAL_TOKEN); made per run.
E2E_TOKEN = LocalToken(secrets.token_urlsafe(32))


def pytest_configure(config: pytest.Config) -> None:
    # A loaded CI machine draws a Streamlit page in seconds, not milliseconds.
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e with the (already registered) ``browser`` marker."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """On a failed test: a screenshot of its page and the servers' logs, taken before any teardown.

    The app hides error details from the browser (``client.showErrorDetails = "none"``), so the
    traceback of a red "This app has encountered an error" box is only in the server's stderr.
    """
    report = yield
    if report.when == "call" and report.failed:
        page = getattr(item, "funcargs", {}).get("page")
        if page is not None and not page.is_closed():
            try:
                shot = screenshot(page, item, suffix="FAILED")
                report.sections.append(("browser screenshot", str(shot)))
            except Exception as error:  # noqa: BLE001 - never hide the real failure
                report.sections.append(("browser screenshot", f"could not take one: {error}"))
        for server in _SERVERS:
            if server.is_running():  # the failed test's servers are not torn down yet
                report.sections.append((f"streamlit server {server.url} (tail)", server.output(2_000, 6_000)))
    return report


# --------------------------------------------------------------------------- the database


@pytest.fixture(scope="session")
def objective_ids(demo_db_file: Path) -> dict[str, int]:
    """Objective id by title for the demo cycle (ids depend on import order, so never hard-coded)."""
    store = open_store(demo_db_file)
    try:
        frame = store.objective_scores(dt.date.fromisoformat(AS_OF))
        frame = frame[frame["cycle"] == CYCLE]
        return {str(title): int(oid) for title, oid in zip(frame["title"], frame["objective_id"])}
    finally:
        store.close()


# --------------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


_SERVERS: list[StreamlitServer] = []


class StreamlitServer:
    """``okrdash serve`` (how the app is started in production) on a free loopback port and one database."""

    def __init__(self, db: Path, logs: Path) -> None:
        _SERVERS.append(self)
        self.db = db
        self.logs = logs
        self._start()

    def _start(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stdout_path = self.logs / f"streamlit-{self.port}.out"
        self.stderr_path = self.logs / f"streamlit-{self.port}.err"
        env = dict(os.environ)
        env.update({
            "OKRDASH_DB": str(self.db),
            "OKRDASH_DEMO_WHEN_EMPTY": "false",
            "PYTHONUNBUFFERED": "1",
            # Do not rerun the app under the tests' feet when a file changes.
            "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
            "OKRDASH_LOCAL_TOKEN": E2E_TOKEN.value,
        })
        command = [sys.executable, "-m", "okrdash", "serve", "--port", str(self.port), "--address", "127.0.0.1"]
        self._stdout = self.stdout_path.open("wb")
        self._stderr = self.stderr_path.open("wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._stdout, stderr=self._stderr)

    def output(self, out_chars: int = 4_000, err_chars: int = 8_000) -> str:
        out = self.stdout_path.read_text(errors="replace")
        err = self.stderr_path.read_text(errors="replace")
        return f"--- stdout ---\n{out[-out_chars:]}\n--- stderr ---\n{err[-err_chars:]}"

    def is_running(self) -> bool:
        return self.process.poll() is None

    def wait_healthy(self, timeout: float = SERVER_START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        port_retries = 3
        while time.monotonic() < deadline:
            if self.process.poll() is not None and port_retries and self._port_was_taken():
                # Another process (a parallel test worker, another engineer's run) bound the free port
                # between _free_port() and Streamlit's bind: start again on another one.
                port_retries -= 1
                self.stop()
                self._start()
                continue
            if self.process.poll() is not None:
                pytest.fail(f"streamlit exited with code {self.process.returncode} before it was healthy\n"
                            f"{self.output()}", pytrace=False)
            if _healthy(self.url):
                return
            time.sleep(0.25)
        self.stop()
        pytest.fail(f"streamlit did not answer /_stcore/health within {timeout:.0f} s\n{self.output()}",
                    pytrace=False)

    def _port_was_taken(self) -> bool:
        return f"Port {self.port} is not available" in self.stderr_path.read_text(errors="replace")

    def stop(self) -> None:
        if self._stdout.closed:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._stdout.close()
        self._stderr.close()


def warm_up(context, base: str) -> None:
    """Open the app's root once, so that app.py (and its ``st.navigation``) has run in this process.

    Streamlit decides per *process* whether the app is a legacy ``pages/`` directory app: until a
    script calls ``st.navigation``, a folder named ``pages`` next to app.py switches on the old
    multipage mode, and a first visitor who arrives on a deep link (``/team?...``) gets
    ``pages/team.py`` run directly, without app.py, with a file-name navigation. That is a product
    bug with a test of its own (``test_first_visit_on_a_deep_link_uses_the_app_navigation``); the
    other tests start from a server in the normal mode. (It also fills the browser cache.)
    """
    page = context.new_page()
    try:
        page.goto(f"{base}/", wait_until="domcontentloaded")
        wait_idle(page, settle_ms=0, after_action=False)
    finally:
        page.close()


@pytest.fixture(scope="session")
def start_server(tmp_path_factory: pytest.TempPathFactory, shared_context) -> Iterator[Callable[..., StreamlitServer]]:
    """``start_server(db, warm=True)``: a healthy server on ``db``; all are stopped at session end."""
    logs = tmp_path_factory.mktemp("e2e-logs")
    servers: list[StreamlitServer] = []

    def start(db: Path, warm: bool = True) -> StreamlitServer:
        server = StreamlitServer(db, logs)
        servers.append(server)
        server.wait_healthy()
        if warm:
            warm_up(shared_context, server.url)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def app_server(start_server: Callable[..., StreamlitServer], demo_db_file: Path,
               tmp_path_factory: pytest.TempPathFactory) -> StreamlitServer:
    """The shared server (read-only tests) on its own copy of the demo database."""
    db = tmp_path_factory.mktemp("e2e-shared") / "okrdash.duckdb"
    shutil.copyfile(demo_db_file, db)
    return start_server(db)


@pytest.fixture(scope="session")
def app_url(app_server: StreamlitServer) -> str:
    return app_server.url


def _fresh_server(start_server: Callable[..., StreamlitServer], demo_db_file: Path, tmp_path: Path,
                  warm: bool) -> Iterator[StreamlitServer]:
    db = tmp_path / "okrdash.duckdb"
    shutil.copyfile(demo_db_file, db)
    server = start_server(db, warm=warm)
    yield server
    server.stop()


@pytest.fixture
def server(start_server: Callable[..., StreamlitServer], demo_db_file: Path, tmp_path: Path) -> Iterator[StreamlitServer]:
    """A server of its own on a fresh copy of the demo company; a test may stop it to read the store
    (``server.db``)."""
    yield from _fresh_server(start_server, demo_db_file, tmp_path, warm=True)


@pytest.fixture
def fresh_app_url(server: StreamlitServer) -> str:
    """The address of :func:`server` (for a test that imports data)."""
    return server.url


@pytest.fixture
def cold_app_url(start_server: Callable[..., StreamlitServer], demo_db_file: Path, tmp_path: Path) -> Iterator[str]:
    """A server of its own that no browser has visited yet (see :func:`warm_up`)."""
    yield from (server.url for server in _fresh_server(start_server, demo_db_file, tmp_path, warm=False))


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _new_context(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(IDLE_TIMEOUT_MS)
    context.add_cookies([token_cookie("127.0.0.1")])
    return context


def token_cookie(domain: str, token: LocalToken = E2E_TOKEN) -> dict:
    """The cookie ``okrdash serve`` gives a browser that opens its printed link (ui/server.py)."""
    return {"name": token.cookie_name, "value": token.value, "domain": domain, "path": "/", "httpOnly": True,
            "sameSite": "Strict"}


@pytest.fixture(scope="session")
def shared_context(browser):
    """One context for the tests' pages: its HTTP cache spares every page load Streamlit's bundle.

    Each page (tab) still is its own Streamlit session; a test that needs a browser with nothing
    in common uses ``new_page()``.
    """
    context = _new_context(browser)
    yield context
    context.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable[[], object]]:
    """``new_page()``: a page in a brand-new browser context (no cookies, cache or session state)."""
    contexts = []

    def make():
        context = _new_context(browser)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(shared_context, request: pytest.FixtureRequest):
    """A fresh tab (a fresh Streamlit session) for one test (screenshotted by the hook on failure)."""
    stale = _screenshot_path(request.node, "FAILED")
    stale.unlink(missing_ok=True)
    page = shared_context.new_page()
    yield page
    page.close()


# --------------------------------------------------------------------------- helpers


def wait_idle(page, settle_ms: int = 200, timeout_ms: int = IDLE_TIMEOUT_MS, after_action: bool = True) -> None:
    """Wait until Streamlit is connected, no script run is going on and every element has drawn.

    In Streamlit 1.67 the app root ``[data-testid="stApp"]`` carries ``data-test-connection-state``
    (``CONNECTED``) and ``data-test-script-state`` (``initial`` before the first run, then
    ``running`` / ``rerunRequested`` / ``notRunning`` ...); while a script runs, the status widget
    shows ``[data-testid="stStatusWidgetRunningIcon"]`` ("Running..."). Elements whose code is
    loaded lazily (metrics, date inputs, charts ...) show ``stSkeleton`` placeholders for a second or
    two *after* the run has finished, so those must be gone too. A run triggered by a click may
    start a moment after the click, hence the short pause first (not needed right after a page
    load, where the state stays ``initial`` until the first run has started).
    """
    if after_action:
        page.wait_for_timeout(100)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (!app || app.dataset.testScriptState !== 'notRunning') return false;
            const visible = (sel) => [...document.querySelectorAll(sel)].some(e => e.offsetParent !== null);
            return !visible('[data-testid="stStatusWidgetRunningIcon"]')
                && !visible('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"], [data-testid="stSkeletonElement"]');
        }""",
        timeout=timeout_ms, polling=50,
    )
    if settle_ms:
        page.wait_for_timeout(settle_ms)


def settled_box(locator, timeout_ms: int = 10_000) -> dict:
    """The element scrolled into view and its box once it stops moving: images and lazily loaded
    elements above it may still shift the page after a run has ended, and a click at a stale box
    lands on the wrong row of a grid."""
    locator.scroll_into_view_if_needed()
    box, deadline = locator.bounding_box(), time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        locator.page.wait_for_timeout(150)
        locator.scroll_into_view_if_needed()
        again = locator.bounding_box()
        if again == box:
            return box
        box = again
    return box


def type_over_cell(page, x: float, y: float, text: str) -> None:
    """Type ``text`` over a grid cell's value as a person does: select the cell, open its editor, wait
    for the editor to be there (under load it opens late, and keys sent before it land on the grid),
    select what it holds, type key by key, commit with Enter."""
    from playwright.sync_api import expect

    page.mouse.click(x, y)  # selected first: after a button, the first click only gives the grid the focus
    page.wait_for_timeout(300)
    page.mouse.dblclick(x, y)
    editor = page.locator(".gdg-input")  # the grid's overlay editor (text and number cells)
    expect(editor).to_be_visible()
    editor.press("ControlOrMeta+a")
    editor.press_sequentially(text, delay=50)
    expect(editor).to_have_value(text)
    editor.press("Enter")
    wait_idle(page)


def open_app(page, base: str, path: str) -> None:
    """Go to ``base + path`` and wait for the first script run to finish."""
    page.goto(f"{base}{path}", wait_until="domcontentloaded")
    wait_idle(page, after_action=False)


def _screenshot_path(node, suffix: str | None = None) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", node.name).strip("-")
    return SCREENSHOTS / (f"{name}-{suffix}.png" if suffix else f"{name}.png")


def screenshot(page, request, suffix: str | None = None) -> Path:
    """A full-page screenshot in test-artifacts/screenshots/<test name>[-suffix].png.

    ``request`` is the test's ``request`` fixture (or the test item itself). Streamlit scrolls
    inside its main container, not the document, so Playwright's ``full_page`` alone gives one
    viewport: the viewport is stretched to the content's height for the shot.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = _screenshot_path(getattr(request, "node", request), suffix)
    viewport = page.viewport_size or VIEWPORT
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
                   ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stMainBlockContainer"],'
                        + ' [data-testid="stSidebarContent"]')].map(e => e.scrollHeight + 120))"""
    )
    tall = min(max(int(height), viewport["height"]), 12_000)
    if tall > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": tall})
        page.wait_for_timeout(250)
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if tall > viewport["height"]:
            page.set_viewport_size(viewport)
    return path
