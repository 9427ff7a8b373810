"""The OKR editor on the team page and the KPI definition editor on the KPI page, through AppTest.

Edits are seeded as the data editor's edit state (AppTest cannot type into a grid); the save is
an import: nothing is written until Save, one save is all or nothing, a removal needs a
confirmation, and an edit over tables someone changed since they were opened is refused.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from okrdash.access import Access, Role, admin_writer
from okrdash.importing import Upload, import_files
from okrdash.store import open_store
from okrdash.ui.editors import okr_editor_key
from tests.pages.conftest import AS_OF, CYCLE
from tests.pages.test_forms import SALES_EDITOR, VIEWER, open_form
from tests.pages.test_upload import counts
from tests.helpers.html_tables import shown_tables

TEAM = "pages/team.py"
KPIS = "pages/kpis.py"
KEY = okr_editor_key(CYCLE, "Engineering")
Q4_START, Q4_END = dt.date(2026, 10, 1), dt.date(2026, 12, 31)


def engineering(db: Path):
    store = open_store(db)
    try:
        return store.team_okrs(CYCLE, "Engineering")
    finally:
        store.close()


def open_editor(app, key: str = KEY):
    app.toggle(key=f"{key}_open").set_value(True)
    return app.run()


def save(app, key: str = KEY):
    app.button(key=f"{key}_save").click()
    return app.run()


def test_nothing_is_written_until_save_then_edits_land_in_one_batch(demo_db, make_app):
    objectives, key_results = engineering(demo_db)
    first = key_results.iloc[0]
    app = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering"))
    assert not app.exception
    assert app.button(key=f"{KEY}_save").disabled  # nothing changed yet
    before = counts(demo_db)
    app.session_state[f"{KEY}_key_results"] = {
        "edited_rows": {0: {"title": "Raise sprint velocity to 65 points", "target": "65"}},
        "added_rows": [{"objective": first["objective"], "title": "Pair on every release", "kind": "milestone"}],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception
    assert counts(demo_db) == before  # drawn, not written
    save(app)
    assert not app.exception and not app.error
    assert any("Saved (batch" in s.value for s in app.success)
    _, after = engineering(demo_db)
    renamed = after[after["id"] == first["id"]].iloc[0]
    assert (renamed["title"], renamed["target"], renamed["objective"]) == (
        "Raise sprint velocity to 65 points", 65.0, first["objective"])
    added = after[after["title"] == "Pair on every release"].iloc[0]
    today = dt.date.today()
    assert added["kind"] == "milestone"
    # Added after the cycle began, it is measured from today (inside the cycle) or from the cycle's start.
    stored_start = None if pd.isna(added["start_date"]) else pd.Timestamp(added["start_date"]).date()
    assert stored_start == (today if Q4_START < today <= Q4_END else None)
    assert len(after) == len(key_results) + 1
    store = open_store(demo_db)
    try:
        batch = store.batches()[0]
        # Only the two rows that changed are written (the others keep their own batch and undo).
        assert (batch.file_name, batch.inserted, batch.updated) == ("OKR editor", 1, 1)
        with store.cursor() as cur:
            checkins_kept = cur.execute("SELECT count(*) FROM checkins WHERE key_result_id = ?",
                                        [int(first["id"])]).fetchall()[0][0]
        assert checkins_kept > 0  # a rename keeps the key result's check-ins
    finally:
        store.close()
    shown = {t for frame in shown_tables(app) if "Key result" in frame.columns for t in frame["Key result"]}
    assert "Raise sprint velocity to 65 points" in shown  # the page shows the edit in the same run


def test_an_invalid_edit_names_the_column_and_writes_nothing(demo_db, make_app):
    app = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang="id"))
    before = counts(demo_db)
    _, key_results = engineering(demo_db)
    app.session_state[f"{KEY}_key_results"] = {  # the target typed as the baseline, as Indonesian writes it
        "edited_rows": {0: {"target": f"{key_results.iloc[0]['baseline']:g}".replace(".", ",")}}, "added_rows": [],
        "deleted_rows": []}
    app.run()
    save(app)
    assert not app.exception
    assert "Tidak ada yang disimpan" in app.error[0].value and "**Target**" in app.error[0].value
    assert counts(demo_db) == before


def test_removing_needs_a_confirmation_and_undo_brings_it_back(demo_db, make_app):
    _, key_results = engineering(demo_db)
    gone = key_results.iloc[-1]
    app = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering"))
    before = counts(demo_db)
    app.session_state[f"{KEY}_key_results"] = {"edited_rows": {}, "added_rows": [],
                                                "deleted_rows": [len(key_results) - 1]}
    app.run()
    assert any(gone["title"].split(" ")[0] in w.value for w in app.warning)
    assert app.button(key=f"{KEY}_save").disabled
    app.checkbox(key=f"{KEY}_confirm").check().run()
    save(app)
    assert not app.exception and not app.error
    _, after = engineering(demo_db)
    assert gone["title"] not in set(after["title"])
    removed = counts(demo_db)
    assert removed["key_results"] == before["key_results"] - 1 and removed["checkins"] < before["checkins"]

    store = open_store(demo_db)
    try:
        store.undo(store.batches()[0].id, admin_writer("hendra"))
    finally:
        store.close()
    _, restored = engineering(demo_db)
    assert restored.equals(key_results)
    assert {k: v for k, v in counts(demo_db).items() if not k.endswith("_prior") and k != "batches"} == {
        k: v for k, v in before.items() if not k.endswith("_prior") and k != "batches"}


def test_a_stale_edit_is_refused_naming_who_changed_the_team(demo_db, make_app):
    objectives, _ = engineering(demo_db)
    app = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering"))
    app.session_state[f"{KEY}_objectives"] = {"edited_rows": {0: {"owner": "Rizky"}}, "added_rows": [],
                                               "deleted_rows": []}
    app.run()
    # Meanwhile Dewi renames the owner of another objective with a file.
    store = open_store(demo_db)
    try:
        other = objectives.iloc[1]
        row = ("cycle,team,objective,objective_owner,key_result\n"
               f"{CYCLE},Engineering,{other['title']},Dewi,{engineering_kr(store, other['title'])}\n")
        import_files(store, [Upload("dewi.csv", row.encode())], writer=admin_writer("dewi@contoh.co.id"))
        before = store.table_counts()
    finally:
        store.close()
    save(app)
    assert not app.exception
    error = app.error[0].value.replace("\\", "")  # shown as escaped Markdown
    assert "changed since you opened them" in error and "dewi@contoh.co.id" in error and "dewi.csv" in error
    assert counts(demo_db) == before
    assert engineering(demo_db)[0].iloc[0]["owner"] == objectives.iloc[0]["owner"]


def engineering_kr(store, objective: str) -> str:
    _, key_results = store.team_okrs(CYCLE, "Engineering")
    return key_results[key_results["objective"] == objective].iloc[0]["title"]


def test_viewer_and_editor_of_another_team_get_no_editor(demo_db, make_app, as_person):
    for person in (VIEWER, SALES_EDITOR):
        as_person(person)
        app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering")
        assert not app.exception
        assert not [e for e in app.toggle if "Edit this team" in e.label]
    as_person(Access(role=Role.EDITOR, who="rina@contoh.co.id", teams=frozenset({"Engineering"})))
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering")
    assert [e for e in app.toggle if "Edit this team" in e.label]


def test_kpi_definition_editor_saves_and_refuses(demo_db, make_app, as_person):
    store = open_store(demo_db)
    try:
        kpi = store.kpi_scores(dt.date.fromisoformat(AS_OF), team="Engineering").iloc[0]
        kpi_id, name = int(kpi["kpi_id"]), kpi["name"]
    finally:
        store.close()
    key = f"kpi_editor_{kpi_id}"
    app = make_app(demo_db, page=KPIS, as_of=AS_OF, kpi=str(kpi_id))
    assert not app.exception
    open_form(app, key)
    app.text_input(key=f"{key}_tolerance").input("banyak")
    before = counts(demo_db)
    app.button(key=f"{key}_save").click().run()
    assert "**Tolerance**" in app.error[0].value and counts(demo_db) == before
    app.text_input(key=f"{key}_tolerance").input("10%")
    app.text_input(key=f"{key}_target").input("30")
    app.button(key=f"{key}_save").click().run()
    assert not app.exception and any("KPI definition saved" in s.value for s in app.success)
    store = open_store(demo_db)
    try:
        stored = next(d for d in store.kpi_definitions() if d["name"] == name and d["team"] == "Engineering")
    finally:
        store.close()
    assert (stored["target"], stored["tolerance"], stored["tolerance_is_share"]) == (30.0, 0.1, True)
    as_person(SALES_EDITOR)
    app = make_app(demo_db, page=KPIS, as_of=AS_OF, kpi=str(kpi_id))
    assert not [e for e in app.expander if "definition" in e.label]


def test_the_kpi_editor_starts_from_its_kpis_definition_without_reading_every_other(demo_db, make_app, monkeypatch):
    # It read all of the company's definitions to find its own in every view (5,000 rows of Python
    # on the large company); the KPI page's view model, shared by every session, carries the one.
    from okrdash.store.file_store import DuckDBStore

    store = open_store(demo_db)
    try:
        kpi = store.kpi_scores(dt.date.fromisoformat(AS_OF), team="Engineering").iloc[0]
        kpi_id, stored = int(kpi["kpi_id"]), store.kpi_definition("Engineering", kpi["name"])
    finally:
        store.close()

    def every_definition(self):
        raise AssertionError("the KPI page read every KPI's definition")

    monkeypatch.setattr(DuckDBStore, "kpi_definitions", every_definition)
    app = make_app(demo_db, page=KPIS, as_of=AS_OF, kpi=str(kpi_id))
    assert not app.exception
    key = f"kpi_editor_{kpi_id}"
    open_form(app, key)  # drawn only when opened
    assert not app.exception
    assert app.selectbox(key=f"{key}_direction").value == stored["direction"]
    assert float(app.text_input(key=f"{key}_target").value) == stored["target"]


# -- numbers as the reader writes them (issue 21) and forged edits (issue 22, finding 9) ------------------------

def captions(app) -> str:
    return "\n".join(c.value for c in app.caption).replace("\\", "")  # escaped Markdown


@pytest.mark.parametrize(("lang", "decimal", "read_as"), [("id", ",", "Dibaca sebagai"), ("en", ".", "Read as")])
def test_the_okr_editor_reads_a_typed_baseline_in_the_readers_language_before_saving(demo_db, make_app, lang, decimal,
                                                                                      read_as):
    _, key_results = engineering(demo_db)
    first = key_results.iloc[0]
    baseline = round(float(first["baseline"]) + 0.4, 6)  # a fraction, on the same side of the target
    typed = f"{baseline:g}".replace(".", decimal)
    app = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang=lang))
    before = counts(demo_db)
    app.session_state[f"{KEY}_key_results"] = {"edited_rows": {0: {"baseline": typed}}, "added_rows": [],
                                                "deleted_rows": []}
    app.run()
    assert not app.exception and f"«{typed}»: {read_as} {typed}" in captions(app)
    assert first["title"] in captions(app)
    assert counts(demo_db) == before  # shown, not saved
    save(app)
    assert not app.exception and not app.error
    _, after = engineering(demo_db)
    assert after[after["id"] == first["id"]].iloc[0]["baseline"] == baseline


def test_the_okr_editor_shows_stored_numbers_in_the_readers_convention(demo_db, make_app):
    _, key_results = engineering(demo_db)
    fractional = key_results[key_results["baseline"].notna() & (key_results["baseline"] % 1 != 0)].iloc[0]
    app = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang="id"))
    (grid,) = [frame.value for frame in app.dataframe if "baseline" in frame.value.columns]
    assert grid[grid["id"] == fractional["id"]].iloc[0]["baseline"] == f"{fractional['baseline']:g}".replace(".", ",")


def test_the_okr_editor_refuses_an_unreadable_number_before_and_at_save(demo_db, make_app):
    app = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang="id"))
    before = counts(demo_db)
    app.session_state[f"{KEY}_key_results"] = {"edited_rows": {0: {"target": "4.4"}}, "added_rows": [],
                                                "deleted_rows": []}
    app.run()
    assert "«4.4»: ⚠️ Tidak terbaca: Harus berupa angka yang ditulis seperti 6,5" in captions(app)
    assert app.button(key=f"{KEY}_save").disabled
    assert counts(demo_db) == before


def test_a_forged_nan_weight_and_an_objective_the_table_does_not_offer_are_refused(demo_db, make_app):
    app = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering"))
    before = counts(demo_db)
    # Widget state a browser would not send: NaN in a number cell (the text column keeps it as "nan",
    # no blank that would store the default weight), an objective not among the column's options.
    app.session_state[f"{KEY}_key_results"] = {"edited_rows": {0: {"weight": float("nan")}}, "added_rows": [],
                                                "deleted_rows": []}
    app.run()
    assert "«nan»: ⚠️ Not read: Must be a finite number" in captions(app)
    assert app.button(key=f"{KEY}_save").disabled
    app.session_state[f"{KEY}_key_results"] = {"edited_rows": {1: {"objective": "Not one of ours"}}, "added_rows": [],
                                                "deleted_rows": []}
    app.run()
    assert not app.exception
    # Named before Save, which waits for it (the save itself refuses it too: tests/test_writes.py).
    warning = "".join(w.value for w in app.warning).replace("\\", "")
    assert "**Objective** «Not one of ours»: Not an objective of this table" in warning
    assert app.button(key=f"{KEY}_save").disabled
    assert counts(demo_db) == before


@pytest.mark.parametrize(("lang", "target", "tolerance", "stored"), [("id", "1.500", "7,5%", (1500.0, 0.075)),
                                                                     ("en", "1,500", "7.5%", (1500.0, 0.075))])
def test_the_kpi_editor_reads_the_readers_numbers_and_refuses_nan(demo_db, make_app, lang, target, tolerance, stored):
    store = open_store(demo_db)
    try:
        kpi = store.kpi_scores(dt.date.fromisoformat(AS_OF), team="Engineering").iloc[0]
        kpi_id, name = int(kpi["kpi_id"]), kpi["name"]
    finally:
        store.close()
    key = f"kpi_editor_{kpi_id}"
    app = make_app(demo_db, page=KPIS, as_of=AS_OF, kpi=str(kpi_id), lang=lang)
    open_form(app, key)
    app.text_input(key=f"{key}_target").input(target).run()
    app.text_input(key=f"{key}_tolerance").input(tolerance).run()
    assert ("Dibaca sebagai 7,5%" if lang == "id" else "Read as 7.5%") in captions(app)
    app.button(key=f"{key}_save").click().run()
    assert not app.exception and not app.error
    store = open_store(demo_db)
    try:
        saved = next(d for d in store.kpi_definitions() if d["name"] == name and d["team"] == "Engineering")
    finally:
        store.close()
    assert (saved["target"], saved["tolerance"]) == stored
    before = counts(demo_db)
    app.text_input(key=f"{key}_target").input("NaN").run()
    app.button(key=f"{key}_save").click().run()
    assert "**Target** «NaN»" in app.error[0].value and counts(demo_db) == before


def test_a_half_filled_row_of_the_grid_is_named_and_save_waits_for_it(demo_db, make_app):
    app = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang="id"))
    _, key_results = engineering(demo_db)
    before = counts(demo_db)
    app.session_state[f"{KEY}_key_results"] = {
        "edited_rows": {}, "added_rows": [{"title": "Pasangkan setiap rilis", "kind": "milestone"}], "deleted_rows": []}
    app.run()
    assert not app.exception
    (warning,) = [w.value for w in app.warning if "Tujuan" in w.value]
    assert f"Baris {len(key_results) + 1}" in warning and "wajib" in warning
    assert app.button(key=f"{KEY}_save").disabled
    assert counts(demo_db) == before


@pytest.mark.parametrize(("lang", "baseline", "target", "added"), [
    ("id", "4,4", "6,5", "ditambahkan"), ("en", "4.4", "6.5", "added")])
def test_a_key_result_added_with_the_small_form_is_saved_as_typed(demo_db, make_app, lang, baseline, target, added):
    objectives, key_results = engineering(demo_db)
    key = f"{KEY}_add"
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang=lang)
    app.toggle(key=f"{key}_open").set_value(True)
    app.run()
    objective = objectives.iloc[0]["title"]
    app.selectbox(key=f"{key}_objective").set_value(objective)
    app.text_input(key=f"{key}_title").input("Cut build time to 6 minutes")
    app.selectbox(key=f"{key}_kind").set_value("decrease")
    app.run()
    app.text_input(key=f"{key}_baseline").input(target)  # from 6,5 down to 4,4
    app.text_input(key=f"{key}_target").input(baseline)
    app.text_input(key=f"{key}_unit").input("menit" if lang == "id" else "minutes")
    app.run()
    app.button(key=f"{key}_save").click()
    app.run()
    assert not app.exception and not app.error
    assert any(added in s.value for s in app.success)
    _, after = engineering(demo_db)
    new = after[after["title"] == "Cut build time to 6 minutes"].iloc[0]
    assert (new["objective"], new["kind"], new["baseline"], new["target"]) == (objective, "decrease", 6.5, 4.4)
    assert len(after) == len(key_results) + 1
    store = open_store(demo_db)
    try:
        assert store.batches()[0].file_name == "OKR editor"
    finally:
        store.close()


def test_a_finished_cycle_offers_no_new_key_results(demo_db, make_app):
    app = make_app(demo_db, page=TEAM, as_of="2026-10-15", cycle="2026-Q3", team="Engineering")
    assert not app.exception
    assert not [t for t in app.toggle if t.key == f"{okr_editor_key('2026-Q3', 'Engineering')}_add_open"]
    # Nor does the editor's grid take new rows (issue 24.8); its rows can still be corrected.
    assert grid_modes(open_editor(app, okr_editor_key("2026-Q3", "Engineering"))) == ["FIXED", "FIXED"]
    running = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering"))
    assert grid_modes(running) == ["DYNAMIC", "DYNAMIC"]


def grid_modes(app) -> list[str]:
    """The editing mode of the OKR editor's two grids (objectives, key results)."""
    grids = [f.proto for f in app.dataframe if f.proto.id.endswith(("_objectives", "_key_results"))]
    return [type(grid).EditingMode.Name(grid.editing_mode) for grid in grids]


