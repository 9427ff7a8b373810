"""``okrdash serve`` defaults: loopback unless told, no local mode on the network, allowed hosts,
no global cache clearing, anti-framing headers, local mode's token (printed link, cookie, proxy
headers refused); and no database made up from a typo in ``--db``.

Streamlit itself is not started: its command-line entry point is replaced by one that records the
arguments okrdash hands it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config as streamlit_config
from starlette.exceptions import HTTPException
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.web import bootstrap
from streamlit.web import cli as streamlit_cli
from streamlit.web.cli import main as streamlit_command  # the real one: the fixture replaces streamlit_cli.main
from streamlit.web.server import server_util
from streamlit.web.server.starlette import starlette_app, starlette_routes

from okrdash import settings as settings_module
from okrdash.access import LocalToken, local_token
from okrdash.cli import main
from okrdash.store import open_store
from okrdash.ui import server


@pytest.fixture
def started(monkeypatch, tmp_path) -> list[list[str]]:
    """The argv of every Streamlit start; Streamlit's patched entry points are restored afterwards."""
    calls: list[list[str]] = []

    def fake_main(standalone_mode: bool = True) -> int:
        import sys

        calls.append(list(sys.argv))
        return 0

    monkeypatch.setattr(streamlit_cli, "main", fake_main)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", PagesManager.uses_pages_directory)
    monkeypatch.setattr(AppSession, "_handle_clear_cache_request", AppSession._handle_clear_cache_request)
    monkeypatch.setattr(starlette_app, "create_streamlit_middleware", starlette_app.create_streamlit_middleware)
    monkeypatch.setattr(MemoryUploadedFileManager, "add_file", MemoryUploadedFileManager.add_file)
    monkeypatch.setattr(ScriptCache, "clear", ScriptCache.clear)
    monkeypatch.setattr(bootstrap, "server_util", bootstrap.server_util)
    monkeypatch.chdir(tmp_path)  # no secrets.toml here unless a test writes one
    monkeypatch.setenv("HOME", str(tmp_path))
    return calls


@pytest.fixture
def existing_db(tmp_path) -> Path:
    path = tmp_path / "okrdash.duckdb"
    open_store(path).close()
    return path


def _option(argv: list[str], name: str) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv) if arg == name]


def test_serve_binds_loopback_and_sets_allowed_hosts_by_default(started, existing_db):
    assert main(["--db", str(existing_db), "serve"]) == 0
    (argv,) = started
    assert _option(argv, "--server.address") == ["127.0.0.1"]
    assert _option(argv, "--server.allowedHosts") == ["localhost", "127.0.0.1"]
    assert "server.allowedHosts" in streamlit_config._config_options_template  # the option okrdash sets exists


def test_allowed_hosts_and_address_come_from_settings(started, existing_db, tmp_path, monkeypatch):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[okrdash]\neditor_passphrase = "scrypt$x$y"\n')
    monkeypatch.setenv("OKRDASH_SERVE_ADDRESS", "10.1.2.3")
    monkeypatch.setenv("OKRDASH_ALLOWED_HOSTS", "okr.contoh.co.id, *.contoh.co.id")
    settings_module.settings.cache_clear()
    assert main(["--db", str(existing_db), "serve"]) == 0
    (argv,) = started
    assert _option(argv, "--server.address") == ["10.1.2.3"]
    assert _option(argv, "--server.allowedHosts") == ["okr.contoh.co.id", "*.contoh.co.id"]


def test_local_mode_is_refused_on_a_network_address(started, existing_db, capsys):
    assert main(["--db", str(existing_db), "serve", "--address", "0.0.0.0"]) == 2
    assert started == []
    assert "no sign-in is configured" in capsys.readouterr().err


def test_local_mode_on_the_network_when_explicitly_allowed(started, existing_db):
    assert main(["--db", str(existing_db), "serve", "--address", "0.0.0.0", "--allow-local-mode-on-network"]) == 0
    assert _option(started[0], "--server.address") == ["0.0.0.0"]


def test_a_network_address_with_sign_in_configured(started, existing_db, tmp_path):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[auth]\nredirect_uri = "http://x/oauth2callback"\n')
    assert main(["--db", str(existing_db), "serve", "--address", "192.168.1.10"]) == 0


