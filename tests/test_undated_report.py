"""Undated values say which day they were dated, in the CLI's report and on the Upload page (issue 21,
class 5). Both import on the real import day, so the cycle is made around it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from okrdash.cli import main

def import_days(run: Callable[[], object]) -> set[str]:
    """The days an import run now may date its undated values by: today, or tomorrow when the run
    crosses midnight."""
    before = dt.date.today()
    run()
    return {before.isoformat(), dt.date.today().isoformat()}


def undated_okrs(lang: str = "en") -> bytes:
    today = dt.date.today()
    start, end = (today - dt.timedelta(days=10)).isoformat(), (today + dt.timedelta(days=10)).isoformat()
    head = ("cycle,start_date,end_date,team,objective,key_result,baseline,target,current" if lang == "en"
            else "Siklus,Tanggal mulai,Tanggal selesai,Tim,Tujuan,Hasil kunci,Nilai awal,Target,Nilai saat ini")
    return f"{head}\nSprint,{start},{end},Sales,Grow,Deals,0,10,4\n".encode()


def test_the_cli_says_which_day_undated_values_were_dated(tmp_path, capsys):
    path = tmp_path / "okrs.csv"
    path.write_bytes(undated_okrs())
    codes: list[int] = []
    days = import_days(lambda: codes.append(main(["--db", str(tmp_path / "cli.duckdb"), "--create", "import",
                                                  "--dry-run", str(path)])))
    assert codes == [0]
    out = capsys.readouterr().out
    assert any(f"1 value(s) of current have no date in the file; they are dated the import day, {day}" in out
               for day in days)
