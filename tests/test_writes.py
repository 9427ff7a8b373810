"""The one write path: forms' rows and files validate alike, and the store checks rights itself.

A check-in typed in the browser and the same row in a check-ins file store the same data; the store
refuses a write, an undo or a reset by someone without the right, whatever called it; two check-ins
on one key result and day are both kept; a key result added mid-cycle is measured from its start.
"""

from __future__ import annotations


import pandas as pd
import pytest

from okrdash import checkins, editing
from okrdash.access import Access, Role, admin_writer
from okrdash.cli import main as cli_main
from okrdash.importing import FormRows, import_files, validate
from okrdash.importing.reading import NumberFormat
from okrdash.models import FileKind
from okrdash.problems import ImportFailed
from okrdash.store import SCHEMA_VERSION, StoreError, open_store
from tests.conftest import END, START, day, kr_row, uploads

# Each test using the store fixture runs on DuckDB and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

OKRS = (f"cycle,start_date,end_date,team,objective,key_result,baseline,target,kind\n"
        f"Sprint 1,{START},{END},Sales,Grow revenue,Sign 100 customers,0,100,increase\n"
        f"Sprint 1,{START},{END},Ops,Stay up,Cut incidents from 10 to 0,10,0,decrease\n")
SIGN = checkins.KeyResultRef("Sprint 1", "Sales", "Grow revenue", "Sign 100 customers")
LABELS = {"value": "New value", "date": "Date", "confidence": "Confidence", "note": "Note"}
SALES_EDITOR = Access(role=Role.EDITOR, who="rina@contoh.co.id", teams=frozenset({"Sales"}))
OPS_EDITOR = Access(role=Role.EDITOR, who="budi@contoh.co.id", teams=frozenset({"Ops"}))
VIEWER = Access(role=Role.VIEWER, who="tamu@contoh.co.id")


@pytest.fixture
def okrs(store, load):
    load(("okrs.csv", OKRS))
    return store


def stored_checkins(store) -> list[tuple]:
    with store.cursor() as cur:
        return cur.execute(
            """SELECT k.title, c.date, c.value, c.confidence, c.note, c.seq FROM checkins c
               JOIN key_results k ON k.id = c.key_result_id ORDER BY k.title, c.date, c.seq""").fetchall()


def test_a_check_in_and_the_same_row_in_a_file_store_the_same_data(store, load):
    load(("okrs.csv", OKRS))
    load(("checkins.csv", "team,key_result,date,value,confidence,note\n"
                          f"Sales,Sign 100 customers,{day(20)},25.5,tinggi,First deals\n"))
    from_file = stored_checkins(store)
    other = open_store(":memory:")
    try:
        load(("okrs.csv", OKRS), into=other)
        checkins.record_checkin(other, SIGN, 25.5, day(20), "tinggi", "First deals", admin_writer("rina"), LABELS)
        assert stored_checkins(other) == from_file == [("Sign 100 customers", day(20), 25.5, 8.0, "First deals", 0)]
        assert kr_row(other, "Sign 100 customers", day(30)) == kr_row(store, "Sign 100 customers", day(30))
        (batch, *_) = other.batches()
        assert (batch.file_name, batch.kind, batch.inserted, batch.imported_by) == ("check-in form", "checkins", 1, "rina")
    finally:
        other.close()


def test_a_form_problem_names_the_field_and_no_line(okrs):
    before = okrs.table_counts()
    with pytest.raises(ImportFailed) as caught:
        checkins.record_checkin(okrs, SIGN, None, day(20), "sangat", None, admin_writer(None),
                                {"value": "Nilai baru", "confidence": "Keyakinan"})
    found = {(p.column, p.line, p.code) for p in caught.value.problems}
    assert found == {("Nilai baru", None, "required"), ("Keyakinan", None, "not_a_confidence")}
    assert okrs.table_counts() == before