@pytest.mark.parametrize("command", [["serve"], ["import", "nothing.csv"], ["status"]])
def test_a_database_path_that_does_not_exist_is_refused(started, tmp_path, capsys, command):
    typo = tmp_path / "okrdahs.duckdb"
    assert main(["--db", str(typo), *command]) == 2
    assert f"no database at {typo}" in capsys.readouterr().err
    assert not typo.exists() and started == []


def test_create_makes_a_new_database(started, tmp_path):
    new = tmp_path / "new.duckdb"
    assert main(["--db", str(new), "--create", "status"]) == 0
    assert new.exists()
    assert main(["--db", str(tmp_path / "other.duckdb"), "--create", "serve"]) == 0
    assert len(started) == 1


def test_make_run_passes_create():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "okrdash --create serve" in makefile


def test_prepare_keeps_every_cache_when_a_browser_asks_to_clear_them(started):
    server.prepare(2**20)
    st.cache_data.clear()
    calls: list[int] = []

    @st.cache_data
    def cached() -> int:
        calls.append(1)
        return len(calls)

    cached()

    class FakeSession:
        def __init__(self):
            self._session_state = {"mine": 1}

    session = FakeSession()
    AppSession._handle_clear_cache_request(session)
    assert session._session_state == {}
    assert cached() == 1 and len(calls) == 1  # still cached
    assert PagesManager.uses_pages_directory is False


def test_prepare_adds_anti_framing_headers(started):
    server.prepare(2**20)
    server.prepare(2**20)  # idempotent: the middleware is added once
    stack = starlette_app.create_streamlit_middleware()
    assert [m.cls for m in stack].count(server.FramingHeadersMiddleware) == 1

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": b"ok"})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    # In a thread of its own: the browser tests' Playwright keeps an event loop in the main thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, server.FramingHeadersMiddleware(app)({"type": "http"}, None, send)).result()
    headers = dict(sent[0]["headers"])
    assert headers[b"x-frame-options"] == b"DENY"
    assert headers[b"content-security-policy"] == b"frame-ancestors 'none'"


def _run_middleware(middleware, scope: dict) -> list[dict]:
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, middleware(app)(scope, None, send)).result()
    return sent


# Every header a proxy or load balancer may add, as the finding names them and a few more.
PROXY_HEADERS = (b"X-Forwarded-For", b"x-real-ip", b"Forwarded", b"Via", b"X-Forwarded-Host", b"X-Forwarded-Proto",
                 b"X-Client-IP", b"CF-Connecting-IP", b"True-Client-IP")


@pytest.mark.parametrize("header", PROXY_HEADERS)
def test_local_mode_refuses_what_a_proxy_passes_on(started, header):
    server.prepare(2**20, refuse_proxied=True)
    server.prepare(2**20, refuse_proxied=True)  # idempotent
    stack = [m.cls for m in starlette_app.create_streamlit_middleware()]
    assert stack.count(server.ProxiedLocalModeMiddleware) == 1 and stack.count(server.FramingHeadersMiddleware) == 1
    sent = _run_middleware(server.ProxiedLocalModeMiddleware, {"type": "http", "headers": [(header, b"10.1.2.3")]})
    assert sent[0]["status"] == 403 and b"--allow-local-mode-on-network" in sent[1]["body"]
    assert "mode lokal" in sent[1]["body"].decode()
    closed = _run_middleware(server.ProxiedLocalModeMiddleware, {"type": "websocket", "headers": [(header, b"x")]})
    assert closed == [{"type": "websocket.close", "code": 1008}]
    direct = _run_middleware(server.ProxiedLocalModeMiddleware, {"type": "http", "headers": [(b"host", b"x")]})
    assert direct[0]["status"] == 200
    # Sign-in configured (or acknowledged): no refusal in the stack.
    server.prepare(2**20)
    assert server.ProxiedLocalModeMiddleware not in [m.cls for m in starlette_app.create_streamlit_middleware()]


