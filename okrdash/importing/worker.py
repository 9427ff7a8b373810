"""Large uploads checked and imported off the page's thread: one background worker per process.

A page hands a job (``prepare`` or ``commit`` of ``importing.pipeline``) to :data:`WORKER` and
keeps the :class:`Job`; its script ends at once, so the person sees the stage the job is in and
every other session's reruns go on (DuckDB releases the interpreter while it reads, checks and
writes). One job runs at a time: imports are serialised by the store's write lock anyway, and
two validations of 100 MB files at once would hold both files' rows in memory together.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from okrdash.importing.pipeline import Progress

# Uploads larger than this together are checked and imported by the worker; smaller ones inline
# (their page run is shorter than a round trip to poll a job).
BACKGROUND_BYTES = 8 << 20


class Job:
    """One piece of work handed to the worker: its stage while it runs, its result or error after."""

    def __init__(self, label: str, files: list[str]):
        self.label, self.files = label, files
        self.stage = "queued"   # queued, then the stages the pipeline reports (reading, checking, writing)
        self._future: Future | None = None

    def set_stage(self, stage: str) -> None:
        self.stage = stage

    def done(self) -> bool:
        return self._future is not None and self._future.done()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the job ends (tests and scripts; a page polls :meth:`done` instead)."""
        if self._future is not None:
            try:
                self._future.result(timeout)
            except Exception:  # noqa: BLE001 - the caller asks for it with result()
                pass

    def result(self) -> Any:
        """The job's return value; raises what the job raised."""
        assert self._future is not None and self._future.done(), "the job is still running"
        return self._future.result()


class Worker:
    """A single background thread per process that runs jobs in the order they came."""

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, label: str, work: Callable[[Progress], Any], files: list[str]) -> Job:
        """Run ``work(progress)`` on the worker thread; ``progress`` sets the job's stage.
        ``files`` names what it works on, for the page to say."""
        job = Job(label, files)
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="okrdash-import")
            job._future = self._executor.submit(_run, work, job)
        return job


def _run(work: Callable[[Progress], Any], job: Job) -> Any:
    try:
        return work(job.set_stage)
    finally:
        job.stage = "done"
        release_memory()


def release_memory() -> None:
    """Hand memory freed by a large import back to the system, so the server's RSS drops again.

    The rows of a 100 MB file are many small Python and Arrow allocations; freed, glibc keeps them
    in its arenas until asked to trim.
    """
    gc.collect()
    name = ctypes.util.find_library("c")
    if name:
        try:
            libc = ctypes.CDLL(name)
            trim = getattr(libc, "malloc_trim", None)
            if trim is not None:
                trim(0)
        except OSError:
            pass


# The one worker of this process (pages of every session share it).
WORKER = Worker()