def test_a_key_results_planned_path_is_edited_under_the_okr_editor(demo_db, make_app):
    _, key_results = engineering(demo_db)
    offered = key_results[~key_results["kind"].isin(["at_least", "at_most"])].reset_index(drop=True)
    chosen = offered.iloc[0]
    app = open_editor(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering"))
    app.selectbox(key=f"{KEY}_plan_pick").set_value(0)
    app.run()
    assert not app.exception
    halfway = chosen["baseline"] + (chosen["target"] - chosen["baseline"]) / 2
    app.session_state[f"{KEY}_plan_points_{int(chosen['id'])}"] = {
        "edited_rows": {}, "added_rows": [{"date": "2026-12-01", "planned": f"{halfway:g}"}], "deleted_rows": []}
    app.run()
    assert not app.exception
    app.button(key=f"{KEY}_plan_save").click()
    app.run()
    assert not app.exception and not app.error
    assert any("Plan of" in s.value for s in app.success)
    store = open_store(demo_db)
    try:
        plans = store.team_plans(CYCLE, "Engineering")
        assert [(r.key_result, pd.Timestamp(r.date).date(), r.planned) for r in plans.itertuples()] == [
            (chosen["title"], dt.date(2026, 12, 1), halfway)]
        assert store.batches()[0].file_name == "plan editor"
    finally:
        store.close()