def test_two_check_ins_on_one_key_result_and_day_are_both_kept_in_order(okrs):
    checkins.record_checkin(okrs, SIGN, 10, day(20), None, "Rina's", SALES_EDITOR, LABELS)
    checkins.record_checkin(okrs, SIGN, 12, day(20), None, "Dewi's", SALES_EDITOR, LABELS)
    assert [(value, note, seq) for _, _, value, _, note, seq in stored_checkins(okrs)] == [
        (10.0, "Rina's", 0), (12.0, "Dewi's", 1)]
    assert kr_row(okrs, "Sign 100 customers", day(25))["current"] == 12.0
    latest = okrs.batches()[0].id
    okrs.undo(latest, SALES_EDITOR)
    assert [value for _, _, value, *_ in stored_checkins(okrs)] == [10.0]
    assert kr_row(okrs, "Sign 100 customers", day(25))["current"] == 10.0


def test_the_store_refuses_rows_of_a_team_the_writer_may_not_write(okrs):
    row = checkins.checkin_rows(SIGN, 5, day(10), None, None, LABELS)
    _, changes = validate(okrs, [row], today=day(10))
    before = okrs.table_counts()
    for person in (VIEWER, OPS_EDITOR):
        with pytest.raises(StoreError) as caught:
            okrs.apply(changes, person)
        assert caught.value.code == "write_not_allowed" and "Sales" in caught.value.message("id")
        assert okrs.table_counts() == before
    # The importer says so first, with the row's team, when it is handed the same writer.
    with pytest.raises(ImportFailed) as caught:
        import_files(okrs, [row], writer=OPS_EDITOR, today=day(10))
    assert {p.code for p in caught.value.problems} == {"team_not_allowed"}
    assert okrs.table_counts() == before
    okrs.apply(changes, SALES_EDITOR)
    assert okrs.table_counts()["checkins"] == before["checkins"] + 1


def test_undo_and_reset_need_the_right(okrs):
    checkins.record_checkin(okrs, SIGN, 5, day(10), None, None, SALES_EDITOR, LABELS)
    batch = okrs.batches()[0].id
    for person in (VIEWER, OPS_EDITOR):
        with pytest.raises(StoreError) as caught:
            okrs.undo(batch, person)
        assert caught.value.code == "undo_not_allowed"
    with pytest.raises(StoreError) as caught:
        okrs.reset(SALES_EDITOR)
    assert caught.value.code == "reset_not_allowed"
    assert okrs.table_counts()["checkins"] == 1
    okrs.undo(batch, SALES_EDITOR)
    assert okrs.batches()[0].undone_by == "rina@contoh.co.id"
    assert okrs.table_counts()["checkins"] == 0
    # The file import of both teams may be undone only by someone who may write both.
    ops_and_sales = okrs.batches()[-1].id
    with pytest.raises(StoreError):
        okrs.undo(ops_and_sales, SALES_EDITOR)


def test_cli_undo_checks_the_roles_file(tmp_path, monkeypatch, capsys):
    roles = tmp_path / "roles.toml"
    roles.write_text('default = "viewer"\n[[rule]]\nmatch = "budi@contoh.co.id"\nrole = "editor"\nteams = ["Ops"]\n'
                     '[[rule]]\nmatch = "rina@contoh.co.id"\nrole = "editor"\nteams = ["Sales"]\n')
    monkeypatch.setenv("OKRDASH_ROLES_FILE", str(roles))
    db = tmp_path / "okrdash.duckdb"
    store = open_store(db)
    import_files(store, uploads((("okrs.csv", OKRS),)), writer=admin_writer("admin"))
    checkins.record_checkin(store, SIGN, 5, day(10), None, None, SALES_EDITOR, LABELS)
    batch = store.batches()[0].id
    store.close()
    for argv in (["undo", str(batch)], ["undo", str(batch), "--by", "budi@contoh.co.id"]):
        assert cli_main(["--db", str(db), *argv]) == 3
        assert f"may not undo batch {batch}" in capsys.readouterr().err
    assert cli_main(["--db", str(db), "undo", str(batch), "--by", "rina@contoh.co.id"]) == 0
    assert cli_main(["--db", str(db), "demo", "--reset", "--by", "rina@contoh.co.id"]) == 3
    assert "Only an admin" in capsys.readouterr().err


