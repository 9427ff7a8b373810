"""The large KPI upload through the Upload page, in Chromium, against ``okrdash serve``.

    .venv/bin/python -m bench.upload                     # bench/.work/large/kpis.csv (bench.generate --size large)
    .venv/bin/python -m bench.upload --file X.csv --port 55710 --label after

Starts ``okrdash serve`` on a fresh, empty database (no demo), opens the Upload page in Debian's
Chromium (Playwright, ``/usr/bin/chromium``), chooses the file, waits for the check to say it is
valid, clicks Import and waits for "Imported". Meanwhile a thread samples the server process's
VmRSS (``/proc/<pid>/status``) every 50 ms. Reported (``bench/results/upload-<label>.json``):

- ``rss_before``: the server with the Upload page open, before the file is chosen;
- ``peak_rss_check``: the highest sample from choosing the file to the Import button (the bytes
  arrive, are decoded, read into DuckDB and validated);
- ``peak_rss_import``: the highest sample from the click to "Imported";
- ``peak_rss``: the highest of all, and VmHWM at the end (the kernel's own peak);
- ``rss_after``: 5 s after "Imported", the page still open; ``rss_after_leave``: after the browser
  opened another page and closed (its session gone);
- ``check_s`` (file chosen -> Import button, including the browser's upload), ``import_s``
  (click -> "Imported"), ``total_s``; the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.serving import BENCH_TOKEN, free_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 15 * 60 * 1000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def status(pid: int, field: str) -> int:
    """A /proc/<pid>/status field in bytes (VmRSS, VmHWM); 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """VmRSS of one process every ``interval`` seconds, each sample tagged with the phase it fell in."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.phase = "idle"
        self.samples: list[tuple[float, str, int]] = []
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            self.samples.append((time.monotonic(), self.phase, status(self.pid, "VmRSS")))
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stopping.set()
        self.join()

    def peak(self, *phases: str) -> int:
        return max((rss for _, phase, rss in self.samples if phase in phases), default=0)


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"okrdash serve exited with {process.returncode}: see its log")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit("okrdash serve did not become healthy")


def mb(value: int) -> float:
    return round(value / 2**20, 1)


def measure(csv: Path, port: int, workdir: Path) -> dict:
    from playwright.sync_api import expect, sync_playwright

    db = workdir / "fresh.duckdb"
    env = dict(os.environ, OKRDASH_DB=str(db), OKRDASH_DEMO_WHEN_EMPTY="false", PYTHONUNBUFFERED="1",
               STREAMLIT_SERVER_FILE_WATCHER_TYPE="none", OKRDASH_LOCAL_TOKEN=BENCH_TOKEN.value)
    out = (workdir / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "okrdash", "--create", "serve", "--port", str(port), "--address", "127.0.0.1"],
                              cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    result: dict = {"file": csv.name, "bytes": csv.stat().st_size, "loadavg_before": os.getloadavg()[0]}
    try:
        wait_healthy(url, server)
        sampler = Sampler(server.pid)
        sampler.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            page.goto(f"{url}/upload?token={BENCH_TOKEN.value}")  # local mode: the link that unlocks importing
            expect(page.locator("h1").filter(has_text="Upload CSV files")).to_be_visible()
            time.sleep(3)  # the first run's imports settle
            result["rss_before"] = status(server.pid, "VmRSS")
            log(f"server RSS before: {mb(result['rss_before'])} MB")

            sampler.phase = "check"
            started = time.monotonic()
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(csv))
            # The server has the file once the page says it is being read or checked (the worker's stage).
            expect(page.locator('[data-testid="stAlertContentInfo"]').filter(
                has_text=csv.name).or_(page.locator(".st-key-import_button button"))).to_be_visible()
            received = time.monotonic()
            log(f"received and being checked after {received - started:.1f} s")
            button = page.locator(".st-key-import_button button")
            expect(button).to_be_visible()
            checked = time.monotonic()
            log(f"valid after {checked - started:.1f} s")

            sampler.phase = "import"
            button.click()
            imported = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Imported")
            expect(imported).to_be_visible()
            done = time.monotonic()
            log(f"imported after {done - checked:.1f} s: {imported.inner_text()!r}")
            result["imported_text"] = imported.inner_text()

            sampler.phase = "after"
            time.sleep(5)
            result["rss_after"] = status(server.pid, "VmRSS")
            page.goto(f"{url}/kpis")  # the session moves on, then the browser leaves
            expect(page.locator("h1").first).to_be_visible()
            browser.close()
        time.sleep(5)
        result["rss_after_leave"] = status(server.pid, "VmRSS")
        sampler.stop()
        result["timeline"] = [(round(t - sampler.samples[0][0], 2), phase, mb(rss)) for t, phase, rss in
                              sampler.samples[::20]]
        result.update({
            "upload_s": round(received - started, 2), "check_s": round(checked - started, 2), "import_s": round(done - checked, 2),
            "total_s": round(done - started, 2),
            "peak_rss_check": sampler.peak("check"), "peak_rss_import": sampler.peak("import"),
            "peak_rss": sampler.peak("idle", "check", "import", "after"), "vm_hwm": status(server.pid, "VmHWM"),
            "loadavg_after": os.getloadavg()[0],
        })
        log(f"peak RSS {mb(result['peak_rss'])} MB (check {mb(result['peak_rss_check'])}, import "
            f"{mb(result['peak_rss_import'])}), after {mb(result['rss_after'])} MB, after leaving "
            f"{mb(result['rss_after_leave'])} MB")
    except BaseException:
        log((workdir / "serve.log").read_text(errors="replace")[-3000:])
        raise
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        out.close()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=ROOT / "bench" / ".work" / "large" / "kpis.csv")
    parser.add_argument("--port", type=int, default=0, help="default: a free port in 55700-55799")
    parser.add_argument("--label", default="large")
    args = parser.parse_args(argv)
    if not args.file.exists():
        raise SystemExit(f"{args.file} is missing: .venv/bin/python -m bench.generate --size large first")
    port = args.port or free_port(55700, 55799)
    with tempfile.TemporaryDirectory(prefix="okrdash-upload-") as workdir:
        result = measure(args.file, port, Path(workdir))
    result["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    result["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                      text=True).stdout.strip()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"upload-{args.label}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: (mb(v) if k.startswith(("rss", "peak", "vm_")) else v) for k, v in result.items()}, indent=2))
    log(f"wrote {path}")


if __name__ == "__main__":
    main()
