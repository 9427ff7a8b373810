"""deploy/nginx.conf, as shipped, in front of two ``okrdash serve`` processes.

nginx runs as a non-daemon child in a temp folder (its own pid, logs and temp paths); only the
file's ``listen`` and its two upstream ports are changed to free ports of this test. Checked: the
page loads through the proxy, Streamlit's websocket connects through it (the overview's content
appears in Chromium), and each client stays on one process (the ``X-Okrdash-Upstream`` header the
file adds, and nginx's access log for the websocket). Two processes on two copies of the demo
database: the test is about the proxy, not about sharing data.

Without nginx the test is skipped, except on CI (``CI`` set), where it fails: ``make test``
installs nginx (``make system-packages``).
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from okrdash.settings import load_settings
from tests.e2e.conftest import AS_OF, CHROMIUM_ARGS, CYCLE, IDLE_TIMEOUT_MS, ROOT, VIEWPORT, screenshot, wait_idle

CONF = ROOT / "deploy" / "nginx.conf"
PORTS = range(55500, 55600)  # this test's own range on the shared machine
START_TIMEOUT = 90.0
# The name people use, as on the intranet (Chromium resolves it to 127.0.0.1): the processes allow it
# in OKRDASH_ALLOWED_HOSTS, and Streamlit accepts the websocket only if the proxy passes it on.
HOST = "okr.contoh.test"
# Two servers and a browser of their own on a shared 2-core machine: first draws can take a while.
LOADED_MACHINE_MS = 120_000


def _free_port(taken: set[int]) -> int:
    for port in random.sample(PORTS, len(PORTS)):
        if port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    pytest.fail(f"no free port in {PORTS}")


def _get(url: str, opener: urllib.request.OpenerDirector | None = None, timeout: float = 5):
    return (opener or urllib.request.build_opener()).open(url, timeout=timeout)


def _wait_for(url: str, processes: list[subprocess.Popen], logs: list[Path]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for process, log in zip(processes, logs):
            if process.poll() is not None:
                pytest.fail(f"{process.args[:3]} exited with {process.returncode}:\n{log.read_text()[-4000:]}",
                            pytrace=False)
        try:
            with _get(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    pytest.fail(f"{url} did not answer within {START_TIMEOUT:.0f} s:\n" +
                "\n".join(log.read_text()[-3000:] for log in logs), pytrace=False)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def site_config(listen: int, upstreams: list[int]) -> str:
    """deploy/nginx.conf with this test's ports; fails if the file no longer has the lines changed."""
    site = CONF.read_text()
    site, listens = re.subn(r"^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{listen};", site, flags=re.M)
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+;$", site, flags=re.M)
    assert listens == 1 and len(servers) == len(upstreams), "deploy/nginx.conf: one listen 80, two upstream servers"
    for line, port in zip(servers, upstreams):
        site = site.replace(line, re.sub(r":\d+;", f":{port};", line), 1)
    return site


def main_config(folder: Path) -> str:
    """The top of an nginx.conf around the site file: everything nginx writes stays in ``folder``."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the 0700 temp folder
    temp = "\n".join(f"    {name}_temp_path {folder / name};" for name in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}daemon off;
worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} info;
events {{ worker_connections 256; }}
http {{
    log_format route '$request_uri $status $upstream_addr $okrdash_route';
    access_log {folder / 'access.log'} route;
{temp}
    include {folder / 'okrdash.conf'};
}}
"""


