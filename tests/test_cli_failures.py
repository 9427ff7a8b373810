"""The CLI when the machine, not the input, fails: exit 3 and a plain message, never a traceback.

A damaged database, a database that cannot grow (the disk is full), a temp folder that cannot take
the upload, and a reader that stops early (``status --json | head``). The write limits are real:
the child process runs under RLIMIT_FSIZE, so every write past it fails as on a full disk.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from okrdash.cli import main
from okrdash.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def _kpis_csv(path: Path, rows: int, kpis: int = 50) -> Path:
    start = dt.date(2000, 1, 1)
    path.write_text("team,kpi,date,value\n" + "".join(
        f"Ops,KPI {i % kpis},{start + dt.timedelta(days=i // kpis)},{i}\n" for i in range(rows)))
    return path


def _okrdash(*argv: str, cwd: Path, file_size_limit: int | None = None, env: dict | None = None):
    def limit() -> None:
        if file_size_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run([sys.executable, "-m", "okrdash", *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=300, preexec_fn=limit, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


@pytest.mark.parametrize("damage", ["random bytes", "cut short"])
def test_a_damaged_database_is_exit_3_with_a_message(tmp_path, capsys, damage):
    db = tmp_path / "damaged.duckdb"
    if damage == "random bytes":
        db.write_bytes(os.urandom(300_000))
    else:
        store = open_store(db)
        store.close()
        db.write_bytes(db.read_bytes()[:5000])
    assert main(["--db", str(db), "status"]) == 3
    err = capsys.readouterr().err
    assert f"The database {db} cannot be read" in err and "Nothing was changed" in err
    assert "Traceback" not in err


def test_a_full_disk_shows_the_real_error_and_writes_nothing(tmp_path):
    db = tmp_path / "okrdash.duckdb"
    open_store(db).close()
    csv = _kpis_csv(tmp_path / "kpis.csv", 30_000)
    size = db.stat().st_size
    refused = _okrdash("--db", str(db), "import", str(csv), cwd=tmp_path, file_size_limit=size + 150_000)
    assert refused.returncode == 3, refused.stderr
    assert "File too large" in refused.stderr  # the operating system's own words, not "transaction is aborted"
    assert "Nothing was written" in refused.stderr and "Traceback" not in refused.stderr
    store = open_store(db)
    try:
        assert store.table_counts()["kpi_measurements"] == 0 and store.batches() == []
    finally:
        store.close()


def test_a_full_temp_folder_is_exit_3_and_leaves_no_temp_file(tmp_path):
    db = tmp_path / "okrdash.duckdb"
    open_store(db).close()
    temp = tmp_path / "tmp"
    temp.mkdir()
    csv = _kpis_csv(tmp_path / "kpis.csv", 30_000)
    refused = _okrdash("--db", str(db), "import", str(csv), cwd=tmp_path,
                       file_size_limit=csv.stat().st_size // 2, env={"TMPDIR": str(temp)})
    assert refused.returncode == 3, refused.stderr
    assert "File too large" in refused.stderr and "Nothing was written" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert list(temp.iterdir()) == []


def test_status_into_a_pipe_that_closes_early(tmp_path):
    db = tmp_path / "okrdash.duckdb"
    csv = _kpis_csv(tmp_path / "kpis.csv", 4000, kpis=4000)  # a status document larger than a pipe's buffer
    assert _okrdash("--db", str(db), "--create", "import", str(csv), cwd=tmp_path).returncode == 0
    command = (f"'{sys.executable}' -m okrdash --db '{db}' status --json --as-of 2000-01-02 | head -c 100 >/dev/null;"
               " exit ${PIPESTATUS[0]}")
    piped = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert piped.returncode == 3, piped.stderr
    assert "broken pipe" in piped.stderr and "Traceback" not in piped.stderr
