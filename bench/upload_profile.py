"""Where an upload's memory goes: the large KPI file checked and written in one process, RSS per stage.

    .venv/bin/python -m bench.upload_profile                              # bench/.work/large/{kpis.csv,okrdash.duckdb}
    OKRDASH_IMPORT_MEMORY_LIMIT=256MB .venv/bin/python -m bench.upload_profile   # another scratch limit

What the Upload page's worker does, without the server around it: the store (a copy of the large
company's) opened, the file's bytes read, ``importing.prepare`` (its stages: reading, checking),
then ``importing.commit`` (writing). A thread samples this process's VmRSS every 20 ms; printed
per stage: the RSS as it begins and the highest sample during it (MiB), with the CPU seconds of
``prepare`` and the size of the validated measurements (Arrow). docs/scaling.md, "Issue 27, upload
memory", has its figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import threading
import time
from pathlib import Path

from bench.upload import LARGE, mib, status

TODAY = dt.date(2026, 11, 22)  # bench.generate's as-of day


class Stages(threading.Thread):
    """The highest RSS of this process during each stage."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stage, self.peaks = "start", {}

    def run(self) -> None:
        import os

        while True:
            rss = status(os.getpid(), "VmRSS")
            self.peaks[self.stage] = max(self.peaks.get(self.stage, 0), rss)
            time.sleep(0.02)

    def begin(self, stage: str) -> None:
        import os

        ended, rss = self.stage, status(os.getpid(), "VmRSS")
        self.peaks[ended] = max(self.peaks.get(ended, 0), rss)  # (a stage shorter than a sample)
        print(f"{stage:<20} begins at {mib(rss):>7} MiB   (peak of {ended}: {mib(self.peaks[ended])} MiB)", flush=True)
        self.stage = stage


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=LARGE / "kpis.csv")
    parser.add_argument("--store", type=Path, default=LARGE / "okrdash.duckdb", help="copied; never written")
    args = parser.parse_args(argv)

    from okrdash.access import writer_for
    from okrdash.importing import Upload, commit, prepare
    from okrdash.store import open_store

    stages = Stages()
    stages.start()
    with tempfile.TemporaryDirectory(prefix="okrdash-upload-profile-") as workdir:
        db = Path(workdir) / "store.duckdb"
        shutil.copyfile(args.store, db)
        store = open_store(db)
        stages.begin("store opened")
        uploads = [Upload(args.file.name, args.file.read_bytes())]
        stages.begin("bytes read")
        cpu = time.process_time()
        prepared = prepare(store, uploads, today=TODAY, progress=lambda stage: stages.begin(f"prepare: {stage}"))
        cpu = time.process_time() - cpu
        del uploads  # what the page's Import click lets go: only ``prepared`` holds the bytes now
        stages.begin("prepared")
        measurements = [c.measurements.nbytes for c in prepared.changes if c.measurements is not None]
        print(f"prepare: {cpu:.2f} CPU s; measurements as Arrow: {[mib(n) for n in measurements]} MiB", flush=True)
        result = commit(store, prepared, writer_for("bench", None), today=TODAY,
                        progress=lambda stage: stages.begin(f"commit: {stage}"))
        stages.begin("committed")
        print(f"written: {result.inserted} new, {result.updated} updated", flush=True)
        store.close()
        stages.begin("store closed")


if __name__ == "__main__":
    main()