@pytest.fixture(scope="module")
def nginx() -> str:
    path = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if path is None:
        message = "nginx is missing: run `make system-packages` (apt-get install nginx)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def proxy(nginx: str, demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """nginx on a free port in front of two okrdash serve processes; yields its URL, the upstreams
    and the access log."""
    folder = tmp_path_factory.mktemp("proxy")
    taken: set[int] = set()
    listen, upstreams = _free_port(taken), [_free_port(taken), _free_port(taken)]
    processes: list[subprocess.Popen] = []
    logs: list[Path] = []
    try:
        for port in upstreams:
            db = folder / f"okrdash-{port}.duckdb"
            shutil.copyfile(demo_db_file, db)
            log = folder / f"serve-{port}.log"
            env = {**os.environ, "OKRDASH_DB": str(db), "OKRDASH_DEMO_WHEN_EMPTY": "false", "PYTHONUNBUFFERED": "1",
                   "OKRDASH_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
                   "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
            with log.open("wb") as out:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "okrdash", "serve", "--port", str(port), "--address", "127.0.0.1",
                     # local mode behind a proxy is refused unless acknowledged (test_serve.py)
                     "--allow-local-mode-on-network"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
            logs.append(log)
        (folder / "okrdash.conf").write_text(site_config(listen, upstreams))
        (folder / "nginx.conf").write_text(main_config(folder))
        checked = subprocess.run([nginx, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                  "-e", str(folder / "error.log")], capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, checked.stderr
        nginx_log = folder / "nginx.out"
        with nginx_log.open("wb") as out:
            processes.append(subprocess.Popen([nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                               "-e", str(folder / "error.log")], stdout=out, stderr=subprocess.STDOUT))
        logs.append(nginx_log)
        for port in upstreams:
            _wait_for(f"http://127.0.0.1:{port}/_stcore/health", processes, logs)
        url = f"http://127.0.0.1:{listen}"
        _wait_for(f"{url}/_stcore/health", processes, logs)
        yield {"url": url, "named_url": f"http://{HOST}:{listen}", "upstreams": {f"127.0.0.1:{port}" for port in upstreams},
               "access_log": folder / "access.log"}
    finally:
        for process in reversed(processes):
            _stop(process)


@pytest.fixture
def page(browser, chromium: Path) -> Iterator:
    """A page of a Chromium that resolves :data:`HOST` to this machine (its own browser: the
    resolver rule is a launch option)."""
    named = browser.browser_type.launch(executable_path=str(chromium), headless=True,
                                        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"])
    context = named.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(IDLE_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()
        named.close()


def test_each_client_stays_on_one_upstream_and_clients_spread(proxy) -> None:
    seen: dict[int, set[str]] = {}
    for client in range(40):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        answered = set()
        for number, path in enumerate(("/", "/_stcore/health", f"/team?team=Sales&as_of={AS_OF}", "/")):
            with _get(proxy["url"] + path, opener) as response:
                assert response.status == 200
                answered.add(response.headers["X-Okrdash-Upstream"])
                routes = [c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("okrdash_route=")]
                # The route is given once, then kept by the client.
                assert len(routes) == (1 if number == 0 else 0), response.headers.get_all("Set-Cookie")
        seen[client] = answered
    assert all(len(answered) == 1 for answered in seen.values()), seen
    # 40 clients with random routes all on one of two processes: a chance of 2 in 2**40.
    assert set().union(*seen.values()) == proxy["upstreams"]


def test_the_app_runs_through_the_proxy_with_its_websocket_on_the_same_process(
        proxy, page, request: pytest.FixtureRequest) -> None:
    answered: set[str] = set()
    page.on("response", lambda response: answered.add(response.headers.get("x-okrdash-upstream", "")))
    page.goto(f"{proxy['named_url']}/overview?as_of={AS_OF}&cycle={CYCLE}", wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=LOADED_MACHINE_MS, after_action=False)
    # The content comes over the websocket: it shows only if the upgrade went through nginx.
    expect(page.locator('[data-testid="stMain"] h1').filter(has_text="Company overview")).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, request)
    route = next(c["value"] for c in page.context.cookies() if c["name"] == "okrdash_route")
    assert len(answered) == 1 and answered <= proxy["upstreams"], answered
    page.close()  # closes the websocket, so nginx logs it
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        lines = [line.split() for line in proxy["access_log"].read_text().splitlines()]
        mine = [line for line in lines if line[-1] == route]
        if any(line[0] == "/_stcore/stream" for line in mine):
            break
        time.sleep(0.25)
    streams = [line for line in mine if line[0] == "/_stcore/stream"]
    assert streams and all(line[1] == "101" for line in streams), mine  # switched to a websocket
    assert {line[2] for line in mine} == answered, mine  # page, assets and websocket: one process


def test_the_proxy_lets_through_what_a_session_may_upload() -> None:
    size = re.search(r"^\s*client_max_body_size (\d+)m;", CONF.read_text(), flags=re.M)
    assert size and int(size[1]) * 1024 * 1024 == load_settings({}).max_session_upload_bytes
