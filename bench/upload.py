"""The large KPI upload through the Upload page, in Chromium, against ``okrdash serve``; and the same
file through ``okrdash import`` for comparison (issue 27: "Upload memory").

    .venv/bin/python -m bench.upload --record            # bench/.work/large/{kpis.csv,okrdash.duckdb}
    .venv/bin/python -m bench.upload --fresh             # an empty database instead of the large store
    .venv/bin/python -m bench.upload --source /tmp/old --label before   # another checkout's code

Starts ``okrdash serve`` on a copy of the large company's store (bench.generate --size large and
bench.run's import; ``--fresh``: an empty database), opens the Upload page in Debian's Chromium
(Playwright, ``/usr/bin/chromium``), chooses the file, answers any question the check asks (the
first choice), waits for the Import button, clicks it and waits for "Imported". Meanwhile a thread
samples the RSS of the server and its children (``/proc``) every 50 ms. Then ``okrdash import``
of the same file on another copy of the store, sampled the same way. Reported
(``bench/results/upload-<label>.json``; ``--record``: ``upload`` in ``scale-large.json``):

- ``before_mib``: the server with the Upload page open, the median of its samples in the 3 s before
  the file is chosen;
- ``peak_mib``: the highest sample from choosing the file to the end; ``peak_check_mib`` (file
  chosen -> Import button: the bytes arrive, are read into DuckDB and validated) and
  ``peak_import_mib`` (click -> "Imported"); ``vm_hwm_mib``: the kernel's peak of the server;
- ``after_mib``: the median of the samples 15-20 s after "Imported", the page still open;
  ``after_over_before_mib``; ``after_leave_mib`` once the browser opened another page and closed;
- ``cli``: ``okrdash import``'s peak and its RSS at the end;
- the times (``upload_s`` until the server has the file, ``check_s``, ``import_s``) and the load
  average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.scale_file import record_in_scale
from bench.serving import BENCH_TOKEN, free_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LARGE = ROOT / "bench" / ".work" / "large"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 15 * 60 * 1000
AFTER_S = 20  # seconds sampled after "Imported"; after_mib is the median of the last five
TARGETS = {"peak_mib": 700, "after_over_before_mib": 100}


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


def descendants(pid: int) -> list[int]:
    """``pid``'s children, their children and so on (``/proc/<pid>/task/<tid>/children``)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = list(Path(f"/proc/{parent}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def tree_rss(pid: int) -> int:
    """The RSS of ``pid`` and every process below it, in bytes."""
    return sum(status(p, "VmRSS") for p in [pid, *descendants(pid)])


class Sampler(threading.Thread):
    """The RSS of a process and its children every ``interval`` seconds, each sample tagged with its phase."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.phase = "idle"
        self.samples: list[tuple[float, str, int]] = []
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            self.samples.append((time.monotonic(), self.phase, tree_rss(self.pid)))
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stopping.set()
        self.join()

    def peak(self, *phases: str) -> int:
        return max((rss for _, phase, rss in self.samples if phase in phases), default=0)

    def median(self, since: float, until: float) -> int:
        """The median sample taken between the monotonic times ``since`` and ``until``."""
        return int(statistics.median([rss for t, _, rss in self.samples if since <= t <= until] or [0]))


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
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


def mib(value: int) -> float:
    return round(value / 2**20, 1)


def environment(db: Path) -> dict[str, str]:
    return dict(os.environ, OKRDASH_DB=str(db), OKRDASH_DEMO_WHEN_EMPTY="false", PYTHONUNBUFFERED="1",
                STREAMLIT_SERVER_FILE_WATCHER_TYPE="none", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
                OKRDASH_LOCAL_TOKEN=BENCH_TOKEN.value)


def store_copy(store: Path | None, workdir: Path, name: str) -> tuple[Path, list[str]]:
    """A copy of ``store`` in ``workdir`` (None: a new, empty database) and the CLI flag that opens it."""
    db = workdir / name
    if store is None:
        return db, ["--create"]
    shutil.copyfile(store, db)
    return db, []


def answer_questions(page, button) -> int:
    """Wait for the Import button, answering each question the check asks on the way (its first
    choice; the large company's files ask none). Returns how many were answered."""
    answered = 0
    radios = page.locator('[data-testid="stMain"] [data-testid="stRadio"]')
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if button.is_visible():
            return answered
        unanswered = [r for r in radios.all() if r.locator("input:checked").count() == 0]
        if unanswered:
            unanswered[0].locator("label").first.click()
            answered += 1
            time.sleep(1)
            continue
        time.sleep(0.2)
    raise SystemExit("the Import button never came")


def measure_page(csv: Path, store: Path | None, port: int, workdir: Path, source: Path) -> dict:
    from playwright.sync_api import expect, sync_playwright

    db, create = store_copy(store, workdir, "served.duckdb")
    out = (workdir / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "okrdash", *create, "serve", "--port", str(port),
                               "--address", "127.0.0.1"], cwd=source, env=environment(db), stdout=out,
                              stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    result: dict = {"loadavg_before": round(os.getloadavg()[0], 2)}
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
            expect(page.locator('[data-testid="stFileUploaderDropzoneInput"]')).to_be_attached()
            time.sleep(15)  # the start's warm-up of the company settles
            now = time.monotonic()
            result["before"] = sampler.median(now - 3, now)
            log(f"server RSS before: {mib(result['before'])} MiB")

            sampler.phase = "check"
            started = time.monotonic()
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(csv))
            button = page.locator(".st-key-import_button button")
            # The server has the file once the page says it is being read or checked (the worker's stage).
            expect(page.locator('[data-testid="stAlertContentInfo"]').filter(has_text=csv.name).or_(button)).to_be_visible()
            received = time.monotonic()
            log(f"received and being checked after {received - started:.1f} s")
            result["questions_answered"] = answer_questions(page, button)
            checked = time.monotonic()
            log(f"valid after {checked - started:.1f} s")

            sampler.phase = "import"
            button.click()
            imported = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Imported")
            expect(imported).to_be_visible()
            done = time.monotonic()
            result["imported_text"] = imported.inner_text()
            log(f"imported after {done - checked:.1f} s: {result['imported_text']!r}")

            sampler.phase = "after"
            time.sleep(AFTER_S)
            result["after"] = sampler.median(done + AFTER_S - 5, done + AFTER_S)
            page.goto(f"{url}/kpis")  # the session moves on, then the browser leaves
            expect(page.locator("h1").first).to_be_visible()
            browser.close()
        time.sleep(5)
        now = time.monotonic()
        result["after_leave"] = sampler.median(now - 2, now)
        result["vm_hwm"] = status(server.pid, "VmHWM")
        sampler.stop()
        result["timeline"] = [(round(t - started, 2), phase, mib(rss)) for t, phase, rss in sampler.samples[::10]]
        result.update({
            "upload_s": round(received - started, 2), "check_s": round(checked - started, 2),
            "import_s": round(done - checked, 2), "total_s": round(done - started, 2),
            "peak_check": sampler.peak("check"), "peak_import": sampler.peak("import"),
            "peak": sampler.peak("check", "import", "after"),
            "loadavg_after": round(os.getloadavg()[0], 2),
        })
        log(f"peak {mib(result['peak'])} MiB (check {mib(result['peak_check'])}, import "
            f"{mib(result['peak_import'])}), after {mib(result['after'])} MiB, after leaving "
            f"{mib(result['after_leave'])} MiB")
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


