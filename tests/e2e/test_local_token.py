"""Local mode behind a plain nginx ``proxy_pass`` (issue 22, finding 2): a proxy that sends none of
the forwarding headers used to put "editing is open to everyone" on the network.

``okrdash serve`` starts in local mode (no sign-in configured) as ``make run`` starts it, on
127.0.0.1 and a fresh copy of the demo company, with a token of its own making; nginx passes
everything on with the websocket upgrade and nothing else. Checked in Chromium: a browser without
the token only views (no editing controls; the page says how to get editing); the link the server
printed at start unlocks editing, leaves no token in the address bar or the share box, and its
cookie (HttpOnly, SameSite=Strict) carries it across page loads and a real check-in; a forged
cookie, an earlier start's cookie or link unlock nothing; requests that name a proxy in any of its
headers are still refused (403) as a second line.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from okrdash.access import LocalToken
from okrdash.i18n import translate
from tests.e2e.conftest import AS_OF, CYCLE, IDLE_TIMEOUT_MS, ROOT, VIEWPORT, screenshot, token_cookie, wait_idle
from tests.e2e.test_proxy import LOADED_MACHINE_MS, _free_port, _stop, _wait_for, nginx  # noqa: F401 (fixture)

PINNED = f"as_of={AS_OF}&cycle={CYCLE}"
# A plain reverse proxy: the address, the Host and the websocket upgrade, no forwarding header.
PLAIN_PROXY = """
map $http_upgrade $connection_upgrade {{
    default upgrade;
    ""      close;
}}
server {{
    listen 127.0.0.1:{listen};
    location / {{
        proxy_pass http://127.0.0.1:{upstream};
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_read_timeout 1d;
    }}
}}
"""


def _nginx_config(folder: Path, site: str) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the 0700 temp folder
    temp = "\n".join(f"    {name}_temp_path {folder / name};" for name in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} info;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n    access_log {folder / 'access.log'};\n{temp}\n{site}\n}}\n")


def _printed_link(log: Path, process: subprocess.Popen) -> str:
    """The link ``okrdash serve`` printed at start (Streamlit's "URL:" line)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"URL: (http://\S+)", log.read_text(errors="replace"))
        if found:
            return found[1]
        if process.poll() is not None:
            break
        time.sleep(0.2)
    pytest.fail(f"okrdash serve printed no link:\n{log.read_text(errors='replace')[-3000:]}", pytrace=False)


@pytest.fixture(scope="module")
def plain_proxy(nginx: str, demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:  # noqa: F811
    folder = tmp_path_factory.mktemp("plain-proxy")
    taken: set[int] = set()
    listen, upstream = _free_port(taken), _free_port(taken)
    db = folder / "okrdash.duckdb"
    shutil.copyfile(demo_db_file, db)
    env = {key: value for key, value in os.environ.items() if key != "OKRDASH_LOCAL_TOKEN"}
    env.update({"OKRDASH_DB": str(db), "OKRDASH_DEMO_WHEN_EMPTY": "false", "PYTHONUNBUFFERED": "1",
                "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
    logs = [folder / "serve.log", folder / "nginx.out"]
    processes: list[subprocess.Popen] = []
    try:
        with logs[0].open("wb") as out:  # local mode, loopback, no flag: as `make run` starts it
            processes.append(subprocess.Popen([sys.executable, "-m", "okrdash", "serve", "--port", str(upstream)],
                                              cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        (folder / "nginx.conf").write_text(_nginx_config(folder, PLAIN_PROXY.format(listen=listen, upstream=upstream)))
        checked = subprocess.run([nginx, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                  "-e", str(folder / "error.log")], capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, checked.stderr
        with logs[1].open("wb") as out:
            processes.append(subprocess.Popen([nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                               "-e", str(folder / "error.log")], stdout=out, stderr=subprocess.STDOUT))
        upstream_url, url = f"http://127.0.0.1:{upstream}", f"http://127.0.0.1:{listen}"
        _wait_for(f"{upstream_url}/_stcore/health", processes, logs)
        _wait_for(f"{url}/_stcore/health", processes, logs)
        printed = _printed_link(logs[0], processes[0])
        token = re.fullmatch(rf"{re.escape(upstream_url)}/\?token=([A-Za-z0-9_-]{{32,}})", printed)
        yield {"url": url, "upstream": upstream_url, "printed": printed, "token": LocalToken(token[1]) if token else None}
    finally:
        for process in reversed(processes):
            _stop(process)


@pytest.fixture
def fresh_browser(browser, chromium) -> Iterator:
    """``fresh_browser(*cookies)``: a page of a new browser context holding only ``cookies``."""
    contexts = []

    def make(*cookies: dict):
        context = browser.new_context(viewport=VIEWPORT, locale="en-US")
        context.set_default_timeout(IDLE_TIMEOUT_MS)
        if cookies:
            context.add_cookies(list(cookies))
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=LOADED_MACHINE_MS, after_action=False)


def _sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def _check_in_forms(page):
    """The check-in forms' expanders, by their own heading (an expander's body, such as the column
    reference on the Upload page, may say "check in" too)."""
    heading = page.locator("summary", has_text=translate("forms.checkin_title", "en"))
    return page.locator('[data-testid="stMain"] [data-testid="stExpander"]').filter(has=heading)


def _expect_view_only(page) -> None:
    expect(_sidebar(page)).to_contain_text(translate("auth.local_view_only_short", "en"))
    expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    expect(_check_in_forms(page)).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_a_browser_without_the_token_behind_a_plain_proxy_only_views(plain_proxy, fresh_browser,
                                                                      request: pytest.FixtureRequest) -> None:
    page = fresh_browser()
    _open(page, f"{plain_proxy['url']}/upload")
    _expect_view_only(page)
    told = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text=translate("auth.local_view_only", "en"))
    expect(told).to_have_count(1)
    screenshot(page, request)
    _open(page, f"{plain_proxy['url']}/team?team=Engineering&{PINNED}")
    expect(page.locator('[data-testid="stMain"] h1')).to_contain_text("Team view")
    _expect_view_only(page)


def test_the_printed_link_unlocks_editing_and_its_cookie_keeps_it(plain_proxy, fresh_browser,
                                                                   request: pytest.FixtureRequest) -> None:
    token: LocalToken = plain_proxy["token"]
    assert token is not None, f"the link printed at start carries no token: {plain_proxy['printed']}"
    page = fresh_browser()
    response = page.goto(f"{plain_proxy['url']}/upload?lang=en&token={token.value}", wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=LOADED_MACHINE_MS, after_action=False)
    redirect = response.request.redirected_from.response()
    assert (redirect.status, redirect.headers["location"]) == (303, "/upload?lang=en")  # the rest of the link kept
    assert "token" not in page.url and page.url.startswith(f"{plain_proxy['url']}/upload")
    expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(1)
    expect(_sidebar(page)).to_contain_text(translate("auth.local_mode", "en"))
    (cookie,) = [c for c in page.context.cookies() if c["name"] == token.cookie_name]
    assert (cookie["value"], cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (token.value, True,
                                                                                         "Strict", "/")
    # Another page load, without the token in the link: the cookie carries it; a real check-in.
    _open(page, f"{plain_proxy['url']}/team?team=Engineering&{PINNED}")
    headings = page.locator('[data-testid="stMain"] h4').all_inner_texts()
    index = next(i for i, text in enumerate(headings) if "Keep the platform fast and reliable" in text)
    form = _check_in_forms(page).nth(index)
    form.locator("summary").click()
    wait_idle(page, timeout_ms=LOADED_MACHINE_MS)  # opening it reruns the page, which draws the form
    form.locator('[data-testid="stSelectbox"]').click()
    page.get_by_role("option", name="Raise API uptime from 99.5% to 99.9%").click()
    wait_idle(page)
    form.get_by_label("New value (%)").fill("99.7")
    form.get_by_role("button", name="Save check-in").click()
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Check-in saved")).to_contain_text(
        "now 99.7")
    # Nor is the token in the link the page offers to share.
    page.locator('[data-testid="stPopoverButton"]:visible').filter(has_text=translate("share.title", "en")).click()
    share = page.locator('[data-testid="stCode"]').first
    expect(share).to_contain_text("team=Engineering")
    assert token.value not in share.inner_text() and token.value not in page.url
    assert token.value not in page.locator("body").inner_text()
    screenshot(page, request)


def test_a_forged_cookie_and_an_earlier_start_s_cookie_or_link_unlock_nothing(plain_proxy, fresh_browser) -> None:
    token = plain_proxy["token"] or LocalToken(secrets.token_urlsafe(32))  # (a server that printed none)
    earlier = LocalToken(secrets.token_urlsafe(32))  # what an earlier start of the server gave out
    forged = {**token_cookie("127.0.0.1", token), "value": secrets.token_urlsafe(32)}
    for cookies in ([forged], [token_cookie("127.0.0.1", earlier)]):
        page = fresh_browser(*cookies)
        _open(page, f"{plain_proxy['url']}/upload")
        _expect_view_only(page)
    page = fresh_browser()
    _open(page, f"{plain_proxy['url']}/upload?token={earlier.value}")
    expect(page.locator('[data-testid="stAlertContentWarning"]')).to_contain_text(translate("auth.wrong_token", "en"))
    _expect_view_only(page)
    assert "token" not in page.url  # the app took it out of the address bar too
    assert not [c for c in page.context.cookies() if c["name"].startswith("okrdash_editor_")]


@pytest.mark.parametrize("header", ["X-Forwarded-For", "X-Real-IP", "Forwarded", "Via", "X-Forwarded-Host",
                                    "X-Forwarded-Proto", "X-Client-IP", "CF-Connecting-IP"])
def test_a_request_that_names_a_proxy_is_still_refused(plain_proxy, header: str) -> None:
    token = plain_proxy["token"] or LocalToken(secrets.token_urlsafe(32))
    for base in (plain_proxy["upstream"], plain_proxy["url"]):
        # Even with the right token: the second line does not depend on the first.
        call = urllib.request.Request(f"{base}/?token={token.value}", headers={header: "10.1.2.3"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(call, timeout=30)
        assert refused.value.code == 403 and "mode lokal" in refused.value.read().decode()

