"""How ``okrdash serve`` prepares Streamlit's server before it starts (the CLI calls :func:`prepare`).

Each change reaches into a Streamlit module because Streamlit 1.67 has no option for it; the
tests in tests/test_serve.py fail when an upgrade moves what they patch.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_plus, urlencode

from okrdash.access import LOCAL_TOKEN_PARAM, LocalToken

# Anti-framing: no other site may show okrdash inside a frame (clickjacking of the Import button).
FRAMING_HEADERS = ((b"x-frame-options", b"DENY"), (b"content-security-policy", b"frame-ancestors 'none'"))

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class FramingHeadersMiddleware:
    """ASGI middleware adding :data:`FRAMING_HEADERS` to every HTTP response."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message.get("type") == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(header for header in FRAMING_HEADERS if header[0] not in names)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Headers proxies and load balancers add: their presence means the visitor is not on this machine.
# A second line only (a plain nginx proxy_pass sends none of them): local mode's writes need the
# token, which no header can stand in for (LocalTokenMiddleware).
PROXY_HEADERS = (b"x-forwarded-for", b"x-real-ip", b"forwarded", b"via", b"x-forwarded-host", b"x-forwarded-proto",
                 b"x-forwarded-port", b"x-forwarded-server", b"x-client-ip", b"cf-connecting-ip", b"true-client-ip",
                 b"x-cluster-client-ip", b"fastly-client-ip", b"x-original-forwarded-for")
PROXIED_LOCAL_MODE = (
    "okrdash runs in local mode (no sign-in, editing with the link printed at start), so it answers only "
    "visitors on this machine, and this request came through a proxy. Configure [auth] or an editor passphrase "
    "in .streamlit/secrets.toml, or start okrdash serve with --allow-local-mode-on-network.\n"
    "okrdash berjalan dalam mode lokal (tanpa masuk, mengubah data lewat tautan yang dicetak saat mulai), jadi "
    "hanya melayani pengunjung di mesin ini, dan permintaan ini datang lewat proxy. Atur [auth] atau kata sandi "
    "editor di .streamlit/secrets.toml, atau jalankan okrdash serve dengan --allow-local-mode-on-network.\n"
)


class ProxiedLocalModeMiddleware:
    """Refuse requests that came through a reverse proxy while no sign-in is configured.

    okrdash serve listens on 127.0.0.1 in local mode, but a proxy on the same host would still make
    the server reachable from the network; a proxy that announces itself is refused outright.
    """

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        proxied = scope.get("type") in ("http", "websocket") and any(
            name.lower() in PROXY_HEADERS for name, _ in scope.get("headers", []))
        if not proxied:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        else:
            body = PROXIED_LOCAL_MODE.encode()
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})


def without_token(query: bytes) -> bytes:
    """A query string without its token parameter(s), the rest as sent."""
    return b"&".join(part for part in query.split(b"&")
                     if part and unquote_plus(part.partition(b"=")[0].decode("latin-1")) != LOCAL_TOKEN_PARAM)


class LocalTokenMiddleware:
    """Local mode: a page request whose link carries this server's token gets a cookie that keeps
    it (HttpOnly, SameSite=Strict, path /) and a redirect to the same address without it, so the
    token never stays in the address bar, the history or a link copied from there.

    The app reads the cookie from its websocket's request (ui/auth.py); a wrong token is passed on
    untouched, for the page to say that the link is not this server's.
    """

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], token: LocalToken):
        self.app, self.token = app, token

    def _presented(self, scope: Scope) -> bool:
        for part in scope.get("query_string", b"").split(b"&"):
            name, _, value = part.partition(b"=")
            if unquote_plus(name.decode("latin-1")) == LOCAL_TOKEN_PARAM and \
                    self.token.matches(unquote_plus(value.decode("latin-1"))):
                return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http" or scope.get("method") != "GET" or not self._presented(scope):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "/")
        root = scope.get("root_path", "")
        if root and not path.startswith(root):
            path = root + path
        # One leading slash, everything else percent-encoded: "//host" or "/\host" would take the
        # browser to another site.
        location = quote("/" + path.lstrip("/\\"), safe="/").encode()
        rest = without_token(scope.get("query_string", b""))
        if rest:
            location += b"?" + rest
        cookie = f"{self.token.cookie_name}={self.token.value}; Path=/; HttpOnly; SameSite=Strict"
        if scope.get("scheme") == "https":
            cookie += "; Secure"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location), (b"set-cookie", cookie.encode()),
                                (b"cache-control", b"no-store"), (b"referrer-policy", b"no-referrer"),
                                (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})


