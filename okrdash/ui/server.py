"""How ``okrdash serve`` prepares Streamlit's server before it starts (the CLI calls :func:`prepare`).

Each change reaches into a Streamlit module because Streamlit 1.67 has no option for it; the
tests in tests/test_serve.py fail when an upgrade moves what they patch.
"""

from __future__ import annotations

import sys
from pathlib import Path
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

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


# Headers a reverse proxy adds: their presence means the visitor is not on this machine.
PROXY_HEADERS = (b"x-forwarded-for", b"x-real-ip", b"forwarded")
PROXIED_LOCAL_MODE = (
    "okrdash runs in local mode (no sign-in, everyone may change data), so it answers only visitors on "
    "this machine, and this request came through a proxy. Configure [auth] or an editor passphrase in "
    ".streamlit/secrets.toml, or start okrdash serve with --allow-local-mode-on-network.\n"
    "okrdash berjalan dalam mode lokal (tanpa masuk, semua orang boleh mengubah data), jadi hanya "
    "melayani pengunjung di mesin ini, dan permintaan ini datang lewat proxy. Atur [auth] atau kata sandi "
    "editor di .streamlit/secrets.toml, atau jalankan okrdash serve dengan --allow-local-mode-on-network.\n"
)


class ProxiedLocalModeMiddleware:
    """Refuse requests that came through a reverse proxy while no sign-in is configured.

    okrdash serve listens on 127.0.0.1 in local mode, but a proxy on the same host would still make
    a server where everyone may change data reachable from the network.
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


def prepare(max_session_upload_bytes: int, refuse_proxied: bool = False) -> None:
    """Patch Streamlit for okrdash serve: st.navigation pages, no global cache clearing, framing
    headers, a bound on the uploaded bytes one session holds, compiled scripts kept while no file
    is watched; with ``refuse_proxied`` (local mode), no request through a reverse proxy."""
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
        return [*ours, *streamlit_middleware()]

    with_okrdash_middleware.streamlit_own = streamlit_middleware  # type: ignore[attr-defined]
    starlette_app.create_streamlit_middleware = with_okrdash_middleware
    limit_session_uploads(max_session_upload_bytes)
    keep_compiled_scripts()


# What the pages import (besides Streamlit): loaded before serving so they are in the frozen heap.
PAGE_MODULES = ("okrdash.ui.auth", "okrdash.ui.context", "okrdash.ui.editors", "okrdash.ui.forms",
                "okrdash.ui.panels", "okrdash.ui.widgets", "okrdash.bridge", "okrdash.charts", "okrdash.coach",
                "okrdash.examples", "okrdash.export", "okrdash.importing", "okrdash.okrfiles", "okrdash.review",
                "altair", "pyarrow")


def freeze_startup_objects() -> int:
    """Import what the pages use, then move every object alive now out of the garbage collector's
    sight (``gc.freeze``); returns how many were frozen.

    Streamlit runs a full collection (``runner.postScriptGC``) after every script run, which walks
    every object of the process: ~150,000 after importing Streamlit, Altair, pandas and okrdash,
    0.15 CPU s per view on the large company's server, more than most views' own work (and the
    GIL is held meanwhile, so every other session waits). Modules, classes and functions loaded
    at start live as long as the process; frozen, the collection after a run walks only what
    the runs made, and still frees its garbage.
    """
    import gc
    import importlib

    for name in PAGE_MODULES:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def run(app: Path, options: list[str]) -> int:
    """``streamlit run app`` with ``options`` (``--server.port`` ...), in this process (the CLI
    stays free of Streamlit)."""
    from streamlit.web import cli as streamlit_cli

    freeze_startup_objects()
    sys.argv = ["streamlit", "run", str(app), *options]
    return streamlit_cli.main(standalone_mode=False) or 0