def test_serve_needs_the_token_and_refuses_proxied_visitors_only_in_local_mode(started, existing_db, monkeypatch):
    prepared: list[tuple[bool, LocalToken | None]] = []
    monkeypatch.setattr(server, "prepare", lambda limit, refuse_proxied=False, local_token=None:
                        prepared.append((refuse_proxied, local_token)))
    assert main(["--db", str(existing_db), "serve", "--port", "8599"]) == 0
    assert main(["--db", str(existing_db), "serve", "--port", "8599", "--allow-local-mode-on-network"]) == 0
    (Path.cwd() / ".streamlit").mkdir()
    (Path.cwd() / ".streamlit" / "secrets.toml").write_text('[okrdash]\neditor_passphrase = "scrypt$x"\n')
    assert main(["--db", str(existing_db), "serve", "--port", "8599"]) == 0
    # Local mode needs the token whether or not a proxy is acknowledged; with sign-in there is none.
    assert prepared == [(True, local_token()), (False, local_token()), (False, None)]
    assert len(started) == 3


TOKEN = LocalToken("t" * 43)


def test_the_links_streamlit_prints_and_opens_at_start_carry_the_token(started):
    # bootstrap._on_server_start prints server_util.get_url(...) and opens it when not headless.
    plain = server_util.get_url("127.0.0.1")
    server.prepare(2**20, local_token=TOKEN)
    server.prepare(2**20, local_token=TOKEN)  # idempotent: one token, not two
    assert bootstrap.server_util.get_url("127.0.0.1") == f"{plain}/?token={TOKEN.value}"
    assert bootstrap.server_util.get_display_address is server_util.get_display_address  # the rest is Streamlit's
    assert starlette_routes.get_url("localhost") == server_util.get_url("localhost")  # CORS is untouched
    assert [m.cls for m in starlette_app.create_streamlit_middleware()].count(server.LocalTokenMiddleware) == 1
    server.prepare(2**20)  # sign-in configured: Streamlit's own links, no token middleware
    assert bootstrap.server_util is server_util
    assert server.LocalTokenMiddleware not in [m.cls for m in starlette_app.create_streamlit_middleware()]


def _token_request(path: str, query: bytes, method: str = "GET", scheme: str = "http") -> list[dict]:
    def middleware(app):
        return server.LocalTokenMiddleware(app, token=TOKEN)

    return _run_middleware(middleware, {"type": "http", "method": method, "scheme": scheme, "path": path,
                                        "query_string": query, "headers": []})


def test_the_token_link_sets_the_cookie_and_leaves_the_address_bar_without_it(started):
    sent = _token_request("/team", b"team=Sales&token=" + TOKEN.value.encode() + b"&lang=id")
    assert sent[0]["status"] == 303
    headers = dict(sent[0]["headers"])
    assert headers[b"location"] == b"/team?team=Sales&lang=id"
    cookie = headers[b"set-cookie"].decode()
    assert cookie.startswith(f"{TOKEN.cookie_name}={TOKEN.value};")
    assert {part.strip() for part in cookie.split(";")[1:]} == {"Path=/", "HttpOnly", "SameSite=Strict"}
    assert headers[b"cache-control"] == b"no-store" and headers[b"referrer-policy"] == b"no-referrer"
    alone = dict(_token_request("/", b"token=" + TOKEN.value.encode())[0]["headers"])
    assert alone[b"location"] == b"/"
    assert b"Secure" in dict(_token_request("/", b"token=" + TOKEN.value.encode(), scheme="https")[0]["headers"])[
        b"set-cookie"]


@pytest.mark.parametrize("path", ["//evil.example/x", "/\\evil.example", "///evil.example"])
def test_the_redirect_stays_on_this_site(started, path):
    location = dict(_token_request(path, b"token=" + TOKEN.value.encode())[0]["headers"])[b"location"]
    assert location.startswith(b"/") and not location.startswith((b"//", b"/\\")), location


@pytest.mark.parametrize("query, method", [(b"token=wrong", "GET"), (b"token=" + b"t" * 42, "GET"),
                                           (b"team=Sales", "GET"), (b"token=" + b"t" * 43, "POST")])
def test_a_wrong_token_or_another_request_goes_to_the_app_as_it_came(started, query, method):
    sent = _token_request("/team", query, method)
    assert sent[0]["status"] == 200 and not any(name == b"set-cookie" for name, _ in sent[0]["headers"])


