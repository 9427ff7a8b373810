"""Messages that say what is wrong: a reason for an unreadable row, the real number of problems,
and no "-0" in the status command."""

from __future__ import annotations

import datetime as dt
import re

from okrdash.cli import main
from okrdash.importing import Upload, import_files
from okrdash.problems import ImportFailed

HEADER = "team,kpi,date,value\n"


def test_an_unclosed_quote_says_so(store, reject):
    problems = reject(("kpis.csv", HEADER + 'Ops,"Up"time",2026-01-01,1\n'))
    assert [(p.line, p.code) for p in problems] == [(2, "row_unclosed_quote")]
    assert "quote" in problems[0].message("en") and "kutip" in problems[0].message("id")


def test_a_row_over_the_line_limit_says_so(store, reject):
    problems = reject(("kpis.csv", HEADER + "Ops," + "x" * 1_100_000 + ",2026-01-01,1\n"))
    assert [(p.line, p.code) for p in problems] == [(2, "row_too_long")]
    assert "1 MB" in problems[0].message("en")


def test_the_count_of_problems_is_the_real_total(store, tmp_path, capsys):
    start = dt.date(2026, 1, 1)
    rows = "".join(f"Ops,Uptime,{start + dt.timedelta(days=i)},lots\n" for i in range(300))
    try:
        import_files(store, [Upload("kpis.csv", (HEADER + rows).encode())], dry_run=True)
    except ImportFailed as failed:
        assert failed.total == 300
        assert len(failed.problems) == 201  # 200 listed, and one line saying how many more
    path = tmp_path / "kpis.csv"
    path.write_text(HEADER + rows)
    assert main(["--db", str(tmp_path / "db.duckdb"), "--create", "import", str(path)]) == 1
    assert "300 problem(s); nothing was imported." in capsys.readouterr().err


def test_minus_zero_is_never_printed(tmp_path, capsys):
    kpis = tmp_path / "kpis.csv"
    kpis.write_text("team,kpi,date,value,target\nOps,Net change,2026-05-01,-0,-0.0\n")
    db = str(tmp_path / "db.duckdb")
    assert main(["--db", db, "--create", "import", str(kpis)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "status", "--as-of", "2026-05-31"]) == 0
    out = capsys.readouterr().out
    assert "Ops | Net change: 0 (target 0)" in out
    assert not re.search(r"(?<!\d)-0(?!\.?\d)", out), out