def test_a_key_result_starting_mid_cycle_is_expected_to_move_from_its_start(store, load):
    load(("okrs.csv", OKRS.replace("kind\n", "kind,mulai_kr\n").replace("increase\n", f"increase,{day(50)}\n")
          .replace("decrease\n", "decrease,\n")))
    late = kr_row(store, "Sign 100 customers", day(75))
    on_time = kr_row(store, "Cut incidents from 10 to 0", day(75))
    assert (late["start_date"], late["cycle_start"]) == (day(50), START)
    assert late["elapsed"] == pytest.approx(25 / 50) and on_time["elapsed"] == pytest.approx(0.75)
    assert kr_row(store, "Sign 100 customers", day(40))["expected"] == 0.0
    load(("checkins.csv", f"team,key_result,date,value\nSales,Sign 100 customers,{day(60)},20\n"))
    # 20% in the 10 days since its start: at that pace it reaches 100 after 50 days.
    assert kr_row(store, "Sign 100 customers", day(60))["forecast_date"] == day(100)
    # A file without the column keeps the start; one outside the cycle is refused with the column.
    load(("okrs.csv", OKRS))
    assert kr_row(store, "Sign 100 customers", day(75))["start_date"] == day(50)


def test_a_key_result_start_outside_its_cycle_is_refused(store, reject):
    problems = reject(("okrs.csv", OKRS.replace("kind\n", "kind,kr_start\n").replace("increase\n", f"increase,{day(200)}\n")
                       .replace("decrease\n", "decrease,\n")))
    assert [(p.line, p.column, p.code) for p in problems] == [(2, "kr_start", "kr_start_outside_cycle")]


def test_form_rows_of_an_unknown_column_are_a_programming_error(okrs):
    with pytest.raises(ValueError):
        validate(okrs, [FormRows("form", FileKind.CHECKINS, ({"team": "Sales", "colour": "red"},))], today=day(1))


def test_a_version_2_database_keeps_its_check_ins_and_undo_history_when_opened(tmp_path):
    import duckdb

    from okrdash.store.schema import MIGRATIONS

    path = tmp_path / "v2.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    for version in (1, 2):
        con.execute(MIGRATIONS[version])
        con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    for batch in (1, 2):
        con.execute("INSERT INTO batches (id, imported_at, file_name, sha256, kind, inserted, updated) "
                    "VALUES (?, now(), 'f.csv', '', 'okrs', 1, 0)", [batch])
    con.execute(f"INSERT INTO cycles VALUES ('Sprint 1', DATE '{START}', DATE '{END}', 1)")
    con.execute("INSERT INTO objectives (cycle, team, title, type, batch_id) VALUES ('Sprint 1', 'Sales', 'Grow', 'committed', 1)")
    con.execute("INSERT INTO key_results (objective_id, title, kind, baseline, target, weight, batch_id) "
                "VALUES (1, 'Sign', 'increase', 0, 10, 1, 1)")
    con.execute(f"INSERT INTO checkins VALUES (1, DATE '{day(30)}', 4, 7, 'kept', 2)")
    con.execute(f"INSERT INTO checkins_prior VALUES (1, DATE '{day(30)}', 2, NULL, NULL, 1, 2)")
    con.close()
    store = open_store(path)
    try:
        assert store.schema_version() == SCHEMA_VERSION
        with store.cursor() as cur:
            assert cur.execute("SELECT date, value, note, seq FROM checkins").fetchall() == [(day(30), 4.0, "kept", 0)]
        assert kr_row(store, "Sign", day(40))["current"] == 4.0
        store.undo(2, admin_writer(None))  # the prior version comes back through the new columns
        assert kr_row(store, "Sign", day(40))["current"] == 2.0
    finally:
        store.close()


