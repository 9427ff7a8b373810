"""The ``okrdash`` command: import, status, review, database selection and exit codes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from okrdash import settings as settings_module
from okrdash.cli import main
from okrdash.store import open_store
from tests.conftest import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent
KPIS, OKRS, CHECKINS = (str(DATA_DIR / f"acceptance_{k}.csv") for k in ("kpis", "okrs", "checkins"))


def counts(db: Path) -> dict[str, int]:
    store = open_store(db)
    try:
        return store.table_counts()
    finally:
        store.close()


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "cli.duckdb"


@pytest.fixture
def imported(db, capsys) -> Path:
    assert main(["--db", str(db), "--create", "import", KPIS, OKRS, CHECKINS]) == 0
    capsys.readouterr()
    return db


def test_import_success(db, capsys):
    assert main(["--db", str(db), "--create", "import", KPIS, OKRS, "--by", "maya"]) == 0
    out = capsys.readouterr().out
    assert "acceptance_okrs.csv: okrs, 7 rows, valid" in out
    assert "acceptance_kpis.csv: kpis, 4 rows, valid" in out
    assert "inserted" in out
    written = counts(db)
    assert (written["key_results"], written["kpis"], written["kpi_measurements"], written["batches"]) == (7, 2, 4, 2)
    store = open_store(db)
    try:
        assert {b.imported_by for b in store.batches()} == {"maya"}
    finally:
        store.close()


def test_import_again_updates(imported, capsys):
    before = counts(imported)
    assert main(["--db", str(imported), "import", OKRS]) == 0
    assert "0 inserted" in capsys.readouterr().out
    after = counts(imported)
    assert after["key_results"] == before["key_results"] and after["checkins"] == before["checkins"]


def test_import_invalid_input_exits_1_and_writes_nothing(imported, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("cycle,team,objective,key_result,baseline,target\n2026-Q2,T,O,Fine,0,10\n2026-Q2,T,O,K,0,ten\n")
    good = tmp_path / "good.csv"
    good.write_text("team,kpi,date,value\nOps,Uptime,2026-05-31,99.9\n")
    before = counts(imported)
    assert main(["--db", str(imported), "import", str(good), str(bad)]) == 1
    captured = capsys.readouterr()
    assert "line 3" in captured.err
    assert "bad.csv" in captured.err and "target" in captured.err
    assert "nothing was imported" in captured.err
    assert counts(imported) == before


def test_import_problem_with_parameters_is_printed(imported, tmp_path, capsys):
    # A duplicate key result: the message names the first line; printing it must not crash.
    dup = tmp_path / "dup.csv"
    dup.write_text("cycle,team,objective,key_result,target\n2026-Q2,T,O,K,10\n2026-Q2,T,O,K,20\n")
    before = counts(imported)
    assert main(["--db", str(imported), "import", str(dup)]) == 1
    err = capsys.readouterr().err
    assert "line 3" in err and "line 2" in err
    assert counts(imported) == before


def test_import_refuses_a_plan_point_the_rules_would_not_read_and_takes_one_they_do(imported, tmp_path, capsys):
    """A plan reaches its target on the cycle's last day (rules.sql): another value there is refused."""
    plan = tmp_path / "plan.csv"
    plan.write_text("team,key_result,date,planned\n"
                    "Customer Support,Raise NPS from 4 to 10,2026-05-15,6\n"
                    "Customer Support,Raise NPS from 4 to 10,2026-06-30,9\n")
    before = counts(imported)
    assert main(["--db", str(imported), "import", str(plan)]) == 1
    err = capsys.readouterr().err
    assert "plan.csv, line 3, column planned, value \"9\"" in err and "target (10)" in err
    assert counts(imported) == before
    plan.write_text("team,key_result,date,planned\nCustomer Support,Raise NPS from 4 to 10,2026-05-15,6\n")
    assert main(["--db", str(imported), "import", str(plan)]) == 0
    assert counts(imported)["kr_plans"] == before["kr_plans"] + 1