def link_with_token(url: str, token: LocalToken) -> str:
    """The app's address ``url`` (``http://127.0.0.1:8501``) as the link that unlocks editing."""
    return f"{url.rstrip('/')}/?{urlencode({LOCAL_TOKEN_PARAM: token.value})}"


class _LinksWithToken:
    """Streamlit's ``server_util`` module as its bootstrap sees it, except that the app's address
    it prints at start, and opens in a browser when not headless, carries the token."""

    def __init__(self, module: Any, token: LocalToken):
        self.streamlit_own, self._token = module, token

    def __getattr__(self, name: str) -> Any:
        return getattr(self.streamlit_own, name)

    def get_url(self, host_ip: str) -> str:
        return link_with_token(self.streamlit_own.get_url(host_ip), self._token)


def print_links_with_token(token: LocalToken | None) -> None:
    """Make the links Streamlit prints (and opens) at start carry ``token``; None: Streamlit's own.

    bootstrap._on_server_start builds them with ``server_util.get_url``; only bootstrap's name for
    the module is replaced, so the server's other uses of ``get_url`` (CORS) are untouched.
    """
    from streamlit.web import bootstrap

    own = getattr(bootstrap.server_util, "streamlit_own", bootstrap.server_util)
    bootstrap.server_util = own if token is None else _LinksWithToken(own, token)


def _clear_own_session_only(session: Any) -> None:
    """A browser's "clear cache" forgets its own session state, not every user's cached pages."""
    session._session_state.clear()


def limit_session_uploads(max_bytes: int) -> None:
    """Refuse (HTTP 413) an uploaded file that would make one session hold more than ``max_bytes``.

    Streamlit keeps every uploaded file in memory until its session ends, and accepts uploads from
    any session, with or without a file picker on its page.
    """
    from starlette.exceptions import HTTPException
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    add_file = MemoryUploadedFileManager.add_file
    if getattr(add_file, "limited_to", None) is not None:
        add_file = add_file.unlimited  # type: ignore[attr-defined]

    def limited_add_file(self: Any, session_id: str, file: Any) -> None:
        held = sum(len(other.data) for file_id, other in self.file_storage.get(session_id, {}).items()
                   if file_id != file.file_id)
        if held + len(file.data) > max_bytes:
            raise HTTPException(status_code=413, detail="This session already holds as many uploaded bytes as "
                                                        "okrdash allows; remove a file first")
        add_file(self, session_id, file)

    limited_add_file.limited_to = max_bytes  # type: ignore[attr-defined]
    limited_add_file.unlimited = add_file  # type: ignore[attr-defined]
    MemoryUploadedFileManager.add_file = limited_add_file  # type: ignore[method-assign]


def keep_compiled_scripts() -> None:
    """Keep the compiled app.py and pages when the last browser session ends, with the file watcher off.

    Streamlit clears its script cache whenever no session is left ("stale cached scripts"), so on
    a quiet server every new tab compiled app.py and its page again (0.03-0.1 CPU s). With
    ``server.fileWatcherType = "none"`` (.streamlit/config.toml) the scripts change only with a
    deploy, which restarts the process; with a watcher on, clearing works as before.
    """
    from streamlit import config
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    clear = getattr(ScriptCache.clear, "streamlit_own", ScriptCache.clear)

    def clear_unless_unwatched(self: Any) -> None:
        if config.get_option("server.fileWatcherType") != "none":
            clear(self)

    clear_unless_unwatched.streamlit_own = clear  # type: ignore[attr-defined]
    ScriptCache.clear = clear_unless_unwatched  # type: ignore[method-assign]