def _edit(store, change_objectives, change_key_results, writer=SALES_EDITOR):
    """Edit Sales's Sprint 1 tables as the OKR editor does and save them."""
    objectives, key_results = store.team_okrs("Sprint 1", "Sales")
    version = store.okr_version("Sprint 1", "Sales")
    plan = editing.plan_okr_edit("Sprint 1", "Sales", objectives, change_objectives(objectives.copy()),
                                 key_results, change_key_results(key_results.copy()), day(60), START, END)
    return editing.save_okr_edit(store, plan, "Sprint 1", "Sales", version, writer, {}, today=day(60))


def test_renaming_an_objective_and_its_key_result_keeps_check_ins_and_undo_restores_both(okrs):
    checkins.record_checkin(okrs, SIGN, 30, day(20), None, None, SALES_EDITOR, LABELS)
    before = okrs.team_okrs("Sprint 1", "Sales")

    def rename_objective(frame):
        frame.loc[0, "title"] = "Grow revenue fast"
        return frame

    def rename_key_result(frame):
        frame.loc[0, ["objective", "title"]] = ["Grow revenue fast", "Sign 120 customers"]
        frame.loc[0, "target"] = 120.0
        return frame

    (written,) = _edit(okrs, rename_objective, rename_key_result)
    assert kr_row(okrs, "Sign 120 customers", day(30))["current"] == 30.0  # the check-in followed
    assert kr_row(okrs, "Sign 120 customers", day(30))["objective"] == "Grow revenue fast"
    assert okrs.table_counts()["key_results"] == 2
    # What undoing it changes, per table (asked before the Upload page undoes): the renamed objective
    # and key result, each back to its earlier version.
    assert okrs.batch_changes(written.batch_id) == [("objectives", 1, 1), ("key_results", 1, 1)]
    okrs.undo(written.batch_id, SALES_EDITOR)
    after = okrs.team_okrs("Sprint 1", "Sales")
    assert all(a.equals(b) for a, b in zip(after, before))
    assert kr_row(okrs, "Sign 100 customers", day(30))["current"] == 30.0


def test_removing_every_key_result_writes_only_removals_and_a_rename_onto_a_taken_title_is_refused(okrs):
    def add_second(frame):
        return pd.concat([frame, pd.DataFrame([{"objective": "Grow revenue", "title": "Keep 90% of customers",
                                                "kind": "at_least", "target": 90.0}])], ignore_index=True)

    _edit(okrs, lambda f: f, add_second)
    added = kr_row(okrs, "Keep 90% of customers", day(60))
    assert added["start_date"] == day(60)  # added mid-cycle: measured from the day it was added
    before = okrs.table_counts()

    def onto_taken(frame):
        frame.loc[frame["title"] == "Keep 90% of customers", "title"] = "sign 100 customers"
        return frame

    with pytest.raises(ImportFailed) as caught:
        _edit(okrs, lambda f: f, onto_taken)
    assert {p.code for p in caught.value.problems} == {"duplicate_key"}
    assert okrs.table_counts() == before
    with pytest.raises(StoreError):
        _edit(okrs, lambda f: f, lambda f: f.iloc[0:0], writer=OPS_EDITOR)
    (written,) = _edit(okrs, lambda f: f.iloc[0:0], lambda f: f.iloc[0:0])
    assert (written.inserted, written.updated) == (0, 3)  # one objective and its two key results
    assert okrs.team_okrs("Sprint 1", "Sales")[0].empty
    assert okrs.table_counts()["key_results"] == 1  # Ops keeps its own


def test_an_edit_over_changed_tables_is_a_conflict_naming_the_batch(okrs, load):
    objectives, key_results = okrs.team_okrs("Sprint 1", "Sales")
    version = okrs.okr_version("Sprint 1", "Sales")
    load(("okrs.csv", OKRS.replace("Sign 100 customers,0,100", "Sign 100 customers,0,110")), imported_by="dewi")
    edited = key_results.copy()
    edited.loc[0, "owner"] = "Rina"
    plan = editing.plan_okr_edit("Sprint 1", "Sales", objectives, objectives, key_results, edited, day(60), START, END)
    before = okrs.table_counts()
    with pytest.raises(editing.Conflict) as caught:
        editing.save_okr_edit(okrs, plan, "Sprint 1", "Sales", version, SALES_EDITOR, {}, today=day(60))
    ((batch, undone),) = caught.value.changes
    assert (batch.file_name, batch.imported_by, undone) == ("okrs.csv", "dewi", False)
    assert okrs.table_counts() == before