def test_import_dry_run_writes_nothing(imported, tmp_path, capsys):
    new = tmp_path / "new.csv"
    new.write_text("team,kpi,date,value\nOps,Uptime,2026-05-31,99.9\n")
    before = counts(imported)
    assert main(["--db", str(imported), "import", "--dry-run", str(new)]) == 0
    assert "Dry run" in capsys.readouterr().out
    assert counts(imported) == before


def test_import_missing_file_is_a_usage_error(db, tmp_path, capsys):
    assert main(["--db", str(db), "--create", "import", OKRS, str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err
    assert counts(db)["key_results"] == 0


@pytest.mark.parametrize(
    "argv",
    [["status", "--as-of", "2026-13-01"], ["status", "--as-of", "31/05/2026"], ["status", "--as-of", "yesterday"],
     [], ["import"], ["frobnicate"], ["status", "--bogus"]],
)
def test_usage_errors_exit_2(db, argv, capsys):
    assert main(["--db", str(db), *argv]) == 2
    assert capsys.readouterr().err


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "import" in capsys.readouterr().out


def test_status_json_shape(imported, capsys):
    assert main(["--db", str(imported), "status", "--json", "--as-of", "2026-05-31"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"objectives", "kpis"} <= set(report)
    assert len(report["objectives"]) == 3 and len(report["kpis"]) == 2
    for objective in report["objectives"]:
        assert {"team", "cycle", "title", "progress", "status", "key_results"} <= set(objective)
        for kr in objective["key_results"]:
            assert {"title", "progress", "expected", "status", "current", "baseline", "target"} <= set(kr)
    for kpi in report["kpis"]:
        assert {"team", "name", "value", "target", "status"} <= set(kpi)

    objectives = {o["title"]: o for o in report["objectives"]}
    support = objectives["Give customers fast and friendly help"]
    assert (support["team"], support["cycle"]) == ("Customer Support", "2026-Q2")
    krs = {kr["title"]: kr for kr in support["key_results"]}
    reply = krs["Reduce average reply time from 48 to 30 minutes"]
    assert (reply["baseline"], reply["target"], reply["current"]) == (48.0, 30.0, 40.0)
    assert reply["progress"] == pytest.approx(0.4444, abs=1e-4)
    assert reply["expected"] == pytest.approx(60 / 90)
    velocity = {kr["title"]: kr for o in report["objectives"] for kr in o["key_results"]}[
        "Raise sprint velocity from 42 to 60 points"]
    assert velocity["status"] == "Complete"
    kpis = {k["name"]: k for k in report["kpis"]}
    assert kpis["Customer support reply time"] == {
        "team": "Customer Support", "name": "Customer support reply time", "value": 48.0, "target": 30.0,
        "status": "Off Track"}
    assert kpis["Net Promoter Score"]["status"] == "Off Track"


def test_status_json_filters(imported, capsys):
    assert main(["--db", str(imported), "status", "--json", "--as-of", "2026-05-31", "--team", "Product"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [o["team"] for o in report["objectives"]] == ["Product"]
    assert report["kpis"] == []
    assert main(["--db", str(imported), "status", "--json", "--as-of", "2026-05-31", "--cycle", "2030-Q1"]) == 0
    assert json.loads(capsys.readouterr().out)["objectives"] == []


def test_status_json_nulls_are_null(imported, tmp_path, capsys):
    extra = tmp_path / "extra.csv"
    extra.write_text("cycle,team,objective,key_result,baseline,target\n2026-Q2,Ops,Stay up,Raise uptime,99,99.9\n")
    assert main(["--db", str(imported), "import", str(extra)]) == 0
    capsys.readouterr()
    assert main(["--db", str(imported), "status", "--json", "--as-of", "2026-05-31", "--team", "Ops"]) == 0
    [objective] = json.loads(capsys.readouterr().out)["objectives"]
    [kr] = objective["key_results"]
    assert (kr["progress"], kr["current"], kr["status"]) == (None, None, "No Data")
    assert (objective["progress"], objective["status"]) == (None, "No Data")


def test_status_json_of_an_empty_database(db, capsys):
    assert main(["--db", str(db), "--create", "status", "--json", "--as-of", "2026-05-31"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["objectives"], report["kpis"]) == ([], [])


def test_status_text(imported, capsys):
    assert main(["--db", str(imported), "status", "--as-of", "2026-05-31"]) == 0
    out = capsys.readouterr().out
    assert "2026-Q2" in out
    assert "Raise NPS from 4 to 10" in out
    assert "Customer support reply time" in out and "Off Track" in out


# -- okrdash review (issue 26) -------------------------------------------------------------------------------

Q3 = "2026-Q3,2026-07-01,2026-09-30"
REVIEW_OKRS = "cycle,start_date,end_date,team,objective,objective_type,key_result,owner,baseline,target,current,date\n" + \
    "\n".join(f"{Q3},{team},{objective},{kind},{kr},{owner},0,10,{value},2026-09-25" for team, objective, kind, kr, owner, value in [
        ("Sales", "Win back lost customers", "committed", "Win back 10 customers", "Andi", 8),      # 0.8: missed
        ("Sales", "Open a new city", "aspirational", "Sign 10 partners", "Andi", 10),             # one success ...
        ("Sales", "Sell abroad", "aspirational", "Sign 10 foreign clients", "Bayu", 5),           # ... averaging 0.75
        ("Support", "Delight our customers", "aspirational", "Answer 10 surveys", "Maya", 10),    # averaging 0.95:
        ("Support", "Make help easy to find", "aspirational", "Publish 10 articles", "Intan", 9),  # raise ambition
    ]) + "\n"


@pytest.fixture
def reviewed(db, tmp_path, capsys) -> Path:
    okrs = tmp_path / "q3.csv"
    okrs.write_text(REVIEW_OKRS, encoding="utf-8")
    assert main(["--db", str(db), "--create", "import", str(okrs)]) == 0
    capsys.readouterr()
    return db


def test_review_prints_grades_read_by_type_and_the_teams_to_raise_their_ambition(reviewed, capsys):
    assert main(["--db", str(reviewed), "review", "--cycle", "2026-Q3", "--as-of", "2026-10-15"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Quarter review of 2026-Q3: final grades, graded on its last day (30 Sep 2026)")
    lines = out.splitlines()
    missed = next(line for line in lines if "Win back lost customers" in line)
    assert missed.split()[-6:] == ["Committed", "0.8", "Missed", "(below", "1.0)", "Postmortem"]
    assert "Green" not in missed and "green" not in missed
    success = next(line for line in lines if "Open a new city" in line)
    assert "1.0" in success and "Green (0.7 or more)" in success and success.endswith("–")
    teams = lines[lines.index("Teams") + 1:]
    assert next(line for line in teams if line.startswith("Sales")).endswith("–")            # 0.75 with one 1.0
    assert next(line for line in teams if line.startswith("Support")).endswith("Raise ambition")  # 0.95
    assert not {"Andi", "Bayu", "Maya", "Intan"} & set(out.split())  # grades are never shown per person
    assert "Raise ambition: the team's aspirational objectives averaged 0.9 or more" in out


def test_review_in_indonesian_and_for_one_team(reviewed, capsys):
    assert main(["--db", str(reviewed), "review", "--cycle", "Q3 2026", "--team", "support", "--lang", "id",
                 "--as-of", "2026-10-15"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Tinjauan kuartal 2026-Q3: nilai akhir") and "Tim: Support" in out
    assert "Sales" not in out and "0,9" in out and "0,95" in out and "Naikkan ambisi" in out


def test_review_json(reviewed, capsys):
    assert main(["--db", str(reviewed), "review", "--cycle", "2026-Q3", "--json", "--as-of", "2026-10-15"]) == 0
    document = json.loads(capsys.readouterr().out)
    objectives = {o["title"]: o for o in document["objectives"]}
    assert objectives["Win back lost customers"] == {"team": "Sales", "title": "Win back lost customers",
                                                     "type": "committed", "grade": 0.8, "band": "missed",
                                                     "flags": ["postmortem"]}
    assert {title: (o["band"], o["flags"]) for title, o in objectives.items()} == {
        "Win back lost customers": ("missed", ["postmortem"]), "Open a new city": ("green", []),
        "Sell abroad": ("yellow", []), "Delight our customers": ("green", []),
        "Make help easy to find": ("green", [])}
    assert [(t["team"], t["mean_grade"], t["flags"]) for t in document["teams"]] == [
        ("Sales", pytest.approx(0.77, abs=0.005), []), ("Support", 0.95, ["raise_ambition"])]
    assert all(set(t) >= {"team", "mean_grade", "flags"} for t in document["teams"])


def test_review_of_a_cycle_or_team_that_is_not_there_is_a_usage_error(reviewed, capsys):
    assert main(["--db", str(reviewed), "review", "--cycle", "2026-Q1"]) == 2
    assert 'There is no cycle "2026-Q1". Cycles: 2026-Q3.' in capsys.readouterr().err
    assert main(["--db", str(reviewed), "review", "--cycle", "2026-Q3", "--team", "Legal", "--lang", "id"]) == 2
    assert 'Tim "Legal" tidak punya tujuan di siklus 2026-Q3. Tim yang ada: Sales, Support.' in capsys.readouterr().err
    assert main(["--db", str(reviewed), "review"]) == 2  # --cycle is required
    capsys.readouterr()


def test_review_speaks_the_default_language(reviewed, monkeypatch, capsys):
    monkeypatch.setenv("OKRDASH_DEFAULT_LANGUAGE", "id")
    settings_module.settings.cache_clear()
    try:
        assert main(["--db", str(reviewed), "review", "--cycle", "2026-Q3", "--as-of", "2026-10-15"]) == 0
        assert capsys.readouterr().out.startswith("Tinjauan kuartal 2026-Q3")
    finally:
        settings_module.settings.cache_clear()


def test_db_flag_picks_the_database(tmp_path, capsys):
    first, second = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    assert main(["--db", str(first), "--create", "import", KPIS]) == 0
    assert main(["--db", str(second), "--create", "import", KPIS, OKRS]) == 0
    capsys.readouterr()
    assert (counts(first)["kpis"], counts(first)["key_results"]) == (2, 0)
    assert counts(second)["key_results"] == 7


def test_okrdash_db_environment_variable(tmp_path, monkeypatch, capsys):
    path = tmp_path / "env.duckdb"
    monkeypatch.setenv("OKRDASH_DB", str(path))
    settings_module.settings.cache_clear()
    assert main(["--create", "import", KPIS]) == 0
    capsys.readouterr()
    assert path.exists() and counts(path)["kpis"] == 2
    assert main(["status", "--json", "--as-of", "2026-05-31"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {k["name"] for k in report["kpis"]} == {"Customer support reply time", "Net Promoter Score"}


def test_db_flag_wins_over_environment(tmp_path, monkeypatch, capsys):
    env_db, flag_db = tmp_path / "env.duckdb", tmp_path / "flag.duckdb"
    monkeypatch.setenv("OKRDASH_DB", str(env_db))
    settings_module.settings.cache_clear()
    assert main(["--db", str(flag_db), "--create", "import", KPIS]) == 0
    assert counts(flag_db)["kpis"] == 2
    assert not env_db.exists() or counts(env_db)["kpis"] == 0


def test_python_dash_m_okrdash_with_environment(tmp_path):
    path = tmp_path / "sub.duckdb"
    env = {**os.environ, "OKRDASH_DB": str(path), "PYTHONPATH": str(ROOT)}
    ok = subprocess.run([sys.executable, "-m", "okrdash", "--create", "import", KPIS, OKRS], cwd=tmp_path, env=env,
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("team,kpi,date,value\nOps,Uptime,2026-05-31,lots\n")
    refused = subprocess.run([sys.executable, "-m", "okrdash", "import", str(bad)], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1
    assert "line 2" in refused.stderr
    status = subprocess.run([sys.executable, "-m", "okrdash", "status", "--json", "--as-of", "2026-05-31"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert status.returncode == 0, status.stderr
    assert len(json.loads(status.stdout)["objectives"]) == 3
    assert counts(path)["kpis"] == 2


def test_import_workbook_prints_each_sheet_and_how_it_was_read(db, tmp_path, capsys):
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KPI"
    for row in (["KPI Report 2026"], ["Tim", "Nama KPI", "Jan", "Feb"], ["Sales", "Leads", 10, 12.5]):
        sheet.append(row)
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert main(["--db", str(db), "--create", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "book.xlsx › KPI: kpis, 1 rows, valid" in out
    assert "  - The column names are on line 2" in out
    assert "2 columns with one period each (Jan … Feb) became 2 dated values" in out
    store = open_store(db)
    try:
        with store.cursor() as cur:
            assert cur.execute("SELECT date, value FROM kpi_measurements ORDER BY date").fetchall() == [
                (dt.date(2026, 1, 31), 10.0), (dt.date(2026, 2, 28), 12.5)]
    finally:
        store.close()


def test_an_ambiguous_file_is_refused_naming_the_option_then_read_with_it(db, tmp_path, capsys):
    visits = tmp_path / "visits.csv"
    visits.write_text("team,kpi,date,value,taget\nSales,Visits,10/1/2026,1.500,3\n")
    assert main(["--db", str(db), "--create", "import", str(visits)]) == 1
    err = capsys.readouterr().err
    assert "--numbers id / --numbers en" in err and "--dates dmy / --dates mdy" in err
    assert counts(db)["kpi_measurements"] == 0

    assert main(["--db", str(db), "--create", "import", str(visits), "--numbers", "id", "--dates", "mdy"]) == 0
    out = capsys.readouterr().out
    assert "Numbers: value: 1.500,5" in out and "as you chose (line 2: 1.500)" in out
    assert "Dates: date: month first" in out
    assert "Columns ignored: taget (did you mean target?)" in out
    store = open_store(db)
    try:
        with store.cursor() as cur:
            assert cur.execute("SELECT date, value FROM kpi_measurements").fetchall() == [
                (dt.date(2026, 10, 1), 1500.0)]
    finally:
        store.close()


def test_an_unknown_reading_option_is_a_usage_error(db, tmp_path, capsys):
    visits = tmp_path / "visits.csv"
    visits.write_text("team,kpi,date,value\nSales,Visits,2026-10-01,1\n")
    assert main(["--db", str(db), "--create", "import", str(visits), "--numbers", "fr"]) == 2


# -- read-only commands leave the file as it is ---------------------------------------------------------


def file_bytes(db: Path) -> dict[str, bytes]:
    """The database file and any write-ahead log beside it, byte for byte."""
    return {path.name: path.read_bytes() for path in sorted(db.parent.glob(db.name + "*"))}


def test_read_only_commands_leave_the_database_file_byte_for_byte(imported, tmp_path, capsys):
    new = tmp_path / "new.csv"
    new.write_text("team,kpi,date,value\nOps,Uptime,2026-05-31,99.9\n")
    before = file_bytes(imported)
    assert list(before) == [imported.name]
    for argv in (["status"], ["status", "--json", "--as-of", "2026-05-31"], ["backup", str(tmp_path / "backup")],
                 ["import", "--dry-run", str(new)], ["review", "--cycle", "2026-Q2"]):
        assert main(["--db", str(imported), *argv]) == 0, argv
        assert file_bytes(imported) == before, argv
    assert "Dry run" in capsys.readouterr().out
    restored = tmp_path / "restored.duckdb"
    assert main(["--db", str(restored), "restore", str(tmp_path / "backup")]) == 0
    assert counts(restored) == counts(imported)


def older_database(path: Path, version: int) -> Path:
    """A database file as the okrdash of schema ``version`` left it, with one key result."""
    import duckdb

    from okrdash.store.schema import MIGRATIONS

    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    for number in range(1, version + 1):
        con.execute(MIGRATIONS[number])
        con.execute("INSERT INTO schema_version VALUES (?, now())", [number])
    con.execute("INSERT INTO cycles (name, start_date, end_date) VALUES ('2026-Q2', DATE '2026-04-01', DATE '2026-06-30')")
    con.execute("INSERT INTO objectives (cycle, team, title, type) VALUES ('2026-Q2', 'Sales', 'Grow', 'committed')")
    con.execute("INSERT INTO key_results (objective_id, title, kind, baseline, target, weight) "
                "VALUES (1, 'Sign', 'increase', 0, 10, 1)")
    con.close()
    return path


def test_a_read_only_command_on_an_older_database_asks_for_an_upgrade_and_changes_nothing(tmp_path, capsys):
    from okrdash.store import SCHEMA_VERSION

    db = older_database(tmp_path / "older.duckdb", SCHEMA_VERSION - 1)
    before = file_bytes(db)
    for argv in (["status"], ["backup", str(tmp_path / "backup")]):
        assert main(["--db", str(db), *argv]) == 3, argv
        err = capsys.readouterr().err
        assert f"schema version {SCHEMA_VERSION - 1}" in err and "okrdash upgrade" in err, err
        assert "Nothing was changed" in err and "Traceback" not in err
        assert file_bytes(db) == before
    assert not (tmp_path / "backup").exists()
    assert main(["--db", str(db), "upgrade"]) == 0
    assert f"schema version {SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["--db", str(db), "status", "--json", "--as-of", "2026-05-31"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [kr["title"] for o in report["objectives"] for kr in o["key_results"]] == ["Sign"]


def test_a_read_only_store_refuses_writes(imported):
    from okrdash.access import admin_writer
    from okrdash.store import StoreError

    store = open_store(imported, read_only=True)
    try:
        assert store.read_only
        with pytest.raises(StoreError) as refused:
            store.reset(admin_writer(None))
        assert refused.value.code == "store_read_only"
        assert store.table_counts()["key_results"] == 7
    finally:
        store.close()


# -- who ran a command: --by as given, and the operating system account ------------------------------------


def test_import_and_undo_record_the_os_account_beside_by(imported, capsys, monkeypatch):
    import pwd

    account = pwd.getpwuid(os.getuid()).pw_name
    # The account comes from the process's user id, not from variables anyone may set.
    monkeypatch.setenv("USER", "not-" + account)
    monkeypatch.setenv("LOGNAME", "not-" + account)
    new = Path(imported).with_name("new.csv")
    new.write_text("team,kpi,date,value\nOps,Uptime,2026-05-31,99.9\n")
    assert main(["--db", str(imported), "import", str(new), "--by", "rina@contoh.co.id"]) == 0
    batch = open_and(imported, lambda store: store.batches()[0])
    assert (batch.imported_by, batch.imported_os_user) == ("rina@contoh.co.id", account)
    assert main(["--db", str(imported), "undo", str(batch.id), "--by", "maya"]) == 0
    batch = open_and(imported, lambda store: store.batches()[0])
    assert (batch.undone_by, batch.undone_os_user) == ("maya", account)
    assert main(["--db", str(imported), "demo", "--reset", "--by", "admin@contoh.co.id"]) == 0
    assert {(b.imported_by, b.imported_os_user) for b in open_and(imported, lambda store: store.batches())} == {
        ("demo", account)}


def open_and(db: Path, read):
    store = open_store(db)
    try:
        return read(store)
    finally:
        store.close()