def measure_cli(csv: Path, store: Path | None, workdir: Path, source: Path) -> dict:
    """``okrdash import`` of the file in a process of its own, on another copy of the store."""
    db, create = store_copy(store, workdir, "cli.duckdb")
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "okrdash", *create, "import", "--by", "bench", str(csv)],
                               cwd=source, env=environment(db), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = Sampler(process.pid)
    sampler.start()
    output, _ = process.communicate()
    sampler.stop()
    if process.returncode != 0:
        raise SystemExit(f"okrdash import failed: {output.decode(errors='replace')[-2000:]}")
    return {"peak": sampler.peak("idle"), "end": sampler.samples[-2][2] if len(sampler.samples) > 1 else 0,
            "seconds": round(time.monotonic() - started, 1), "said": output.decode(errors="replace").strip()[-300:]}


def summary(result: dict) -> dict:
    """What ``scale-large.json`` keeps under ``upload`` (MiB)."""
    return {
        "measured": f"{result['measured_at']}, commit {result['commit']}, bench.upload"
                    + (f" ({result['label']})" if result["label"] != "large" else ""),
        "file": result["file"], "file_mib": mib(result["bytes"]), "store": result["store"],
        "before_mib": mib(result["before"]), "peak_mib": mib(result["peak"]),
        "peak_check_mib": mib(result["peak_check"]), "peak_import_mib": mib(result["peak_import"]),
        "after_mib": mib(result["after"]), "after_over_before_mib": mib(result["after"] - result["before"]),
        "after_leave_mib": mib(result["after_leave"]), "vm_hwm_mib": mib(result["vm_hwm"]),
        "check_s": result["check_s"], "import_s": result["import_s"],
        "cli_peak_mib": mib(result["cli"]["peak"]) if "cli" in result else None,
        "targets": TARGETS,
        "loadavg": [result["loadavg_before"], result["loadavg_after"]],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=LARGE / "kpis.csv")
    parser.add_argument("--store", type=Path, default=LARGE / "okrdash.duckdb", help="copied; never written")
    parser.add_argument("--fresh", action="store_true", help="an empty database instead of --store")
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout whose okrdash runs (default: this one)")
    parser.add_argument("--no-cli", action="store_true", help="skip okrdash import")
    parser.add_argument("--port", type=int, default=0, help="default: a free port in 55700-55799")
    parser.add_argument("--label", default="large")
    parser.add_argument("--record", action="store_true", help="set upload in scale-large.json")
    args = parser.parse_args(argv)
    if not args.file.exists():
        raise SystemExit(f"{args.file} is missing: .venv/bin/python -m bench.generate --size large first")
    store = None if args.fresh else args.store.resolve()
    if store is not None and not store.exists():
        raise SystemExit(f"{store} is missing: .venv/bin/python -m bench.run --size large first, or --fresh")
    if args.record and args.source.resolve() != ROOT:
        parser.error("--record keeps this checkout's figures only")
    port = args.port or free_port(55700, 55799)
    result: dict = {"file": args.file.name, "bytes": args.file.stat().st_size, "label": args.label,
                    "store": "empty" if store is None else "copy of the large company's store"}
    with tempfile.TemporaryDirectory(prefix="okrdash-upload-") as workdir:
        result.update(measure_page(args.file.resolve(), store, port, Path(workdir), args.source.resolve()))
        if not args.no_cli:
            result["cli"] = measure_cli(args.file.resolve(), store, Path(workdir), args.source.resolve())
            log(f"okrdash import: peak {mib(result['cli']['peak'])} MiB in {result['cli']['seconds']} s")
    result["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    result["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=args.source, capture_output=True,
                                      text=True).stdout.strip() or args.source.name
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"upload-{args.label}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    figures = summary(result)
    print(json.dumps(figures, indent=2))
    log(f"wrote {path}")
    if args.record:
        log(f"upload figures written into {record_in_scale('upload', figures)}")


if __name__ == "__main__":
    main()