def test_a_half_filled_row_is_named_with_its_row_and_nothing_is_written(okrs):
    """A key result row with a title but no objective (or an objective but no title) and a new
    objective row with an owner but no title are problems, never dropped silently."""
    before = okrs.table_counts()

    def half_filled(frame):
        return pd.concat([frame, pd.DataFrame([{"title": "Keep 90% of customers", "target": "90"},
                                               {"objective": "Grow revenue", "target": "5"}])], ignore_index=True)

    def owner_only(frame):
        return pd.concat([frame, pd.DataFrame([{"type": "committed", "owner": "Rina"}])], ignore_index=True)

    objectives, key_results = okrs.team_okrs("Sprint 1", "Sales")
    plan = editing.plan_okr_edit("Sprint 1", "Sales", objectives, owner_only(objectives.copy()), key_results,
                                 half_filled(key_results.copy()), day(60), START, END)
    assert not plan.is_empty
    rows = len(key_results)
    assert {(p.line, p.column, p.code) for p in plan.problems} == {
        (None, "objective", "required"), (rows + 2, "objective", "required"), (rows + 3, "key_result", "required")}
    with pytest.raises(ImportFailed) as caught:
        _edit(okrs, owner_only, half_filled)
    assert {p.code for p in caught.value.problems} == {"required"}
    assert okrs.table_counts() == before


def test_a_key_result_added_by_the_form_is_one_undoable_batch(okrs):
    objectives, key_results = okrs.team_okrs("Sprint 1", "Sales")
    version = okrs.okr_version("Sprint 1", "Sales")
    fields = {"objective": "Grow revenue", "title": "Keep 90% of customers", "kind": "at_least",
              "baseline": "80", "target": "90,5", "unit": "%", "owner": "Rina"}
    plan = editing.plan_new_key_result("Sprint 1", "Sales", objectives, key_results, fields, day(60), START, END,
                                       NumberFormat.ID)
    assert not plan.problems and len(plan.changed) == 1
    (written,) = editing.save_okr_edit(okrs, plan, "Sprint 1", "Sales", version, SALES_EDITOR, {}, today=day(60))
    added = kr_row(okrs, "Keep 90% of customers", day(60))
    assert (added["target"], added["start_date"], written.inserted) == (90.5, day(60), 1)
    okrs.undo(written.batch_id, SALES_EDITOR)
    assert okrs.table_counts()["key_results"] == len(key_results) + 1  # Ops' one, and Sales' own again
    with pytest.raises(ValueError):
        editing.plan_new_key_result("Sprint 1", "Sales", objectives, key_results, {"id": 3}, day(60), START, END)


def test_a_key_result_added_by_the_form_under_a_new_objective_adds_both(okrs):
    objectives, key_results = okrs.team_okrs("Sprint 1", "Sales")
    fields = {"objective": "Open the Surabaya office", "title": "Sign the lease", "kind": "milestone"}
    plan = editing.plan_new_key_result("Sprint 1", "Sales", objectives, key_results, fields, day(60), START, END,
                                       objective_type="aspirational")
    assert not plan.problems
    version = okrs.okr_version("Sprint 1", "Sales")
    editing.save_okr_edit(okrs, plan, "Sprint 1", "Sales", version, SALES_EDITOR, {}, today=day(60))
    stored = okrs.team_okrs("Sprint 1", "Sales")[0].set_index("title")
    assert stored.loc["Open the Surabaya office", "type"] == "aspirational"
    assert kr_row(okrs, "Sign the lease", day(60))["objective"] == "Open the Surabaya office"
