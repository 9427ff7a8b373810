"""Where an import spends its time, query by query: every SQL statement the importer and the store run.

    .venv/bin/python -m bench.sqltrace --size large              # kpis, okrs, checkins
    .venv/bin/python -m bench.sqltrace --size large --kinds kpis

Imports the generated files of ``bench.generate`` (bench/.work/<size>/, run ``bench.run`` or
``bench.generate`` first) into a fresh store, with the importer's scratch DuckDB connection and the
store's cursors wrapped so each ``execute`` (and the fetch that follows it) is timed, wall and
process CPU. Python time between queries is reported as the remainder, and a pyinstrument profile
(when installed) shows which Python functions it belongs to. Writes
bench/results/profiles/<size>-import-sql.md. Nothing in okrdash is modified; the wrapping is a
monkeypatch for the duration of the run.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "bench" / "results" / "profiles"
KINDS = ("kpis", "okrs", "checkins")


class Trace:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def add(self, sql: str, wall: float, cpu: float, where: str) -> dict[str, Any]:
        record = {"sql": sql, "wall": wall, "cpu": cpu, "where": where}
        self.calls.append(record)
        return record


def _key(sql: str) -> str:
    text = re.sub(r"\s+", " ", sql).strip()
    text = re.sub(r"upload_\d+", "upload_N", text)
    return text


class TracedConnection:
    """Delegates to a DuckDB connection; times execute and the fetch of its result."""

    _FETCHES = ("fetchall", "fetchone", "fetchmany", "df", "fetchdf", "to_arrow_table", "pl")

    def __init__(self, con: Any, trace: Trace, where: str) -> None:
        self._con, self._trace, self._where = con, trace, where
        self._last: dict[str, Any] | None = None

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> TracedConnection:
        wall, cpu = time.perf_counter(), time.process_time()
        self._con.execute(sql, *args, **kwargs)
        self._last = self._trace.add(_key(sql), time.perf_counter() - wall, time.process_time() - cpu, self._where)
        return self

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._con, name)
        if name in self._FETCHES and callable(attr):
            def fetch(*args: Any, **kwargs: Any) -> Any:
                wall, cpu = time.perf_counter(), time.process_time()
                out = attr(*args, **kwargs)
                if self._last is not None:
                    self._last["wall"] += time.perf_counter() - wall
                    self._last["cpu"] += time.process_time() - cpu
                return out
            return fetch
        return attr


@contextlib.contextmanager
def traced(trace: Trace):
    """Wrap the importer's scratch connection and the store's cursors for the duration."""
    from okrdash.store.file_store import DuckDBStore
    from okrdash.importing import pipeline as importer

    original_scratch = importer.scratch_connection
    original_cursor = DuckDBStore.cursor

    def scratch(*args, **kwargs):
        return TracedConnection(original_scratch(*args, **kwargs), trace, "scratch")

    @contextlib.contextmanager
    def cursor(self):
        with original_cursor(self) as cur:
            yield TracedConnection(cur, trace, "store")

    importer.scratch_connection = scratch
    DuckDBStore.cursor = cursor
    try:
        yield
    finally:
        importer.scratch_connection = original_scratch
        DuckDBStore.cursor = original_cursor


def report(kind: str, rows: int, total_wall: float, total_cpu: float, trace: Trace, top: int = 15) -> list[str]:
    groups: dict[str, dict[str, Any]] = defaultdict(lambda: {"n": 0, "wall": 0.0, "cpu": 0.0, "where": ""})
    for call in trace.calls:
        group = groups[call["sql"]]
        group["n"] += 1
        group["wall"] += call["wall"]
        group["cpu"] += call["cpu"]
        group["where"] = call["where"]
    sql_wall = sum(g["wall"] for g in groups.values())
    sql_cpu = sum(g["cpu"] for g in groups.values())
    lines = [
        f"### {kind}.csv: {rows:,} rows, {total_wall:.2f} s wall, {total_cpu:.2f} s CPU",
        "",
        f"{len(trace.calls):,} SQL calls in {len(groups)} distinct statements: {sql_wall:.2f} s wall "
        f"({sql_cpu:.2f} s CPU); Python outside SQL: {total_wall - sql_wall:.2f} s wall.",
        "",
        "| wall s | CPU s | calls | connection | statement (first 400 characters) |",
        "|---:|---:|---:|---|---|",
    ]
    for sql, g in sorted(groups.items(), key=lambda item: -item[1]["wall"])[:top]:
        text = sql[:400].replace("|", "\\|")
        lines.append(f"| {g['wall']:.2f} | {g['cpu']:.2f} | {g['n']:,} | {g['where']} | `{text}` |")
    return lines + [""]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated; earlier kinds are imported untraced")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / ".work")
    parser.add_argument("--no-pyinstrument", action="store_true")
    args = parser.parse_args(argv)
    wanted = [k for k in args.kinds.split(",") if k]

    from bench.generate import AS_OF
    from okrdash.importing import Upload, import_files
    from okrdash.store import open_store

    folder = args.workdir / args.size
    db = folder / "sqltrace.duckdb"
    for path in (db, Path(str(db) + ".wal")):
        path.unlink(missing_ok=True)
    store = open_store(db)
    out = [f"# Import, statement by statement: {args.size} company", "",
           f"Rerun: `.venv/bin/python -m bench.sqltrace --size {args.size} --kinds {','.join(wanted)}`. "
           "Wall includes waiting for a core on the shared 2-core machine; CPU is process CPU (all threads).", ""]
    profiler_cls = None
    if not args.no_pyinstrument:
        with contextlib.suppress(ImportError):
            from pyinstrument import Profiler as profiler_cls  # type: ignore[no-redef]
    last_needed = max(KINDS.index(k) for k in wanted)
    for kind in KINDS[: last_needed + 1]:
        upload = Upload(f"{kind}.csv", (folder / f"{kind}.csv").read_bytes())
        if kind not in wanted:
            import_files(store, [upload], today=AS_OF)
            continue
        trace = Trace()
        profiler = profiler_cls(interval=0.01) if profiler_cls else None
        with traced(trace):
            if profiler:
                profiler.start()
            wall, cpu = time.perf_counter(), time.process_time()
            result = import_files(store, [upload], today=AS_OF)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if profiler:
                profiler.stop()
        out += report(kind, result.files[0].rows, wall, cpu, trace)
        if profiler:
            text = profiler.output_text(unicode=True, color=False)
            out += ["<details><summary>pyinstrument</summary>", "", "```", text.strip(), "```", "", "</details>", ""]
        print(f"{kind}: {wall:.1f} s", file=sys.stderr, flush=True)
    store.close()
    for path in (db, Path(str(db) + ".wal")):
        path.unlink(missing_ok=True)
    PROFILES.mkdir(parents=True, exist_ok=True)
    target = PROFILES / f"{args.size}-import-sql.md"
    target.write_text("\n".join(out) + "\n")
    print(f"wrote {target.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