def prepare(max_session_upload_bytes: int, refuse_proxied: bool = False, local_token: LocalToken | None = None) -> None:
    """Patch Streamlit for okrdash serve: st.navigation pages, no global cache clearing, framing
    headers, a bound on the uploaded bytes one session holds, compiled scripts kept while no file
    is watched; with ``refuse_proxied`` (local mode), no request through a reverse proxy; with
    ``local_token`` (local mode), the link printed at start carries it and a browser that opens
    that link keeps it in a cookie."""
    from starlette.middleware import Middleware
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.server.starlette import starlette_app

    # Streamlit treats a folder named pages/ next to the entry point as a legacy multipage app
    # until st.navigation has run once, so the first visitor of a shared deep link would get a
    # page without app.py's navigation and sidebar. Our pages/ are st.navigation pages.
    PagesManager.uses_pages_directory = False
    # Any websocket client may send clear_cache; Streamlit then clears st.cache_data and
    # st.cache_resource for everyone (a cold start for every page of every user).
    AppSession._handle_clear_cache_request = _clear_own_session_only
    streamlit_middleware = starlette_app.create_streamlit_middleware
    streamlit_middleware = getattr(streamlit_middleware, "streamlit_own", streamlit_middleware)

    def with_okrdash_middleware() -> list[Middleware]:
        ours = [Middleware(FramingHeadersMiddleware)]
        if refuse_proxied:
            ours.append(Middleware(ProxiedLocalModeMiddleware))
        if local_token is not None:
            ours.append(Middleware(LocalTokenMiddleware, token=local_token))
        return [*ours, *streamlit_middleware()]

    with_okrdash_middleware.streamlit_own = streamlit_middleware  # type: ignore[attr-defined]
    starlette_app.create_streamlit_middleware = with_okrdash_middleware
    limit_session_uploads(max_session_upload_bytes)
    keep_compiled_scripts()
    print_links_with_token(local_token)


# What the pages import (besides Streamlit): loaded before serving so they are in the frozen heap.
PAGE_MODULES = ("okrdash.ui.auth", "okrdash.ui.context", "okrdash.ui.editors", "okrdash.ui.forms",
                "okrdash.ui.panels", "okrdash.ui.url_state", "okrdash.ui.widgets", "okrdash.views.explainer",
                "okrdash.views.kpis", "okrdash.views.my_key_results", "okrdash.views.objective",
                "okrdash.views.overview", "okrdash.views.review", "okrdash.views.team", "okrdash.bridge",
                "okrdash.charts", "okrdash.coach", "okrdash.examples", "okrdash.export", "okrdash.importing",
                "okrdash.okrfiles", "okrdash.review", "altair", "pyarrow")


def freeze_startup_objects() -> int:
    """Import what the pages use, then move every object alive now out of the garbage collector's
    sight (``gc.freeze``); returns how many were frozen.

    A full collection walks every object of the process: ~150,000 after importing Streamlit,
    Altair, pandas and okrdash. Streamlit ran one after every script run (0.15 CPU s per view on
    the large company's server, before this freeze; now switched off, :data:`STREAMLIT_OPTIONS`),
    and Python's own collector still runs them as objects outlive its younger generations.
    Modules, classes and functions loaded at start live as long as the process; frozen, a
    collection walks only what the runs made, and still frees its garbage.
    """
    import gc
    import importlib

    for name in PAGE_MODULES:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


# Streamlit's full collection after every script run (``runner.postScriptGC``), switched off.
# It walked every object not frozen, the kept views and the objects of every run under way: one
# view alone paid 0.022 s for it (a third of its CPU), and with 8 sessions at once 0.044 s, since
# each collection also walked the other seven runs' objects, holding the GIL meanwhile (py-spy
# --gil on the large company, bench.load). Without it, 0.037-0.039 s a view at 1 session and
# 0.041-0.044 s at 8 (it was 0.047 / 0.065), and the server's RSS the same. Python's own
# generational collector still frees cyclic garbage as it builds up, the warmer collects after
# every write (okrdash.warming) and the import worker after every large import.
STREAMLIT_OPTIONS = ("--runner.postScriptGC", "false")


def run(app: Path, options: list[str]) -> int:
    """``streamlit run app`` with ``options`` (``--server.port`` ...) and okrdash's own
    :data:`STREAMLIT_OPTIONS`, in this process (the CLI stays free of Streamlit)."""
    from streamlit.web import cli as streamlit_cli

    freeze_startup_objects()
    sys.argv = ["streamlit", "run", str(app), *STREAMLIT_OPTIONS, *options]
    return streamlit_cli.main(standalone_mode=False) or 0
