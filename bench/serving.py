"""What the browser and websocket benchmarks share: an ``okrdash serve`` process and a Streamlit websocket client.

* :class:`Server` starts ``python -m okrdash serve`` (how the app runs in production) on a port and
  a database, or ``streamlit run`` on any script (the empty page of the browser run's floor), and
  waits for ``/_stcore/health``.
* :class:`Session` is one browser tab's conversation with Streamlit 1.67 over ``/_stcore/stream``:
  the ``rerun_script`` BackMsg the frontend sends when it opens a link (page name from the path,
  the query string, empty widget states) and the ForwardMsgs that come back until the run's
  ``script_finished``. A view is an **error** when the delta stream holds an exception element
  (the red box; with ``client.showErrorDetails = "none"`` still an exception element), the run
  finished with a compile error, the page was not found, the connection dropped, or no
  ``script_finished`` came within the timeout, or the page drew an error box (``st.error``: the
  app's own "the database cannot be read" among them; the benchmarks only open links whose
  subject exists, so no error box is expected). A view without an error is one the browser
  would have drawn.
* Every server runs local mode with :data:`BENCH_TOKEN`, and every session and browser context
  (:func:`token_cookie`) holds its cookie: the views are the editor's, as before local mode needed it.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from okrdash.access import LocalToken

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
# The local-mode token of the servers the benchmarks start (OKRDASH_LOCAL_TOKEN), made per run.
BENCH_TOKEN = LocalToken(secrets.token_urlsafe(32))


def token_cookie(domain: str = "127.0.0.1") -> dict:
    """The cookie ``okrdash serve`` gives a browser that opens its printed link (Playwright's form)."""
    return {"name": BENCH_TOKEN.cookie_name, "value": BENCH_TOKEN.value, "domain": domain, "path": "/",
            "httpOnly": True, "sameSite": "Strict"}


def free_port(low: int = 0, high: int = 0) -> int:
    """A port in ``[low, high]`` nobody listens on (the engineers of this machine share port ranges);
    with no range, one the system picks (what the tests use)."""
    import random

    if not low:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]
    ports = list(range(low, high + 1))
    random.shuffle(ports)
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}-{high}")


class Server:
    """``okrdash serve`` on ``db`` (or ``streamlit run script``) on 127.0.0.1:``port``; stop() when done."""

    def __init__(self, port: int, logs: Path, *, db: Path | None = None, script: Path | None = None,
                 threads: int | None = None) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        logs.mkdir(parents=True, exist_ok=True)
        self.log_path = logs / f"server-{port}.log"
        env = dict(os.environ)
        env.update({"PYTHONUNBUFFERED": "1", "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
                    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "OKRDASH_DEMO_WHEN_EMPTY": "false",
                    "OKRDASH_LOCAL_TOKEN": BENCH_TOKEN.value})
        if threads:
            env["OKRDASH_DUCKDB_THREADS"] = str(threads)
        python = str(PY if PY.exists() else Path(sys.executable))
        if db is not None:
            env["OKRDASH_DB"] = str(db)
            command = [python, "-m", "okrdash", "serve", "--port", str(port), "--address", "127.0.0.1"]
        else:
            assert script is not None
            command = [python, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                       "--server.address", "127.0.0.1", "--server.headless", "true"]
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server not healthy within {timeout:.0f} s:\n{self.output()}")

    def output(self, chars: int = 20_000) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def uncaught(self) -> int:
        """How many times the server logged "Uncaught app execution" (an exception in a page run)."""
        return self.output(10**9).count("Uncaught app execution")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        if not self._log.closed:
            self._log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class View:
    """One script run as a browser tab would see it."""

    page: str
    query: dict[str, str]
    seconds: float = 0.0
    bytes: int = 0
    elements: int = 0
    error: str | None = None
    exception_messages: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # the element types, in order
    alerts: list[str] = field(default_factory=list)  # st.error / warning / info texts
    error_alerts: list[str] = field(default_factory=list)  # st.error texts
    found: bool = False  # the ``find`` bytes of view() were in one of the run's messages


class Session:
    """One Streamlit session over ``/_stcore/stream`` (sync ``websockets`` client)."""

    def __init__(self, base_url: str, timeout: float = 120.0) -> None:
        from websockets.sync.client import connect

        self.base_url = base_url
        self.timeout = timeout
        host = base_url.split("://", 1)[1]
        self.ws = connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"], origin=base_url,
                          max_size=None, open_timeout=timeout, compression=None, legacy=True,
                          additional_headers={"Cookie": f"{BENCH_TOKEN.cookie_name}={BENCH_TOKEN.value}"})
        self.closed = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.ws.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def view(self, page: str, query: dict[str, str], find: bytes | None = None) -> View:
        """Ask for ``page`` (its url_path; "" for the default page) with ``query`` and read until the run ends;
        with ``find``, ``found`` says whether those bytes were in a message (a table's Arrow data holds
        its strings as they are)."""
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        result = View(page=page, query=query)
        message = BackMsg()
        state = message.rerun_script
        state.query_string = urlencode(query)
        state.page_name = page
        state.widget_states.SetInParent()
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Asia/Jakarta", -420, "en-US"
        info.url = f"{self.base_url}/{page}?{state.query_string}"
        started = time.perf_counter()
        try:
            self.ws.send(message.SerializeToString())
            deadline = started + self.timeout
            while True:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    result.error = f"no script_finished within {self.timeout:.0f} s"
                    break
                try:
                    data = self.ws.recv(timeout=remaining)
                except TimeoutError:
                    continue
                result.bytes += len(data)
                if find is not None and not result.found:
                    result.found = find in data
                forward = ForwardMsg()
                forward.ParseFromString(data)
                kind = forward.WhichOneof("type")
                if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                    result.elements += 1
                    element = forward.delta.new_element
                    result.kinds.append(element.WhichOneof("type") or "")
                    if element.WhichOneof("type") == "alert":
                        result.alerts.append(element.alert.body[:300])
                        if element.alert.format == Alert.ERROR:
                            result.error_alerts.append(element.alert.body[:300])
                    if element.WhichOneof("type") == "exception":
                        result.exception_messages.append(
                            f"{element.exception.type}: {element.exception.message}"[:300])
                elif kind == "page_not_found":
                    result.error = f"page not found: {forward.page_not_found.page_name!r}"
                elif kind == "script_finished":
                    status = forward.script_finished
                    if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue  # a rerun the page asked for (st.rerun, a switch_page): wait for it
                    if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        result.error = "script finished with a compile error"
                    break
        except Exception as error:  # noqa: BLE001 - a dropped connection is an error of the view
            result.error = f"connection: {type(error).__name__}: {error}"[:300]
            self.close()
        result.seconds = time.perf_counter() - started
        if result.exception_messages and not result.error:
            result.error = "exception element: " + " | ".join(result.exception_messages)
        if result.error_alerts and not result.error:
            result.error = "error box: " + " | ".join(result.error_alerts)
        return result
