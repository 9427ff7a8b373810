"""Shared fixtures: a real DuckDB store per test and helpers that import CSV text through the real importer.

Every database lives in ``tmp_path`` or in memory; the autouse fixture points ``OKRDASH_DB`` at a
temporary file so no test can ever touch ``data/okrdash.duckdb``.

``make test`` runs the suite in parallel (pytest-xdist, ``--dist loadgroup``): every session
fixture here exists once per worker process, in that worker's own temp folder (a PostgreSQL server
on a Unix socket there, the demo company's file), so workers share nothing but the machine.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from okrdash import demo
from okrdash import settings as settings_module
from okrdash.importing import ImportResult, Upload, import_files
from okrdash.problems import ImportFailed, Problem
from okrdash.store import Store, open_store

# On CI the property tests replay the same examples every run (a red run does not land, so it must
# mean a regression, not a new draw); on a developer's machine they explore new ones each time.
# No deadline anywhere: an example's time says how busy the machine is, not whether the code is
# right (a sparkline example at 251 ms against the 200 ms default failed a loaded run).
hypothesis_settings.register_profile("okrdash", deadline=None)
hypothesis_settings.register_profile("ci", hypothesis_settings.get_profile("okrdash"), derandomize=True,
                                     print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "okrdash")

DATA_DIR = Path(__file__).parent / "data"

# A cycle of exactly 100 days: on START + n days the elapsed share is n / 100.
START = dt.date(2026, 1, 1)
END = START + dt.timedelta(days=100)


def day(n: int) -> dt.date:
    """START + n days (elapsed share n / 100 of the 100-day test cycle)."""
    return START + dt.timedelta(days=n)


FileSpec = tuple[str, str | bytes]


def uploads(files: tuple[FileSpec, ...]) -> list[Upload]:
    return [Upload(name, data.encode("utf-8") if isinstance(data, str) else data) for name, data in files]


# The browser tests (tests/e2e) run in two lanes: each lane's files run whole on one worker, so
# Chromium and the shared Streamlit server start once per lane, and two workers drive browsers at
# once (the browser tests mostly wait on Chromium and their servers, so one lane alone was the run's
# critical path). First match wins. The lanes are balanced by the files' wall times in one run
# (2026-12-07, load 15: the three files of lane 1 took 665 s, the rest 711 s; README, Tests).
WORKER_GROUPS = (
    ("tests/e2e/test_browser.py", "browser-lane-1"),
    ("tests/e2e/test_plans_and_carry_forward.py", "browser-lane-1"),
    ("tests/e2e/test_desktop_tables.py", "browser-lane-1"),
    ("tests/e2e/", "browser-lane-2"),
)
# Fixture scopes that outlive a test: a test using one runs with the rest of its file (below).
SHARED_SCOPES = ("class", "module", "package")
GROUPS_FOLDER = "okrdash_groups_folder"


def _groups_folder(config: pytest.Config) -> Path:
    """Where the workers write the file groups they found at collection, for the controller's
    scheduler (the controller collects nothing itself)."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return Path(workerinput[GROUPS_FOLDER])
    if not hasattr(config, "_okrdash_groups_folder"):
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="okrdash-xdist-"))
        config._okrdash_groups_folder = folder  # type: ignore[attr-defined]
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    return config._okrdash_groups_folder  # type: ignore[attr-defined]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    node.workerinput[GROUPS_FOLDER] = str(_groups_folder(node.config))