def test_the_token_is_compared_in_full_and_named_per_token():
    assert TOKEN.matches("t" * 43)
    assert not any(TOKEN.matches(other) for other in ("t" * 42, "t" * 44, "T" * 43, "", None, 43, "ť" * 43))
    assert TOKEN.cookie_name != LocalToken("u" * 43).cookie_name
    assert TOKEN.value not in TOKEN.cookie_name


def test_a_token_can_be_kept_across_starts_by_the_environment():
    kept = "k" * 40
    assert settings_module.load_settings({"OKRDASH_LOCAL_TOKEN": kept}).local_token == kept
    with pytest.raises(ValueError):  # too short to stand in for a random one
        settings_module.load_settings({"OKRDASH_LOCAL_TOKEN": "secret"})
    assert len(local_token().value) >= 40 and local_token() is local_token()  # one per process


def test_one_session_holds_at_most_the_upload_limit(started):
    server.prepare(1000)
    server.prepare(1000)  # idempotent: one limit, not two stacked
    manager = MemoryUploadedFileManager("/_stcore/upload_file")

    def upload(session: str, file_id: str, size: int) -> None:
        manager.add_file(session, UploadedFileRec(file_id=file_id, name="x.csv", type="text/csv", data=b"x" * size))

    upload("anonymous", "a", 600)
    with pytest.raises(HTTPException) as refused:
        upload("anonymous", "b", 600)
    assert refused.value.status_code == 413
    upload("anonymous", "a", 900)  # replacing a file counts its new size only
    upload("someone else", "c", 900)  # another session has its own allowance
    assert sum(len(f.data) for f in manager.file_storage["anonymous"].values()) == 900


def test_serve_freezes_what_it_loaded_before_streamlit_starts(started, existing_db, monkeypatch):
    # Streamlit collects garbage over every object after each script run; what serve loaded before
    # starting (modules, classes: ~150,000 objects) is frozen, so that walk covers only what runs made.
    import gc
    import sys

    gc.unfreeze()
    frozen_then: list[int] = []
    monkeypatch.setattr(streamlit_cli, "main",
                        lambda standalone_mode=True: frozen_then.append(gc.get_freeze_count()) or 0)
    try:
        assert main(["--db", str(existing_db), "serve"]) == 0
        assert frozen_then and frozen_then[0] > 100_000
        assert all(name in sys.modules for name in server.PAGE_MODULES)
    finally:
        gc.unfreeze()


def test_serve_runs_no_full_collection_after_every_script_run(started, existing_db, monkeypatch):
    # Streamlit's collection after each run walked every unfrozen object, those of the other
    # sessions' runs under way too: the CPU per view grew with the sessions (0.047 s alone, 0.065 s
    # with 8 at once on the large company). The option okrdash hands Streamlit, read by Streamlit's
    # own command line as `streamlit run` reads it.
    assert main(["--db", str(existing_db), "serve"]) == 0
    (argv,) = started
    flags: list[dict] = []
    monkeypatch.setattr(streamlit_cli, "_main_run", lambda file, args=None, flag_options=None: flags.append(flag_options))
    streamlit_command.main(args=argv[1:], prog_name="streamlit", standalone_mode=False)
    (options,) = flags
    assert options["runner_postScriptGC"] is False
    assert options["server_port"] == 8501 and options["server_address"] == "127.0.0.1"  # the others still reach it


@pytest.mark.parametrize("watcher, kept", [("none", True), ("auto", False)])
def test_compiled_scripts_stay_when_the_last_session_ends_unless_files_are_watched(started, tmp_path, watcher, kept):
    # Streamlit clears its script cache when no session is left; with no file watcher the scripts
    # change only with a restart, so the next visitor's tab need not compile app.py and its page again.
    script = tmp_path / "page.py"
    script.write_text("x = 1\n")
    server.prepare(2**20)
    server.prepare(2**20)  # idempotent
    cache = ScriptCache()
    compiled = cache.get_bytecode(str(script))
    previous = streamlit_config.get_option("server.fileWatcherType")
    streamlit_config.set_option("server.fileWatcherType", watcher)
    try:
        cache.clear()
    finally:
        streamlit_config.set_option("server.fileWatcherType", previous)
    assert (cache.get_bytecode(str(script)) is compiled) is kept