def _group_of(nodeid: str, file_groups: dict[str, str]) -> str | None:
    for prefix, group in WORKER_GROUPS:
        if nodeid.startswith(prefix):
            return group
    return file_groups.get(nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` (``make test``) with groups of our own: tests are handed out one by one,
    largest group first, except that

    * each browser lane (WORKER_GROUPS) runs whole on one worker, and the lanes go out first;
    * a test that uses a module- or class-scoped fixture runs on one worker with the rest of its
      file, so the fixture (a demo store, a throwaway PostgreSQL server for an outage, nginx) is
      made once per run, not again each time the worker's next test comes from another file.

    The groups are made here because xdist 3.8 groups ``xdist_group`` marks by renaming
    ``item._nodeid``, which pytest 9.2 no longer reads: marked tests were spread over every worker.
    The workers name the file-grouped tests at collection (pytest_collection_modifyitems) in a file
    the scheduler reads once every worker has collected.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    groups_folder = _groups_folder(config)

    class FolderGroupScheduling(LoadGroupScheduling):
        file_groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.file_groups is None:
                written = sorted(groups_folder.glob("*.json"))
                self.file_groups = json.loads(written[0].read_text()) if written else {}
            return _group_of(nodeid, self.file_groups) or super()._split_scope(nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            # The browser lanes first (the longest units, mostly waiting), even before a file group
            # with more tests.
            for group in dict.fromkeys(group for _, group in reversed(WORKER_GROUPS)):
                if group in self.workqueue:
                    self.workqueue.move_to_end(group, last=False)
            super()._assign_work_unit(node)

    return FolderGroupScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Hypothesis tests first: each runs for seconds to a minute, and xdist hands tests out in this
    order, so a long one started last would keep one worker busy after the others have finished.

    Under xdist, also write which tests go with their file (see pytest_xdist_make_scheduler)."""
    items.sort(key=lambda item: not getattr(getattr(item, "obj", None), "is_hypothesis_test", False))
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None or GROUPS_FOLDER not in workerinput:
        return
    file_groups = {item.nodeid: item.nodeid.split("::", 1)[0] for item in items if _uses_shared_fixture(item)}
    # Every worker writes the same groups, each to a file of its own (no two writers of one file).
    folder = _groups_folder(config)
    partial = folder / f"{workerinput['workerid']}.partial"
    partial.write_text(json.dumps(file_groups))
    partial.replace(folder / f"{workerinput['workerid']}.json")


def _uses_shared_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(definitions and definitions[-1].scope in SHARED_SCOPES
               for definitions in info.name2fixturedefs.values())


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """Default database in tmp_path, and settings read afresh for each test."""
    monkeypatch.setenv("OKRDASH_DB", str(tmp_path / "default-okrdash.duckdb"))
    settings_module.settings.cache_clear()
    yield
    settings_module.settings.cache_clear()
    # ``okrdash serve`` freezes every live object for the garbage collector (ui/server.py); a test
    # that runs it must not leave the test process's stores and connections uncollectable.
    gc.unfreeze()


@pytest.fixture(scope="session")
def pg_server():
    """One throwaway PostgreSQL server for the session (tests/pg_server.py), stopped afterwards.

    Without PostgreSQL binaries the PostgreSQL cases are skipped on a developer's machine and fail
    on CI (CI set), so they can never go silently missing there.
    """
    server = _new_pg_server()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pg_server_to_stop():
    """A throwaway PostgreSQL server of the module's own, for tests that stop it and start it again
    (an outage): the session's ``pg_server`` stays up for every other test."""
    server = _new_pg_server()
    yield server
    server.stop()


def _new_pg_server():
    from tests.pg_server import PgServer, find_binaries

    binaries = find_binaries()
    if binaries is None:
        message = "no PostgreSQL binaries (initdb, pg_ctl) found: install Debian's postgresql package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return PgServer(binaries)


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company (anchored at DEMO_ANCHOR) in a closed DuckDB file, built once per session (per
    xdist worker). Never written: a test that changes data copies it first."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    store = open_store(path)
    demo.load_demo(store, anchor=demo.DEMO_ANCHOR)
    store.close()
    return path


@pytest.fixture
def backend() -> str:
    """The store's backend; modules marked ``both_backends`` run each test on both (see below)."""
    return "duckdb"


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", ["duckdb", "postgresql"])


def new_store(backend: str, request) -> Store:
    """An empty store of ``backend``: in memory, or a fresh database of the session's PostgreSQL."""
    if backend == "postgresql":
        return open_store(request.getfixturevalue("pg_server").new_database())
    return open_store(":memory:")


@pytest.fixture
def store(backend, request):
    s = new_store(backend, request)
    yield s
    s.close()


@pytest.fixture
def file_store(tmp_path):
    s = open_store(tmp_path / "okrdash.duckdb")
    yield s
    s.close()


@pytest.fixture
def store_reads(monkeypatch) -> list[str]:
    """The names of the store's SQL reads (okrdash/store/reads.sql) run from here on, in order."""
    from okrdash.store import reads

    asked: list[str] = []
    run = reads._run

    def counted(cur, name, **params):
        asked.append(name)
        return run(cur, name, **params)

    monkeypatch.setattr(reads, "_run", counted)
    return asked


@pytest.fixture
def load(store) -> Callable[..., ImportResult]:
    """Import (name, text) files into ``store`` (or ``into=``); fail the test on any problem."""

    def _load(*files: FileSpec, into: Store | None = None, **kwargs: Any) -> ImportResult:
        target = into or store
        try:
            return import_files(target, uploads(files), **kwargs)
        except ImportFailed as failed:  # pragma: no cover - shown only when a test breaks
            pytest.fail("import failed:\n" + "\n".join(p.describe() for p in failed.problems))

    return _load


@pytest.fixture
def reject(store) -> Callable[..., list[Problem]]:
    """Import files that must be refused; assert nothing was written and return the problems."""

    def _reject(*files: FileSpec, into: Store | None = None, **kwargs: Any) -> list[Problem]:
        target = into or store
        before = target.table_counts()
        with pytest.raises(ImportFailed) as caught:
            import_files(target, uploads(files), **kwargs)
        assert target.table_counts() == before, "a refused import changed the store"
        problems = caught.value.problems
        assert problems, "ImportFailed without problems"
        for problem in problems:
            # Every problem must render in both languages (a crash here is a product bug).
            for lang in ("en", "id"):
                text = problem.message(lang)
                assert text and not text.startswith("problem."), (problem, lang, text)
        return problems

    return _reject


def kr_row(store: Store, title: str, as_of: dt.date) -> dict[str, Any]:
    """The kr_scores row of the key result titled ``title`` (exactly one must exist)."""
    frame = store.kr_scores(as_of)
    rows = frame[frame["title"] == title]
    assert len(rows) == 1, f"{title!r}: {len(rows)} rows in {list(frame['title'])}"
    return _plain(rows.iloc[0].to_dict())


def kpi_row(store: Store, name: str, as_of: dt.date) -> dict[str, Any]:
    frame = store.kpi_scores(as_of)
    rows = frame[frame["name"] == name]
    assert len(rows) == 1, f"{name!r}: {len(rows)} rows in {list(frame['name'])}"
    return _plain(rows.iloc[0].to_dict())


def objective_row(store: Store, title: str, as_of: dt.date) -> dict[str, Any]:
    frame = store.objective_scores(as_of)
    rows = frame[frame["title"] == title]
    assert len(rows) == 1, f"{title!r}: {len(rows)} rows in {list(frame['title'])}"
    return _plain(rows.iloc[0].to_dict())


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    import math

    import pandas as pd

    out = {}
    for key, value in row.items():
        if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            out[key] = None
        elif isinstance(value, pd.Timestamp):
            out[key] = value.date() if value == value.normalize() else value.to_pydatetime()
        elif hasattr(value, "item"):
            out[key] = value.item()
        else:
            out[key] = value
    return out


def stored_measurements(store: Store) -> dict[tuple[str, dt.date], float]:
    """Every stored KPI measurement: (KPI name, date) -> value."""
    with store.cursor() as cur:
        rows = cur.execute("SELECT k.name, m.date, m.value FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id"
                           ).fetchall()
    return {(name, date): value for name, date, value in rows}


@pytest.fixture
def helpers():
    """The row helpers, for tests that prefer a fixture to an import from conftest."""

    class _Helpers:
        kr = staticmethod(kr_row)
        kpi = staticmethod(kpi_row)
        objective = staticmethod(objective_row)
        day = staticmethod(day)

    return _Helpers
